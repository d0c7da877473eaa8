"""Reads of management benchmarks through the scoping layer: the lists a user may see, and the
benchmark enterprises other apps use as a peer set (KPI comparison, assessments)."""

from __future__ import annotations

from reformtrack.core.scoping import Action

from .benchmarks import Benchmark, BenchmarkKind, ManagementArea
from .models import Organisation


def benchmarks_for(user, action: str = Action.VIEW):
    return Benchmark.objects.visible_to(user, action).select_related("organisation", "supervisor")


def benchmark_rows(user, *, year: int | None = None, kind: str = "", area: str = "") -> list:
    """(benchmark, area labels) for the list page, filtered by year, kind and area."""
    labels = dict(ManagementArea.choices)
    rows = benchmarks_for(user)
    if year:
        rows = rows.filter(year=year)
    if kind:
        rows = rows.filter(kind=kind)
    found = []
    for benchmark in rows:
        if area and area not in benchmark.areas:
            continue
        found.append((benchmark, [labels.get(a, a) for a in benchmark.areas]))
    return found


def benchmark_enterprises(user, *, exclude=None) -> list[Organisation]:
    """The organisations of the benchmark enterprises on the lists the user may see (published
    lists: the names are no secret; what others may read of them stays scoped). `exclude` drops
    one organisation (the one being compared)."""
    ids = (
        benchmarks_for(user)
        .filter(kind=BenchmarkKind.ENTERPRISE, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
    )
    orgs = Organisation.objects.filter(pk__in=ids, is_active=True).order_by("path")
    if exclude is not None:
        orgs = orgs.exclude(pk=exclude.pk)
    return list(orgs)


def benchmark_records(user) -> list[dict]:
    """Plain records (API-like) for commands and exports."""
    return [
        {
            "kind": b.kind, "name": b.name, "year": b.year, "named_on": b.named_on,
            "organisation": b.organisation.code if b.organisation_id else None,
            "supervisor": b.supervisor.code, "areas": list(b.areas), "source": b.source,
        }
        for b in benchmarks_for(user)
    ]  # fmt: skip
