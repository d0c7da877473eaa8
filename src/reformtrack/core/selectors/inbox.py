"""What waits for a user: approvals they may decide and unread notices."""

from ..models import ApprovalRequest, Notification
from ..models.approvals import ApprovalStatus
from ..scoping import Action


def approvals_waiting_for(user):
    return (
        ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING)
        .visible_to(user, Action.APPROVE)
        .exclude(submitted_by=user)
        .select_related("organisation", "current_organisation", "submitted_by")
    )


def my_submissions(user):
    return ApprovalRequest.objects.filter(submitted_by=user).select_related(
        "organisation", "current_organisation"
    )


def notifications_for(user, *, unread_only: bool = False):
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def inbox_count(user) -> int:
    if not user.is_authenticated:
        return 0
    waiting = 0 if user.is_administrator else approvals_waiting_for(user).count()
    return waiting + notifications_for(user, unread_only=True).count()


def approvals_visible_to(user):
    """Approvals the user may read: those of their subtree, or waiting at it."""
    return (
        ApprovalRequest.objects.visible_to(user, Action.VIEW)
        | ApprovalRequest.objects.visible_to(user, Action.APPROVE)
    ).distinct()
