"""Progress reports: drafted, submitted into the shared approval flow, counted once approved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reformtrack.core.models import ApprovalRequest
from reformtrack.core.models.approvals import ApprovalStatus
from reformtrack.core.scoping import Action
from reformtrack.core.services import approvals
from reformtrack.core.services.versioning import check_version, lock
from reformtrack.core.stored_messages import Message

from ..choices import ReportState
from ..models import LedgerTask, ProgressReport
from ..periods import period_end_of
from . import evidence, plan_changes  # noqa: F401  (plan_changes: its approval receiver)
from .tasks import normalise, require, roll_up_measures

REPORT_FIELDS = ("status", "percent", "narrative", "indicator_actual")


@transaction.atomic
def save_report(
    *, user, task: LedgerTask, period_end=None, expected_version=None, **fields
) -> ProgressReport:
    """Create or edit the task's report for a period (the current one by default).

    `expected_version` is the version of the report the user edited, 0 when they saw none
    (a report made meanwhile is then not overwritten); None skips the check (system paths).
    Evidence of the task that no report carries yet goes with this report."""
    require(user, Action.REPORT, task)
    expected_version = fields.pop("version", expected_version)
    period_end = period_end_of(task.programme.reporting, period_end or timezone.localdate())
    report = (
        ProgressReport.objects.select_for_update().filter(task=task, period_end=period_end).first()
    )
    if report is None:
        report = ProgressReport(task=task, period_end=period_end, reported_by=user)
    else:
        check_version(report, expected_version)
    if report.pk and report.state in (ReportState.SUBMITTED, ReportState.APPROVED):
        raise ValidationError(
            {
                "state": _("This period's report is %(state)s and can no longer be edited.")
                % {"state": report.get_state_display()}
            }
        )
    for key in REPORT_FIELDS:
        if key in fields:
            setattr(report, key, fields[key])
    report.reported_by = user if user is not None else report.reported_by
    report.full_clean(exclude=["task", "reported_by"])
    report.save()
    evidence.file_loose_evidence(report)
    return report


@transaction.atomic
def submit_report(
    *, user, report: ProgressReport, comment: str = "", expected_version=None
) -> ProgressReport:
    """Into the approval flow; where unapproved progress counts, it counts from now. With
    `expected_version`, the report submitted must be the one the user saw."""
    require(user, Action.REPORT, report)
    report = lock(ProgressReport, report.pk, expected_version)
    evidence.file_loose_evidence(report)
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ValidationError({"state": _("Only a draft or returned report can be submitted.")})
    task = report.task
    approvals.submit(
        target=report,
        organisation=task.organisation,
        user=user,
        title=Message(
            gettext_noop("Progress of %(code)s for %(period)s"),
            code=task.code,
            period=f"{report.period_end:%Y-%m}",
        ),
        comment=comment,
    )
    report.state = ReportState.SUBMITTED
    report.save(update_fields=["state", "updated_at"])
    if not task.programme.count_only_approved:
        apply_report(report)
    return report


def apply_report(report: ProgressReport) -> LedgerTask:
    """The report's figures become the task's counted state: the one way progress reaches the
    ledger (besides a programme's audited direct entry)."""
    task = LedgerTask.objects.select_for_update().get(pk=report.task_id)
    task.status = report.status
    task.percent = report.percent
    task.progress = report.narrative
    if report.indicator_actual is not None:
        task.indicator_actual = report.indicator_actual
    normalise(task)
    task.save()
    if task.parent_id:
        roll_up_measures(task.parent)
    return task


@receiver(approvals.approval_finished, sender=ApprovalRequest)
def _on_approval_finished(sender, request, outcome, **kwargs):
    report = request.target
    if not isinstance(report, ProgressReport):
        return
    with transaction.atomic():
        if outcome == ApprovalStatus.APPROVED:
            report.state = ReportState.APPROVED
            report.save(update_fields=["state", "updated_at"])
            if report.task.programme.count_only_approved:
                apply_report(report)  # core applies it in the submitter's name
        elif outcome == ApprovalStatus.RETURNED:
            report.state = ReportState.RETURNED
            report.save(update_fields=["state", "updated_at"])
