"""What the supervisor's dashboard and the organisation page show of a subtree × programme.

Built on the roll-up selectors (`rollup.py`): a handful of aggregate queries per page, whatever
the size of the subtree. Every read goes through the scoping layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from reformtrack.core.compiled_sql import instance, instances
from reformtrack.core.compiled_sql import rows as compiled_rows
from reformtrack.core.scoping import Action, granted_paths
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.selectors import ancestors_of, top_organisations, visible_organisation

from ..choices import TaskStatus
from ..models import Area, LedgerTask, Programme, RollupSnapshot
from .joined_rows import joined_rows
from .ledger import snapshots_of
from .rollup import (
    Coverage,
    Tally,
    Trajectory,
    counted_tasks,
    coverage_rates,
    fold,
    headline_trajectory,
    signal,
    subtree_tally,
    tally_by_child,
)

OVERDUE_LIMIT = 20


def dashboard_root(user, org_pk=None) -> Organisation:
    """The organisation `?org=<pk>` names, else the user's top visible organisation.

    Raises Organisation.DoesNotExist (a 404 in views) for one the user may not see.
    """
    grants = _view_grants(user)
    if org_pk in (None, ""):
        key = ("dashboard-top", grants)
        root = instance(Organisation, key, lambda: top_organisations(user).order_by("path"))
    else:
        try:
            pk = int(org_pk)
        except (TypeError, ValueError):
            raise Organisation.DoesNotExist from None
        root = visible_organisation(user, pk)
    if root is None:
        raise Organisation.DoesNotExist
    return root


def _view_grants(user) -> tuple | None:
    """What decides the SQL of a read scoped to what `user` sees (None: the operator): part of
    the key under which that SQL is compiled once (core.compiled_sql)."""
    return None if user is None else tuple(granted_paths(user, Action.VIEW))


def programmes_in_scope(user, root: Organisation | None = None):
    """Programmes with ledger rows the user sees (within `root`'s subtree, when given)."""
    rows = LedgerTask.objects.visible_to(user, Action.VIEW).filter(
        programme=OuterRef("pk"), parent__isnull=True
    )
    if root is not None:
        rows = rows.filter(org_path__prefix=root.path)
    return (
        Programme.objects.visible_to(user, Action.VIEW)
        .filter(Exists(rows))
        .prefetch_related("targets")
    )


def programme_picker(user) -> list[Programme]:
    """The programmes a dashboard offers to switch to: names only (no targets), their SQL
    compiled once per set of grants."""
    key = ("programmes-in-scope", _view_grants(user))
    return instances(Programme, key, lambda: programmes_in_scope(user))


def tally_of_snapshot(snapshot) -> Tally:
    return Tally(
        tasks=snapshot.tasks,
        done=snapshot.done,
        main_tasks=snapshot.main_tasks,
        main_done=snapshot.main_done,
        weight=snapshot.weight,
        weight_done=snapshot.weight_done,
        progress_sum=snapshot.progress * snapshot.weight,
        overdue=snapshot.overdue,
    )


def headline_value(tally: Tally, trajectory: Trajectory | None) -> Decimal | None:
    """The figure a target speaks of (main tasks done, by default); 任务完成率 without one."""
    if trajectory is None:
        return tally.rate
    return tally.rate_for(trajectory.measure, trajectory.basis)


@dataclass
class Summary:
    """A subtree's headline: the figures, the target expected today and the signal."""

    programme: Programme
    root: Organisation
    total: Tally
    trajectory: Trajectory | None
    expected: Decimal | None
    signal: str
    today: dt.date
    url: str = ""  # the dashboard of this programme × subtree

    @property
    def headline(self) -> Decimal | None:
        return headline_value(self.total, self.trajectory)


def summarise(programme, root, total: Tally, today: dt.date) -> Summary:
    trajectory = headline_trajectory(programme)
    return Summary(
        programme=programme,
        root=root,
        total=total,
        trajectory=trajectory,
        expected=None if trajectory is None else trajectory.expected(programme, today),
        signal=signal(total, programme, trajectory, today),
        today=today,
    )


def subtree_summaries(user, root: Organisation, today: dt.date | None = None) -> list[Summary]:
    """One summary per programme with rows in `root`'s subtree (the organisation page)."""
    today = today or timezone.localdate()
    return [
        summarise(programme, root, subtree_tally(user, programme, root, today), today)
        for programme in programmes_in_scope(user, root)
    ]


@dataclass
class ChildRow:
    """One line of the children table: a child's subtree, or the root's own tasks."""

    organisation: Organisation
    own: bool
    tally: Tally
    signal: str
    headline: Decimal | None
    url: str = ""  # where a click on it leads (its dashboard, or its ledger for a leaf)
    ledger_url: str = ""

    @property
    def is_leaf(self) -> bool:
        """Nothing below it to click through to: its ledger is the next step."""
        return self.own or not self.organisation.numchild


@dataclass
class HeatMap:
    rows: list[ChildRow]
    areas: list[Area]
    cells: list[list[Tally | None]]  # rows × areas
    urls: list[list[str]] = field(default_factory=list)  # where a click on a cell leads


@dataclass
class TrendPoint:
    day: dt.date
    headline: Decimal | None
    rate: Decimal | None
    progress: Decimal | None
    current: bool = False


@dataclass
class Dashboard:
    summary: Summary
    children: list[ChildRow]
    heatmap: HeatMap
    coverage: list[Coverage]
    overdue: Sequence[LedgerTask]  # a list, or rows made into instances when looked at
    trend: list[TrendPoint]
    target_line: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    ancestors: list[Organisation] = field(default_factory=list)


def child_rows(
    user, programme, root, trajectory, today, by_child: dict[str, Tally]
) -> list[ChildRow]:
    """The root's own tasks first (if any), then each child with tasks, in tree order."""
    paths = tuple(sorted(by_child))
    found = instances(
        Organisation, ("organisations-by-path", paths),
        lambda: Organisation.objects.filter(path__in=list(paths)),
    )  # fmt: skip
    orgs = {o.path: o for o in found}
    rows = []
    for path in sorted(by_child, key=lambda p: (p != root.path, p)):
        organisation = root if path == root.path else orgs.get(path)
        if organisation is None:  # a path with no organisation: the tree is being moved
            continue
        tally = by_child[path]
        rows.append(
            ChildRow(
                organisation=organisation,
                own=path == root.path,
                tally=tally,
                signal=signal(tally, programme, trajectory, today),
                headline=headline_value(tally, trajectory),
            )
        )
    return rows


def area_heatmap(programme, rows: list[ChildRow], by_cell: dict) -> HeatMap:
    """Children × reform areas: the tally of each cell (None where the child has no task)."""
    used = {area_id for _path, area_id in by_cell}
    every = instances(Area, ("programme-areas", programme.pk), lambda: programme.areas.all())
    areas = [a for a in every if a.pk in used]
    cells = [[by_cell.get((row.organisation.path, area.pk)) for area in areas] for row in rows]
    return HeatMap(rows=rows, areas=areas, cells=cells)


def overdue_tasks(user, programme, root, today=None, limit: int = OVERDUE_LIMIT):
    """The subtree's overdue rows (reported overdue, or open past the deadline), oldest first.

    One short ordered read per status (the index `ledger_overdue`: programme, parent, status,
    deadline, code, path) gives each status's oldest `limit` rows, which hold the oldest
    `limit` of all; the database orders those few again (in its own collation) and reads them
    with their organisation and area. No sort of the subtree's rows. The rows are made into
    instances when first looked at (`joined_rows`): a dashboard whose tables are in the figure
    cache only digests them."""
    today = today or timezone.localdate()
    grants = None if user is None else tuple(granted_paths(user, Action.VIEW))
    # each head's SQL depends on these only: compiled once per key, run fresh (compiled_sql)
    key = ("overdue-heads", programme.pk, root.path, today, limit, grants)
    candidates = []
    for i in range(len(_late_statuses())):
        build = lambda i=i: _overdue_heads(user, programme, root, today, limit)[i]  # noqa: E731
        candidates += [pk for (pk,) in compiled_rows((*key, i), build)]
    if not candidates:
        return []
    # the candidates were read through the scoping layer above: their rows, by primary key,
    # with their organisation and area (SQL compiled once per set of candidates)
    key = ("overdue-rows", tuple(candidates), limit)

    def oldest():  # the queryset is built only when compiled
        return LedgerTask.objects.filter(pk__in=candidates).order_by("deadline", "code")[:limit]

    return joined_rows(LedgerTask, ("organisation", "area"), key, oldest)


def _late_statuses() -> list[str]:
    """The statuses whose rows are late once past their deadline (overdue itself first)."""
    late = [s for s in TaskStatus.values if s not in (TaskStatus.DONE, TaskStatus.PAUSED)]
    return [TaskStatus.OVERDUE] + [s for s in late if s != TaskStatus.OVERDUE]


def _overdue_heads(user, programme, root, today, limit: int) -> list:
    """Per late status, its oldest `limit` rows' keys (one short ordered index read each)."""
    rows = counted_tasks(user, programme, root)
    # every deadline is <= date.max: the bound lets SQLite's planner see the ordered index
    heads = [rows.filter(status=TaskStatus.OVERDUE, deadline__lte=dt.date.max)]
    heads += [rows.filter(status=s, deadline__lt=today) for s in _late_statuses()[1:]]
    return [head.order_by("deadline", "code").values_list("pk")[:limit] for head in heads]


def trend(user, programme, root, trajectory, total: Tally, today) -> list[TrendPoint]:
    """The closed periods' snapshots (plotted on the day they counted up to), then today."""
    points = []
    # the root's own path as well: the index (programme, org_path, period_end) then finds its
    # snapshots directly, not by filtering every snapshot of the subtree (PostgreSQL's choice)
    key = ("trend-snapshots", programme.pk, root.pk, root.path, _view_grants(user))
    build = lambda: snapshots_of(user, programme, root).filter(org_path=root.path)  # noqa: E731
    for snap in instances(RollupSnapshot, key, build):
        tally = tally_of_snapshot(snap)
        points.append(
            TrendPoint(
                day=min(snap.period_end, timezone.localdate(snap.taken_at)),
                headline=headline_value(tally, trajectory),
                rate=tally.rate,
                progress=snap.progress if snap.tasks else None,
            )
        )
    points.append(
        TrendPoint(
            day=today,
            headline=headline_value(total, trajectory),
            rate=total.rate,
            progress=total.progress,
            current=True,
        )
    )
    points.sort(key=lambda p: (p.day, p.current))
    return points


def target_line(programme, trajectory: Trajectory | None) -> list[tuple[dt.date, Decimal]]:
    """The trajectory's corners: 0 at the start, each step, flat to the programme's end."""
    if trajectory is None:
        return []
    points = [(programme.period_start, Decimal(0))]
    points += [(step.due, step.percent) for step in trajectory.steps]
    if programme.period_end > points[-1][0]:
        points.append((programme.period_end, points[-1][1]))
    return points


def dashboard(user, programme: Programme, root: Organisation, today=None) -> Dashboard:
    today = today or timezone.localdate()
    by_cell = tally_by_child(user, programme, root, today, by_area=True)  # one scan of the rows
    by_child, total = fold(by_cell, 0), fold(by_cell, None)
    summary = summarise(programme, root, total, today)
    rows = child_rows(user, programme, root, summary.trajectory, today, by_child)
    return Dashboard(
        summary=summary,
        children=rows,
        heatmap=area_heatmap(programme, rows, by_cell),
        coverage=coverage_rates(user, programme, root),
        overdue=overdue_tasks(user, programme, root, today),
        trend=trend(user, programme, root, summary.trajectory, total, today),
        target_line=target_line(programme, summary.trajectory),
        ancestors=instances(
            Organisation,
            ("ancestors", root.path, _view_grants(user)),
            lambda: ancestors_of(user, root),
        ),  # fmt: skip
    )
