"""Evidence files of ledger tasks: checked and stored by core's file service, a second file of
the same title kept as a new version."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action
from reformtrack.core.services.files import check_file, store_upload

from ..choices import ReportState
from ..models import Evidence, EvidenceVersion, LedgerTask, ProgressReport
from ..periods import period_end_of
from .tasks import require

EDITABLE = (ReportState.DRAFT, ReportState.RETURNED)


def current_draft(task: LedgerTask):
    """The task's draft or returned report of the current period, if there is one."""
    period_end = period_end_of(task.programme.reporting, timezone.localdate())
    drafts = ProgressReport.objects.filter(task=task, period_end=period_end, state__in=EDITABLE)
    return drafts.first()


def file_loose_evidence(report: ProgressReport) -> int:
    """Evidence of the task that no report carries yet goes with `report` (a draft being saved
    or submitted), so the approver sees what was uploaded on the task page before."""
    if report.state not in EDITABLE:
        return 0
    loose = list(Evidence.objects.filter(task_id=report.task_id, report__isnull=True))
    for item in loose:  # one by one, so the audit records each filing
        item.report = report
        item.save(update_fields=["report"])
    return len(loose)


@transaction.atomic
def add_evidence(*, user, task: LedgerTask, upload, title: str = "", report=None):
    """Attach a file; the same title again is a new version of that evidence. With `report`,
    the file is filed with that draft or returned report of the task; without, with the
    task's draft of the current period if there is one (else with the next report saved)."""
    require(user, Action.REPORT, task)
    if report is not None and (report.task_id != task.pk or report.state not in EDITABLE):
        raise ValidationError(_("Evidence can be added only to a draft or returned report."))
    check_file(upload)  # before the evidence row is made
    report = report or current_draft(task)
    title = (title or PurePath(upload.name).stem).strip()[:200]
    evidence, _created = Evidence.objects.get_or_create(
        task=task, title=title, defaults={"report": report}
    )
    if evidence.report_id is None and report is not None:
        evidence.report = report
        evidence.save(update_fields=["report"])
    number = (evidence.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return store_upload(EvidenceVersion(evidence=evidence), upload, user=user, number=number)


@transaction.atomic
def add_evidence_files(*, user, task: LedgerTask, uploads, title: str = "", report=None) -> list:
    """Several files of one upload, all kept or none: each checked before any is stored; the
    title names a single file (several are each titled by their name)."""
    for upload in uploads:
        check_file(upload)
    title = title if len(uploads) == 1 else ""
    return [
        add_evidence(user=user, task=task, upload=upload, title=title, report=report)
        for upload in uploads
    ]
