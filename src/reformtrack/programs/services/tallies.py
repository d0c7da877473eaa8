"""Keeping `LedgerTally` current: every ledger write recounts the organisations it touched.

Single saves recount through the LedgerTask signals (receivers.py); bulk writes (launch,
import, overdue marking, demo) call `touched` inside `deferred()` and recount once at the end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reformtrack.core.models.audit import AuditAction
from reformtrack.core.services import audit

from ..choices import TaskStatus
from ..counting import TALLY_FIELDS, aggregates, tally_of
from ..models import LedgerTally, LedgerTask, Programme

CHUNK = 500
WHOLE = 5000  # organisations touched at once above which the whole programme is recounted
_pending: ContextVar[set | None] = ContextVar("ledger_tally_pending", default=None)


def refresh(pairs: Iterable[tuple[int, int]]) -> None:
    """Recount the tallies of (programme id, organisation id) pairs from their tasks."""
    by_programme: dict[int, set[int]] = defaultdict(set)
    for programme_id, organisation_id in pairs:
        by_programme[programme_id].add(organisation_id)
    for programme_id, org_ids in by_programme.items():
        if len(org_ids) > WHOLE:  # cheaper to recount the whole programme in one pass
            _recount(programme_id, Q())
            continue
        ordered = sorted(org_ids)
        for start in range(0, len(ordered), CHUNK):
            _recount(programme_id, Q(organisation_id__in=ordered[start : start + CHUNK]))


def rebuild(programme: Programme) -> int:
    """Recount every tally of a programme (after raw loads); returns the rows written."""
    with transaction.atomic():
        return _recount(programme.pk, Q())


def _recount(programme_id: int, which: Q) -> int:
    LedgerTally.objects.filter(which, programme_id=programme_id).delete()
    rows = (
        LedgerTask.objects.filter(which, programme_id=programme_id, parent__isnull=True)
        .values("organisation_id", "org_path", "area_id")
        .annotate(**aggregates(None))
        .order_by()
    )
    tallies = []
    for row in rows.iterator(chunk_size=5000):
        tally = tally_of(row)
        tallies.append(
            LedgerTally(
                programme_id=programme_id,
                organisation_id=row["organisation_id"],
                org_path=row["org_path"],
                area_id=row["area_id"],
                **{name: getattr(tally, name) for name in TALLY_FIELDS},
            )
        )
    LedgerTally.objects.bulk_create(tallies, batch_size=2000)
    return len(tallies)


def touched(programme_id: int, organisation_id: int) -> None:
    """Note a ledger write: recount now, or at the end of the enclosing `deferred()`."""
    pending = _pending.get()
    if pending is None:
        refresh([(programme_id, organisation_id)])
    else:
        pending.add((programme_id, organisation_id))


@contextmanager
def deferred():
    """Collect the organisations written inside, recount each once when the block succeeds."""
    if _pending.get() is not None:  # nested: the outer block recounts
        yield
        return
    token = _pending.set(set())
    try:
        yield
        pairs = _pending.get()
    finally:
        _pending.reset(token)
    refresh(pairs)


@transaction.atomic
def mark_overdue(programme: Programme, today: dt.date | None = None) -> int:
    """Open tasks past their deadline become overdue (逾期), as ledgers mark them."""
    today = today or timezone.localdate()
    late = LedgerTask.objects.filter(
        programme=programme,
        status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS],
        deadline__lt=today,
    )
    pairs = set(late.values_list("programme_id", "organisation_id").distinct())
    count = late.update(status=TaskStatus.OVERDUE)
    Programme.objects.filter(pk=programme.pk).update(overdue_marked_on=today)
    programme.overdue_marked_on = today
    refresh(pairs)
    if count:
        audit.record(
            action=AuditAction.UPDATE,
            instance=programme,
            changes={"overdue_marked": {"before": None, "after": count}},
        )
    return count


def ensure_overdue_marked(programme: Programme, today: dt.date | None = None) -> None:
    """Roll-ups read statuses: mark the day's newly overdue tasks first (once a day)."""
    today = today or timezone.localdate()
    if programme.overdue_marked_on != today:
        mark_overdue(programme, today)
