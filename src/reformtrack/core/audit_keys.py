"""The audit chain's secret keys, kept outside the database: an environment variable or a small
0600 keyring file in the audit folder. Old keys stay in the keyring so old records verify."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LEGACY_KEY_ID = "legacy"  # records from before keyed hashing: plain SHA-256, no key
ALGORITHMS = ("hmac-sha256", "hmac-sm3")
KEY_FILE = "audit.key"


class AuditKeyError(Exception):
    """The key needed to sign or check the chain is not available."""


@dataclass(frozen=True)
class AuditKey:
    id: str
    secret: bytes


@dataclass(frozen=True)
class Keyring:
    current: AuditKey
    keys: dict[str, AuditKey]
    from_env: bool

    def get(self, key_id: str) -> AuditKey | None:
        return self.keys.get(key_id)


def key_id_of(secret: bytes) -> str:
    """A short public name for a key (a keyed fingerprint: it reveals nothing of the key)."""
    return hmac.new(secret, b"reformtrack audit key id", hashlib.sha256).hexdigest()[:16]


def algorithm() -> str:
    name = getattr(settings, "REFORMTRACK_AUDIT_HMAC", "hmac-sha256")
    if name not in ALGORITHMS:
        raise ImproperlyConfigured(f"REFORMTRACK_AUDIT_HMAC must be one of {', '.join(ALGORITHMS)}")
    return name


def audit_dir() -> Path:
    return Path(getattr(settings, "REFORMTRACK_AUDIT_DIR", settings.DATA_DIR))


def key_path() -> Path:
    return audit_dir() / KEY_FILE


def ensure_private_dir(path: Path) -> None:
    """Create the audit folder as 0700 (an existing folder is left as it is)."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _key(secret: str) -> AuditKey:
    raw = secret.encode("utf-8")
    return AuditKey(key_id_of(raw), raw)


def _read_file(path: Path) -> list[AuditKey]:
    """The keys in the keyring file, newest (the last added) first."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [_key(entry["secret"]) for entry in reversed(data["keys"])]


def _write_file(path: Path, keys: list[dict]) -> Path:
    """Write the keyring to a new 0600 file and move it into place in one step."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"keys": keys}, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    return tmp


def _new_entry() -> dict:
    return {"secret": secrets.token_hex(32), "created": dt.datetime.now(dt.UTC).isoformat()}


def _create_file(path: Path) -> None:
    """First use: a new keyring with one key. Two processes racing keep the same (first) file."""
    ensure_private_dir(path.parent)
    tmp = _write_file(path, [_new_entry()])
    try:
        os.link(tmp, path)  # fails if another process created the keyring first
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


_cache: dict[tuple, Keyring] = {}


def keyring(*, create: bool = True) -> Keyring | None:
    """The keys: REFORMTRACK_AUDIT_KEY (comma-separated, newest first) when set, else the
    keyring file, made on first use when `create`; retired file keys stay usable either way.
    Cached per file version: a rotation by another process is seen at the next call."""
    env_value = getattr(settings, "REFORMTRACK_AUDIT_KEY", "")
    folder = getattr(settings, "REFORMTRACK_AUDIT_DIR", settings.DATA_DIR)
    name = os.path.join(os.fspath(folder), KEY_FILE)  # plain strings: this runs on every write
    try:
        stat = os.stat(name)
    except FileNotFoundError:
        if env_value or not create:
            stat = None
        else:
            _create_file(Path(name))
            stat = os.stat(name)
    marker = (name, env_value, stat and (stat.st_ino, stat.st_mtime_ns, stat.st_size))
    cached = _cache.get(marker)
    if cached is not None:
        return cached
    env_keys = [_key(s.strip()) for s in env_value.split(",") if s.strip()]
    keys = env_keys + (_read_file(Path(name)) if stat else [])
    if not keys:
        return None
    ring = Keyring(current=keys[0], keys={k.id: k for k in reversed(keys)}, from_env=bool(env_keys))
    _cache.clear()
    _cache[marker] = ring
    return ring


def require_keyring() -> Keyring:
    ring = keyring(create=True)
    if ring is None:  # pragma: no cover - keyring(create=True) always has a key
        raise AuditKeyError("no audit key")
    return ring


def rotate() -> tuple[str, str]:
    """Add a new key to the keyring file and make it current; returns (old id, new id)."""
    if getattr(settings, "REFORMTRACK_AUDIT_KEY", ""):
        raise AuditKeyError(
            "The audit key comes from REFORMTRACK_AUDIT_KEY: put the new key first there "
            "(REFORMTRACK_AUDIT_KEY=new,old); the next audit record notes the rotation."
        )
    old = require_keyring().current.id
    path = key_path()
    lock = os.open(path.with_name(f".{path.name}.lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        entries = json.loads(path.read_text(encoding="utf-8"))["keys"]
        entries.append(_new_entry())
        tmp = _write_file(path, entries)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.close(lock)
    return old, require_keyring().current.id


def secure_open_append(path: Path) -> int:
    """An append-only 0600 file descriptor (the folder made 0700 if new)."""
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.fchmod(fd, 0o600)
    return fd
