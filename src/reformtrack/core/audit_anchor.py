"""Signed checkpoints of the audit chain's head, kept outside the database: appended to
`<audit dir>/audit-anchors.log` (0600) and sent to syslog. Someone who rewrites or empties the
audit table cannot rewrite these without the key, so `audit verify` can tell a cut tail."""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .audit_hash import mac
from .audit_keys import algorithm, audit_dir, require_keyring, secure_open_append

ANCHOR_FILE = "audit-anchors.log"
SYSLOG_SOCKET = "/dev/log"  # REFORMTRACK_AUDIT_SYSLOG overrides it ("" turns syslog off)
SIGNED_FIELDS = ("seq", "hash", "at", "count", "key_id", "algorithm")

_syslog: dict[str, logging.Logger] = {}


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    count: int
    line: int


def anchor_path() -> Path:
    return audit_dir() / ANCHOR_FILE


def _message(data: dict) -> bytes:
    signed = {name: data[name] for name in SIGNED_FIELDS}
    return json.dumps(signed, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _syslog_logger() -> logging.Logger:
    """A logger that sends to the local syslog socket when there is one, else nowhere (a missing
    or refusing socket never stops the audit)."""
    address = getattr(settings, "REFORMTRACK_AUDIT_SYSLOG", SYSLOG_SOCKET)
    logger = _syslog.get(address)
    if logger is None:
        logger = logging.Logger(f"reformtrack.audit.anchor.{len(_syslog)}", logging.INFO)
        if address and os.path.exists(address):
            try:
                handler = logging.handlers.SysLogHandler(address=address)
                handler.setFormatter(logging.Formatter("reformtrack: %(message)s"))
                logger.addHandler(handler)
            except OSError:
                pass
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        _syslog[address] = logger
    return logger


def write_checkpoint(*, seq: int, hash: str, count: int) -> dict:
    """Sign (seq, hash, time, count) with the current key; append to the file and syslog."""
    key = require_keyring().current
    data = {
        "seq": seq,
        "hash": hash,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "count": count,
        "key_id": key.id,
        "algorithm": algorithm(),
    }
    data["mac"] = mac(key.secret, _message(data), data["algorithm"])
    line = json.dumps(data, sort_keys=True, separators=(",", ":"))
    fd = secure_open_append(anchor_path())
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    _syslog_logger().info("audit checkpoint %s", line)
    return data


def checkpoint_every() -> int:
    return max(1, int(getattr(settings, "REFORMTRACK_AUDIT_CHECKPOINT_EVERY", 100)))


def read_checkpoints(keyring) -> tuple[list[Checkpoint], list[int]]:
    """The checkpoints whose signature checks out, and the line numbers of those that do not
    (a final line without its newline, cut by a crash mid-write, is skipped)."""
    path = anchor_path()
    if not path.exists():
        return [], []
    good, bad = [], []
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    elif lines:
        lines.pop()  # unterminated: an interrupted write
    for number, line in enumerate(lines, start=1):
        try:
            data = json.loads(line)
            key = keyring.get(data["key_id"]) if keyring else None
            signed = key is not None and mac(key.secret, _message(data), data["algorithm"])
            if not signed or signed != data["mac"]:
                raise ValueError("bad signature")
            good.append(
                Checkpoint(int(data["seq"]), data["hash"], data["at"], int(data["count"]), number)
            )
        except (ValueError, KeyError, TypeError):
            bad.append(number)
    return good, bad
