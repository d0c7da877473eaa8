"""Hot per-user reads compiled once per process: their SQL, run fresh on every request.

Building and compiling an ORM query (scoping filters, subqueries) costs a signed-in page more
than running it on the database. The SQL of a query whose shape depends only on its key (a
user's pk and grants, say) is compiled the first time and kept here; every call still runs it,
so what it returns is never stale. Only for queries whose SQL is fully decided by the key.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from django.core.exceptions import EmptyResultSet
from django.db import connections

LIMIT = 4096
_compiled: OrderedDict[tuple, tuple | None] = OrderedDict()  # None: no rows, ever
_lock = Lock()


def _once(full_key: tuple, compile_: Callable[[], tuple]) -> tuple | None:
    """What `compile_()` gives for `full_key`, compiled the first time and kept (the last
    LIMIT keys); None where the query can match nothing (e.g. a user with no grants)."""
    with _lock:
        known = full_key in _compiled
        found = _compiled.get(full_key)
        if known:
            _compiled.move_to_end(full_key)
    if not known:
        try:
            found = compile_()
        except EmptyResultSet:
            found = None
        with _lock:
            _compiled[full_key] = found
            while len(_compiled) > LIMIT:
                _compiled.popitem(last=False)
    return found


def rows(key: tuple, build: Callable, *, using: str = "default") -> list[tuple]:
    """The rows of the queryset `build()` returns, compiled once per (database, key)."""
    connection = connections[using]

    def compile_() -> tuple:
        sql, params = build().query.sql_with_params()
        return sql, tuple(params)

    found = _once((using, connection.vendor, *key), compile_)
    if found is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*found)
        return cursor.fetchall()


def values(key: tuple, build: Callable, *, using: str = "default") -> list[tuple]:
    """The rows of the `values_list()` queryset `build()` returns, each column through the
    converters the ORM applies to it (as `list(build())` gives them), its SQL and converters
    compiled once per (database, key) and run fresh on every call."""
    connection = connections[using]

    def compile_() -> tuple:
        compiler = build().query.get_compiler(using)
        sql, params = compiler.as_sql()
        selected = [column[0] for column in compiler.select[0 : compiler.col_count]]
        return sql, tuple(params), tuple(compiler.get_converters(selected).items())

    found = _once((using, connection.vendor, "values", *key), compile_)
    if found is None:
        return []
    sql, params, converters = found
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if not converters:
        return [tuple(row) for row in fetched]
    made = []
    for row in fetched:
        row = list(row)
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        made.append(tuple(row))
    return made


def instance(model, key: tuple, build: Callable, *, using: str = "default"):
    """The first `model` instance (all its concrete columns) of the queryset `build()` returns,
    or None, its SQL compiled once per (database, key): what `build().first()` gives, without
    building the query each time. Each column goes through the field's database converters."""
    found = instances(model, ("first", *key), lambda: build()[:1], using=using)
    return found[0] if found else None


def instances(model, key: tuple, build: Callable, *, using: str = "default") -> list:
    """The `model` instances (all their concrete columns) of the queryset `build()` returns,
    in its order, its SQL compiled once per (database, key) and run fresh on every call."""
    names = tuple(f.attname for f in model._meta.concrete_fields)
    key = ("instances", model._meta.label, *key)
    found = rows(key, lambda: build().values_list(*names), using=using)
    connection = connections[using]
    converters = _converters(model, using)
    made = []
    for row in found:
        values = []
        for (col, convert), value in zip(converters, row, strict=True):
            for function in convert:
                value = function(value, col, connection)
            values.append(value)
        made.append(model.from_db(using, names, values))
    return made


_column_converters: dict[tuple, list] = {}


def _converters(model, using: str) -> list:
    """Per concrete column, the database's and the field's converters (as the ORM applies)."""
    connection = connections[using]
    key = (using, connection.vendor, model._meta.label)
    found = _column_converters.get(key)
    if found is None:
        found = []
        for field in model._meta.concrete_fields:
            col = field.get_col(model._meta.db_table)
            convert = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            found.append((col, convert))
        _column_converters[key] = found
    return found
