"""One data-version change for a bulk write on SQLite, instead of one per row.

SQLite's data-version triggers (core.models.data_version) are row triggers: every row a bulk
write inserts or updates also runs `UPDATE core_dataversion SET value = random()`, about three
quarters of what SQLite spends inserting a ledger task or an audit record. Inside `once()`, within
a transaction, this connection's triggers are switched off (other connections keep theirs) and
the version is changed once at the end, in the same transaction, if any row changed: what the
triggers leave (a new random value that commits or rolls back with the write). It acts only
when every trigger in the schema is a data-version trigger; on PostgreSQL (a statement trigger
already), outside a transaction or inside another `once()` it does nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

BUMP = "UPDATE core_dataversion SET value = random() WHERE id = 1"
OTHER_TRIGGERS = (
    "SELECT count(*) FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' "
    "UNION ALL SELECT name FROM sqlite_temp_master WHERE type = 'trigger') "
    "WHERE name NOT LIKE 'data\\_version\\_%' ESCAPE '\\'"
)
ENABLE = getattr(sqlite3, "SQLITE_DBCONFIG_ENABLE_TRIGGER", None)


@contextmanager
def once(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """The writes inside change the data version once (see the module's docstring)."""
    connection = connections[using]
    if connection.vendor != "sqlite" or not connection.in_atomic_block or ENABLE is None:
        yield
        return
    raw = connection.connection
    if not hasattr(raw, "setconfig") or not raw.getconfig(ENABLE):
        yield  # an older Python, or already inside once(): the outer one bumps
        return
    with connection.cursor() as cursor:
        cursor.execute(OTHER_TRIGGERS)
        if cursor.fetchone()[0]:
            yield  # a trigger that does more than the version: keep them all
            return
    before = raw.total_changes
    raw.setconfig(ENABLE, False)
    try:
        yield
    except BaseException:
        raw.setconfig(ENABLE, True)
        _bump_if_changed(connection, raw, before, quiet=True)
        raise
    raw.setconfig(ENABLE, True)
    _bump_if_changed(connection, raw, before)


def _bump_if_changed(connection, raw, before: int, quiet: bool = False) -> None:
    """The version's one change, when a row was written (a failed write that is caught and
    committed anyway is still marked; one rolled back takes the change with it)."""
    if raw.total_changes == before:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(BUMP)
    except Exception:
        if not quiet:
            raise
