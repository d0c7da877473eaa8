"""Restoring an archive onto an install: every member is checked against the manifest before
anything is written; an install that already holds data is refused unless forced; afterwards
the tables' row counts must be the manifest's."""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from . import database, files, manifest
from .manifest import BackupError

Progress = Callable[[str], None]


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _unpack(archive: Path, into: Path) -> dict:
    """Extracts the archive into `into` and returns its manifest, once every member's
    checksum and size match it and nothing else is in the archive."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar.getmembers():
                if not member.isfile() or not _safe(member.name):
                    raise BackupError(f"Unexpected member in the archive: {member.name!r}.")
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"Cannot read {archive}: {error}") from error
    try:
        info = json.loads((into / manifest.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError("The archive has no readable manifest.") from error
    manifest.check(info)
    listed = set(info["members"])
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - {
        manifest.MANIFEST
    }
    if present != listed:
        odd = sorted(present ^ listed)[:5]
        raise BackupError(f"The archive does not match its manifest: {', '.join(odd)}.")
    for name, expected in sorted(info["members"].items()):
        path = into / name
        if (
            path.stat().st_size != expected["size"]
            or manifest.sha256_of(path) != expected["sha256"]
        ):
            raise BackupError(f"Checksum mismatch: {name} is not what was backed up.")
    return info


def _occupied(info: dict) -> list[str]:
    """What on this install a restore would overwrite: a database with tables, any media
    file, any data/audit file the archive brings."""
    found = []
    if not database.is_empty():
        found.append("the database has tables")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(p.is_file() for p in media.rglob("*")):
        found.append(f"{media} has files")
    for name in info["members"]:
        if name.startswith(("data/", "audit/")) and files.destination(name).exists():
            found.append(str(files.destination(name)))
    return found


def _check_migrations(info: dict) -> list[str]:
    """Migrations of installed apps the backup has but this version does not know: the data
    comes from a newer version (an app no longer installed does not count)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    installed = {config.label for config in apps.get_app_configs()}
    return sorted(
        name for name in set(info["migrations"]) - known if name.split(".")[0] in installed
    )


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, staged)
    os.chmod(staged, 0o600)
    os.replace(staged, target)


def restore_backup(archive: Path, *, force: bool = False, progress: Progress | None = None) -> dict:
    """Checks `archive`, then brings back the database, the media and the data files."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"No archive at {archive}.")
    scratch = Path(settings.DATA_DIR)
    scratch.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(dir=scratch, prefix=".reformtrack-restore-") as tmp:
        into = Path(tmp)
        info = _unpack(archive, into)
        engine = info["database"]["engine"]
        if engine != database.engine():
            raise BackupError(
                f"The backup holds a {engine} database; this install uses {database.engine()}."
            )
        unknown = _check_migrations(info)
        if unknown and not force:
            raise BackupError(
                "The backup comes from a newer version (unknown migrations: "
                f"{', '.join(unknown[:5])}); install that version first or use --force."
            )
        occupied = _occupied(info)
        if occupied and not force:
            raise BackupError(
                "This install is not empty (" + "; ".join(occupied[:5]) + "). Restore onto an "
                "empty install, or use --force to replace what is there."
            )
        if occupied and engine == "postgresql" and not database.is_empty():
            raise BackupError(
                "PostgreSQL restores need an empty database: drop and recreate it first."
            )
        if force:
            _clear_media()
        database.restore(into / info["database"]["member"])
        if progress:
            progress(info["database"]["member"])
        for name in sorted(info["members"]):
            if name == info["database"]["member"]:
                continue
            _place(into / name, files.destination(name))
            if progress:
                progress(name)
    connections.close_all()
    rows = manifest.row_counts()
    differ = {t: (n, rows.get(t)) for t, n in info["rows"].items() if rows.get(t) != n}
    if differ:
        table, (want, got) = next(iter(differ.items()))
        raise BackupError(
            f"Restored, but {len(differ)} table(s) differ from the backup, e.g. {table}: "
            f"{got} rows, {want} expected."
        )
    info["restored"] = {"tables": len(rows), "rows": sum(rows.values()),
                        "files": len(info["members"]) - 1}  # fmt: skip
    return info


def _clear_media() -> None:
    """--force: the media folder becomes exactly the backup's (no file left from before)."""
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        for child in media.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()


def member_count(archive: Path) -> int:
    """Members to restore (for a progress bar)."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            return sum(1 for m in tar.getmembers() if m.isfile()) - 1
    except (tarfile.TarError, OSError):
        return 0
