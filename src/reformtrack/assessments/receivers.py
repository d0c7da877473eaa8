"""What the assessments app does when the approval flow or the ledger moves."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from reformtrack.core.models import ApprovalRequest
from reformtrack.core.services.approvals import approval_deciding, approval_finished
from reformtrack.programs.models import LedgerTask

from .models import Assessment, ExtensionRequest
from .services.campaigns import on_approval_finished
from .services.rectification import task_changed
from .services.rules import Kind, check_deadline, on_extension_finished


@receiver(approval_deciding, sender=ApprovalRequest)
def _assessment_deciding(sender, request, approve, level, **kwargs):
    """A review decision after the review deadline (unless extended) is refused at every level
    of the chain, from the inbox as from the assessment page."""
    target = request.target
    if isinstance(target, Assessment):
        check_deadline(target, Kind.REVIEW)


@receiver(approval_finished, sender=ApprovalRequest)
def _assessment_decided(sender, request, outcome, **kwargs):
    target = request.target
    if isinstance(target, Assessment):
        on_approval_finished(target, outcome)
    elif isinstance(target, ExtensionRequest):
        on_extension_finished(target, outcome)


@receiver(post_save, sender=LedgerTask)
def _ledger_task_saved(sender, instance, update_fields=None, **kwargs):
    """A rectification follows its task's status: a save that leaves the status alone (a
    measure's roll-up of the percent, a plan edit) has nothing to tell it."""
    if update_fields is None or "status" in update_fields:
        task_changed(instance)
