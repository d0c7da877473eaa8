"""The management benchmarks page: the lists a user may see, filtered by year, kind and area,
each benchmark organisation linked to its page when the user may open it. Thin."""

from __future__ import annotations

from django.shortcuts import render
from django.views.generic import View

from reformtrack.core.scoping import Action
from reformtrack.core.views.mixins import BusinessViewMixin

from ..benchmark_selectors import benchmark_rows
from ..benchmarks import BenchmarkKind, ManagementArea
from ..models import Organisation


class BenchmarkListView(BusinessViewMixin, View):
    def get(self, request):
        year = request.GET.get("year", "")
        kind = request.GET.get("kind", "")
        area = request.GET.get("area", "")
        rows = benchmark_rows(
            request.user,
            year=int(year) if year.isdigit() else None,
            kind=kind if kind in BenchmarkKind.values else "",
            area=area if area in ManagementArea.values else "",
        )
        ids = {b.organisation_id for b, _areas in rows if b.organisation_id}
        openable = set(
            Organisation.objects.visible_to(request.user, Action.VIEW)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        context = {
            "rows": rows, "openable": openable, "year": year, "kind": kind, "area": area,
            "kinds": BenchmarkKind.choices, "areas": ManagementArea.choices,
        }  # fmt: skip
        return render(request, "orgs/benchmark_list.html", context)
