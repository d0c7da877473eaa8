"""Which files a backup carries: the media folder, the data folder and the audit folder, each
under its own prefix; never the live database, collected static files or the audit key
(unless asked for), and never the archive being written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import database

# Secrets kept beside the data, carried only with --with-keys: the audit keyring
# (core/audit_keys.py), the pay-field encryption key (contracts/crypto.py), the generated
# SECRET_KEY (settings.py). An archive with them can forge the audit chain and read pay.
KEY_FILES = frozenset({"audit.key", "pay.key", "secret.key"})
# Files SQLite keeps beside a live database, and half-written copies of ours.
SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal", ".restoring", ".partial")


@dataclass(frozen=True)
class Root:
    prefix: str
    path: Path


def roots() -> list[Root]:
    """media/, data/ and audit/ (the audit folder when it is not the data folder)."""
    found = [
        Root("media", Path(settings.MEDIA_ROOT)),
        Root("data", Path(settings.DATA_DIR)),
    ]
    audit = Path(getattr(settings, "REFORMTRACK_AUDIT_DIR", settings.DATA_DIR))
    if audit.resolve() != Path(settings.DATA_DIR).resolve():
        found.append(Root("audit", audit))
    return found


def _excluded_dirs() -> list[Path]:
    """Folders walked under their own prefix or not carried (collectstatic rebuilds static)."""
    own = [root.path.resolve() for root in roots() if root.prefix != "data"]
    return [*own, Path(settings.STATIC_ROOT).resolve()]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def collect(*, with_keys: bool, skip: set[Path]) -> list[tuple[str, Path]]:
    """(name in the archive, file) for every file to carry, sorted by name."""
    live_db = database.sqlite_path() if database.engine() == "sqlite" else None
    skipped = {p.resolve() for p in skip}
    if live_db is not None:
        skipped.add(live_db.resolve())
    found = []
    for root in roots():
        if not root.path.is_dir():
            continue
        excluded = [d for d in _excluded_dirs() if d != root.path.resolve()]
        for path in sorted(root.path.rglob("*")):
            real = path.resolve()
            if not path.is_file() or path.is_symlink() or real in skipped:
                continue
            if any(_inside(real, folder) for folder in excluded):
                continue
            if path.name.endswith(SKIPPED_SUFFIXES):
                continue
            if live_db is not None and path.name.startswith(live_db.name):
                continue
            if path.name in KEY_FILES and root.prefix != "media" and not with_keys:
                continue
            relative = path.relative_to(root.path).as_posix()
            found.append((f"{root.prefix}/{relative}", path))
    return found


def keys_present() -> list[str]:
    """The key files this install has (to say which a backup without keys leaves out)."""
    return sorted(
        f"{root.prefix}/{name}"
        for root in roots()
        if root.prefix != "media"
        for name in KEY_FILES
        if (root.path / name).is_file()
    )


def destination(name: str) -> Path:
    """Where an archive member goes on this install."""
    prefix, _, relative = name.partition("/")
    for root in roots():
        if root.prefix == prefix:
            return root.path / relative
    if prefix == "audit":  # archived from a separate audit folder, restored into one here
        return Path(settings.DATA_DIR) / relative
    raise ValueError(name)
