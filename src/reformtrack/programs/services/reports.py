"""Progress reports: drafted, submitted into the shared approval flow, counted once approved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.models import ApprovalRequest
from reformtrack.core.models.approvals import ApprovalStatus
from reformtrack.core.scoping import Action
from reformtrack.core.services import approvals

from ..choices import ReportState
from ..models import LedgerTask, ProgressReport
from ..periods import period_end_of
from .tasks import normalise, require, roll_up_measures

REPORT_FIELDS = ("status", "percent", "narrative", "indicator_actual")


@transaction.atomic
def save_report(*, user, task: LedgerTask, period_end=None, **fields) -> ProgressReport:
    """Create or edit the task's report for a period (the current one by default)."""
    require(user, Action.REPORT, task)
    period_end = period_end_of(task.programme.reporting, period_end or timezone.localdate())
    report = ProgressReport.objects.filter(task=task, period_end=period_end).first()
    if report is None:
        report = ProgressReport(task=task, period_end=period_end, reported_by=user)
    elif report.state in (ReportState.SUBMITTED, ReportState.APPROVED):
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
    return report


@transaction.atomic
def submit_report(*, user, report: ProgressReport, comment: str = "") -> ProgressReport:
    """Into the approval flow; where unapproved progress counts, it counts from now."""
    require(user, Action.REPORT, report)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ValidationError({"state": _("Only a draft or returned report can be submitted.")})
    task = report.task
    approvals.submit(
        target=report,
        organisation=task.organisation,
        user=user,
        title=_("Progress of %(code)s for %(period)s")
        % {"code": task.code, "period": f"{report.period_end:%Y-%m}"},
        comment=comment,
    )
    report.state = ReportState.SUBMITTED
    report.save(update_fields=["state", "updated_at"])
    if not task.programme.count_only_approved:
        apply_report(report)
    return report


def apply_report(report: ProgressReport) -> LedgerTask:
    """The report's figures become the task's counted state."""
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
                apply_report(report)
        elif outcome == ApprovalStatus.RETURNED:
            report.state = ReportState.RETURNED
            report.save(update_fields=["state", "updated_at"])
