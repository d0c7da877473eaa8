"""Canonical form and hash of an audit record, shared by writing and verifying."""

import datetime as dt
import hashlib
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


def to_json_value(value):
    """Plain JSON form of a field value, stable across SQLite and PostgreSQL round trips."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json_value(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def record_hash(values: dict) -> str:
    canonical = {name: to_json_value(values[name]) for name in HASHED_FIELDS}
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
