"""Progress rows of a ledger import, a batch at a time: the reports, approval requests, their
submission steps, the notices and the audit records that `save_report` + `submit_report` make
one report at a time, written in bulk.

The rules are the single path's, checked the same way: the importer may report on each task
and submit for its organisation (else the row's error, as the single path words it); a report
is saved as a draft and submitted into its chain (never at a level whose approve right the
submitter holds, so nobody approves their own); its version goes up on the submission; the
audit chain gets, per report and in the rows' order, its creation, the submission step and its
change of state, with the importer as actor. What differs is the cost: a batch's reads are one
query per table (existing reports, loose evidence, pending or returned requests, organisations)
and its writes one INSERT per table, one UPDATE of the reports' state and one audit batch.

A report the bulk path would write differently goes through the single path instead: a task
that already has a report for the period (editing a draft, refusing a submitted one), evidence
waiting to be filed with the next report, and programmes where unapproved progress counts at
once (each submission moves the ledger's figures). `tests/test_import_progress_bulk.py` checks
the two paths give the same reports, requests, steps, notices, audit records and tallies.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reformtrack.core.models import ApprovalRequest, ApprovalStep, Notification
from reformtrack.core.models.approvals import ApprovalStatus, StepDecision
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.scoping import Action, can
from reformtrack.core.services import approvals, audit, notifications
from reformtrack.core.stored_messages import Message, site_text
from reformtrack.orgs.models import Organisation

from ..choices import ReportState
from ..models import Evidence, LedgerTask, Programme, ProgressReport
from ..periods import period_end_of

CHAIN = "default"  # the chain submit_report submits into


@dataclass
class Item:
    """One row's report: the row, the task (locked, or just created) and the report's fields."""

    row: int
    task: LedgerTask
    fields: dict


def single_path_tasks(programme: Programme, task_ids: list[int]) -> set[int]:
    """Tasks whose report the bulk path does not write (see the module's docstring): one query
    for the period's reports, one for evidence not filed yet."""
    if not programme.count_only_approved:
        return set(task_ids)
    period_end = period_end_of(programme.reporting, timezone.localdate())
    has_report = ProgressReport.objects.filter(task_id__in=task_ids, period_end=period_end)
    loose = Evidence.objects.filter(task_id__in=task_ids, report__isnull=True)
    return set(has_report.values_list("task_id", flat=True)) | set(
        loose.values_list("task_id", flat=True)
    )


class Submitter:
    """What repeats across a file's reports, read once: organisations, their chains and who
    may decide their first level (roles do not change during an import)."""

    def __init__(self, *, user, programme: Programme, comment: str):
        self.user, self.programme, self.comment = user, programme, comment
        self.content_type = ContentType.objects.get_for_model(ProgressReport)
        self.orgs: dict[int, Organisation] = {}
        self.chains: dict[int, list] = {}
        self.holders: dict[int, list] = {}
        self.may_submit: dict[int, bool] = {}

    # --- what repeats ----------------------------------------------------------------------

    def _organisations(self, items: list[Item]) -> None:
        wanted = {i.task.organisation_id for i in items} - self.orgs.keys()
        if wanted:
            self.orgs.update(Organisation.objects.in_bulk(wanted))
        for item in items:  # str(report) and the chain read the task's organisation
            item.task.organisation = self.orgs[item.task.organisation_id]

    def _chain(self, org: Organisation) -> list:
        if org.pk not in self.chains:
            self.chains[org.pk] = approvals.chain_levels(org, CHAIN, submitter=self.user)
        return self.chains[org.pk]

    def _holders(self, org: Organisation) -> list:
        if org.pk not in self.holders:
            self.holders[org.pk] = approvals.holders(org)
        return self.holders[org.pk]

    # --- one batch ---------------------------------------------------------------------------

    def submit(self, items: list[Item]) -> list[tuple[int, Exception]]:
        """Save and submit the items' reports; (row, refusal) for each row refused, and then
        nothing of the batch is written (the caller fails the whole import)."""
        if not items:
            return []
        self._organisations(items)
        period_end = period_end_of(self.programme.reporting, timezone.localdate())
        reports, refused = [], []
        for item in items:
            report, problem = self._draft(item, period_end)
            if problem is not None:
                refused.append((item.row, problem))
            reports.append(report)
        if refused:
            return refused
        ProgressReport.objects.bulk_create(reports)  # auto_now(_add): the insert's time
        created = [audit.snapshot(report) for report in reports]
        requests, refused = self._requests(items, reports)
        if refused:
            return refused
        reopened = [r for r in requests if r.pk is not None]  # a returned one, same report id
        ApprovalRequest.objects.bulk_create([r for r in requests if r.pk is None])
        for request in reopened:
            request.save()
        self._steps_and_notices(requests)
        submitted_at = timezone.now()
        ProgressReport.objects.filter(pk__in=[r.pk for r in reports]).update(
            state=ReportState.SUBMITTED, version=F("version") + 1, updated_at=submitted_at
        )
        entries = []
        for report, before, request in zip(reports, created, requests, strict=True):
            report.state, report.version = ReportState.SUBMITTED, report.version + 1
            report.updated_at = submitted_at
            entries.append(
                {
                    "action": AuditAction.CREATE,
                    "instance": report,
                    "changes": {"after": before},
                    "plain": True,
                }  # fmt: skip
            )
            entries.append(
                {
                    "action": AuditAction.APPROVAL,
                    "instance": request,
                    "changes": self._step_changes(request),
                }  # fmt: skip
            )
            changed = audit.diff(before, audit.snapshot(report))
            entries.append(
                {
                    "action": AuditAction.UPDATE,
                    "instance": report,
                    "changes": changed,
                    "plain": True,
                }  # fmt: skip
            )
        audit.record_many(entries)
        return []

    def _draft(self, item: Item, period_end) -> tuple[ProgressReport, Exception | None]:
        """The report save_report would save for the row (checked, not written), or why not."""
        report = ProgressReport(task=item.task, period_end=period_end, reported_by=self.user)
        if not can(self.user, Action.REPORT, report):
            return report, PermissionDenied(_("You may not do this here."))
        for key, value in item.fields.items():
            setattr(report, key, value)
        try:
            report.full_clean(exclude=["task", "reported_by"])
        except ValidationError as exc:
            return report, exc
        return report, None

    def _requests(self, items: list[Item], reports: list[ProgressReport]):
        """Each report's approval request as approvals.submit opens it (or reopens a returned
        one of the same object id), not written yet."""
        ids = [str(r.pk) for r in reports]
        earlier: dict[str, list] = {}
        for request in ApprovalRequest.objects.filter(
            content_type=self.content_type,
            object_id__in=ids,
            status__in=(ApprovalStatus.PENDING, ApprovalStatus.RETURNED),
        ).order_by("pk"):
            earlier.setdefault(request.object_id, []).append(request)
        now = timezone.now()
        requests, refused = [], []
        for item, report in zip(items, reports, strict=True):
            org = item.task.organisation
            if org.pk not in self.may_submit:
                self.may_submit[org.pk] = can(self.user, Action.REPORT, org)
            if not self.may_submit[org.pk]:
                refused.append(
                    (item.row, PermissionDenied(_("You may not submit for this organisation.")))
                )
                continue
            same = earlier.get(str(report.pk), [])
            if any(r.status == ApprovalStatus.PENDING for r in same):
                refused.append(
                    (item.row, ValidationError(_("This item is already waiting for approval.")))
                )
                continue
            returned = [r for r in same if r.status == ApprovalStatus.RETURNED]
            request = returned[0] if returned else ApprovalRequest(
                content_type=self.content_type, object_id=str(report.pk), round=0, version=0
            )  # fmt: skip
            levels = self._chain(org)
            request.title = Message(
                gettext_noop("Progress of %(code)s for %(period)s"),
                code=item.task.code,
                period=f"{report.period_end:%Y-%m}",
            )
            request.organisation = org
            request.chain = CHAIN
            request.levels = [level.pk for level in levels]
            request.status = ApprovalStatus.PENDING
            request.submitted_by = self.user
            request.submitted_at = now
            request.decided_at = None
            request.round += 1
            request.version += 1
            self._enter(request, levels, now)
            requests.append(request)
        return requests, refused

    def _enter(self, request: ApprovalRequest, levels: list, now) -> None:
        """approvals._enter at the first level: waiting for those who may decide it, or
        blocked and shown to the level above when nobody else may."""
        request.current_level = 0
        request.current_organisation = levels[0]
        request.waiting_since = now
        request.chased_on = None
        request.blocked_since = None
        request.escalated_to = None
        request._deciders = [u for u in self._holders(levels[0]) if u.pk != self.user.pk]
        if not request._deciders:
            request.blocked_since = now
            request.escalated_to = levels[1] if len(levels) > 1 else levels[0]

    def _step_changes(self, request: ApprovalRequest) -> dict:
        return {
            "decision": StepDecision.SUBMIT,
            "level": 0,
            "organisation": request.current_organisation.code,
            "round": request.round,
            "comment": self.comment,
        }

    def _steps_and_notices(self, requests: list[ApprovalRequest]) -> None:
        """The submission step of each request and the notices approvals.submit sends: to who
        may decide the first level, or, when it is blocked, to the level above."""
        steps, notices = [], []
        for request in requests:
            steps.append(
                ApprovalStep(
                    request=request,
                    level=0,
                    organisation=request.current_organisation,
                    decision=StepDecision.SUBMIT,
                    actor=self.user,
                    at=timezone.now(),
                    comment=self.comment,
                    round=request.round,
                    to_level=None,
                )  # fmt: skip
            )
            with translation.override(settings.LANGUAGE_CODE):
                where = {
                    "title": request.title_message or request.stored_title,
                    "org": request.current_organisation,
                    "n": 1,
                    "total": len(request.levels),
                }
                if request._deciders:
                    title = Message(
                        gettext_noop(
                            "For your decision: %(title)s (level %(n)s of %(total)s, %(org)s)"
                        ),
                        **where,
                    )
                    notices += [
                        _notice(u, "approval_waiting", title, self.comment, request)
                        for u in request._deciders
                    ]
                else:
                    title = Message(
                        gettext_noop(
                            "Blocked: nobody else may decide level %(n)s (%(org)s) of %(title)s; "
                            "give someone there the approving role"
                        ),
                        **where,
                    )
                    notices += [
                        _notice(u, "approval_blocked", title, "", request)
                        for u in self._holders(request.escalated_to)
                    ]
        ApprovalStep.objects.bulk_create(steps)
        Notification.objects.bulk_create(notices)
        for notice in notices:  # notify(email=True): mailed once the import commits
            notifications.mail_after_commit(notice)


def _notice(user, kind: str, title, body: str, request: ApprovalRequest) -> Notification:
    """The notice notifications.notify saves (a plain-text body), not written yet."""
    notice = Notification(user=user, kind=kind, title=title, url=f"/approvals/{request.pk}/")
    notice.body = site_text(body, limit=10_000) if body else ""
    return notice
