"""The supervisor's dashboard: one programme over one subtree, with click-through down the tree.

`/programmes/<code>/dashboard/?org=<pk>` (default: the user's top organisation). Headline
figures against the target, children table, coverage rates, overdue list and three charts
(completion by child, children × areas, trend against the trajectory) drawn offline.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from reformtrack.core import chart_exports
from reformtrack.core.figure_cache import remembered
from reformtrack.core.jobs import enqueue
from reformtrack.core.page_cache import cached_page
from reformtrack.core.scoping import Action
from reformtrack.core.views.mixins import BusinessViewMixin
from reformtrack.orgs.models import Organisation

from .. import charts
from ..models import Programme
from ..periods import parse_period
from ..selectors import dashboard as selectors
from ..selectors.ledger import programme_by_code
from ..services.programmes import may_load_libraries


def dashboard_url(programme: Programme, organisation: Organisation) -> str:
    url = reverse("programs:dashboard", args=[programme.code])
    return f"{url}?{urlencode({'org': organisation.pk})}"


def ledger_url(programme: Programme, organisation: Organisation, base: str = "", **filters) -> str:
    """The ledger filtered to an organisation's subtree (and e.g. area=<pk>, overdue="on");
    `base`: the programme's ledger URL when already reversed (the heat map links every cell)."""
    url = base or reverse("programs:ledger", args=[programme.code])
    if all(isinstance(value, int) for value in filters.values()):  # numbers need no encoding
        return "".join([f"{url}?org={organisation.pk}", *(f"&{k}={v}" for k, v in filters.items())])
    return f"{url}?{urlencode({'org': organisation.pk, **filters})}"


@method_decorator(cached_page, name="dispatch")
class DashboardView(BusinessViewMixin, TemplateView):
    model = Programme
    scope_action = Action.VIEW
    template_name = "programs/dashboard.html"

    def get(self, request, *args, **kwargs):
        """The page, or one chart's data as CSV/Excel (`?chart=completion&export=xlsx`)."""
        context = self.get_context_data(**kwargs)
        asked = chart_exports.requested(request, context["figures"])
        if asked is None:
            return self.render_to_response(context)
        key, fmt = asked
        titles = {
            "completion": _("Completion by organisation"),
            "heatmap": _("Task completion rate by area"),
            "trend": _("Trend against the target"),
        }
        first = _("Date") if key == "trend" else _("Organisation")
        return chart_exports.figure_response(
            context["figures"][key], fmt, name=f"{context['programme'].code}-{key}",
            title=titles[key], first=first,
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        user = self.request.user
        try:
            programme = programme_by_code(user, self.kwargs["code"])
            root = selectors.dashboard_root(user, self.request.GET.get("org"))
        except (Programme.DoesNotExist, Organisation.DoesNotExist):
            raise Http404(_("No such programme or organisation.")) from None
        board = selectors.dashboard(user, programme, root)
        base = reverse("programs:ledger", args=[programme.code])
        for row in board.children:  # group → subsidiary → … → the leaf's ledger
            row.ledger_url = ledger_url(programme, row.organisation, base)
            row.url = row.ledger_url if row.is_leaf else dashboard_url(programme, row.organisation)
        board.heatmap.urls = [
            [ledger_url(programme, row.organisation, base, area=a.pk) for a in board.heatmap.areas]
            for row in board.heatmap.rows
        ]
        digest = charts.figures_digest(board)
        figures, figure_scripts = charts.dashboard_charts(board, digest)
        others = [
            (p, dashboard_url(p, root))
            for p in selectors.programme_picker(user)
            if p.pk != programme.pk
        ]
        shown = {
            "programme": programme,
            "board": board,
            "summary": board.summary,
            "rollups": [board.summary],
            "children": board.children,
            "measure_label": charts.measure_label(board.summary.trajectory),
            "overdue_url": ledger_url(programme, root, overdue="on"),
        }
        return super().get_context_data(
            root=root,
            figures=figures,
            figure_scripts=figure_scripts,
            tables=board_tables(board, shown, digest),
            crumbs=[(a, dashboard_url(programme, a)) for a in board.ancestors],
            other_programmes=others,
            ledger_url=ledger_url(programme, root),
            may_close=may_load_libraries(user),
            **shown,
            **kwargs,
        )


def board_tables(board, context: dict, figures_digest: str) -> dict[str, str]:
    """The dashboard's tables (headline and children; coverage and overdue tasks) as HTML,
    kept by a digest of everything they show (and the language) in the cache all server
    processes share, like the figures: drawn from the board alone, which holds only what its
    reader may see, so a change in the data is a new key and nothing is stale."""

    def draw() -> dict[str, str]:
        return {
            part: render_to_string(f"programs/_dashboard_{part}.html", context)
            for part in ("headline", "lists")
        }

    return remembered(f"dashboard-tables:{charts.board_digest(board, figures_digest)}", draw)


class ClosePeriodView(BusinessViewMixin, View):
    """POST: queue the "close period" job (a supervisor administrator's), then show its page.
    Closing snapshots every subtree: batch work, never done inside the request."""

    model = Programme
    scope_action = Action.MANAGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_load_libraries(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, code):
        return redirect("programs:dashboard", code=code)

    def post(self, request, code):
        user = request.user
        try:
            programme = programme_by_code(user, code)
        except Programme.DoesNotExist:
            raise Http404(_("No such programme or organisation.")) from None
        try:
            day = parse_period(programme.reporting, request.POST.get("period", ""))
        except ValueError:
            day = None
        if day is None or day > timezone.localdate() + dt.timedelta(days=31):
            messages.error(request, _("Give a period that has begun, e.g. 2024-06 or 2024Q2."))
            return redirect("programs:dashboard", code=programme.code)
        job = enqueue(
            "close_period",
            user=user,
            organisation=selectors.dashboard_root(user),
            title=f"{programme.code} {day.isoformat()}",
            function="reformtrack.programs.services.periods.close_period_job",
            kwargs={"programme": programme.pk, "day": day.isoformat()},
        )
        return redirect("core:job", pk=job.pk)
