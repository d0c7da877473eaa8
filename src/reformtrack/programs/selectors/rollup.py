"""Roll-ups of a ledger over any subtree: by child organisation, by area, against targets.

A roll-up adds up a handful of stored tallies (`LedgerTally`: the subtree counts of the root and
of each child, kept current on every ledger write; `CoverageTally` for coverage rates, one row
per programme task): no scan of the tasks, no recursion, and no write (marking overdue tasks is
the daily job's work, never a reader's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from reformtrack.core.compiled_sql import instances as compiled_instances
from reformtrack.core.compiled_sql import values as compiled_values
from reformtrack.core.i18n import localized
from reformtrack.core.scoping import Action, granted_paths
from reformtrack.orgs.models import Organisation

from ..choices import Signal, TargetBasis, TargetMeasure
from ..counting import (  # noqa: F401  (re-exported: the roll-up's vocabulary)
    HUNDRED,
    TALLY_DECIMALS,
    TALLY_FIELDS,
    ZERO,
    Tally,
    _rate,
    aggregates,
    done_q,
    overdue_q,
    tally_of,
)
from ..models import (
    CoverageTally,
    LedgerTally,
    LedgerTask,
    Programme,
    TargetStep,
    TaskTemplate,
)


def counted_tasks(user, programme: Programme, root: Organisation, action: str = Action.VIEW):
    """The rows a roll-up counts: top-level tasks (measures roll into them) of the subtree."""
    qs = LedgerTask.objects.filter(programme=programme, parent__isnull=True)
    if user is not None:
        qs = qs.visible_to(user, action)
    return qs.filter(org_path__prefix=root.path)


def _visible_parts(user, root: Organisation) -> list[str] | None:
    """None when the user sees the whole subtree, else the granted subtrees inside it."""
    if user is None:
        return None
    paths = granted_paths(user, Action.VIEW)
    if any(root.path.startswith(p) for p in paths):
        return None
    return [p for p in paths if p.startswith(root.path)]


def _stored_rows(model, user, programme, root, children: bool, *columns) -> list[tuple]:
    """Stored counts to add up, as (org_path, subtree, *columns) tuples: the subtree rows of the
    root (or of its children and the root's own rows), or, for a user who sees only parts of
    it, of those parts.

    A read writes nothing: overdue counts are the tasks marked overdue by the daily "overdue"
    job (`reformtrack remind`, `tallies.mark_all_overdue`), as of `programme.overdue_marked_on`.
    """
    parts = _visible_parts(user, root)

    def build():
        stored = model.objects.filter(programme=programme)
        if parts is not None:
            found = stored.filter(subtree=True, org_path__in=parts)
        elif not children:
            found = stored.filter(subtree=True, depth=len(root.path) // Organisation.steplen)
            found = found.filter(org_path=root.path)
        else:
            below = stored.filter(
                subtree=True,
                depth=len(root.path) // Organisation.steplen + 1,
                org_path__prefix=root.path,
            )
            found = below.union(stored.filter(subtree=False, organisation=root), all=True)
        return found.values_list("org_path", "subtree", *columns)

    # The SQL is decided by these alone: compiled once per key, run fresh (core.compiled_sql).
    parts_key = None if parts is None else tuple(parts)
    key = ("stored-rows", model._meta.label, programme.pk, root.pk, root.path, children)
    return compiled_values((*key, parts_key, columns), build)


def _tally_rows(user, programme: Programme, root: Organisation, today, children: bool):
    """The stored `LedgerTally` rows to add up, as (org_path, subtree, area id, Tally)."""
    rows = _stored_rows(LedgerTally, user, programme, root, children, "area_id", *TALLY_FIELDS)
    return [(path, subtree, area, Tally(*figures)) for path, subtree, area, *figures in rows]


def _add_up(rows, key) -> dict:
    result: dict = {}
    for row in rows:
        result.setdefault(key(row), Tally()).add(row[3])
    return result


def subtree_tally(user, programme, root, today=None) -> Tally:
    rows = _tally_rows(user, programme, root, today, children=False)
    return _add_up(rows, lambda row: None).get(None, Tally())


def tally_by_child(user, programme, root, today=None, by_area: bool = False) -> dict:
    """{child path (or root path for its own tasks): Tally}, or keyed (path, area id)."""
    width = len(root.path) + Organisation.steplen

    def key(row):
        path, subtree, area_id, _tally = row
        branch = path[:width] if subtree else root.path
        return (branch, area_id) if by_area else branch

    return _add_up(_tally_rows(user, programme, root, today, children=True), key)


def fold(cells: dict, position: int | None) -> dict:
    """Sum a child × area breakdown by child (0), by area (1), or to one Tally (None)."""
    result: dict = {}
    for key, tally in cells.items():
        result.setdefault(None if position is None else key[position], Tally()).add(tally)
    return result if position is not None else result.get(None, Tally())


def tally_by_area(user, programme, root, today=None) -> dict:
    rows = _tally_rows(user, programme, root, today, children=False)
    return _add_up(rows, lambda row: row[2])


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
    """Coverage tasks: done / applicable organisations of the subtree, per programme task.

    Read from the stored `CoverageTally` rows of the root's subtree (one per programme task;
    the visible parts' rows for a user who sees only parts of it), the templates' codes and
    titles once after: no scan of the tasks."""
    counts: dict[int, list[int]] = {}
    for _path, _subtree, template_id, applicable, done in _stored_rows(
        CoverageTally, user, programme, root, False, "template_id", "applicable", "done"
    ):
        total = counts.setdefault(template_id, [0, 0])
        total[0] += applicable
        total[1] += done
    if not counts:
        return []
    ids = tuple(sorted(counts))  # the templates' SQL is decided by these: compiled once
    templates = compiled_values(
        ("coverage-templates", ids),
        lambda: TaskTemplate.objects.filter(pk__in=ids).values_list(
            "id", "code", "title_zh", "title_en"
        ),
    )
    found = [
        Coverage(
            template_id=pk,
            code=code,
            title=localized(title_zh, title_en),
            applicable=counts[pk][0],
            done=counts[pk][1],
        )
        for pk, code, title_zh, title_en in templates
        if counts[pk][0]
    ]
    return sorted(found, key=lambda c: c.code)


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
    if "targets" in getattr(programme, "_prefetched_objects_cache", {}):
        steps = programme.targets.all()
    else:  # its SQL is decided by the programme: compiled once, run fresh (core.compiled_sql)
        key = ("programme-targets", programme.pk)
        steps = compiled_instances(TargetStep, key, lambda: programme.targets.all())
    for step in steps:
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
