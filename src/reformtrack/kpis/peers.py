"""Peer comparison (benchmarking). THE ONE PLACE where a statistic is computed over rows the
user may not see — see docs/kpis.md, "Peer comparison and scope".

A group's reform office may see only its own group, yet a benchmark is worthless against a peer
set of one. So for a group, the default peer set is every active group of its supervisor,
read without the scoping layer; the user gets the set's statistics (n, mean, median, quartiles)
and its own rank among n, but only the rows of organisations in its scope: the others are
summarised as "N other organisations", never named, never with a value. A peer set chosen by
codes, or the peers of anything other than a group, stay within the user's scope (otherwise
picking one outsider as the only peer would disclose its value through the mean).

With too few hidden values the statistics would give them away (with two peers, the median and
one's own value yield the other's): below REFORMTRACK_PEER_MIN_HIDDEN hidden values (default 4,
so at least five in all) the statistics, ranks and multiples are withheld.

The "management benchmarks" peer set is the organisation and the benchmark enterprises on the
lists the user may see (orgs' benchmarks): like the supervisor's groups, a population a
supervisor fixed, not one the user picks, so it is read unscoped under the same rules.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

from django.conf import settings

from reformtrack.core.scoping import Action
from reformtrack.orgs.benchmark_selectors import benchmark_enterprises
from reformtrack.orgs.models import Organisation

from .engine import compute_many, kpiset_for


def _supervisor_groups(organisation) -> list[Organisation]:
    """Unscoped on purpose: the benchmark population, read for statistics only."""
    return list(
        Organisation.objects.filter(
            parent_id=organisation.parent_id, kind="group", is_active=True
        ).order_by("path")
    )


def peer_population(user, organisation, codes: list[str] | None = None, benchmarks=False):
    """(population, ids the user may see). The population is the supervisor's groups for a
    group with the default peer set, the organisation and the benchmark enterprises with
    `benchmarks`; otherwise only organisations in the user's scope: the chosen codes, a
    supervisor's groups, or the organisation's siblings of the same kind."""
    visible = Organisation.objects.visible_to(user, Action.VIEW)
    if benchmarks:
        members = [organisation, *benchmark_enterprises(user, exclude=organisation)]
    elif codes:
        members = list(visible.filter(code__in=codes).order_by("path"))
    elif organisation.kind == "group" and organisation.parent_id is not None:
        members = _supervisor_groups(organisation)
    elif organisation.parent_id is None:
        members = list(visible.filter(parent=organisation).order_by("path"))
    else:
        members = list(
            visible.filter(parent_id=organisation.parent_id, kind=organisation.kind).order_by(
                "path"
            )
        )
    seen = set(visible.filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True))
    return members, seen


def _quartiles(values: list[Decimal]) -> tuple:
    if len(values) < 2:
        only = values[0] if values else None
        return only, only, only
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def _q(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def peers(
    user, organisation, *, year: int, codes: list[str] | None = None, benchmarks: bool = False
) -> dict:
    """Per indicator: statistics over the whole peer population (n, average, median, quartiles)
    and, for the organisations the user may see only, value, rank among n (best first by the
    indicator's direction) and multiple of the average; `hidden` counts the other values."""
    members, seen = peer_population(user, organisation, codes, benchmarks)
    kpiset = kpiset_for(year)  # once, with its indicators, for every peer
    results = compute_many(members, year=year, kpiset=kpiset)
    indicators = []
    for result in results.values():
        if result.values:
            indicators = [(v.code, v.name, v.unit, v.direction) for v in result.values]
            break
    table = []
    for code, name, unit, direction in indicators:
        entries = [(org, r.by_code().get(code)) for org, r in results.items()]
        known = [(org, v.value) for org, v in entries if v is not None and v.value is not None]
        ordered = sorted(known, key=lambda item: item[1], reverse=direction != "lower")
        values = [value for _org, value in known]
        hidden = sum(1 for org, _value in known if org.pk not in seen)
        withheld = 0 < hidden < settings.REFORMTRACK_PEER_MIN_HIDDEN
        average = sum(values, Decimal(0)) / len(values) if values and not withheld else None
        q1, median, q3 = _quartiles([] if withheld else values)
        first_at: dict[Decimal, int] = {}  # rank = 1 + how many are strictly better
        for index, (_org, value) in enumerate(ordered):
            first_at.setdefault(value, index + 1)
        rows = []
        for org, value in ordered:
            if org.pk not in seen:
                continue  # counted in the statistics, never shown
            multiple = (value / average).quantize(Decimal("0.01")) if average else None
            rank = first_at[value]
            rows.append(
                {"organisation": org, "value": value, "rank": None if withheld else rank,
                 "multiple": multiple}
            )  # fmt: skip
        table.append(
            {"code": code, "name": name, "unit": unit, "direction": direction, "rows": rows,
             "average": _q(average), "median": _q(median), "q1": _q(q1), "q3": _q(q3),
             "count": len(values), "hidden": hidden, "withheld": withheld,
             "min_hidden": settings.REFORMTRACK_PEER_MIN_HIDDEN}
        )  # fmt: skip
    shown = [m for m in members if m.pk in seen]
    return {
        "members": shown, "hidden": len(members) - len(shown), "table": table,
        "benchmarks": benchmarks,
    }  # fmt: skip


def rank_of(user, organisation, *, year: int, code: str) -> int | None:
    """The organisation's rank among its peers for KPI `code`, or None."""
    for entry in peers(user, organisation, year=year)["table"]:
        if entry["code"] == code:
            for row in entry["rows"]:
                if row["organisation"] == organisation:
                    return row["rank"]
    return None
