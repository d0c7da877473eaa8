"""Reading and verifying the audit trail: every record's keyed hash and link, then the head
against the newest signed checkpoint outside the database (core.audit_anchor)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from ..audit_anchor import read_checkpoints
from ..audit_hash import (
    GENESIS_HASH,
    KEYED_FIELDS,
    keyed_hash,
    public_hashes,
    record_hash,
)
from ..audit_keys import ALGORITHMS, LEGACY_KEY_ID, keyring
from ..models import AuditChainHead, AuditRecord

ROW_FIELDS = (*KEYED_FIELDS, "hash")


@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    # What was found: altered, rehashed, missing, relinked, unknown_key, tail_cut, emptied,
    # rewritten, bad_checkpoint ("" when intact).
    damage: str = ""
    anchor_seq: int | None = None  # the newest checkpoint the chain was checked against
    last_hash: str = GENESIS_HASH

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_bad_seq": self.first_bad_seq,
            "reason": self.reason,
            "damage": self.damage,
            "anchor_seq": self.anchor_seq,
        }


def audit_records():
    """All records, newest first; only audit administrators reach the views that call this."""
    return AuditRecord.objects.all()


def _bad(checked: int, seq: int | None, damage: str, reason: str) -> ChainReport:
    return ChainReport(False, checked, seq, reason, damage)


def _check_record(row: dict, ring, keyed_seen: bool) -> ChainReport | None:
    """The damage in one record's own hash, or None."""
    seq = row["seq"]
    if row["key_id"] == LEGACY_KEY_ID:
        if keyed_seen:
            reason = _(
                "record %(seq)s claims the old unkeyed hash after keyed records began: "
                "the chain was re-hashed without the key"
            )
            return _bad(0, seq, "rehashed", reason % {"seq": seq})
        if record_hash(row) != row["hash"]:
            return _bad(
                0,
                seq,
                "altered",
                _("record %(seq)s was altered after it was written") % {"seq": seq},
            )
        return None
    key = ring.get(row["key_id"]) if ring else None
    if key is None:
        reason = _("record %(seq)s was made with key %(key)s, which is not in the keyring")
        return _bad(0, seq, "unknown_key", reason % {"seq": seq, "key": row["key_id"]})
    if row["algorithm"] in ALGORITHMS and keyed_hash(row, key.secret) == row["hash"]:
        return None
    if row["hash"] in public_hashes(row):
        reason = _("record %(seq)s was re-hashed with the public algorithm, without the key")
        return _bad(0, seq, "rehashed", reason % {"seq": seq})
    return _bad(
        0, seq, "altered", _("record %(seq)s was altered after it was written") % {"seq": seq}
    )


def verify_rows(
    rows: Iterable[dict],
    *,
    ring=None,
    anchor_seq: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[ChainReport, str | None]:
    """Walk records in order from the first; returns the report and the hash found at
    `anchor_seq` (if reached)."""
    expected_seq, prev_hash, checked, keyed_seen, hash_at_anchor = 1, GENESIS_HASH, 0, False, None
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            reason = _("record %(seq)s is missing (the next is %(next)s)")
            report = _bad(
                checked, expected_seq, "missing", reason % {"seq": expected_seq, "next": seq}
            )
            return report, hash_at_anchor
        if row["prev_hash"] != prev_hash:
            reason = _("record %(seq)s does not link to record %(prev)s")
            return _bad(checked, seq, "relinked", reason % {"seq": seq, "prev": seq - 1}), None
        damage = _check_record(row, ring, keyed_seen)
        if damage is not None:
            damage.checked = checked
            return damage, hash_at_anchor
        keyed_seen = keyed_seen or row["key_id"] != LEGACY_KEY_ID
        if seq == anchor_seq:
            hash_at_anchor = row["hash"]
        prev_hash, expected_seq, checked = row["hash"], seq + 1, checked + 1
        if progress:
            progress(1)
    return ChainReport(True, checked, last_hash=prev_hash), hash_at_anchor


def _against_checkpoint(checked: int, newest, hash_at_anchor: str | None) -> ChainReport | None:
    """An emptied table, a cut tail or a rewritten chain, as the newest checkpoint shows them."""
    facts = {"seq": checked, "anchor": newest.seq, "at": newest.at, "count": newest.count}
    if checked == 0 and newest.seq > 0:
        reason = _(
            "the audit table is empty, but the checkpoint of %(at)s anchored %(count)s "
            "records: the table was emptied"
        )
        return _bad(0, 1, "emptied", reason % facts)
    if checked < newest.seq:
        reason = _(
            "records after %(seq)s were removed: the checkpoint of %(at)s anchored record "
            "%(anchor)s (the tail was cut together with the chain head)"
        )
        return _bad(checked, checked + 1, "tail_cut", reason % facts)
    if hash_at_anchor != newest.hash:
        reason = _(
            "record %(anchor)s does not match the checkpoint of %(at)s: the chain was rewritten"
        )
        return _bad(checked, newest.seq, "rewritten", reason % facts)
    return None


def verify_chain(*, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Recompute every hash in order; name the first record altered, re-hashed, removed or
    inserted, then compare the end of the chain with the newest checkpoint and the head."""
    ring = keyring(create=False)
    checkpoints, bad_lines = read_checkpoints(ring)
    newest = max(checkpoints, key=lambda cp: cp.seq, default=None)
    rows = AuditRecord.objects.order_by("seq").values(*ROW_FIELDS).iterator(chunk_size=5000)
    report, hash_at_anchor = verify_rows(
        rows, ring=ring, anchor_seq=newest.seq if newest else None, progress=progress
    )
    if not report.ok:
        return report
    checked = report.checked
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq = head.last_seq if head else 0
    if bad_lines:
        reason = _("line %(line)s of the anchor file is not a checkpoint signed with a known key")
        return _bad(checked, None, "bad_checkpoint", reason % {"line": bad_lines[0]})
    if newest is not None:
        report.anchor_seq = newest.seq
        damage = _against_checkpoint(checked, newest, hash_at_anchor)
        if damage is not None:
            damage.anchor_seq = newest.seq
            return damage
    if checked == 0 and head_seq > 0:
        reason = _(
            "the audit table is empty, but the chain head says %(head)s: the table was emptied"
        )
        return _bad(0, 1, "emptied", reason % {"head": head_seq})
    if head is not None and (head_seq != checked or head.last_hash != report.last_hash):
        reason = _("records after %(seq)s were removed (the chain head says %(head)s)")
        return _bad(checked, checked + 1, "tail_cut", reason % {"seq": checked, "head": head_seq})
    return report


def archived_rows(path: Path) -> Iterable[dict]:
    """The records of an archive written by `audit archive` (JSON lines after a header line)."""
    with path.open(encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        if header.get("format") != "reformtrack-audit-archive":
            raise ValueError(_("%(file)s is not an audit archive") % {"file": path})
        for line in handle:
            if line.strip():
                yield json.loads(line)


def verify_archive(path: Path) -> ChainReport:
    """Recompute the hashes and links of an archive (from record 1, with the keyring)."""
    report, _hash = verify_rows(archived_rows(path), ring=keyring(create=False))
    return report


def history_of(instance):
    """The audit records of one object, newest first (its change history)."""
    return AuditRecord.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    )
