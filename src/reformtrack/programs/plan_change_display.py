"""What an approver of a plan change sees (core.approvals_display): each requested field of the
task before → after, the reason, who asked and links to the task and the request."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from reformtrack.core.approvals_display import Display

from .models import LedgerTask
from .selectors import plan_changes as selectors


def plan_change_rows(change) -> list[dict]:
    """One row per requested field: label, before (as asked), now, after."""
    task = change.task
    rows = []
    for name, values in change.changes.items():
        field = LedgerTask._meta.get_field(name)
        now = getattr(task, field.attname)
        rows.append(
            {
                "label": field.verbose_name,
                "before": values["before"],
                "now": now,
                "after": values["after"],
            }
        )
    return rows


def plan_change_display(approval, user) -> Display | None:
    """The request under approval as its approver sees it (None: not visible to the user)."""
    try:
        change = selectors.plan_change_page(user, int(approval.object_id))
    except (ObjectDoesNotExist, ValueError):
        return None
    return Display(
        "programs/approval_plan_change.html",
        {"change": change, "task": change.task, "rows": plan_change_rows(change)},
    )
