"""Closing a reporting period: the roll-up of every subtree is kept as it stood."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reformtrack.core.models.audit import AuditAction
from reformtrack.core.services import audit
from reformtrack.core.stored_messages import Message
from reformtrack.orgs.models import Organisation

from ..models import LedgerTask, Programme, ReportingPeriod, RollupSnapshot
from ..periods import period_end_of
from ..selectors.rollup import Tally, aggregates, tally_of
from .programmes import may_load_libraries

BATCH = 2000


def subtree_tallies(programme: Programme, as_of: dt.date) -> dict[str, Tally]:
    """Tally of every organisation's subtree as of a day: own tasks summed up every ancestor."""
    own = (
        LedgerTask.objects.filter(programme=programme, parent__isnull=True)
        .values("org_path")
        .annotate(**aggregates(as_of, as_of=as_of))
        .order_by()
    )
    step = Organisation.steplen
    totals: dict[str, Tally] = defaultdict(Tally)
    for row in own:
        tally, path = tally_of(row), row["org_path"]
        for end in range(step, len(path) + 1, step):
            totals[path[:end]].add(tally)
    return totals


def close_period(*, user, programme: Programme, day: dt.date, progress=None) -> ReportingPeriod:
    """Snapshot every subtree's roll-up at the period's end; closing again refreshes it.

    Batch work (seconds to minutes at national scale): it runs as the "close period" job
    (`close_period_job`), from the command line or the dashboard, never inside a request."""
    from reformtrack.core.jobs.progress import NullProgress

    if not may_load_libraries(user):
        raise PermissionDenied(_("Only a supervisor administrator closes reporting periods."))
    progress = progress or NullProgress()
    period_end = period_end_of(programme.reporting, day)
    progress.at(Message(gettext_noop("Counting the ledger")))
    totals = subtree_tallies(programme, min(period_end, timezone.localdate()))
    found = Organisation.objects.filter(path__in=list(totals)).values_list("path", "id", "code")
    orgs = {path: (pk, code) for path, pk, code in found}
    snapshots = [
        RollupSnapshot(
            programme=programme,
            period_end=period_end,
            organisation_id=orgs[path][0],
            org_path=path,
            tasks=t.tasks,
            done=t.done,
            main_tasks=t.main_tasks,
            main_done=t.main_done,
            weight=t.weight,
            weight_done=t.weight_done,
            progress=t.progress or 0,
            overdue=t.overdue,
        )
        for path, t in sorted(totals.items())
        if path in orgs
    ]
    progress.total = len(snapshots)
    with transaction.atomic():
        period, _created = ReportingPeriod.objects.get_or_create(
            programme=programme, period_end=period_end
        )
        RollupSnapshot.objects.filter(programme=programme, period_end=period_end).delete()
        for start in range(0, len(snapshots), BATCH):
            batch = snapshots[start : start + BATCH]
            RollupSnapshot.objects.bulk_create(batch)
            progress.advance(len(batch), orgs[batch[-1].org_path][1])
        period.closed_at = timezone.now()
        period.closed_by = user
        period.save()
        audit.record(
            action=AuditAction.UPDATE,
            instance=period,
            changes={"snapshots": {"before": None, "after": len(totals)}},
        )
    return period


def close_period_job(*, progress, user, programme: int, day: str) -> dict:
    """The "close period" job: `programme` id, `day` an ISO date inside the period."""
    target = Programme.objects.get(pk=programme)
    period = close_period(
        user=user, programme=target, day=dt.date.fromisoformat(day), progress=progress
    )
    kept = progress.total or 0
    return {
        "programme": target.code,
        "period_end": period.period_end.isoformat(),
        "snapshots": kept,
        "summary": _("%(programme)s: period ending %(end)s closed, %(n)s subtrees kept")
        % {"programme": target.code, "end": period.period_end.isoformat(), "n": kept},
    }
