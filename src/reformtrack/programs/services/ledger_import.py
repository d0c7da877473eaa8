"""Writing an imported ledger: rows matched by task code are updated, the others created.

Rows are dicts from the importer (programs/importers.py) or any other caller:
{"row": 7, "code": "M-1-A-SUB", "area": Area, "organisation": Organisation, "title": "…",
"deadline": date, "status": "in_progress", "percent": Decimal, …}. A key that is absent leaves
the field as it is. Only fields that differ (after the usual status/percent normalisation) are
written, so importing an unchanged export writes nothing and leaves no audit record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.importer import ImportFailed, RowError, no_progress
from reformtrack.core.scoping import Action, can

from ..choices import TaskKind, TaskStatus
from ..models import LedgerTask, Programme, TaskTemplate
from . import tallies
from .tasks import normalise, require, roll_up_measures, update_task

# Fields an import may set, and whether they are plain text (blank means empty).
FIELDS = (
    "area", "organisation", "title", "measure", "department", "owner", "deadline",
    "deliverable", "progress", "status", "percent",
)  # fmt: skip
TEXT_FIELDS = frozenset({"title", "measure", "department", "owner", "deliverable", "progress"})
FOREIGN_KEYS = {"area": "area_id", "organisation": "organisation_id"}
CHUNK = 500


def existing_tasks(programme: Programme, codes: Iterable[str], lock: bool = False) -> dict:
    """The programme's tasks with these codes, by code."""
    codes = sorted({c for c in codes if c})
    found: dict[str, LedgerTask] = {}
    for start in range(0, len(codes), CHUNK):
        qs = LedgerTask.objects.filter(programme=programme, code__in=codes[start : start + CHUNK])
        if lock:
            qs = qs.select_for_update()
        found.update((task.code, task) for task in qs)
    return found


def check_rows(*, user, programme: Programme, rows: list[dict], root=None, existing=None):
    """Every problem of the rows against the database: duplicate codes, organisations and
    existing tasks outside the user's `change` scope or the chosen subtree, reassignments
    that would break a task's measures. RowError columns are field names."""
    if existing is None:
        existing = existing_tasks(programme, (r.get("code") for r in rows))
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for r in rows:
        number, code, org = r["row"], r.get("code"), r.get("organisation")
        if code:
            if code in seen:
                errors.append(
                    RowError(
                        number,
                        "code",
                        _("Task code %(code)s is already in row %(other)s.")
                        % {"code": code, "other": seen[code]},
                    )
                )
            else:
                seen[code] = number
        task = existing.get(code) if code else None
        org_message = _org_problem(user, org, root, task) if org is not None else ""
        if org_message:
            errors.append(RowError(number, "organisation", org_message))
        same_org = org is not None and task is not None and org.pk == task.organisation_id
        if task is not None and not (org_message and same_org):  # one reason is enough
            message = _task_problem(user, task, root, org)
            if message:
                errors.append(RowError(number, "code", message))
    return errors


def _org_problem(user, org, root, task) -> str:
    if user is not None and not can(user, Action.CHANGE, org):
        return _("You may not change the ledger of %(org)s.") % {"org": org.code}
    if root is not None and not org.path.startswith(root.path):
        return _("%(org)s is outside %(root)s.") % {"org": org.code, "root": root.code}
    if not org.is_active and (task is None or task.organisation_id != org.pk):
        return _("%(org)s is closed: no new tasks go to it.") % {"org": org.code}
    return ""


def _task_problem(user, task: LedgerTask, root, org) -> str:
    if user is not None and not can(user, Action.CHANGE, task):
        return _("Task %(code)s belongs to an organisation you may not change.") % {
            "code": task.code
        }
    if root is not None and not task.org_path.startswith(root.path):
        return _("Task %(code)s belongs to an organisation outside %(root)s.") % {
            "code": task.code,
            "root": root.code,
        }
    if org is None or org.pk == task.organisation_id:
        return ""
    if task.parent_id and not org.path.startswith(task.parent.org_path):
        return _(
            "Task %(code)s is a measure of %(parent)s: it stays within that task's organisation."
        ) % {"code": task.code, "parent": task.parent.code}
    outside = task.measures.exclude(org_path__prefix=org.path)
    if outside.exists():
        return _("Task %(code)s has measures outside %(org)s: reassign those first.") % {
            "code": task.code,
            "org": org.code,
        }
    return ""


def _same(before, after) -> bool:
    if isinstance(before, str) or isinstance(after, str):
        return (before or "").strip() == (after or "").strip()
    return before == after


def _normalised(task: LedgerTask, status: str, percent: Decimal) -> tuple[str, Decimal]:
    """The status and percent the task would keep after normalise()."""
    probe = LedgerTask(
        kind=task.kind,
        status=status,
        percent=percent,
        completed_on=task.completed_on,
        indicator_actual=task.indicator_actual,
        indicator_target=task.indicator_target,
        indicator_direction=task.indicator_direction,
    )
    normalise(probe)
    return probe.status, probe.percent


def changes_of(task: LedgerTask, values: dict) -> dict:
    """The fields `values` would change on `task` (foreign keys given as objects)."""
    changed = {}
    for key in FIELDS:
        if key not in values or key in ("status", "percent"):
            continue
        new = values[key]
        if key in FOREIGN_KEYS:
            if getattr(task, FOREIGN_KEYS[key]) != new.pk:
                changed[key] = new
        elif not _same(getattr(task, key), new):
            changed[key] = new
    status = values.get("status", task.status)
    percent = values.get("percent", task.percent)
    new_status, new_percent = _normalised(task, status, percent)
    if new_status != task.status or new_percent != task.percent:
        changed["status"], changed["percent"] = status, percent
    return changed


def _template_of(code: str, org, templates: dict[str, TaskTemplate]) -> TaskTemplate | None:
    if code in templates:
        return templates[code]
    suffix = f"-{org.code}"
    return templates.get(code[: -len(suffix)]) if code.endswith(suffix) else None


def _create(user, programme: Programme, values: dict, templates) -> LedgerTask:
    org = values["organisation"]
    require(user, Action.CHANGE, org)
    template = _template_of(values["code"], org, templates)
    task = LedgerTask(
        programme=programme,
        code=values["code"],
        organisation=org,
        org_path=org.path,
        template=template,
        kind=template.kind if template else TaskKind.ONE_OFF,
        is_main=template.is_main if template else False,
        weight=template.weight if template else Decimal(1),
        indicator_unit=template.indicator_unit if template else "",
        indicator_target=template.indicator_target if template else None,
        indicator_direction=template.indicator_direction if template else "",
        status=values.get("status") or TaskStatus.NOT_STARTED,
        percent=values.get("percent") or Decimal(0),
    )
    for key in FIELDS:
        if key in values and key not in ("status", "percent"):
            setattr(task, key, values[key])
    normalise(task)
    task.full_clean(exclude=["org_path", "template", "parent"])
    task.save()
    return task


def _reassign(user, task: LedgerTask, changes: dict) -> LedgerTask:
    """An update that also moves the task to another organisation (checked by check_rows)."""
    require(user, Action.CHANGE, task)
    require(user, Action.CHANGE, changes["organisation"])
    task = LedgerTask.objects.select_for_update().get(pk=task.pk)
    for key, value in changes.items():
        setattr(task, key, value)
    task.org_path = changes["organisation"].path
    normalise(task)
    task.full_clean(exclude=["org_path", "template", "parent"])
    task.save()
    if task.parent_id:
        roll_up_measures(task.parent)
    return task


def _errors_of(number: int, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(number, field if field in FIELDS or field == "code" else "", message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(number, "", message) for message in exc.messages]


@transaction.atomic
def import_ledger(
    *, user, programme: Programme, rows: Iterable[dict], root=None, progress: Callable = no_progress
) -> dict:
    """Write the rows of one ledger file, all or nothing (ImportFailed lists every problem).

    `user` None is the operator (no scope); `root` limits the rows to one subtree.
    """
    rows = list(rows)
    existing = existing_tasks(programme, (r.get("code") for r in rows), lock=True)
    errors = check_rows(user=user, programme=programme, rows=rows, root=root, existing=existing)
    if errors:
        raise ImportFailed(errors)
    templates = {t.code: t for t in programme.templates.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with tallies.deferred():  # recount each organisation once, not per row
        for values in progress(rows, len(rows), "tasks"):
            task = existing.get(values["code"])
            try:
                if task is None:
                    _create(user, programme, values, templates)
                    counts["created"] += 1
                    continue
                changes = changes_of(task, values)
                if not changes:
                    counts["unchanged"] += 1
                elif "organisation" in changes:
                    _reassign(user, task, changes)
                    counts["updated"] += 1
                else:
                    update_task(user=user, task=task, **changes)
                    counts["updated"] += 1
            except ValidationError as exc:
                errors.extend(_errors_of(values["row"], exc))
            except PermissionDenied as exc:
                errors.append(RowError(values["row"], "organisation", str(exc)))
    if errors:
        raise ImportFailed(errors)
    return counts
