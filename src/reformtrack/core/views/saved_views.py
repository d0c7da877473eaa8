"""Saving and deleting one's own table views (a POST each; opening a view is a plain link)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from ..models import SavedView
from ..tables_state import PAGE_SIZES, RESERVED

MAX_VIEWS = 50  # per user and table


def _back(request) -> str:
    target = request.POST.get("next", "")
    hosts = {request.get_host()}
    if target and url_has_allowed_host_and_scheme(target, hosts, request.is_secure()):
        return target
    return "/"


class SavedViewCreateView(LoginRequiredMixin, View):
    """Saves the table's current state under a name; the same name again replaces it."""

    def post(self, request):
        back = _back(request)
        key = request.POST.get("table", "")[:60]
        name = request.POST.get("name", "").strip()[:80]
        if not key or not name:
            messages.error(request, _("Give the view a name."))
            return HttpResponseRedirect(back)
        query = QueryDict(request.POST.get("query", ""))
        size = query.get("per_page", "")
        filters: dict[str, list[str]] = {
            field: [v for v in values if v][:20]
            for field, values in query.lists()
            if field not in RESERVED and any(values)
        }
        mine = SavedView.objects.filter(user=request.user, table=key)
        if not mine.filter(name=name).exists() and mine.count() >= MAX_VIEWS:
            messages.error(request, _("You have too many saved views of this table."))
            return HttpResponseRedirect(back)
        view, _created = SavedView.objects.update_or_create(
            user=request.user,
            table=key,
            name=name,
            defaults={
                "columns": [c[:60] for c in query.getlist("cols")][:60],
                "filters": filters,
                "sort": query.get("sort", "")[:200],
                "per_page": int(size) if size.isdigit() and int(size) in PAGE_SIZES else 50,
            },
        )
        messages.success(request, _("View %(name)s saved.") % {"name": view.name})
        return HttpResponseRedirect(f"{back.split('?')[0]}?{view.query()}")


class SavedViewDeleteView(LoginRequiredMixin, View):
    model = SavedView  # one's own only: another's is a 404

    def post(self, request, pk):
        view = SavedView.objects.filter(user=request.user, pk=pk).first()
        if view is None:
            raise Http404
        view.delete()
        messages.success(request, _("View %(name)s deleted.") % {"name": view.name})
        return HttpResponseRedirect(_back(request))
