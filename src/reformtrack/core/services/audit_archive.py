"""Off-site copies of old audit records: JSON lines with their hashes, so the copy verifies on
its own (`audit verify --archive FILE`). The rows stay in the database (they are append-only)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from django.utils import timezone

from ..audit_hash import to_json_value
from ..audit_keys import ensure_private_dir
from ..models import AuditRecord
from ..selectors.audit import ROW_FIELDS


def archive_records(*, before: dt.date, path: Path) -> dict:
    """Write every record made before `before` (local date), from record 1, to a new 0600 file."""
    start = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    last_seq = (
        AuditRecord.objects.filter(at__lt=start).order_by("-seq").values_list("seq", flat=True)
    ).first() or 0
    header = {
        "format": "reformtrack-audit-archive",
        "version": 1,
        "before": before.isoformat(),
        "written": timezone.now().isoformat(timespec="seconds"),
        "first_seq": 1 if last_seq else 0,
        "last_seq": last_seq,
    }
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    rows = AuditRecord.objects.filter(seq__lte=last_seq).order_by("seq").values(*ROW_FIELDS)
    count = 0
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(header, ensure_ascii=False) + "\n")
        for row in rows.iterator(chunk_size=5000):
            handle.write(json.dumps(to_json_value(row), ensure_ascii=False) + "\n")
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    return {**header, "count": count, "file": str(path)}
