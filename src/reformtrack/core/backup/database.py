"""The database part of a backup: SQLite through its online backup API (a consistent copy
while the application runs), PostgreSQL through pg_dump/pg_restore (custom format)."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections, transaction

from . import manifest
from .manifest import BackupError


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def member_name() -> str:
    return "database/reformtrack.sqlite3" if engine() == "sqlite" else "database/reformtrack.pgdump"


def sqlite_path() -> Path | None:
    name = str(connection.settings_dict["NAME"])
    return None if name == ":memory:" or name.startswith("file:") else Path(name)


def snapshot(dest: Path) -> tuple[list[str], dict[str, int]]:
    """A consistent copy of the database in `dest`; the migrations applied and the rows per
    table *of that copy* (what a restore must bring back)."""
    if engine() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest)
        try:
            connection.connection.backup(target)
            return _sqlite_state(target)
        finally:
            target.close()
    # pg_dump reads the snapshot this REPEATABLE READ transaction exports: same rows counted.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        exported = cursor.fetchone()[0]
        state = manifest.applied_migrations(), manifest.row_counts()
        _pg(
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
            f"--snapshot={exported}", f"--file={dest}",
        )  # fmt: skip
    return state


def _sqlite_state(db: sqlite3.Connection) -> tuple[list[str], dict[str, int]]:
    present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    rows = {
        table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        for table in manifest.model_tables()
        if table in present
    }
    migrations = []
    if "django_migrations" in present:
        found = db.execute("SELECT app, name FROM django_migrations").fetchall()
        migrations = sorted(f"{app}.{name}" for app, name in found)
    return migrations, dict(sorted(rows.items()))


def is_empty() -> bool:
    """No table at all: a fresh install that has not been migrated."""
    return not connection.introspection.table_names()


def restore(source: Path) -> None:
    """Put the snapshot in place; the database must be empty (checked by the caller)."""
    if engine() == "postgresql":
        _pg("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(source))
        return
    target = sqlite_path()
    if target is None:
        # An in-memory database (tests): copy into the open connection.
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
        return
    connections.close_all()
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, staged)
    os.chmod(staged, 0o600)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)


def _binary(name: str) -> str:
    """pg_dump/pg_restore of the newest installed PostgreSQL (Debian keeps them per version)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    path = found[-1] if found else shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return path


def _pg(tool: str, *args: str) -> None:
    """Runs a PostgreSQL tool on the configured database; the password goes by environment."""
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
    command = [_binary(tool), *args]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command.append(f"{flag}={settings[key]}")
    command.append(f"--dbname={settings['NAME']}")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-2000:]}")
