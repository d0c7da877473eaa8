"""Reading and verifying the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..audit_hash import GENESIS_HASH, HASHED_FIELDS, record_hash
from ..models import AuditChainHead, AuditRecord


@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_bad_seq": self.first_bad_seq,
            "reason": self.reason,
        }


def audit_records():
    """All records, newest first; only audit administrators reach the views that call this."""
    return AuditRecord.objects.all()


def verify_chain(*, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Recompute every hash in order; name the first record altered, removed or inserted."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    rows = AuditRecord.objects.order_by("seq").values(*HASHED_FIELDS, "hash")
    for row in rows.iterator(chunk_size=5000):
        seq = row["seq"]
        if seq != expected_seq:
            reason = _("record %(seq)s is missing (the next is %(next)s)")
            return ChainReport(
                False, checked, expected_seq, reason % {"seq": expected_seq, "next": seq}
            )
        if row["prev_hash"] != prev_hash:
            reason = _("record %(seq)s does not link to record %(prev)s")
            return ChainReport(False, checked, seq, reason % {"seq": seq, "prev": seq - 1})
        if record_hash(row) != row["hash"]:
            reason = _("record %(seq)s was altered after it was written")
            return ChainReport(False, checked, seq, reason % {"seq": seq})
        prev_hash, expected_seq, checked = row["hash"], seq + 1, checked + 1
        if progress:
            progress(1)
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev_hash):
        reason = _("records after %(seq)s were removed (the chain head says %(head)s)")
        return ChainReport(
            False, checked, checked + 1, reason % {"seq": checked, "head": head.last_seq}
        )
    return ChainReport(True, checked)


def history_of(instance):
    """The audit records of one object, newest first (its change history)."""
    return AuditRecord.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    )
