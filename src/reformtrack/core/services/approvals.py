"""Approval flow: submit → (approve | return) at each level of the chain → approved or returned.

Apps hand any object in with the organisation it belongs to, and listen to `approval_finished`
to act on the outcome (e.g. count a progress report as completed only once approved).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import ApprovalRequest, ApprovalStep
from ..models.approvals import ApprovalStatus, StepDecision
from ..models.audit import AuditAction
from ..scoping import Action, can
from . import audit
from .notifications import notify

# Sent once a request is finally approved or returned: sender=ApprovalRequest, request=…, outcome=…
approval_finished = Signal()


def chain_levels(organisation, chain: str = "default") -> list:
    """Approving organisations, nearest first: for each configured kind, the nearest
    ancestor-or-self of that kind (subsidiary → group → supervisor by default)."""
    chains = settings.APPROVAL_CHAINS
    kinds = chains.get(chain, chains["default"])
    ancestors = type(organisation).objects.get_ancestors(organisation)
    lineage = [organisation, *reversed(list(ancestors))]
    levels = []
    for kind in kinds:
        match = next((org for org in lineage if org.kind == kind), None)
        if match is not None and match not in levels:
            levels.append(match)
    if not levels:
        levels.append(organisation)
    return levels


def _step(request, user, decision, comment, level=None):
    org = request.current_organisation or request.organisation
    ApprovalStep.objects.create(
        request=request,
        level=request.current_level if level is None else level,
        organisation=org,
        decision=decision,
        actor=user,
        at=timezone.now(),
        comment=comment,
    )
    audit.record(
        action=AuditAction.APPROVAL,
        instance=request,
        changes={"decision": decision, "level": request.current_level, "comment": comment},
    )


@transaction.atomic
def submit(*, target, organisation, user, title: str = "", comment: str = "", chain="default"):
    """Open (or reopen after a return) the approval of `target` for `organisation`."""
    if not can(user, Action.REPORT, organisation):
        raise PermissionDenied(_("You may not submit for this organisation."))
    ct = ContentType.objects.get_for_model(target)
    request = ApprovalRequest.objects.filter(
        content_type=ct, object_id=str(target.pk), status=ApprovalStatus.RETURNED
    ).first()
    if ApprovalRequest.objects.filter(
        content_type=ct, object_id=str(target.pk), status=ApprovalStatus.PENDING
    ).exists():
        raise ValidationError(_("This item is already waiting for approval."))
    levels = chain_levels(organisation, chain)
    now = timezone.now()
    if request is None:
        request = ApprovalRequest(content_type=ct, object_id=str(target.pk))
    with translation.override(settings.LANGUAGE_CODE):  # stored once, for every reader
        request.title = (title or str(target))[:300]
    request.organisation = organisation
    request.chain = chain
    request.levels = [org.pk for org in levels]
    request.current_level = 0
    request.current_organisation = levels[0]
    request.status = ApprovalStatus.PENDING
    request.submitted_by = user
    request.submitted_at = now
    request.decided_at = None
    request.save()
    _step(request, user, StepDecision.SUBMIT, comment)
    return request


def may_decide(user, request: ApprovalRequest) -> bool:
    return (
        request.status == ApprovalStatus.PENDING
        and request.submitted_by_id != user.pk
        and can(user, Action.APPROVE, request)
    )


@transaction.atomic
def decide(*, request: ApprovalRequest, user, approve: bool, comment: str = ""):
    """Approve (moves to the next level or finishes) or return (back to the submitter)."""
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if not may_decide(user, request):
        raise PermissionDenied(_("You may not decide on this approval."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the item is returned.")})
    org_model = type(request.organisation)
    if approve:
        _step(request, user, StepDecision.APPROVE, comment)
        if request.current_level + 1 < len(request.levels):
            request.current_level += 1
            request.current_organisation = org_model.objects.get(
                pk=request.levels[request.current_level]
            )
            request.save(update_fields=["current_level", "current_organisation"])
            return request
        request.status = ApprovalStatus.APPROVED
    else:
        _step(request, user, StepDecision.RETURN, comment)
        request.status = ApprovalStatus.RETURNED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    outcome = request.get_status_display()
    notify(
        user=request.submitted_by,
        kind=f"approval_{request.status}",
        title=_("%(title)s: %(outcome)s") % {"title": request.title, "outcome": outcome},
        body=comment,
        url=f"/approvals/{request.pk}/",
    )
    # Inside the decision's transaction: what an app does on the outcome (count a report,
    # sign a contract) commits with the decision or not at all.
    approval_finished.send(sender=ApprovalRequest, request=request, outcome=request.status)
    return request
