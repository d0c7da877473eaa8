"""The manifest of a backup: what it holds (a checksum per member), from which version, with
which migrations, and how many rows each table had."""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "reformtrack-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup cannot be written, or an archive cannot be restored; the message says why."""


def app_version() -> str:
    try:
        return importlib.metadata.version("reformtrack")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def applied_migrations() -> list[str]:
    """`app.name` of every migration recorded in the database, sorted."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def model_tables() -> list[str]:
    """The table of every installed model, many-to-many tables included."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    }
    return sorted(tables)


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (tables that do not exist are left out)."""
    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        counts = {}
        for table in model_tables():
            if table in present:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return counts


def build(*, engine: str, database: str, migrations: list, rows: dict, with_keys: bool) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version(),
        "created_at": timezone.now().isoformat(),
        "database": {"engine": engine, "member": database},
        "migrations": migrations,
        "rows": rows,
        "with_keys": with_keys,
        "members": {},
    }


def check(manifest: dict) -> None:
    """A manifest this version can restore, or BackupError."""
    if manifest.get("format") != FORMAT:
        raise BackupError("Not a reformtrack backup (no reformtrack manifest).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Backup format {manifest.get('format_version')} is not the one this version "
            f"reads ({FORMAT_VERSION})."
        )
