"""Plain INSERTs of many new rows: one prepared single-row statement run with executemany.

For bulk writes where Django's `bulk_create` spends more time composing multi-row SQL than the
database spends writing (imports of 100k rows, their audit records). The values go through
each field's own `pre_save` and `get_db_prep_save`, as `save()` would; no signals are sent and
no primary keys are read back (callers that need them read them by a natural key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connections, router
from django.db.models import Field, Model
from django.utils import timezone


def insert(model: type[Model], objects: Iterable, *, batch: int = 2000, dicts: bool = False) -> int:
    """INSERT every object (primary key left to the database); rows written. With `dicts`,
    the objects are dicts of column values by attribute name (no model instances to build);
    a missing key takes the field's default."""
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})"
    now = timezone.now()  # one time for the batch's auto_now(_add) fields
    prepare = [(_from_dict if dicts else _preparer)(f, connection, now) for f in fields]
    written = 0
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for obj in objects:
            rows.append(tuple(prep(obj) for prep in prepare))
            if len(rows) >= batch:
                cursor.executemany(sql, rows)
                written += len(rows)
                rows = []
        if rows:
            cursor.executemany(sql, rows)
            written += len(rows)
    return written


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
    return lambda obj: prep(pre_save(obj, True), connection)


def _from_dict(field, connection, now):
    """values -> the column's value, from a dict of values by attribute name."""
    attname, prep = field.attname, field.get_db_prep_save
    plain = field.get_internal_type() in PLAIN_TYPES

    def get(values):
        value = values[attname] if attname in values else field.get_default()
        return value if plain and type(value) in PLAIN_VALUES else prep(value, connection)

    return get
