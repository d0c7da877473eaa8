"""What the contracts app does when an approval finishes: a contract is signed (or returned),
a result approved (or returned), only through the chain."""

from django.dispatch import receiver

from reformtrack.core.models import ApprovalRequest
from reformtrack.core.services.approvals import approval_finished

from .services import on_approval_finished


@receiver(approval_finished, sender=ApprovalRequest)
def _contract_decided(sender, request, outcome, **kwargs):
    on_approval_finished(request.target, outcome)
