"""Reads of the approval flow for one object, and of one request's page."""

from django.contrib.contenttypes.models import ContentType

from ..models import ApprovalRequest
from ..models.approvals import ApprovalStatus


def approval_of(target) -> ApprovalRequest | None:
    """The latest approval request of an object (any app's), or None if never submitted."""
    ct = ContentType.objects.get_for_model(target)
    return (
        ApprovalRequest.objects.filter(content_type=ct, object_id=str(target.pk))
        .order_by("-pk")
        .first()
    )


def steps_of(request: ApprovalRequest):
    return request.steps.select_related("actor", "organisation").order_by("at", "pk")


def chain_of(request: ApprovalRequest) -> list[dict]:
    """The request's levels for its page: number, organisation, and state in this round."""
    org_model = type(request.organisation)
    orgs = org_model.objects.in_bulk(request.levels)
    done = request.status == ApprovalStatus.APPROVED
    rows = []
    for index, pk in enumerate(request.levels):
        state = "done" if done or index < request.current_level else "waiting"
        if request.status == ApprovalStatus.PENDING and index == request.current_level:
            state = "blocked" if request.blocked_since else "current"
        elif request.status != ApprovalStatus.PENDING and not done:
            state = "ended"
        rows.append(
            {"index": index, "number": index + 1, "organisation": orgs.get(pk), "state": state}
        )
    return rows
