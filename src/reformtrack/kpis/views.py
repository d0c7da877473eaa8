"""Pages: KPI home, an organisation's KPIs (values, last year, target, check, DuPont, trends),
peers, statement entry, targets, and the Excel template and import. Thin: selectors and
services do the work; every organisation comes through the scoping layer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from reformtrack.core import chart_exports
from reformtrack.core.exporters import bytes_response
from reformtrack.core.forms_versioning import encode_seen, expected_from_seen
from reformtrack.core.page_cache import cached_page
from reformtrack.core.scoping import Action, granted_paths
from reformtrack.core.views.imports import ExcelImportView
from reformtrack.core.views.mixins import BusinessViewMixin
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.selectors import visible_organisation

from . import selectors, summary
from .charts import targets_of, trend_figure
from .engine import kpiset_for
from .forms import DeriveForm, StatementForm, StatementImportForm, TargetForm, statement_key
from .importers import StatementImporter, template_xlsx
from .plausibility import statement_warnings
from .services import derive_targets, record_statement, set_target
from .units import period_label, period_months, unit_label


class OrganisationMixin(BusinessViewMixin):
    """The organisation in the URL, within the user's scope for `scope_action` (else 404)."""

    model = Organisation
    scope_action = Action.VIEW

    def organisation(self, request, pk):
        found = visible_organisation(request.user, pk, self.scope_action)
        if found is None:
            raise Http404
        return found

    def year(self, request, organisation) -> int:
        raw = request.GET.get("year", "")
        if raw.isdigit() and 1990 <= int(raw) <= 2100:
            return int(raw)
        return selectors.latest_year(organisation) or timezone.now().year - 1


class HomeView(BusinessViewMixin, View):
    """Each visible organisation's latest full-year KPIs against their targets."""

    def get(self, request):
        sections = summary.home_sections(request.user)
        fmt = request.GET.get("export", "")
        if fmt in chart_exports.FORMATS:
            return home_export(fmt, sections)
        return render(request, "kpis/home.html", {"sections": sections})


def home_export(fmt: str, sections):
    """The KPI home tables as shown, one row per organisation and indicator; a value that is
    missing is an empty cell, never 0."""
    header = [_("KPI set"), _("Organisation"), _("Year"), _("Indicator name"), _("Value"),
              _("Unit of measure"), _("Target"), _("Target met")]  # fmt: skip
    rows = [
        [section.kpiset.name if section.kpiset else "", row.organisation.name, row.year,
         cell.value.name, cell.value.value, str(unit_label(cell.value.unit)), cell.target,
         cell.mark]
        for section in sections for row in section.rows for cell in row.cells
    ]  # fmt: skip
    return chart_exports.table_response(fmt, "kpis", _("KPIs"), header, rows)


@method_decorator(cached_page, name="dispatch")
class OverviewView(OrganisationMixin, View):
    def get(self, request, pk):
        org = self.organisation(request, pk)
        year = self.year(request, org)
        period = request.GET.get("period", "Y").upper()
        try:
            period_months(period)
        except ValueError:
            period = "Y"
        known: dict = {}  # full-year results the overview works out, reused by the trend
        result, rows = selectors.overview(org, year=year, period=period, known=known)
        shown = [year - 2, year - 1, year]
        trend = selectors.trend(org, years=shown, known=known)
        goals = targets_of(org, shown)
        figures = {
            f"fig-{r.code}": trend_figure(
                trend, r.code, f"{r.name} ({unit_label(r.unit)})", goals.get(r.code), shown
            )
            for r in rows
        }
        asked = chart_exports.requested(request, figures)
        if asked is not None:
            key, fmt = asked
            return chart_exports.figure_response(
                figures[key], fmt, name=f"{org.code}-{key[4:]}-{year}",
                title=figures[key]["layout"]["title"]["text"], first=str(_("Year")),
            )  # fmt: skip
        this_year = timezone.now().year
        full_year = known.get(year)  # its statement lines, read once for the DuPont split too
        context = {
            "org": org, "year": year, "period": period, "result": result, "rows": rows,
            "dupont": selectors.dupont(org, year=year, lines=full_year.read if full_year else None),
            "figures": figures,
            "years": [y for y in (year - 2, year - 1, year, year + 1) if y <= this_year],
            "period_label": period_label(period), "periods": selectors.periods_of(org, year),
            "aggregated_names": selectors.organisation_names(result.aggregated_from),
            "any_to_confirm": any(r.to_confirm for r in rows),
            "any_value": any(v is not None for s in trend["series"].values() for _y, v in s),
        }  # fmt: skip
        return render(request, "kpis/overview.html", context)


@method_decorator(cached_page, name="dispatch")
class PeersView(OrganisationMixin, View):
    def get(self, request, pk):
        org = self.organisation(request, pk)
        year = self.year(request, org)
        codes = [c.strip().upper() for c in request.GET.get("peers", "").split(",") if c.strip()]
        benchmarks = request.GET.get("set") == "benchmarks"  # the management benchmarks
        data = selectors.peers(
            request.user, org, year=year, codes=codes or None, benchmarks=benchmarks
        )
        fmt = request.GET.get("export", "")
        if fmt in chart_exports.FORMATS:  # the rows shown: out-of-scope peers stay unnamed
            return peers_export(fmt, org, year, data)
        context = {"org": org, "year": year, "peers": data, "codes": ",".join(codes)}
        return render(request, "kpis/peers.html", context)


def peers_export(fmt: str, org, year: int, data: dict):
    """The peer tables as shown, one row per organisation and indicator."""
    header = [_("Indicator name"), _("Unit of measure"), _("Rank"), _("Organisation"), _("Value"),
              _("vs peer average")]  # fmt: skip
    rows = [
        [t["name"], str(unit_label(t["unit"])), f"{r['rank']} / {t['count']}" if r["rank"] else "",
         r["organisation"].name, r["value"], r["multiple"]]
        for t in data["table"] for r in t["rows"]
    ]  # fmt: skip
    name = f"{org.code}-peers-{year}"
    return chart_exports.table_response(fmt, name, _("Peer comparison"), header, rows)


class StatementEntryView(OrganisationMixin, View):
    scope_action = Action.CHANGE

    def get(self, request, pk):
        org = self.organisation(request, pk)
        form = StatementForm(initial={"year": self.year(request, org), "unit": "亿元"})
        return self.page(request, org, form)

    def post(self, request, pk):
        org = self.organisation(request, pk)
        form = StatementForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                key = statement_key(data["year"], data["period"], data["basis"])
                statement = record_statement(
                    user=request.user, organisation=org, year=data["year"], period=data["period"],
                    basis=data["basis"], lines=form.lines(), unit=data["unit"],
                    source=data["source"] or str(_("Entered on the statement form")),
                    expected_version=expected_from_seen(data["seen"], key),
                )  # fmt: skip
            except ValidationError as exc:
                for field, problems in exc.message_dict.items():
                    name = f"line_{field}" if f"line_{field}" in form.fields else field
                    for message in problems:
                        form.add_error(name if name in form.fields else None, message)
            else:
                for warning in statement_warnings(statement, data["unit"]):
                    messages.warning(request, warning)
                return redirect(f"{org_url(org)}?year={data['year']}&period={data['period']}")
        return self.page(request, org, form)

    def page(self, request, org, form):
        shown = selectors.statements_for(request.user).filter(organisation=org)
        seen = {statement_key(s.year, s.period, s.basis): s.version for s in shown}
        show_seen(form, encode_seen(seen))
        statements = shown[:20]
        everything = request.GET.get("history") == "all"
        history, total = selectors.history_for(request.user, org, None if everything else 50)
        return render(
            request, "kpis/statement_form.html",
            {"org": org, "form": form, "statements": statements, "history": history,
             "history_total": total, "year": self.year(request, org)},
        )  # fmt: skip


def show_seen(form, seen: str) -> None:
    """The page shows the versions as they are now, also when it shows a refused form again."""
    if form.is_bound:
        form.data = form.data.copy()
        form.data["seen"] = seen
    else:
        form.initial["seen"] = seen


def org_url(org) -> str:
    from django.urls import reverse

    return reverse("kpis:overview", args=[org.pk])


class TargetsView(OrganisationMixin, View):
    def get(self, request, pk):
        org = self.organisation(request, pk)
        return self.page(request, org, self.year(request, org))

    def post(self, request, pk):
        self.scope_action = Action.CHANGE
        org = self.organisation(request, pk)
        year = self.year(request, org)
        kpiset = kpiset_for(year)
        indicators = list(kpiset.indicators.all()) if kpiset else []
        shapes = kpiset.shapes_for(year) if kpiset else []
        derive = DeriveForm(request.POST if "shape" in request.POST else None, shapes=shapes)
        form = TargetForm(
            request.POST if "shape" not in request.POST else None, indicators=indicators
        )
        try:
            if derive.is_valid():
                outcome = derive_targets(
                    user=request.user, organisation=org, year=year,
                    shape=derive.cleaned_data["shape"],
                )  # fmt: skip
                return self.page(request, org, year, outcome=outcome)
            if form.is_valid():
                data = dict(form.cleaned_data)
                seen = data.pop("seen")
                set_target(
                    user=request.user, organisation=org, year=year,
                    expected_version=expected_from_seen(seen, data["code"]), **data,
                )  # fmt: skip
                return redirect(f"{request.path}?year={year}")
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        return self.page(request, org, year, form=form, derive=derive)

    def page(self, request, org, year, form=None, derive=None, outcome=None):
        kpiset = kpiset_for(year)
        indicators = list(kpiset.indicators.all()) if kpiset else []
        shapes = kpiset.target_shapes if kpiset else []
        _result, rows = selectors.overview(org, year=year)
        names = {i.code: i.name for i in indicators}
        targets = selectors.targets_for(request.user).filter(organisation=org, year=year)
        form = form or TargetForm(indicators=indicators)
        show_seen(form, encode_seen({t.code: t.version for t in targets}))
        context = {
            "org": org, "year": year, "kpiset": kpiset, "rows": rows,
            "notes": selectors.target_notes(targets, names, shapes),
            "skipped": [
                (names.get(code, code), why)
                for code, why in (outcome or {}).get("skipped", {}).items()
            ],
            "form": form,
            "derive": derive or DeriveForm(shapes=kpiset.shapes_for(year) if kpiset else []),
            "outcome": outcome,
            "may_change": org.path.startswith(tuple(granted_paths(request.user, Action.CHANGE))),
        }  # fmt: skip
        return render(request, "kpis/targets.html", context)


class TemplateView(BusinessViewMixin, View):
    def get(self, request):
        asked = request.GET.get("lang") or get_language() or "zh"  # the reader's, by default
        language = "zh" if asked.startswith("zh") else "en"
        return bytes_response("statements-template.xlsx", template_xlsx(language))


class ImportView(ExcelImportView):
    template_name = "kpis/import.html"
    form_class = StatementImportForm
    importer_class = StatementImporter
