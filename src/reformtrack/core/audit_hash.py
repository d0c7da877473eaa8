"""Canonical form and hash of an audit record, shared by writing and verifying.

Records are chained by an HMAC (SHA-256, or SM3 by setting) under a key kept outside the database
(core.audit_keys). Records written before keys existed carry the legacy key id and keep the old,
unkeyed SHA-256 over `HASHED_FIELDS`.
"""

import datetime as dt
import hashlib
import hmac
import json
import uuid
from decimal import Decimal

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "request_id",
    "prev_hash",
)
# A keyed record's hash also covers the key and algorithm it was made with and the approval it
# was applied on.
KEYED_FIELDS = (*HASHED_FIELDS, "key_id", "algorithm", "on_approval")
LEGACY_ALGORITHM = "sha256"


_PLAIN = frozenset({str, int, bool})


def to_json_value(value):
    """Plain JSON form of a field value, stable across SQLite and PostgreSQL round trips."""
    if value is None or type(value) in _PLAIN:  # the common case, asked first (bulk imports)
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):  # plain keys and values kept without a call each (snapshots)
        return {
            k if type(k) is str else str(k): v
            if v is None or type(v) in _PLAIN
            else to_json_value(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [v if v is None or type(v) in _PLAIN else to_json_value(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def canonical(values: dict, fields: tuple[str, ...], texts: dict[str, str] | None = None) -> bytes:
    """The published canonical form: sorted compact JSON of the named fields. `texts` gives
    fields already in that form (`canonical_json` of their plain value), spliced in as they are:
    a bulk writer serialises a record's changes once, for its hash and for its column."""
    if not texts:
        data = {name: to_json_value(values[name]) for name in fields}
        return canonical_json(data).encode("utf-8")
    parts, run = [], {}
    for name in sorted(fields):  # as sort_keys orders the whole object
        if name in texts:
            if run:
                parts.append(canonical_json(run)[1:-1])
                run = {}
            parts.append(f"{canonical_json(name)}:{texts[name]}")
        else:
            value = values[name]
            run[name] = value if value is None or type(value) in _PLAIN else to_json_value(value)
    if run:
        parts.append(canonical_json(run)[1:-1])
    return ("{" + ",".join(parts) + "}").encode("utf-8")


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(value) -> str:
    """Sorted compact JSON of a value already in plain form (see `to_json_value`): what
    `json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))` gives, with
    one encoder made once."""
    return _CANONICAL.encode(value)


def record_hash(values: dict) -> str:
    """The legacy, unkeyed hash (records marked with the legacy key id)."""
    return hashlib.sha256(canonical(values, HASHED_FIELDS)).hexdigest()


def public_hashes(values: dict) -> set[str]:
    """What someone without the key could compute: plain SHA-256 of either canonical form.
    A keyed record whose hash is one of these was re-hashed without the key."""
    return {record_hash(values), hashlib.sha256(canonical(values, KEYED_FIELDS)).hexdigest()}


def _sm3(data: bytes) -> bytes:
    from gmssl import func, sm3

    return bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(data)))


def _hmac_sm3(key: bytes, message: bytes) -> str:
    """HMAC (RFC 2104) over SM3 (GB/T 32905), block size 64 bytes."""
    if len(key) > 64:
        key = _sm3(key)
    key = key.ljust(64, b"\0")
    inner = _sm3(bytes(b ^ 0x36 for b in key) + message)
    return _sm3(bytes(b ^ 0x5C for b in key) + inner).hex()


def mac(key: bytes, message: bytes, algorithm: str) -> str:
    """Hex HMAC of `message` under `key` with "hmac-sha256" or "hmac-sm3"."""
    if algorithm == "hmac-sha256":
        return hmac.new(key, message, hashlib.sha256).hexdigest()
    if algorithm == "hmac-sm3":
        return _hmac_sm3(key, message)
    raise ValueError(f"unknown audit algorithm {algorithm!r}")


def keyed_hash(values: dict, key: bytes, texts: dict[str, str] | None = None) -> str:
    """A keyed record's hash: the HMAC named by its `algorithm` over the keyed canonical form
    (`texts`: fields given already serialised, as `canonical` takes them)."""
    return mac(key, canonical(values, KEYED_FIELDS, texts), values["algorithm"])
