"""Writing a backup archive (tar.gz): database snapshot first, then every carried file, then
the manifest with each member's SHA-256; written beside the target and renamed at the end, so
a failed backup leaves no half archive."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import database, files, manifest
from .manifest import BackupError

Progress = Callable[[str], None]


class _Hashing(io.RawIOBase):
    """Reads a file for tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.handle.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(path.stat().st_mtime)
        reader = _Hashing(handle)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": size}


def plan(*, with_keys: bool, output: Path) -> list[tuple[str, Path]]:
    return files.collect(with_keys=with_keys, skip={output})


def create_backup(
    output: Path, *, with_keys: bool = False, progress: Progress | None = None
) -> dict:
    """Writes the archive to `output`; returns the manifest (plus the archive's own size)."""
    output = Path(output)
    if output.exists() and output.is_dir():
        raise BackupError(f"{output} is a folder; name the archive file.")
    output.parent.mkdir(parents=True, exist_ok=True)
    engine, db_member = database.engine(), database.member_name()
    partial = output.with_name(output.name + ".partial")
    carried = plan(with_keys=with_keys, output=output)
    members: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".reformtrack-backup-") as tmp:
        snapshot = Path(tmp) / "database"
        # First the database: the files copied after it are at least as new as its rows.
        migrations, rows = database.snapshot(snapshot)
        info = manifest.build(
            engine=engine, database=db_member, migrations=migrations, rows=rows,
            with_keys=with_keys,
        )  # fmt: skip
        try:
            with tarfile.open(partial, "w:gz") as tar:
                members[db_member] = _add(tar, db_member, snapshot)
                if progress:
                    progress(db_member)
                for name, path in carried:
                    if path.resolve() == partial.resolve():
                        continue
                    try:
                        members[name] = _add(tar, name, path)
                    except FileNotFoundError:
                        continue  # removed while the backup ran (a replaced draft upload)
                    if progress:
                        progress(name)
                info["members"] = members
                info["keys_left_out"] = [] if with_keys else files.keys_present()
                body = json.dumps(info, ensure_ascii=False, indent=2).encode("utf-8")
                entry = tarfile.TarInfo(manifest.MANIFEST)
                entry.size, entry.mode = len(body), 0o600
                tar.addfile(entry, io.BytesIO(body))
            os.chmod(partial, 0o600)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    info["archive"] = {"path": str(output), "bytes": output.stat().st_size}
    return info


def count(*, with_keys: bool, output: Path) -> int:
    """Members a backup will write (for a progress bar): the database and each file."""
    return 1 + len(plan(with_keys=with_keys, output=Path(output)))
