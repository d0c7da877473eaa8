"""Closing a reporting period: the roll-up of every subtree is kept as it stood."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.models.audit import AuditAction
from reformtrack.core.services import audit
from reformtrack.orgs.models import Organisation

from ..models import LedgerTask, Programme, ReportingPeriod, RollupSnapshot
from ..periods import period_end_of
from ..selectors.rollup import Tally, aggregates, tally_of
from .programmes import may_load_libraries


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


@transaction.atomic
def close_period(*, user, programme: Programme, day: dt.date) -> ReportingPeriod:
    """Snapshot every subtree's roll-up at the period's end; closing again refreshes it."""
    if not may_load_libraries(user):
        raise PermissionDenied(_("Only a supervisor administrator closes reporting periods."))
    period_end = period_end_of(programme.reporting, day)
    period, _created = ReportingPeriod.objects.get_or_create(
        programme=programme, period_end=period_end
    )
    totals = subtree_tallies(programme, min(period_end, timezone.localdate()))
    ids = dict(Organisation.objects.filter(path__in=list(totals)).values_list("path", "id"))
    RollupSnapshot.objects.filter(programme=programme, period_end=period_end).delete()
    RollupSnapshot.objects.bulk_create(
        (
            RollupSnapshot(
                programme=programme,
                period_end=period_end,
                organisation_id=ids[path],
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
            for path, t in totals.items()
            if path in ids
        ),
        batch_size=2000,
    )
    period.closed_at = timezone.now()
    period.closed_by = user
    period.save()
    audit.record(
        action=AuditAction.UPDATE,
        instance=period,
        changes={"snapshots": {"before": None, "after": len(totals)}},
    )
    return period
