"""The KPI home's summary: per organisation the user may see that has full-year statements
(groups first), the KPIs of its latest full year by that year's KPI set, each checked against
its target, and how many targets are met. Built in a fixed number of queries (statements with
their lines, targets, KPI sets) however many organisations, so ~100 groups stay fast."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When

from reformtrack.core.scoping import Action
from reformtrack.orgs.models import Organisation

from . import derived
from .checks import Outcome, check, describe
from .choices import Basis, Check
from .engine import KpiValue, evaluate_set
from .models import KpiSet, KpiTarget, Statement


@dataclass
class Cell:
    value: KpiValue
    target: str
    outcome: Outcome

    @property
    def mark(self) -> str:
        """✓ met, ✗ not met, blank without a target or a value."""
        return {Check.MET: "✓", Check.NOT_MET: "✗"}.get(self.outcome.status, "")


@dataclass
class OrgSummary:
    organisation: Organisation
    year: int
    kpiset: KpiSet | None
    basis: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def targets(self) -> int:
        return sum(1 for c in self.cells if c.outcome.status in (Check.MET, Check.NOT_MET))

    @property
    def met(self) -> int:
        return sum(1 for c in self.cells if c.outcome.status == Check.MET)


def _sets() -> list[KpiSet]:
    return list(KpiSet.objects.order_by("-year_from").prefetch_related("indicators"))


def _set_for(sets: list[KpiSet], year: int) -> KpiSet | None:
    for kpiset in sets:
        if kpiset.year_from <= year and (kpiset.year_to is None or year <= kpiset.year_to):
            return kpiset
    return None


def home_summary(user, *, limit: int = 200) -> list[OrgSummary]:
    """One row per visible organisation with a full-year statement, groups first then by path.
    The organisation's own statement is used (consolidated, else single entity)."""
    group_first = Case(
        When(kind="group", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    with_statements = Statement.objects.visible_to(user, Action.VIEW).filter(period="Y")
    organisations = list(
        Organisation.objects.visible_to(user, Action.VIEW)
        .filter(pk__in=with_statements.values("organisation"))
        .annotate(group_first=group_first)
        .order_by("group_first", "path")[:limit]
    )
    if not organisations:
        return []
    latest: dict[int, Statement] = {}
    statements = (
        with_statements.filter(organisation__in=organisations)
        .order_by("organisation_id", "-year")
        .prefetch_related("values")
    )
    for statement in statements:  # newest year first; consolidated wins over single
        kept = latest.get(statement.organisation_id)
        if kept is None or (kept.year == statement.year and statement.basis == Basis.CONSOLIDATED):
            latest[statement.organisation_id] = statement
    targets = {
        (t.organisation_id, t.year, t.code): t
        for t in KpiTarget.objects.visible_to(user, Action.VIEW).filter(
            organisation__in=organisations
        )
    }
    sets = _sets()
    closings = derived.previous_closing_equities(
        (s.organisation_id, s.year, s.basis) for s in latest.values()
    )
    rows = []
    for org in organisations:
        statement = latest[org.pk]
        kpiset = _set_for(sets, statement.year)
        row = OrgSummary(org, statement.year, kpiset, statement.basis)
        closing = closings.get((org.pk, statement.year, statement.basis))
        lines, _notes = derived.complete(org, statement.year, statement.basis,
                                         statement.lines(), closing)  # fmt: skip
        for value in evaluate_set(kpiset, lines) if kpiset else []:
            target = targets.get((org.pk, statement.year, value.code))
            outcome = check(value.value, target, direction=value.direction)
            row.cells.append(Cell(value, describe(target), outcome))
        rows.append(row)
    return rows


@dataclass
class Section:
    """Organisations judged by the same KPI set, so that they share the table's columns."""

    kpiset: KpiSet | None
    rows: list[OrgSummary]

    @property
    def indicators(self) -> list:
        return list(self.kpiset.indicators.all()) if self.kpiset else []


def home_sections(user, *, limit: int = 200) -> list[Section]:
    """`home_summary` split by KPI set (newest set first), row order kept within each."""
    sections: dict[int | None, Section] = {}
    for row in home_summary(user, limit=limit):
        key = row.kpiset.pk if row.kpiset else None
        sections.setdefault(key, Section(row.kpiset, [])).rows.append(row)
    return sorted(sections.values(), key=lambda s: -(s.kpiset.year_from if s.kpiset else 0))
