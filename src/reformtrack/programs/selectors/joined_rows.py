"""Model rows with some of their foreign-key rows joined in (what `select_related` gives), read
by SQL compiled once per key and run fresh on every call (`core.compiled_sql.rows`): building
and compiling a joined query cost a cold page more than running it. Every column of each
model is read and goes through its field's database converters, as the ORM's own read does."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections

from reformtrack.core.compiled_sql import rows as compiled_rows


def joined_instances(model, related: tuple[str, ...], key: tuple, build: Callable) -> list:
    """The `model` rows of the queryset `build()` returns, in its order, each with its
    `related` foreign keys' rows set (all concrete columns of each); its SQL compiled once
    per `key`, which must decide it entirely."""
    connection = connections["default"]
    parts = [(model, "", None)]
    for name in related:
        field = model._meta.get_field(name)
        parts.append((field.related_model, f"{name}__", field))
    names = [
        f"{prefix}{f.attname}" for part, prefix, _f in parts for f in part._meta.concrete_fields
    ]
    found = compiled_rows(
        ("joined", model._meta.label, related, *key), lambda: build().values_list(*names)
    )
    converters = [
        [(i, c) for i, c in enumerate(_converters(part, connection)) if c[1]]
        for part, _prefix, _f in parts
    ]
    columns = [[f.attname for f in part._meta.concrete_fields] for part, _p, _f in parts]
    made = []
    for row in found:
        start, objects = 0, []
        for (part, _prefix, _field), convert, attnames in zip(
            parts, converters, columns, strict=True
        ):
            values = row[start : start + len(attnames)]
            start += len(attnames)
            if part is not model and values[0] is None:  # a null foreign key: no row joined
                objects.append(None)
                continue
            if convert:  # only the columns that have converters (most have none)
                values = list(values)
                for position, functions in convert:
                    values[position] = _converted(values[position], functions, connection)
            objects.append(part.from_db("default", attnames, values))
        obj = objects[0]
        for (_part, _prefix, field), value in zip(parts[1:], objects[1:], strict=True):
            field.set_cached_value(obj, value)
        made.append(obj)
    return made


def _converters(model, connection) -> list:
    found = []
    for field in model._meta.concrete_fields:
        col = field.get_col(model._meta.db_table)
        found.append(
            (col, connection.ops.get_db_converters(col) + field.get_db_converters(connection))
        )
    return found


def _converted(value, converters, connection):
    col, functions = converters
    for function in functions:
        value = function(value, col, connection)
    return value
