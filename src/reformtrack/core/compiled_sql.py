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

from django.db import connections

LIMIT = 4096
_compiled: OrderedDict[tuple, tuple[str, tuple]] = OrderedDict()
_lock = Lock()


def rows(key: tuple, build: Callable, *, using: str = "default") -> list[tuple]:
    """The rows of the queryset `build()` returns, compiled once per (database, key)."""
    connection = connections[using]
    full_key = (using, connection.vendor, *key)
    with _lock:
        found = _compiled.get(full_key)
        if found is not None:
            _compiled.move_to_end(full_key)
    if found is None:
        sql, params = build().query.sql_with_params()
        found = (sql, tuple(params))
        with _lock:
            _compiled[full_key] = found
            while len(_compiled) > LIMIT:
                _compiled.popitem(last=False)
    with connection.cursor() as cursor:
        cursor.execute(*found)
        return cursor.fetchall()
