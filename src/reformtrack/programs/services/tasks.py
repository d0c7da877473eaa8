"""Editing ledger rows: fields of a task, measures (具体举措) that refine it, status roll-down."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.models.audit import AuditAction
from reformtrack.core.scoping import Action, can, require  # noqa: F401  (require: re-exported to the services)
from reformtrack.core.services import audit
from reformtrack.core.services.versioning import lock

from ..choices import Direction, TaskKind, TaskStatus
from ..models import Launch, LedgerTask

# What a task says it is: the reform office of the task's organisation edits it (`change`).
DESCRIPTION_FIELDS = ("title", "measure", "department", "deliverable")
# The plan: set by whoever launched the programme; an enterprise asks (PlanChangeRequest).
PLAN_FIELDS = ("area", "deadline", "weight", "is_main", "owner", "indicator_target")
# How far it is: only through a progress report that passes its chain (or direct entry).
PROGRESS_FIELDS = ("status", "percent", "progress", "completed_on", "indicator_actual")
EDITABLE = DESCRIPTION_FIELDS + PLAN_FIELDS


def progress_refusal() -> str:
    return _(
        "Progress (status, percent, completion date, narrative, actual value, evidence) is "
        "reported through a progress report and counts once it is approved; the ledger was "
        "not changed."
    )


def plan_refusal() -> str:
    return _(
        "The deadline, weight, main-task flag, area, target and responsible person are set by "
        "the organisation that launched the programme; ask for a change with a plan change "
        "request. Nothing was saved."
    )


def plan_owner(task: LedgerTask):
    """The organisation that sets a task's plan: for a measure, the organisation of the task it
    refines; otherwise the nearest organisation the programme was launched to above (or at) the
    task; the task's own organisation when no launch covers it (a task added by hand)."""
    if task.parent_id:
        return task.parent.organisation
    launch = _launch_above(task)
    return launch.organisation if launch is not None else task.organisation


def _launch_above(task: LedgerTask):
    """The nearest launch of the task's programme to its organisation or one above it."""
    steplen = LedgerTask._meta.get_field("organisation").related_model.steplen  # no query
    prefixes = [task.org_path[:end] for end in range(steplen, len(task.org_path) + 1, steplen)]
    return (
        Launch.objects.filter(programme_id=task.programme_id, organisation__path__in=prefixes)
        .select_related("organisation")
        .order_by("-organisation__depth")
        .first()
    )


def may_change_plan(user, task: LedgerTask) -> bool:
    """Does the user change the organisation that sets the task's plan (`plan_owner`)? Asked of
    what carries that organisation's path, so no organisation is read beyond the launch's."""
    if user is None:
        return True
    if task.parent_id:
        return can(user, Action.CHANGE, task.parent)  # the parent's org_path: its organisation's
    launch = _launch_above(task)
    return can(user, Action.CHANGE, launch.organisation if launch is not None else task)


def may_enter_directly(user, task: LedgerTask) -> bool:
    """Direct entry: the programme allows it, the task belongs to an organisation the
    programme was launched to, and the user changes that organisation's ledger."""
    return (
        user is not None
        and task.programme.direct_entry
        and task.parent_id is None
        and Launch.objects.filter(
            programme_id=task.programme_id, organisation_id=task.organisation_id
        ).exists()
        and can(user, Action.CHANGE, task.organisation)
    )


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


def _validate(task: LedgerTask, before: dict | None = None) -> list[str]:
    """Normalise and check the task; with the stored values (`before`), only the fields that
    differ from them (so unchanged keys are not looked up again). The changed field names."""
    normalise(task)
    if before is None:
        task.full_clean(exclude=["org_path", "template", "parent"])
        return [f.name for f in task._meta.concrete_fields]

    def differ():
        return [f.name for f in fields if getattr(task, f.attname) != before[f.attname]]

    fields = task._meta.concrete_fields
    candidates = differ()
    task.full_clean(exclude=[f.name for f in fields if f.name not in candidates])
    changed = differ()  # cleaned: a value posted as text that equals the stored one drops out
    for field in fields:  # equal values keep their stored form (0.00, not 0, in the audit)
        if field.name not in changed:
            setattr(task, field.attname, before[field.attname])
    return changed


def _stored(task: LedgerTask) -> dict:
    return {f.attname: getattr(task, f.attname) for f in task._meta.concrete_fields}


def _carry_relations(read: LedgerTask, task: LedgerTask) -> None:
    """The related rows the page (or API) read with the task, kept on the locked row where
    they are still its own: the checks and the response do not read them again. Not the
    parent task: a measure's update saves it, from a fresh read."""
    for field in LedgerTask._meta.concrete_fields:
        if (
            field.is_relation
            and field.related_model is not LedgerTask
            and field.is_cached(read)
            and getattr(read, field.attname) == getattr(task, field.attname)
        ):
            field.set_cached_value(task, field.get_cached_value(read))


def _changed(task: LedgerTask, fields: dict, names) -> dict:
    return {k: v for k, v in fields.items() if k in names and getattr(task, k) != v}


@transaction.atomic
def update_task(*, user, task: LedgerTask, expected_version=None, **fields) -> LedgerTask:
    """Reform offices edit what a row says (`change`). The plan only by whoever launched the
    programme; progress never, unless the programme allows direct entry for the launching
    organisation's own tasks. Refused whole, nothing saved, when stale or not allowed."""
    require(user, Action.CHANGE, task)
    expected_version = fields.pop("version", expected_version)
    read = task
    task = lock(LedgerTask, task.pk, expected_version)
    require(user, Action.CHANGE, task)  # the row as stored, in case it moved since it was read
    _carry_relations(read, task)
    plan = _changed(task, fields, PLAN_FIELDS)
    progress = _changed(task, fields, PROGRESS_FIELDS)
    if progress and not may_enter_directly(user, task):
        raise ValidationError({name: progress_refusal() for name in progress})
    if plan and not may_change_plan(user, task):
        raise ValidationError({name: plan_refusal() for name in plan})
    # Read under the row lock just above: the audit's "before" without a second read. Only
    # the changed columns are written, so a save of what no tally counts recounts nothing.
    audit.read_before_save(task)
    stored = _stored(task)
    before = {name: getattr(task, name) for name in progress}
    for key, value in fields.items():
        if key in EDITABLE or key in progress:
            setattr(task, key, value)
    changed = _validate(task, stored)
    task._tally_before = stored  # the tallies add the difference (receivers.py)
    task.save(update_fields=[*changed, "updated_at"])
    if progress:
        audit.record(
            action=AuditAction.UPDATE,
            instance=task,
            changes={
                "direct_entry": {"before": None, "after": True},
                **{k: {"before": before[k], "after": getattr(task, k)} for k in progress},
            },
        )
    if task.parent_id:
        roll_up_measures(task.parent)
    return task


@transaction.atomic
def seed_progress_as_system(*, task: LedgerTask, **fields) -> LedgerTask:
    """Seeding only (the demo, tests): sets progress with no user and no report. Not reachable
    from any page, API or command; people report progress through `reports.save_report`."""
    task = LedgerTask.objects.select_for_update().get(pk=task.pk)
    for key, value in fields.items():
        if key in EDITABLE or key in PROGRESS_FIELDS:
            setattr(task, key, value)
    _validate(task)
    task.save()
    if task.parent_id:
        roll_up_measures(task.parent)
    return task


@transaction.atomic
def add_measure(
    *, user, task: LedgerTask, organisation, code: str, expected_version=None, **fields
) -> LedgerTask:
    """A group refines a task into a measure assigned to one of its organisations; the measure
    starts unreported (its progress comes through reports) and the task's version is checked,
    since its figures become its measures'."""
    require(user, Action.CHANGE, task)
    require(user, Action.CHANGE, organisation)
    expected_version = fields.pop("version", expected_version)
    task = lock(LedgerTask, task.pk, expected_version)
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


ROLLED_UP = ("status", "percent", "completed_on")


def roll_up_measures(task: LedgerTask) -> None:
    """A task with measures is as far as they are: done when all are, else their mean. Reads
    the measures' three figures only and writes only what changed."""
    # Under the task's row lock, so that concurrent edits of two measures each see the other's
    # result; the stored row lets the tallies add the task's own difference (receivers.py).
    shown, task = task, LedgerTask.objects.select_for_update().get(pk=task.pk)
    measures = list(task.measures.order_by().values_list("weight", "percent", "status"))
    if not measures:
        return
    audit.read_before_save(task)  # the audit's "before" is this locked read, not a second one
    before = {name: getattr(task, name) for name in ROLLED_UP}
    total = sum((weight for weight, _percent, _status in measures), Decimal(0))
    percent = sum((weight * percent for weight, percent, _status in measures), Decimal(0)) / total
    task.percent = percent.quantize(Decimal("0.01"))
    if all(status == TaskStatus.DONE for _weight, _percent, status in measures):
        task.status = TaskStatus.DONE
    elif any(status != TaskStatus.NOT_STARTED for _weight, _percent, status in measures):
        task.status = TaskStatus.IN_PROGRESS
    normalise(task)
    changed = [name for name in ROLLED_UP if getattr(task, name) != before[name]]
    for name in set(ROLLED_UP) - set(changed):  # equal values keep their stored form
        setattr(task, name, before[name])
    task._tally_before = _stored(task)
    for name in changed:
        task._tally_before[name] = before[name]
    task.save(update_fields=[*changed, "updated_at"])
    for name in (*ROLLED_UP, "updated_at", "version"):
        setattr(shown, name, getattr(task, name))
