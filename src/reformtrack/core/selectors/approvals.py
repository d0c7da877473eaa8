"""Reads of the approval flow for one object."""

from django.contrib.contenttypes.models import ContentType

from ..models import ApprovalRequest


def approval_of(target) -> ApprovalRequest | None:
    """The latest approval request of an object (any app's), or None if never submitted."""
    ct = ContentType.objects.get_for_model(target)
    return (
        ApprovalRequest.objects.filter(content_type=ct, object_id=str(target.pk))
        .order_by("-pk")
        .first()
    )
