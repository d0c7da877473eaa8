"""Keeping the stored counts current: every ledger write recounts the organisations it touched.

Two tables are kept, in the same way: `LedgerTally` (the roll-up's figures per organisation and
area) and `CoverageTally` (applicable and done coverage rows per organisation and programme
task). Each holds an organisation's own counts and its whole subtree's. Single saves recount
through the LedgerTask signals (receivers.py), except a task edited in place by `update_task`,
which adds just its own difference (`task_changed`); bulk writes (launch, import, demo) call
`touched` inside `deferred()` and recount once at the end. A recount adds its difference to every
ancestor in a constant number of set-based statements, whatever the depth. Overdue marking and
whole rebuilds are batch work: jobs (`mark_all_overdue`, `rebuild_job`), never a request.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.models.audit import AuditAction
from reformtrack.core.services import audit
from reformtrack.orgs.models import Organisation

from ..choices import TaskKind, TaskStatus
from ..counting import TALLY_FIELDS, aggregates, tally_of
from ..models import CoverageTally, LedgerTally, LedgerTask, Programme

CHUNK = 500
WHOLE = 5000  # organisations touched at once above which the whole programme is recounted
SET_BASED = 4  # distinct changes (key × figures) added by UPDATE statements, not row by row
_pending: ContextVar[set | None] = ContextVar("ledger_tally_pending", default=None)


@dataclass(frozen=True)
class Kept:
    """A table of stored counts: its model, what a row counts by besides the organisation
    (`key`: the area, the programme task) and its figures, the first of which is the row's
    size (a row whose size falls to 0 is dropped)."""

    model: type
    key: str
    fields: tuple[str, ...]
    places: tuple[int | None, ...]  # decimal places of each figure (None: an integer)

    def zero(self) -> tuple:
        return tuple(Decimal(0) if p is not None else 0 for p in self.places)

    def clean(self, values) -> tuple:
        return tuple(
            v if p is None else Decimal(v).quantize(Decimal(1).scaleb(-p))
            for v, p in zip(values, self.places, strict=True)
        )

    def row(self, programme_id, organisation_id, path, key, subtree, figures):
        return self.model(
            programme_id=programme_id,
            organisation_id=organisation_id,
            org_path=path,
            depth=len(path) // Organisation.steplen,
            subtree=subtree,
            **{self.key: key},
            **dict(zip(self.fields, figures, strict=True)),
        )


def _places(model, fields) -> tuple:
    return tuple(getattr(model._meta.get_field(name), "decimal_places", None) for name in fields)


LEDGER = Kept(LedgerTally, "area_id", tuple(TALLY_FIELDS), _places(LedgerTally, TALLY_FIELDS))
COVERAGE = Kept(CoverageTally, "template_id", ("applicable", "done"), (None, None))
KEPT = (LEDGER, COVERAGE)


def _plus(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _minus(a: tuple, b: tuple) -> tuple:
    return tuple(x - y for x, y in zip(a, b, strict=True))


@transaction.atomic(savepoint=False)
def refresh(pairs: Iterable[tuple[int, int]]) -> None:
    """Recount the tallies of (programme id, organisation id) pairs from their tasks. Inside
    the write that asked for it (a task saved), no savepoint of its own: a recount that fails
    fails that write, and two statements fewer per save."""
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


def _own_counts(programme_id: int, org_ids: list[int]) -> dict[Kept, dict]:
    """Fresh own counts of these organisations, per table: {(organisation id, key): (path,
    figures)}, from one grouped read of their top-level tasks.

    The organisations' paths are named too, so the covering index `ledger_rollup` (programme,
    parent, org_path, …) finds their rows directly instead of scanning the programme's."""
    paths = Organisation.objects.filter(pk__in=org_ids).values_list("path", flat=True)
    rows = (
        LedgerTask.objects.filter(
            programme_id=programme_id,
            parent__isnull=True,
            org_path__in=list(paths),
            organisation_id__in=org_ids,
        )
        .values("organisation_id", "org_path", "area_id", "template_id", "kind")
        .annotate(**aggregates(None))
        .order_by()
    )
    found: dict[Kept, dict] = {LEDGER: {}, COVERAGE: {}}
    for row in rows:  # a few rows per organisation (at most CHUNK organisations at once)
        org = row["organisation_id"]
        tally = tally_of(row)
        figures = tuple(getattr(tally, name) for name in TALLY_FIELDS)
        key = (org, row["area_id"])
        path, before = found[LEDGER].get(key, (row["org_path"], LEDGER.zero()))
        found[LEDGER][key] = (path, _plus(before, figures))
        if row["kind"] == TaskKind.COVERAGE and row["template_id"] is not None:
            key = (org, row["template_id"])
            path, before = found[COVERAGE].get(key, (row["org_path"], COVERAGE.zero()))
            found[COVERAGE][key] = (path, _plus(before, (tally.tasks, tally.done)))
    return {
        kept: {k: (p, kept.clean(f)) for k, (p, f) in rows.items()} for kept, rows in found.items()
    }


def _recount(programme_id: int, org_ids: list[int]) -> None:
    """Bring these organisations' own rows up to date (writing only what changed) and add the
    differences to every subtree above, in each table."""
    fresh = _own_counts(programme_id, org_ids)
    for kept in KEPT:
        _recount_table(kept, programme_id, org_ids, fresh[kept])


def _recount_table(kept: Kept, programme_id: int, org_ids: list[int], new: dict) -> None:
    stored = kept.model.objects.filter(
        programme_id=programme_id, subtree=False, organisation_id__in=org_ids
    ).values_list("pk", "organisation_id", kept.key, "org_path", *kept.fields)
    old = {(r[1], r[2]): (r[0], r[3], tuple(r[4:])) for r in stored}
    gone, changed, added = [], [], []
    delta: dict[tuple[str, int], tuple] = defaultdict(kept.zero)
    for key in old.keys() | new.keys():
        pk, path, before = old.get(key, (None, None, kept.zero()))
        path, after = new.get(key, (path, kept.zero()))
        if before == after:
            continue
        if key not in new:
            gone.append(pk)
        elif pk is None:
            added.append(kept.row(programme_id, key[0], path, key[1], False, after))
        else:
            changed.append(kept.model(pk=pk, **dict(zip(kept.fields, after, strict=True))))
        change = _minus(after, before)
        for prefix in _prefixes(path):
            delta[(prefix, key[1])] = _plus(delta[(prefix, key[1])], change)
    if gone:
        kept.model.objects.filter(pk__in=gone).delete()
    if changed:
        kept.model.objects.bulk_update(changed, kept.fields, batch_size=500)
    if added:
        kept.model.objects.bulk_create(added, batch_size=2000)
    zero = kept.zero()
    _apply(kept, programme_id, {k: v for k, v in delta.items() if v != zero})


def _apply(kept: Kept, programme_id: int, delta: dict[tuple[str, int], tuple]) -> None:
    """Add the deltas to the subtree rows; create the missing ones; drop emptied ones.

    One organisation's recount (a task saved) adds the same change to every ancestor: that
    is one UPDATE … SET tasks = tasks + n … per key changed, over all ancestors at once,
    whatever the depth. Many organisations at once (imports, moves) read the rows, locked in
    path order, and write them back in bulk."""
    if not delta:
        return
    groups: dict[tuple, list[str]] = defaultdict(list)
    for (path, key), change in delta.items():
        groups[(key, *change)].append(path)
    if len(groups) <= SET_BASED:
        _apply_set_based(kept, programme_id, groups)
        return
    paths = sorted({path for path, _key in delta})
    above = _above(programme_id, paths)
    rows = list(kept.model.objects.select_for_update().filter(above).order_by("org_path", kept.key))
    changed = []
    for row in rows:
        change = delta.pop((row.org_path, getattr(row, kept.key)), None)
        if change is not None:
            before = tuple(getattr(row, name) for name in kept.fields)
            for name, value in zip(kept.fields, _plus(before, change), strict=True):
                setattr(row, name, value)
            changed.append(row)
    kept.model.objects.bulk_update(changed, kept.fields, batch_size=500)
    kept.model.objects.bulk_create(_subtree_rows(kept, programme_id, delta), batch_size=2000)
    # a subtree that no longer has rows drops out of the roll-ups
    kept.model.objects.filter(above, **{kept.fields[0]: 0}).delete()


def _above(programme_id: int, paths) -> Q:
    """The subtree rows of these paths, by the index (programme, subtree, depth, org_path)."""
    depths = sorted({len(path) // Organisation.steplen for path in paths})
    return Q(programme_id=programme_id, subtree=True, depth__in=depths, org_path__in=paths)


def _apply_set_based(kept: Kept, programme_id: int, groups: dict[tuple, list[str]]) -> None:
    emptied = False
    for (key, *figures), paths in groups.items():
        change = dict(zip(kept.fields, figures, strict=True))
        rows = kept.model.objects.filter(_above(programme_id, paths), **{kept.key: key})
        updated = rows.update(**{name: F(name) + value for name, value in change.items()})
        if updated < len(paths):  # a subtree's first row with this key: its row is new
            have = set(rows.values_list("org_path", flat=True))
            missing = {(p, key): tuple(figures) for p in paths if p not in have}
            kept.model.objects.bulk_create(_subtree_rows(kept, programme_id, missing))
        emptied = emptied or figures[0] < 0
    if emptied:  # a subtree that no longer has rows drops out of the roll-ups
        every = [path for paths in groups.values() for path in paths]
        kept.model.objects.filter(_above(programme_id, every), **{kept.fields[0]: 0}).delete()


def _subtree_rows(kept: Kept, programme_id: int, sums: dict[tuple[str, int], tuple]) -> list:
    ids = dict(
        Organisation.objects.filter(path__in={path for path, _key in sums}).values_list(
            "path", "id"
        )
    )
    return [
        kept.row(programme_id, ids[path], path, key, True, figures)
        for (path, key), figures in sums.items()
        if path in ids
    ]


def _prefixes(path: str) -> list[str]:
    step = Organisation.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def _own_select(kept: Kept, programme_id: int):
    """The grouped read of a programme's own counts, as SQL and parameters."""
    tasks = LedgerTask.objects.filter(programme_id=programme_id, parent__isnull=True)
    rules = aggregates(None)  # coverage counts a programme task's rows and those done, alike
    if kept is COVERAGE:
        grouped = (
            tasks.filter(kind=TaskKind.COVERAGE, template__isnull=False)
            .values("organisation_id", "org_path", "template_id")
            .annotate(t_applicable=rules["t_tasks"], t_done=rules["t_done"])
        )
    else:
        grouped = tasks.values("organisation_id", "org_path", "area_id").annotate(**rules)
    return grouped.order_by().query.sql_with_params()


def _rebuild(programme_id: int) -> int:
    """Set-based, in the database: per table, the own rows are one INSERT … SELECT grouping the
    tasks; the subtree rows of each depth one INSERT … SELECT summing the own rows below,
    joined to the organisation whose path is their prefix. No row passes through Python."""
    written = 0
    deepest = Organisation.objects.order_by("-depth").values_list("depth", flat=True).first()
    for kept in KEPT:
        kept.model.objects.filter(programme_id=programme_id).delete()
        written += _rebuild_table(kept, programme_id, deepest or 0)
    return written


def _rebuild_table(kept: Kept, programme_id: int, deepest: int) -> int:
    meta, org = kept.model._meta, Organisation._meta
    step = Organisation.steplen
    columns = ["programme_id", "organisation_id", "org_path", "depth", kept.key, "subtree"]
    columns += kept.fields
    column_sql = ", ".join(_quote(meta.get_field(c).column) for c in columns)
    select, params = _own_select(kept, programme_id)
    sums = ", ".join(_quote(f"t_{name}") for name in kept.fields)
    table, path, key = _quote(meta.db_table), _quote("org_path"), _quote(kept.key)
    totals = ", ".join(f"SUM(own.{_quote(meta.get_field(n).column)})" for n in kept.fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({column_sql}) "
            f"SELECT %s, own.{_quote('organisation_id')}, own.{path}, "
            f"LENGTH(own.{path}) / %s, own.{key}, %s, {sums} FROM ({select}) own",
            [programme_id, step, False, *params],
        )
        written = cursor.rowcount
        for depth in range(1, deepest + 1):
            cursor.execute(
                f"INSERT INTO {table} ({column_sql}) "
                f"SELECT %s, o.{_quote(org.pk.column)}, o.{_quote('path')}, %s, own.{key}, %s, "
                f"{totals} FROM {table} own "
                f"JOIN {_quote(org.db_table)} o ON o.{_quote('path')} = SUBSTR(own.{path}, 1, %s) "
                f"WHERE own.{_quote('programme_id')} = %s AND own.{_quote('subtree')} = %s "
                f"AND own.{_quote('depth')} >= %s "
                f"GROUP BY o.{_quote(org.pk.column)}, o.{_quote('path')}, own.{key}",
                [programme_id, depth, True, depth * step, programme_id, False, depth],
            )
            written += cursor.rowcount
    return written


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@transaction.atomic
def subtree_moved(old_path: str, new_path: str) -> None:
    """A subtree moved: its rows take the new paths and depths, and its totals leave the
    ancestors of the old place for those of the new one."""
    step = Organisation.steplen
    for kept in KEPT:
        tops = kept.model.objects.filter(subtree=True, org_path=old_path)
        delta: dict[int, dict[tuple[str, int], tuple]] = defaultdict(dict)
        for row in tops:
            figures = tuple(getattr(row, name) for name in kept.fields)
            key = getattr(row, kept.key)
            changes = delta[row.programme_id]
            for prefix in _prefixes(old_path)[:-1]:
                changes[(prefix, key)] = _minus(kept.zero(), figures)
            for prefix in _prefixes(new_path)[:-1]:
                changes[(prefix, key)] = _plus(changes.get((prefix, key), kept.zero()), figures)
        kept.model.objects.filter(org_path__prefix=old_path).update(
            org_path=Concat(Value(new_path), Substr("org_path", len(old_path) + 1)),
            depth=F("depth") + (len(new_path) - len(old_path)) // step,
        )
        zero = kept.zero()
        for programme_id, changes in delta.items():
            _apply(kept, programme_id, {k: v for k, v in changes.items() if v != zero})


# What places a task's counts (which rows it adds to) and whether it counts at all: a change of
# any of these leaves the delta path for a recount of both organisations.
PLACED = ("programme_id", "organisation_id", "org_path", "area_id", "template_id", "kind")


# The counting rules, once: `counting.aggregates(None)` is what the grouped reads (`_own_counts`,
# the rebuild) run in SQL; a task edited in place evaluates the same expressions over its own
# columns (`task_counts`, compiled once into Python below), so the two cannot drift apart.
_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_LOOKUPS = {
    "exact": operator.eq,
    "in": lambda value, options: value in options,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


class Unreadable(Exception):
    """A counting rule the row evaluator does not know (or a NULL it would have to compare):
    the task's organisation is recounted in SQL instead."""


def task_counts(values) -> dict:
    """One top-level task's own counts, per table it adds to (coverage only for a coverage
    task of a programme task): the rules of `counting.aggregates(None)` evaluated over the
    task's columns, as the grouped read finds them for that task alone; coverage takes its
    tasks and done, as `_own_counts` does. `values` is a task or a dict of its columns
    (attnames). Raises `Unreadable` when the rules hold what the evaluator does not know."""
    rules, columns = _compiled_rules()
    raw = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    row = {name: field.to_python(raw(field.attname)) for name, field in columns.items()}
    counts = {name: rule(row) for name, rule in rules.items()}
    found = {LEDGER: LEDGER.clean(counts[name] for name in LEDGER.fields)}
    if raw("kind") == TaskKind.COVERAGE and raw("template_id") is not None:
        found[COVERAGE] = COVERAGE.clean((counts["tasks"], counts["done"]))
    return found


@cache
def _compiled_rules() -> tuple[dict, dict]:
    """{figure: function of a row} and the row's columns {name: field}, from the SQL rules."""
    names: set[str] = set()
    rules = {name: _compile(aggregates(None)[f"t_{name}"], names) for name in LEDGER.fields}
    return rules, {name: LedgerTask._meta.get_field(name) for name in sorted(names)}


def _compile(expression, names: set[str]):
    """An aggregate expression as a function of one row: COUNT 1 or 0, SUM the value or None
    (SQL's NULL) when its filter leaves the row out, COALESCE the first value not None."""
    if isinstance(expression, Value):
        constant = expression.value
        return lambda row: constant
    if isinstance(expression, F) and "__" not in expression.name:
        names.add(expression.name)
        return operator.itemgetter(expression.name)
    if isinstance(expression, CombinedExpression) and expression.connector in _OPERATORS:
        op = _OPERATORS[expression.connector]
        lhs, rhs = _compile(expression.lhs, names), _compile(expression.rhs, names)
        return lambda row: _combined(op, lhs(row), rhs(row))
    if isinstance(expression, Coalesce):
        parts = [_compile(part, names) for part in expression.get_source_expressions()]
        return lambda row: next((v for v in (part(row) for part in parts) if v is not None), None)
    if isinstance(expression, (Count, Sum)) and not expression.distinct:
        source = _compile(expression.get_source_expressions()[0], names)
        condition = getattr(expression.filter, "condition", expression.filter)  # Django 6 wraps
        test = (lambda row: True) if condition is None else _compile_condition(condition, names)
        if isinstance(expression, Count):
            return lambda row: int(test(row) and source(row) is not None)
        return lambda row: source(row) if test(row) else None
    raise Unreadable(expression)


def _combined(op, lhs, rhs):
    return None if lhs is None or rhs is None else op(lhs, rhs)


def _compile_condition(condition, names: set[str]):
    if not isinstance(condition, Q):
        raise Unreadable(condition)
    tests = [
        _compile_condition(child, names) if isinstance(child, Q) else _lookup(*child, names)
        for child in condition.children
    ]
    combine, negated = (all if condition.connector == Q.AND else any), condition.negated
    return lambda row: combine(test(row) for test in tests) != negated


def _lookup(name: str, wanted, names: set[str]):
    field, _sep, lookup = name.partition("__")
    compare = _LOOKUPS.get(lookup or "exact")
    if compare is None or hasattr(wanted, "resolve_expression") or hasattr(wanted, "_meta"):
        raise Unreadable(name)  # another lookup, an expression or a row: left to the database
    names.add(field)

    def test(row) -> bool:
        if row[field] is None:  # SQL's NULL logic: left to the database
            raise Unreadable(name)
        return compare(row[field], wanted)

    return test


def task_changed(before: dict, task: LedgerTask) -> bool:
    """A top-level task's counted fields changed in place (the same organisation, area and
    programme task, read under its row lock as `before`, attnames): its difference is added to
    its organisation's own row and every subtree row above in one UPDATE per table that
    changes, whatever the depth. False when this does not apply — the task moved, became or
    stopped being a measure or a coverage row, a bulk write defers its recount, or a row it
    counts in is missing (the additions are undone) — and the caller recounts instead."""
    if _pending.get() is not None or before["parent_id"] or task.parent_id:
        return False
    if any(before[name] != getattr(task, name) for name in PLACED):
        return False
    try:
        old, new = task_counts(before), task_counts(task)
    except Unreadable:
        return False
    done: list[tuple[Kept, object, tuple]] = []
    with transaction.atomic(savepoint=False):
        for kept, after in new.items():
            change = _minus(after, old[kept])
            if not any(change):
                continue
            key = getattr(task, kept.key)
            done.append((kept, key, change))
            if _add(kept, task, key, change) < 1 + len(_prefixes(task.org_path)):
                for table, added_key, added in done:  # back as they were; the caller recounts
                    _add(table, task, added_key, _minus(table.zero(), added))
                return False
    return True


def _add(kept: Kept, task: LedgerTask, key, change: tuple) -> int:
    """Add the change to the task's organisation's own row and to the subtree rows of it and
    of its ancestors (found by the index programme, subtree, depth, org_path) in one UPDATE;
    the rows updated. Its SQL is built once per shape: building the ORM query cost more than
    running it."""
    paths = _prefixes(task.org_path)
    figures = [(name, value) for name, value in zip(kept.fields, change, strict=True) if value]
    sql = _add_sql(connection.vendor, kept, tuple(name for name, _value in figures), len(paths))
    params = [value for _name, value in figures]
    params += [task.programme_id, key, False, task.organisation_id, True]
    params += [len(path) // Organisation.steplen for path in paths] + paths
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@cache
def _add_sql(vendor: str, kept: Kept, names: tuple[str, ...], size: int) -> str:
    meta = kept.model._meta

    def column(name: str) -> str:
        return _quote(meta.get_field(name).column)

    figures = ", ".join(f"{column(name)} = {column(name)} + %s" for name in names)
    marks = ", ".join(["%s"] * size)
    subtree = column("subtree")
    return (
        f"UPDATE {_quote(meta.db_table)} SET {figures} "
        f"WHERE {column('programme')} = %s AND {column(kept.key)} = %s "
        f"AND (({subtree} = %s AND {column('organisation')} = %s) "
        f"OR ({subtree} = %s AND {column('depth')} IN ({marks}) "
        f"AND {column('org_path')} IN ({marks})))"
    )


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
        _add_overdue(programme.pk, late.filter(parent__isnull=True))  # before they change
        count = late.update(**values)
        Programme.objects.filter(pk=programme.pk).update(overdue_marked_on=today)
        programme.overdue_marked_on = today
        if count:
            audit.record(
                action=AuditAction.UPDATE,
                instance=programme,
                changes={"overdue_marked": {"before": None, "after": count}},
            )
    return count


def _add_overdue(programme_id: int, late) -> None:
    """Raise the overdue count of the own rows and of every subtree row above them by the
    top-level tasks about to be marked (nothing else of a tally changes when an open task turns
    overdue), set-based: per tree depth one UPDATE … FROM the late tasks grouped by their
    organisation (own rows) or by their ancestor at that depth (subtree rows). Every such row
    exists already: it counts the late task among its tasks."""
    table = _quote(LedgerTally._meta.db_table)
    step = Organisation.steplen
    deepest = Organisation.objects.order_by("-depth").values_list("depth", flat=True).first()
    by_own = late.values("organisation_id", "area_id").annotate(n=Count("id")).order_by()
    statements = [
        (
            by_own,
            False,
            None,
            f"{table}.{_quote('organisation_id')} = c.{_quote('organisation_id')}",
        )
    ]
    for depth in range(1, (deepest or 0) + 1):
        by_branch = (
            late.alias(size=Length("org_path"))
            .filter(size__gte=depth * step)
            .annotate(branch=Substr("org_path", 1, depth * step))
            .values("branch", "area_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        path = f"{table}.{_quote('org_path')} = c.{_quote('branch')}"
        statements.append((by_branch, True, depth, path))
    with connection.cursor() as cursor:
        for grouped, subtree, depth, match in statements:
            select, params = grouped.query.sql_with_params()
            at_depth = "" if depth is None else f" AND {table}.{_quote('depth')} = {int(depth)}"
            cursor.execute(
                f"UPDATE {table} SET {_quote('overdue')} = {table}.{_quote('overdue')} + c.n "
                f"FROM ({select}) c WHERE {table}.{_quote('programme_id')} = %s "
                f"AND {table}.{_quote('subtree')} = %s{at_depth} AND {match} "
                f"AND {table}.{_quote('area_id')} = c.{_quote('area_id')}",
                [*params, programme_id, subtree],
            )


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
