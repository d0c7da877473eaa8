"""Reads of plan change requests (PlanChangeRequest) for a user, always scoped."""

from __future__ import annotations

from reformtrack.core.scoping import Action

from ..models import LedgerTask, PlanChangeRequest


def plan_changes_for(user, action: str = Action.VIEW):
    return PlanChangeRequest.objects.visible_to(user, action).select_related(
        "task", "task__organisation", "task__programme", "requested_by"
    )


def plan_changes_of(user, task: LedgerTask):
    return plan_changes_for(user).filter(task=task)


def plan_change_page(user, pk: int) -> PlanChangeRequest:
    """The request, or PlanChangeRequest.DoesNotExist (a 404 in views)."""
    return plan_changes_for(user).get(pk=pk)
