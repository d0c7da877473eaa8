"""Editing ledger rows: fields of a task, measures (具体举措) that refine it, status roll-down."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action, can

from ..choices import Direction, TaskKind, TaskStatus
from ..models import LedgerTask

EDITABLE = (
    "title", "measure", "department", "owner", "deadline", "deliverable", "is_main", "weight",
    "status", "percent", "progress", "indicator_target", "indicator_actual", "area",
)  # fmt: skip


def require(user, action: str, obj) -> None:
    if user is not None and not can(user, action, obj):
        raise PermissionDenied(_("You may not do this for %(obj)s.") % {"obj": obj})


def indicator_percent(task: LedgerTask) -> Decimal:
    """How far an indicator is towards its target, 0–100."""
    actual, target = task.indicator_actual, task.indicator_target
    if actual is None or not target:
        return task.percent
    if task.indicator_direction == Direction.AT_MOST:
        share = Decimal(100) if actual <= target else target / actual * 100
    else:
        share = actual / target * 100
    return min(Decimal(100), max(Decimal(0), share)).quantize(Decimal("0.01"))


def normalise(task: LedgerTask) -> None:
    """Keep status, percent and completion date consistent with each other."""
    if task.kind == TaskKind.INDICATOR and task.indicator_actual is not None:
        task.percent = indicator_percent(task)
        if task.percent >= 100:
            task.status = TaskStatus.DONE
    if task.status == TaskStatus.DONE:
        task.percent = Decimal(100)
        task.completed_on = task.completed_on or timezone.localdate()
    else:
        task.completed_on = None
        if task.percent >= 100:
            task.percent = Decimal("99.99") if task.status != TaskStatus.NOT_STARTED else 0
    if task.status == TaskStatus.NOT_STARTED:
        task.percent = Decimal(0)


def _validate(task: LedgerTask) -> None:
    normalise(task)
    task.full_clean(exclude=["org_path", "template", "parent"])


@transaction.atomic
def update_task(*, user, task: LedgerTask, **fields) -> LedgerTask:
    """Reform offices edit rows of their subtree (`change`)."""
    require(user, Action.CHANGE, task)
    task = LedgerTask.objects.select_for_update().get(pk=task.pk)
    for key, value in fields.items():
        if key in EDITABLE:
            setattr(task, key, value)
    _validate(task)
    task.save()
    if task.parent_id:
        roll_up_measures(task.parent)
    return task


@transaction.atomic
def add_measure(*, user, task: LedgerTask, organisation, code: str, **fields) -> LedgerTask:
    """A group refines a task into a measure assigned to one of its organisations."""
    require(user, Action.CHANGE, task)
    require(user, Action.CHANGE, organisation)
    if not organisation.path.startswith(task.org_path):
        raise ValidationError(
            {"organisation": _("A measure goes to the task's organisation or one below it.")}
        )
    measure = LedgerTask(
        programme=task.programme,
        area=task.area,
        template=task.template,
        parent=task,
        organisation=organisation,
        org_path=organisation.path,
        code=code.strip().upper(),
        title=fields.pop("title", "") or task.title,
        deadline=fields.pop("deadline", None) or task.deadline,
        deliverable=fields.pop("deliverable", "") or task.deliverable,
        kind=TaskKind.ONE_OFF,
        is_main=task.is_main,
        **{k: v for k, v in fields.items() if k in EDITABLE},
    )
    if LedgerTask.objects.filter(programme=task.programme, code=measure.code).exists():
        raise ValidationError({"code": _("Task code %(code)s is taken.") % {"code": measure.code}})
    _validate(measure)
    measure.save()
    roll_up_measures(task)
    return measure


@transaction.atomic
def add_task(*, user, programme, area, organisation, code: str, title: str, deadline, **fields):
    """A one-off task that no template launched: rectification of an assessment gap, a target
    promoted from a policy text. Other apps create ledger rows only through this."""
    require(user, Action.CHANGE, organisation)
    if area.programme_id != programme.pk:
        raise ValidationError({"area": _("The area belongs to another programme.")})
    task = LedgerTask(
        programme=programme,
        area=area,
        organisation=organisation,
        org_path=organisation.path,
        code=code.strip().upper(),
        title=title,
        deadline=deadline,
        kind=TaskKind.ONE_OFF,
        **{k: v for k, v in fields.items() if k in EDITABLE},
    )
    if LedgerTask.objects.filter(programme=programme, code=task.code).exists():
        raise ValidationError({"code": _("Task code %(code)s is taken.") % {"code": task.code}})
    _validate(task)
    task.save()
    return task


def roll_up_measures(task: LedgerTask) -> None:
    """A task with measures is as far as they are: done when all are, else their mean."""
    measures = list(task.measures.all())
    if not measures:
        return
    total = sum((m.weight for m in measures), Decimal(0))
    percent = sum((m.weight * m.percent for m in measures), Decimal(0)) / total
    task.percent = percent.quantize(Decimal("0.01"))
    if all(m.status == TaskStatus.DONE for m in measures):
        task.status = TaskStatus.DONE
    elif any(m.status != TaskStatus.NOT_STARTED for m in measures):
        task.status = TaskStatus.IN_PROGRESS
    normalise(task)
    task.save()
