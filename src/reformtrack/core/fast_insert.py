"""Plain INSERTs of many new rows: one prepared single-row statement run with executemany, or on
PostgreSQL one COPY per batch.

For bulk writes where Django's `bulk_create` spends more time composing multi-row SQL than the
database spends writing (imports of 100k rows, their audit records). The values go through
each field's own `pre_save` and `get_db_prep_save`, as `save()` would; no signals are sent and
no primary keys are read back (callers that need them read them by a natural key).
A JSON column's value may come already serialised (`JSONText`): it is written as it is.
On PostgreSQL (psycopg 3) a batch is streamed with COPY FROM STDIN: the same values in the same
order (triggers, defaults, constraints and the id sequence act as for INSERT), without the
client binding every row's values into SQL text as Django's cursor does (half the client's CPU
of a 10,000-row ledger import's writes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from functools import cache
from operator import attrgetter, itemgetter

from django.db import connections, router
from django.db.models import DateField, DecimalField, Field, GenericIPAddressField, Model
from django.utils import timezone


def insert(model: type[Model], objects: Iterable, *, batch: int = 2000, dicts: bool = False) -> int:
    """INSERT every object (primary key left to the database); rows written. With `dicts`,
    the objects are dicts of column values by attribute name (no model instances to build);
    a missing key takes the field's default, and an auto_now(_add) time is the insert's `now`,
    also set in the dict."""
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    # Plain columns first: read in one call per row (see `_row_maker`).
    fields = [f for f in fields if _plain(f)] + [f for f in fields if not _plain(f)]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    if connection.vendor == "postgresql" and _psycopg3():
        sql, write = f"COPY {table} ({columns}) FROM STDIN", _copy
    else:
        marks = ", ".join(["%s"] * len(fields))
        sql, write = f"INSERT INTO {table} ({columns}) VALUES ({marks})", _executemany
    now = timezone.now()  # one time for the batch's auto_now(_add) fields
    row = _row_maker(fields, connection, now, dicts)
    written = 0
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for obj in objects:
            rows.append(row(obj))  # a batch's values all prepared before it is sent
            if len(rows) >= batch:
                write(connection, cursor, sql, rows)
                written += len(rows)
                rows = []
        if rows:
            write(connection, cursor, sql, rows)
            written += len(rows)
    return written


@cache
def _psycopg3() -> bool:
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


def _executemany(connection, cursor, sql: str, rows: list[tuple]) -> None:
    cursor.executemany(sql, rows)


def _copy(connection, cursor, sql: str, rows: list[tuple]) -> None:
    """One COPY of the batch (logged as Django logs an executemany, errors as Django's)."""
    logged = cursor.debug_sql(sql, rows, many=True) if hasattr(cursor, "debug_sql") else None
    with (
        logged or nullcontext(),
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        write = copy.write_row
        for values in rows:
            write(values)


# Field types whose database value is the Python value itself when that is a str, int or bool
# (or None): their get_db_prep_save only converts and checks what is already so.
PLAIN_TYPES = frozenset(
    {
        "CharField", "TextField", "IntegerField", "PositiveIntegerField", "BigIntegerField",
        "PositiveBigIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
        "BooleanField", "ForeignKey",
    }
)  # fmt: skip
PLAIN_VALUES = (str, int, bool, type(None))
PLAIN_SET = frozenset(PLAIN_VALUES)


def _plain(field) -> bool:
    """Whether the column's value is the attribute itself when that is a plain value."""
    return field.get_internal_type() in PLAIN_TYPES and type(field).pre_save is Field.pre_save


def _row_maker(fields, connection, now, dicts: bool) -> Callable:
    """obj -> the row's tuple of column values, in `fields`' order (the plain ones first, as
    `insert` orders them): the plain ones read in one call and kept when all are plain values
    (else each is prepared as its preparer does), the others prepared one by one."""
    make = _from_dict if dicts else _preparer
    prepare = [make(f, connection, now) for f in fields]
    plain = [f.attname for f in fields if _plain(f)]
    rest = prepare[len(plain) :]
    if len(plain) < 2:  # a getter of one name gives a value, not a tuple
        return lambda obj: tuple(prep(obj) for prep in prepare)
    read, missing = (itemgetter, KeyError) if dicts else (attrgetter, AttributeError)
    read = read(*plain)
    each = prepare[: len(plain)]

    def row(obj):
        try:
            values = read(obj)
        except missing:  # a dict without some key: each takes its default
            values = None
        if values is None or not PLAIN_SET.issuperset(map(type, values)):
            values = tuple(prep(obj) for prep in each)
        return values + tuple(prep(obj) for prep in rest)

    return row


# Django's own fields whose prepared value depends on the value alone, and whose values repeat
# across an import's rows (a deadline, a weight, the importer's address): each distinct value
# (by type and value) is prepared once per insert.
REPEATED = (DateField, DecimalField, GenericIPAddressField)
MEMO_LIMIT = 4096


def _memoised(field, connection):
    """value -> the column's value, each distinct value prepared once (None is NULL)."""
    prep = field.get_db_prep_save
    seen: dict = {}

    def prepare(value):
        if value is None:
            return None
        key = (type(value), value)
        try:
            return seen[key]
        except KeyError:
            pass
        except TypeError:  # unhashable (a signalling NaN): prepared as it comes
            return prep(value, connection)
        prepared = prep(value, connection)
        if len(seen) < MEMO_LIMIT:
            seen[key] = prepared
        return prepared

    return prepare


def _preparer(field, connection, now):
    """obj -> the column's value, as `save()` would prepare it (an auto_now or auto_now_add
    time is the insert's `now`, prepared once and set on each object)."""
    attname, prep, pre_save = field.attname, field.get_db_prep_save, field.pre_save
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        stamp = dt.date.today() if field.get_internal_type() == "DateField" else now
        prepared = prep(stamp, connection)

        def stamped(obj):
            setattr(obj, attname, stamp)
            return prepared

        return stamped
    if field.get_internal_type() in PLAIN_TYPES and type(field).pre_save is Field.pre_save:

        def plain(obj):
            value = getattr(obj, attname)
            return value if type(value) in PLAIN_VALUES else prep(value, connection)

        return plain
    if type(field) in REPEATED:  # their pre_save, when not auto_now, reads the attribute
        memo = _memoised(field, connection)
        return lambda obj: memo(getattr(obj, attname))
    return lambda obj: prep(pre_save(obj, True), connection)


class JSONText(str):
    """A JSON column's value already serialised (e.g. an audit record's changes, serialised once
    for its hash and its column): written as it is, not serialised again."""


def _as_json(text: str):
    return text


def _from_dict(field, connection, now):
    """values -> the column's value, from a dict of values by attribute name."""
    attname, prep = field.attname, field.get_db_prep_save
    internal = field.get_internal_type()
    plain = internal in PLAIN_TYPES
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        stamp = dt.date.today() if internal == "DateField" else now
        prepared = prep(stamp, connection)

        def stamped(values):
            values[attname] = stamp
            return prepared

        return stamped
    if internal == "JSONField":
        if connection.vendor == "postgresql":
            from django.db.backends.postgresql.psycopg_any import Jsonb

            def written(text):
                return Jsonb(text, dumps=_as_json)
        else:
            written = str

        def get_json(values):
            value = values[attname] if attname in values else field.get_default()
            if value is None:
                return None  # SQL NULL, as the field's own preparation gives it
            return written(value) if type(value) is JSONText else prep(value, connection)

        return get_json
    if type(field) in REPEATED:
        memo = _memoised(field, connection)
        return lambda values: memo(values[attname] if attname in values else field.get_default())

    def get(values):
        value = values[attname] if attname in values else field.get_default()
        return value if plain and type(value) in PLAIN_VALUES else prep(value, connection)

    return get
