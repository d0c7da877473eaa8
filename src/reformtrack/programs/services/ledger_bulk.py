"""Bulk actions of the ledger: only what the ledger's rules allow one task at a time, applied
to several — a plan change request per selected task, never a direct write of progress."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action

from ..models import LedgerTask
from .plan_changes import request_plan_change

BULK_LIMIT = 250  # tasks per action, as many as one page shows at most


@transaction.atomic
def request_plan_changes(*, user, programme, task_ids, reason: str, **fields) -> list:
    """One plan change request per task, all or none: if any task refuses (stale, waiting,
    the user sets its plan, not in the user's scope), nothing is asked and every refusal is
    named by task code. Tasks the user does not see are refused without naming them."""
    ids = sorted({int(pk) for pk in task_ids if str(pk).isdigit()})
    if not ids:
        raise ValidationError(_("Select at least one task."))
    if len(ids) > BULK_LIMIT:
        raise ValidationError(_("Select at most %(n)d tasks at a time.") % {"n": BULK_LIMIT})
    tasks = list(
        LedgerTask.objects.visible_to(user, Action.REPORT)
        .filter(programme=programme, pk__in=ids)
        .order_by("code")
    )
    errors = []
    if len(tasks) != len(ids):
        errors.append(_("Some selected tasks cannot be reported on by you."))
    changes = []
    for task in tasks:
        try:
            changes.append(request_plan_change(user=user, task=task, reason=reason, **fields))
        except ValidationError as exc:
            errors.extend(f"{task.code}: {message}" for message in exc.messages)
    if errors:
        raise ValidationError(errors)
    return changes
