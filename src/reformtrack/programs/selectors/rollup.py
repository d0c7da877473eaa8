"""Roll-ups of a ledger over any subtree: by child organisation, by area, against targets.

One aggregate query per view, grouped by a prefix of the copied tree path (`org_path`), read
from the covering index `ledger_rollup`: no per-organisation loop, no recursion.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from reformtrack.core.i18n import localized
from reformtrack.core.scoping import Action
from reformtrack.orgs.models import Organisation

from ..choices import Signal, TargetBasis, TargetMeasure, TaskKind, TaskStatus
from ..models import LedgerTask, Programme, TargetStep

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class Tally:
    """Counts of one subtree (or area); rates are percentages with one decimal."""

    tasks: int = 0
    done: int = 0
    main_tasks: int = 0
    main_done: int = 0
    weight: Decimal = ZERO
    weight_done: Decimal = ZERO
    progress_sum: Decimal = ZERO  # Σ weight × percent
    overdue: int = 0

    @property
    def rate(self):
        """任务完成率: share of tasks closed."""
        return _rate(self.done, self.tasks)

    @property
    def main_rate(self):
        return _rate(self.main_done, self.main_tasks)

    @property
    def weight_rate(self):
        return _rate(self.weight_done, self.weight)

    @property
    def progress(self):
        """Overall progress weighted by partial completion (不同于任务完成率)."""
        if not self.weight:
            return None
        return (self.progress_sum / self.weight).quantize(Decimal("0.1"))

    def rate_for(self, measure: str, basis: str):
        if basis == TargetBasis.WEIGHT:
            return self.weight_rate
        return self.main_rate if measure == TargetMeasure.MAIN else self.rate

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data.pop("progress_sum")
        data.update(
            rate=self.rate,
            main_rate=self.main_rate,
            weight_rate=self.weight_rate,
            progress=self.progress,
        )
        return data


TALLY_DECIMALS = {
    n for n, f in Tally.__dataclass_fields__.items() if isinstance(f.default, Decimal)
}


def done_q(as_of: dt.date | None = None) -> Q:
    """Done; as of a past day, done by then (by the completion date)."""
    done = Q(status=TaskStatus.DONE)
    if as_of is not None:
        done &= Q(completed_on__isnull=True) | Q(completed_on__lte=as_of)
    return done


def overdue_q(today: dt.date, as_of: dt.date | None = None) -> Q:
    """Reported overdue, or open past its deadline."""
    if as_of is None:
        open_ = ~Q(status__in=[TaskStatus.DONE, TaskStatus.PAUSED])
        return Q(status=TaskStatus.OVERDUE) | (open_ & Q(deadline__lt=today))
    return ~done_q(as_of) & ~Q(status=TaskStatus.PAUSED) & Q(deadline__lt=as_of)


def aggregates(today: dt.date, as_of: dt.date | None = None) -> dict:
    """The roll-up's aggregate expressions, named `t_<Tally field>` (no clash with columns).

    With `as_of` (closing a past period late) a task counts as done if it was completed by
    then; the partial progress of tasks finished later is not known and counts as none.
    """
    done = done_q(as_of)
    money = DecimalField(max_digits=20, decimal_places=4)
    return {
        "t_tasks": Count("id"),
        "t_done": Count("id", filter=done),
        "t_main_tasks": Count("id", filter=Q(is_main=True)),
        "t_main_done": Count("id", filter=done & Q(is_main=True)),
        "t_weight": Coalesce(Sum("weight"), Value(ZERO), output_field=money),
        "t_weight_done": Coalesce(Sum("weight", filter=done), Value(ZERO), output_field=money),
        "t_progress_sum": Coalesce(
            Sum(
                F("weight") * F("percent"),
                filter=None if as_of is None else done | ~Q(status=TaskStatus.DONE),
                output_field=money,
            ),
            Value(ZERO),
            output_field=money,
        ),
        "t_overdue": Count("id", filter=overdue_q(today, as_of)),
    }


def tally_of(row: dict) -> Tally:
    return Tally(
        **{
            name: Decimal(row[f"t_{name}"]) if name in TALLY_DECIMALS else row[f"t_{name}"]
            for name in Tally.__dataclass_fields__
        }
    )


def counted_tasks(user, programme: Programme, root: Organisation, action: str = Action.VIEW):
    """The rows a roll-up counts: top-level tasks (measures roll into them) of the subtree."""
    qs = LedgerTask.objects.filter(programme=programme, parent__isnull=True)
    if user is not None:
        qs = qs.visible_to(user, action)
    return qs.filter(org_path__prefix=root.path)


def subtree_tally(user, programme, root, today=None) -> Tally:
    today = today or timezone.localdate()
    return tally_of(counted_tasks(user, programme, root).aggregate(**aggregates(today)))


def tally_by_child(user, programme, root, today=None, by_area: bool = False) -> dict:
    """{child path (or root path for its own tasks): Tally}, or keyed (path, area id)."""
    today = today or timezone.localdate()
    width = len(root.path) + Organisation.steplen
    keys = ["branch", "area_id"] if by_area else ["branch"]
    rows = (
        counted_tasks(user, programme, root)
        .annotate(branch=Substr("org_path", 1, width))
        .values(*keys)
        .annotate(**aggregates(today))
        .order_by()
    )
    return {
        tuple(row[k] for k in keys) if by_area else row["branch"]: tally_of(row) for row in rows
    }


def fold(cells: dict, position: int | None) -> dict:
    """Sum a child × area breakdown by child (0), by area (1), or to one Tally (None)."""
    result: dict = {}
    for key, tally in cells.items():
        result.setdefault(None if position is None else key[position], Tally()).add(tally)
    return result if position is not None else result.get(None, Tally())


def tally_by_area(user, programme, root, today=None) -> dict:
    today = today or timezone.localdate()
    rows = (
        counted_tasks(user, programme, root)
        .values("area_id")
        .annotate(**aggregates(today))
        .order_by()
    )
    return {row["area_id"]: tally_of(row) for row in rows}


@dataclass
class Coverage:
    template_id: int
    code: str
    title: str
    applicable: int
    done: int

    @property
    def rate(self):
        return _rate(self.done, self.applicable)


def coverage_rates(user, programme, root) -> list[Coverage]:
    """Coverage tasks: done / applicable organisations of the subtree, per programme task."""
    rows = (
        counted_tasks(user, programme, root)
        .filter(kind=TaskKind.COVERAGE, template__isnull=False)
        .values("template_id", "template__code", "template__title_zh", "template__title_en")
        .annotate(applicable=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE)))
        .order_by("template__code")
    )
    return [
        Coverage(
            template_id=row["template_id"],
            code=row["template__code"],
            title=localized(row["template__title_zh"], row["template__title_en"]),
            applicable=row["applicable"],
            done=row["done"],
        )
        for row in rows
    ]


@dataclass
class Trajectory:
    measure: str
    basis: str
    steps: list[TargetStep] = field(default_factory=list)

    def expected(self, programme: Programme, day: dt.date) -> Decimal:
        """The target percent on `day`: linear from 0 at the start through each step."""
        points = [(programme.period_start, ZERO)] + [(s.due, s.percent) for s in self.steps]
        value = points[-1][1]
        if day <= points[0][0]:
            value = ZERO
        else:
            for (d0, p0), (d1, p1) in zip(points, points[1:], strict=False):
                if day <= d1:
                    span = (d1 - d0).days or 1
                    value = p0 + (p1 - p0) * Decimal((day - d0).days) / span
                    break
        return value.quantize(Decimal("0.1"))


def trajectories(programme: Programme) -> list[Trajectory]:
    result: dict[tuple, Trajectory] = {}
    for step in programme.targets.all():
        key = (step.measure, step.basis)
        result.setdefault(key, Trajectory(*key)).steps.append(step)
    return list(result.values())


def headline_trajectory(programme: Programme) -> Trajectory | None:
    """The target a dashboard signals against: main tasks first, then all tasks."""
    found = trajectories(programme)
    found.sort(key=lambda t: (t.measure != TargetMeasure.MAIN, t.basis != TargetBasis.COUNT))
    return found[0] if found else None


def signal(tally: Tally, programme: Programme, trajectory: Trajectory | None, today=None) -> str:
    """Green at or above the trajectory, amber within the margin below it, red further behind."""
    if trajectory is None:
        return Signal.NONE
    actual = tally.rate_for(trajectory.measure, trajectory.basis)
    if actual is None:
        return Signal.NONE
    expected = trajectory.expected(programme, today or timezone.localdate())
    if actual >= expected:
        return Signal.GREEN
    if actual >= expected - Decimal(settings.REFORMTRACK_AMBER_MARGIN):
        return Signal.AMBER
    return Signal.RED


def rollup_report(user, programme: Programme, root: Organisation, today=None) -> dict:
    """Everything a dashboard or the API shows of one subtree, as plain data."""
    today = today or timezone.localdate()
    trajectory = headline_trajectory(programme)
    cells = tally_by_child(user, programme, root, today, by_area=True)  # one scan of the rows
    total, by_child, by_area = fold(cells, None), fold(cells, 0), fold(cells, 1)
    names = {
        o.path: o for o in Organisation.objects.filter(path__in=list(by_child)).only("path", "code")
    }
    areas = {a.pk: a for a in programme.areas.all()}
    return {
        "programme": programme.code,
        "organisation": root.code,
        "today": today,
        "total": total.as_dict(),
        "signal": signal(total, programme, trajectory, today),
        "target": None
        if trajectory is None
        else {
            "measure": trajectory.measure,
            "basis": trajectory.basis,
            "expected_today": trajectory.expected(programme, today),
            "steps": [{"due": s.due, "percent": s.percent} for s in trajectory.steps],
        },
        "children": [
            {
                "organisation": names[path].code if path in names else path,
                "own": path == root.path,
                **tally.as_dict(),
                "signal": signal(tally, programme, trajectory, today),
            }
            for path, tally in sorted(by_child.items())
        ],
        "areas": [
            {"area": areas[area_id].code, **tally.as_dict()}
            for area_id, tally in sorted(by_area.items(), key=lambda item: areas[item[0]].position)
        ],
        "coverage": [
            {
                "task": c.code,
                "title": c.title,
                "applicable": c.applicable,
                "done": c.done,
                "rate": c.rate,
            }
            for c in coverage_rates(user, programme, root)
        ],  # fmt: skip
    }
