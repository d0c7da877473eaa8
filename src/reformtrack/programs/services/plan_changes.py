"""Plan changes are requests: an enterprise asks whoever launched the programme to change a
task's deadline, weight, main-task flag, area, target or responsible person. The request goes
through the approval chain up to the launching organisation's level and is applied, in the
requester's name, when that chain approves it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reformtrack.core.audit_hash import to_json_value
from reformtrack.core.models import ApprovalRequest
from reformtrack.core.models.approvals import ApprovalStatus
from reformtrack.core.scoping import Action
from reformtrack.core.services import approvals
from reformtrack.core.services.versioning import lock
from reformtrack.core.stored_messages import Message

from ..choices import PlanChangeState
from ..models import LedgerTask, PlanChangeRequest
from .tasks import PLAN_FIELDS, _validate, may_change_plan, plan_owner, require, roll_up_measures


def plan_chain(task: LedgerTask) -> str:
    """The approval chain that ends at the level of the organisation that sets the plan
    (`plan_change_<kind>` in settings.APPROVAL_CHAINS; the default chain if none is named)."""
    name = f"plan_change_{plan_owner(task).kind}"
    return name if name in settings.APPROVAL_CHAINS else "default"


def _field(name: str):
    return LedgerTask._meta.get_field(name)


def _plain(value):
    return value.pk if isinstance(value, models.Model) else value


def _current(task: LedgerTask, name: str):
    return getattr(task, _field(name).attname)


def _parse(name: str, value):
    """A requested or recorded value as the task's field holds it (area: its id)."""
    field = _field(name)
    try:
        return field.to_python(_plain(value))
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None


@transaction.atomic
def request_plan_change(
    *, user, task: LedgerTask, reason: str, expected_version=None, **fields
) -> PlanChangeRequest:
    """Ask for a change of the task's plan; refused whole (nothing asked) when stale, empty,
    not a plan field, invalid, or while another request of the task waits."""
    require(user, Action.REPORT, task)
    expected_version = fields.pop("version", expected_version)
    task = lock(LedgerTask, task.pk, expected_version)
    unknown = sorted(set(fields) - set(PLAN_FIELDS))
    if unknown:
        message = _(
            "Only the plan (deadline, weight, main task, area, target, responsible person) is "
            "changed by request; progress is reported through a progress report."
        )
        raise ValidationError({name: message for name in unknown})
    if may_change_plan(user, task):
        raise ValidationError(_("You set this task's plan yourself: edit the task instead."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the plan should change.")})
    if task.plan_changes.filter(state=PlanChangeState.PENDING).exists():
        raise ValidationError(_("A plan change of this task is already waiting for approval."))
    wanted = {name: _parse(name, value) for name, value in fields.items() if value is not None}
    changes = {
        name: {"before": to_json_value(_current(task, name)), "after": to_json_value(value)}
        for name, value in wanted.items()
        if value != _current(task, name)
    }
    if not changes:
        raise ValidationError(_("Ask for at least one change of the plan."))
    probe = LedgerTask.objects.get(pk=task.pk)
    for name in changes:
        setattr(probe, _field(name).attname, wanted[name])
    _validate(probe)  # the new plan must be a valid plan before anyone decides on it
    change = PlanChangeRequest.objects.create(
        task=task,
        changes=changes,
        reason=reason.strip(),
        requested_by=user,
        task_version=task.version,
    )
    approvals.submit(
        target=change,
        organisation=task.organisation,
        user=user,
        title=Message(gettext_noop("Plan change of %(code)s"), code=task.code),
        comment=change.reason,
        chain=plan_chain(task),
    )
    return change


def apply_plan_change(change: PlanChangeRequest) -> LedgerTask:
    """The approved values become the task's plan; refused when a field changed since asked."""
    task = lock(LedgerTask, change.task_id)
    for name, values in change.changes.items():
        if task.version != change.task_version and _current(task, name) != _parse(
            name, values["before"]
        ):
            raise ValidationError(
                _(
                    "The task's %(field)s changed after this request was made; return the "
                    "request so it can be asked again."
                )
                % {"field": _field(name).verbose_name}
            )
    for name, values in change.changes.items():
        setattr(task, _field(name).attname, _parse(name, values["after"]))
    _validate(task)
    task.save()
    if task.parent_id:
        roll_up_measures(task.parent)
    return task


@receiver(approvals.approval_finished, sender=ApprovalRequest)
def _on_plan_change_decided(sender, request, outcome, **kwargs):
    change = request.target
    if not isinstance(change, PlanChangeRequest):
        return
    change = PlanChangeRequest.objects.select_for_update().get(pk=change.pk)
    if outcome == ApprovalStatus.APPROVED:
        apply_plan_change(change)  # core applies it in the requester's name
        change.state = PlanChangeState.APPROVED
        change.decided_at = timezone.now()
        change.save(update_fields=["state", "decided_at"])
    elif outcome == ApprovalStatus.RETURNED:
        change.state = PlanChangeState.RETURNED
        change.decided_at = timezone.now()
        change.save(update_fields=["state", "decided_at"])
