"""Keeping `LedgerTally` current: every ledger write recounts the organisations it touched.

Single saves recount through the LedgerTask signals (receivers.py); bulk writes (launch,
import, demo) call `touched` inside `deferred()` and recount once at the end. Overdue marking
and whole rebuilds are batch work: jobs (`mark_all_overdue`, `rebuild_job`), never a request.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.models.audit import AuditAction
from reformtrack.core.services import audit
from reformtrack.orgs.models import Organisation

from ..choices import TaskStatus
from ..counting import TALLY_FIELDS, Tally, aggregates, tally_of
from ..models import LedgerTally, LedgerTask, Programme

CHUNK = 500
WHOLE = 5000  # organisations touched at once above which the whole programme is recounted
_pending: ContextVar[set | None] = ContextVar("ledger_tally_pending", default=None)


@transaction.atomic
def refresh(pairs: Iterable[tuple[int, int]]) -> None:
    """Recount the tallies of (programme id, organisation id) pairs from their tasks."""
    by_programme: dict[int, set[int]] = defaultdict(set)
    for programme_id, organisation_id in pairs:
        by_programme[programme_id].add(organisation_id)
    for programme_id, org_ids in by_programme.items():
        if len(org_ids) > WHOLE:  # cheaper to recount the whole programme in one pass
            _rebuild(programme_id)
            continue
        ordered = sorted(org_ids)
        for start in range(0, len(ordered), CHUNK):
            _recount(programme_id, ordered[start : start + CHUNK])


def rebuild(programme: Programme) -> int:
    """Recount every tally of a programme (after raw loads or a tree move); rows written."""
    with transaction.atomic():
        return _rebuild(programme.pk)


def _own_rows(programme_id: int, org_ids: list[int] | None) -> dict[tuple, LedgerTally]:
    """Fresh own-task tallies, keyed (organisation id, area id), from the task rows.

    The organisations' paths are named too, so the covering index `ledger_rollup` (programme,
    parent, org_path, …) finds their rows directly instead of scanning the programme's."""
    which = Q()
    if org_ids is not None:
        paths = Organisation.objects.filter(pk__in=org_ids).values_list("path", flat=True)
        which = Q(org_path__in=list(paths), organisation_id__in=org_ids)
    rows = (
        LedgerTask.objects.filter(which, programme_id=programme_id, parent__isnull=True)
        .values("organisation_id", "org_path", "area_id")
        .annotate(**aggregates(None))
        .order_by()
    )
    step = Organisation.steplen
    return {
        (row["organisation_id"], row["area_id"]): LedgerTally(
            programme_id=programme_id,
            organisation_id=row["organisation_id"],
            org_path=row["org_path"],
            depth=len(row["org_path"]) // step,
            area_id=row["area_id"],
            **_fields(tally_of(row)),
        )
        for row in rows.iterator(chunk_size=5000)
    }


def _fields(tally: Tally) -> dict:
    return {name: getattr(tally, name) for name in TALLY_FIELDS}


def _rebuild(programme_id: int) -> int:
    """Set-based, in the database: own rows are one INSERT … SELECT grouping the tasks; the
    subtree rows of each depth one INSERT … SELECT summing the own rows below, joined to the
    organisation whose path is their prefix. No row passes through Python."""
    LedgerTally.objects.filter(programme_id=programme_id).delete()
    tally, org = LedgerTally._meta, Organisation._meta
    step = Organisation.steplen
    columns = ["programme_id", "organisation_id", "org_path", "depth", "area_id", "subtree"]
    columns += TALLY_FIELDS
    column_sql = ", ".join(_quote(tally.get_field(c).column) for c in columns)
    grouped = (
        LedgerTask.objects.filter(programme_id=programme_id, parent__isnull=True)
        .values("organisation_id", "org_path", "area_id")
        .annotate(**aggregates(None))
        .order_by()
    )
    select, params = grouped.query.sql_with_params()
    sums = ", ".join(_quote(f"t_{name}") for name in TALLY_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_quote(tally.db_table)} ({column_sql}) "
            f"SELECT %s, own.{_quote('organisation_id')}, own.{_quote('org_path')}, "
            f"LENGTH(own.{_quote('org_path')}) / %s, own.{_quote('area_id')}, %s, {sums} "
            f"FROM ({select}) own",
            [programme_id, step, False, *params],
        )
        written = cursor.rowcount
        deepest = (
            LedgerTally.objects.filter(programme_id=programme_id).aggregate(Max("depth"))[
                "depth__max"
            ]
            or 0
        )
        path, area = _quote(tally.get_field("org_path").column), _quote("area_id")
        totals = ", ".join(f"SUM(own.{_quote(tally.get_field(n).column)})" for n in TALLY_FIELDS)
        for depth in range(1, deepest + 1):
            cursor.execute(
                f"INSERT INTO {_quote(tally.db_table)} ({column_sql}) "
                f"SELECT %s, o.{_quote(org.pk.column)}, o.{_quote('path')}, %s, own.{area}, %s, "
                f"{totals} FROM {_quote(tally.db_table)} own "
                f"JOIN {_quote(org.db_table)} o ON o.{_quote('path')} = SUBSTR(own.{path}, 1, %s) "
                f"WHERE own.{_quote('programme_id')} = %s AND own.{_quote('subtree')} = %s "
                f"AND LENGTH(own.{path}) >= %s "
                f"GROUP BY o.{_quote(org.pk.column)}, o.{_quote('path')}, own.{area}",
                [programme_id, depth, True, depth * step, programme_id, False, depth * step],
            )
            written += cursor.rowcount
    return written


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _prefixes(path: str) -> list[str]:
    step = Organisation.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def _subtree_rows(programme_id: int, sums: dict[tuple[str, int], Tally]) -> list[LedgerTally]:
    ids = dict(
        Organisation.objects.filter(path__in={path for path, _area in sums}).values_list(
            "path", "id"
        )
    )
    step = Organisation.steplen
    return [
        LedgerTally(
            programme_id=programme_id,
            organisation_id=ids[path],
            org_path=path,
            depth=len(path) // step,
            area_id=area_id,
            subtree=True,
            **_fields(tally),
        )
        for (path, area_id), tally in sums.items()
        if path in ids
    ]


def _recount(programme_id: int, org_ids: list[int]) -> None:
    """Replace these organisations' own rows; add the difference to every subtree above."""
    stale = LedgerTally.objects.filter(
        programme_id=programme_id, subtree=False, organisation_id__in=org_ids
    )
    old = {(row.organisation_id, row.area_id): row for row in stale}
    stale.delete()
    new = _own_rows(programme_id, org_ids)
    LedgerTally.objects.bulk_create(new.values(), batch_size=2000)
    delta: dict[tuple[str, int], Tally] = defaultdict(Tally)
    for key in old.keys() | new.keys():
        before, after = old.get(key), new.get(key)
        change = Tally.of(after) if after else Tally()
        if before:
            change.add(Tally.of(before).negated())
        path = (after or before).org_path
        for prefix in _prefixes(path):
            delta[(prefix, key[1])].add(change)
    _apply(programme_id, {k: v for k, v in delta.items() if v != Tally()})


SET_BASED = 4  # distinct changes (area × figures) added by UPDATE statements, not row by row


def _apply(programme_id: int, delta: dict[tuple[str, int], Tally]) -> None:
    """Add the deltas to the subtree rows; create the missing ones; drop emptied ones.

    One organisation's recount (a task saved) adds the same change to every ancestor: that
    is one UPDATE … SET tasks = tasks + n … per area changed, over all ancestors at once,
    whatever the depth. Many organisations at once (imports, moves) read the rows, locked in
    path order, and write them back in bulk."""
    if not delta:
        return
    groups: dict[tuple, list[str]] = defaultdict(list)
    for (path, area_id), change in delta.items():
        groups[(area_id, *(getattr(change, n) for n in TALLY_FIELDS))].append(path)
    if len(groups) <= SET_BASED:
        _apply_set_based(programme_id, groups)
        return
    paths = sorted({path for path, _area in delta})
    above = _above(programme_id, paths)
    rows = list(
        LedgerTally.objects.select_for_update().filter(above).order_by("org_path", "area_id")
    )
    changed = []
    for row in rows:
        change = delta.pop((row.org_path, row.area_id), None)
        if change is not None:
            total = Tally.of(row)
            total.add(change)
            for name in TALLY_FIELDS:
                setattr(row, name, getattr(total, name))
            changed.append(row)
    LedgerTally.objects.bulk_update(changed, TALLY_FIELDS, batch_size=500)
    LedgerTally.objects.bulk_create(_subtree_rows(programme_id, delta), batch_size=2000)
    # a subtree that no longer has tasks drops out of the roll-ups
    LedgerTally.objects.filter(above, tasks=0).delete()


def _above(programme_id: int, paths) -> Q:
    """The subtree rows of these paths, by the index (programme, subtree, depth, org_path)."""
    depths = sorted({len(path) // Organisation.steplen for path in paths})
    return Q(programme_id=programme_id, subtree=True, depth__in=depths, org_path__in=paths)


def _apply_set_based(programme_id: int, groups: dict[tuple, list[str]]) -> None:
    emptied = False
    for (area_id, *figures), paths in groups.items():
        change = dict(zip(TALLY_FIELDS, figures, strict=True))
        rows = LedgerTally.objects.filter(_above(programme_id, paths), area_id=area_id)
        updated = rows.update(**{name: F(name) + value for name, value in change.items()})
        if updated < len(paths):  # a subtree's first task in this area: its row is new
            have = set(rows.values_list("org_path", flat=True))
            missing = {(p, area_id): Tally(**change) for p in paths if p not in have}
            LedgerTally.objects.bulk_create(_subtree_rows(programme_id, missing))
        emptied = emptied or change["tasks"] < 0
    if emptied:  # a subtree that no longer has tasks drops out of the roll-ups
        every = [path for paths in groups.values() for path in paths]
        LedgerTally.objects.filter(_above(programme_id, every), tasks=0).delete()


@transaction.atomic
def subtree_moved(old_path: str, new_path: str) -> None:
    """A subtree moved: its rows take the new paths and depths, and its totals leave the
    ancestors of the old place for those of the new one."""
    step = Organisation.steplen
    tops = LedgerTally.objects.filter(subtree=True, org_path=old_path)
    delta: dict[int, dict[tuple[str, int], Tally]] = defaultdict(dict)
    for row in tops:
        for prefix in _prefixes(old_path)[:-1]:
            delta[row.programme_id][(prefix, row.area_id)] = Tally.of(row).negated()
        for prefix in _prefixes(new_path)[:-1]:
            change = delta[row.programme_id].setdefault((prefix, row.area_id), Tally())
            change.add(Tally.of(row))
    LedgerTally.objects.filter(org_path__prefix=old_path).update(
        org_path=Concat(Value(new_path), Substr("org_path", len(old_path) + 1)),
        depth=F("depth") + (len(new_path) - len(old_path)) // step,
    )
    for programme_id, changes in delta.items():
        _apply(programme_id, {k: v for k, v in changes.items() if v != Tally()})


def touched(programme_id: int, organisation_id: int) -> None:
    """Note a ledger write: recount now, or at the end of the enclosing `deferred()`."""
    pending = _pending.get()
    if pending is None:
        refresh([(programme_id, organisation_id)])
    else:
        pending.add((programme_id, organisation_id))


@contextmanager
def deferred():
    """Collect the organisations written inside, recount each once when the block succeeds."""
    if _pending.get() is not None:  # nested: the outer block recounts
        yield
        return
    token = _pending.set(set())
    try:
        yield
        pairs = _pending.get()
    finally:
        _pending.reset(token)
    refresh(pairs)


def _versioned(model) -> bool:
    """Does the model carry an edit version (bumped by every set-based write to its rows)?"""
    return any(f.name == "version" for f in model._meta.concrete_fields)


def mark_overdue(programme: Programme, today: dt.date | None = None) -> int:
    """Open tasks past their deadline become overdue (逾期), as ledgers mark them: one UPDATE
    of the tasks (bumping their version, so a form opened before is refused as stale) and the
    tallies' overdue counts raised by what was marked, in one transaction. Batch work: run by
    `reformtrack remind` and the "overdue" job, never by a page."""
    today = today or timezone.localdate()
    late = LedgerTask.objects.filter(
        programme=programme,
        status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS],
        deadline__lt=today,
    )
    values: dict = {"status": TaskStatus.OVERDUE}
    if _versioned(LedgerTask):
        values["version"] = F("version") + 1
    with transaction.atomic():
        counted = list(
            late.filter(parent__isnull=True)
            .values("organisation_id", "org_path", "area_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        count = late.update(**values)
        Programme.objects.filter(pk=programme.pk).update(overdue_marked_on=today)
        programme.overdue_marked_on = today
        _add_overdue(programme.pk, counted)
        if count:
            audit.record(
                action=AuditAction.UPDATE,
                instance=programme,
                changes={"overdue_marked": {"before": None, "after": count}},
            )
    return count


def _add_overdue(programme_id: int, counted: list[dict]) -> None:
    """Raise the overdue count of the own rows and of every subtree row above them by the
    tasks just marked (nothing else of a tally changes when an open task turns overdue)."""
    if not counted:
        return
    own = {(row["organisation_id"], row["area_id"]): row["n"] for row in counted}
    org_ids = sorted({org_id for org_id, _area in own})
    for start in range(0, len(org_ids), CHUNK):
        rows = list(
            LedgerTally.objects.select_for_update().filter(
                programme_id=programme_id,
                subtree=False,
                organisation_id__in=org_ids[start : start + CHUNK],
            )
        )
        for row in rows:
            row.overdue += own.get((row.organisation_id, row.area_id), 0)
        LedgerTally.objects.bulk_update(rows, ["overdue"], batch_size=500)
    delta: dict[tuple[str, int], Tally] = defaultdict(Tally)
    for row in counted:
        for prefix in _prefixes(row["org_path"]):
            delta[(prefix, row["area_id"])].overdue += row["n"]
    _apply(programme_id, dict(delta))


def mark_all_overdue(*, progress=None, user=None, today: str | None = None) -> dict:
    """The "overdue" job: mark every programme's late tasks (as the system, or the user who
    started it). `today` is an ISO date (default: today)."""
    from reformtrack.core.jobs.progress import NullProgress

    progress = progress or NullProgress()
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    programmes = list(Programme.objects.order_by("code"))
    progress.total = len(programmes)
    marked = 0
    for programme in programmes:
        progress.at(programme.code)
        marked += mark_overdue(programme, day)
        progress.advance(1, programme.code)
    return {
        "programmes": len(programmes),
        "marked": marked,
        "summary": _("%(n)s tasks marked overdue in %(p)s programmes")
        % {"n": marked, "p": len(programmes)},
    }


def rebuild_job(*, progress, user=None, programme: int) -> dict:
    """The "tally rebuild" job: recount one programme's tallies from its tasks (after raw
    loads, a tree move or a repair); set-based: one aggregate, bulk writes."""
    target = Programme.objects.get(pk=programme)
    progress.total = 1
    progress.at(target.code)
    rows = rebuild(target)
    progress.advance(1, target.code)
    return {"rows": rows, "summary": _("%(n)s tally rows rebuilt") % {"n": rows}}
