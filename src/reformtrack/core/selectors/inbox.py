"""What waits for a user: approvals they may decide, approvals blocked below them, notices."""

from django.db.models import Exists, OuterRef, Q

from ..models import ApprovalRequest, ApprovalStep, Notification
from ..models.approvals import ApprovalStatus, StepDecision
from ..scoping import Action, granted_paths


def approvals_waiting_for(user):
    """Pending requests the user may decide now: at a level they hold the approve right on,
    not submitted by them, and not after they decided another level of the same round."""
    decided_elsewhere = ApprovalStep.objects.filter(
        request=OuterRef("pk"),
        round=OuterRef("round"),
        actor=user,
        decision__in=[StepDecision.APPROVE, StepDecision.RETURN],
    ).exclude(level=OuterRef("current_level"))
    return (
        ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING)
        .visible_to(user, Action.APPROVE)
        .exclude(submitted_by=user)
        .exclude(Exists(decided_elsewhere))
        .select_related("organisation", "current_organisation", "submitted_by")
    )


def approvals_blocked_for(user):
    """Pending requests nobody may decide at their level, shown to the level above: those whose
    level above lies in the user's approving subtree."""
    paths = granted_paths(user, Action.APPROVE)
    if not paths:
        return ApprovalRequest.objects.none()
    where = Q()
    for path in paths:
        where |= Q(escalated_to__path__prefix=path)
    return (
        ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING, escalated_to__isnull=False)
        .filter(where)
        .select_related("organisation", "current_organisation", "submitted_by")
    )


def my_submissions(user):
    return ApprovalRequest.objects.filter(submitted_by=user).select_related(
        "organisation", "current_organisation"
    )


# Notices that echo an entry the inbox already lists (waiting or blocked): not counted twice.
ECHOES = ("approval_waiting", "approval_chase", "approval_blocked")


def notifications_for(user, *, unread_only: bool = False):
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def approval_counts(user) -> tuple[int, int]:
    """(waiting, blocked) for a business user, counted once per request: the header's inbox
    count and the home page both show them (kept on the request's user object)."""
    if user.is_administrator:
        return 0, 0
    counts = getattr(user, "_approval_counts", None)
    if counts is None:
        counts = (approvals_waiting_for(user).count(), approvals_blocked_for(user).count())
        user._approval_counts = counts
    return counts


def inbox_count(user) -> int:
    if not user.is_authenticated:
        return 0
    waiting = sum(approval_counts(user))
    notices = notifications_for(user, unread_only=True).exclude(kind__in=ECHOES)
    return waiting + notices.count()


def approvals_visible_to(user):
    """Approvals the user may read: those of their subtree, or waiting at it."""
    return (
        ApprovalRequest.objects.visible_to(user, Action.VIEW)
        | ApprovalRequest.objects.visible_to(user, Action.APPROVE)
    ).distinct()
