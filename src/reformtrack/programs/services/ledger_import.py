"""Importing a ledger file: a preview of every change, then progress as reports, plan as plan.

Rows are dicts from the importer (programs/importers.py) or any other caller:
{"row": 7, "code": "M-1-A-SUB", "version": 3, "new": False, "area": Area, "organisation":
Organisation, "title": "…", "deadline": date, "status": "in_progress", "percent": Decimal, …}.
A key that is absent leaves the field as it is.

`plan_rows` compares a batch of rows with the ledger (one query per batch of codes) and sorts
each into an outcome: progress changes (status, percent, 进展情况) become a progress report for
the task's current period, saved and submitted into the approval chain; plan changes (area,
responsible unit, department and person, deadline, deliverable, title, measures) and new rows
are applied only for whoever may change the plan (the launching organisation's office), and are
errors naming the row and field for anyone else; a row whose task changed since the export
(its version differs) is a conflict, listed and not applied. `apply_preview` writes what the
preview shows in one transaction, all or nothing, after re-checking every version under a lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core import bulk_version, fast_insert
from reformtrack.core.importer import ImportFailed, RowError, no_progress
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.scoping import Action, can, granted_paths
from reformtrack.core.services import audit

from ..choices import ReportState, TaskKind, TaskStatus
from ..models import Launch, LedgerTask, Programme, ProgressReport, TaskTemplate
from ..periods import period_end_of
from . import tallies
from .ledger_import_reports import Item, Submitter, single_path_tasks
from .reports import save_report, submit_report
from .tasks import normalise, require, roll_up_measures

# Fields an import may set, and whether they are plain text (blank means empty).
PLAN_KEYS = (
    "area", "organisation", "title", "measure", "department", "owner", "deadline",
    "deliverable",
)  # fmt: skip
PROGRESS_KEYS = ("status", "percent", "progress")
FIELDS = PLAN_KEYS + PROGRESS_KEYS
TEXT_FIELDS = frozenset({"title", "measure", "department", "owner", "deliverable", "progress"})
FOREIGN_KEYS = {"area": "area_id", "organisation": "organisation_id"}
CHUNK = 500
UNCHECKED = ["org_path", "template", "parent"]  # set by the service, not by the row

NEW, REPORT, PLAN, CONFLICT, UNCHANGED = "new", "report", "plan", "conflict", "unchanged"


@dataclass
class Outcome:
    """What one row does: `kind` is new, report, plan (a row may be both plan and report:
    `report` and `plan` hold the values), conflict or unchanged; `changes` is field → (old, new)."""

    row: int
    code: str
    kind: str
    task_id: int | None = None
    version: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    plan: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    values: dict[str, Any] = field(default_factory=dict)  # a new row's fields
    created: LedgerTask | None = None  # the task a new row became, once written

    @property
    def shown_changes(self) -> dict[str, tuple[Any, Any]]:
        """Field → (old, new); a new row's fields are all new (not stored twice)."""
        if self.kind == NEW:
            return {
                k: (None, self.values[k]) for k in FIELDS if self.values.get(k) not in (None, "")
            }
        return self.changes

    @property
    def makes_report(self) -> bool:
        return bool(self.report)

    @property
    def changes_plan(self) -> bool:
        return bool(self.plan) or self.kind == NEW


@dataclass
class Preview:
    """Every outcome that changes something or is refused, with counts of all of them."""

    outcomes: list[Outcome] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("created", "reports", "plan_changes", "conflicts", "unchanged"), 0
        )
    )
    period_end: Any = None
    exported_at: Any = None

    def add(self, outcome: Outcome) -> None:
        if outcome.kind == UNCHANGED:
            self.counts["unchanged"] += 1
            return
        self.outcomes.append(outcome)
        if outcome.kind == CONFLICT:
            self.counts["conflicts"] += 1
            return
        if outcome.kind == NEW:
            self.counts["created"] += 1
        elif outcome.plan:
            self.counts["plan_changes"] += 1
        if outcome.report:
            self.counts["reports"] += 1

    @property
    def conflicts(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == CONFLICT]

    @property
    def changes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind != CONFLICT]


class Planner:
    """Sorts rows into outcomes batch by batch, remembering what crosses batches (codes seen,
    organisations' plan owners, the programme's launches and templates)."""

    def __init__(self, *, user, programme: Programme, root=None, today=None):
        self.user, self.programme, self.root = user, programme, root
        self.period_end = period_end_of(programme.reporting, today or timezone.localdate())
        self.seen: dict[str, int] = {}
        self.launches = sorted(
            Launch.objects.filter(programme=programme).select_related("organisation"),
            key=lambda launch: -len(launch.organisation.path),
        )
        self._plan_rights: dict[str, bool] = {}
        self._areas: dict | None = None
        self._orgs: dict = {}
        self._new_in: dict[int, str] = {}  # organisation → why no new task goes there, or ""

    # --- who may change the plan -----------------------------------------------------------

    def plan_owner_path(self, path: str, task: LedgerTask | None = None) -> str:
        """Path of the organisation that sets the plan at `path` (see tasks.plan_owner)."""
        if task is not None and task.parent_id:
            return task.parent.org_path
        for launch in self.launches:  # deepest first
            if path.startswith(launch.organisation.path):
                return launch.organisation.path
        return path

    def may_change_plan(self, path: str, task: LedgerTask | None = None) -> bool:
        if self.user is None:
            return True
        owner = self.plan_owner_path(path, task)
        if owner not in self._plan_rights:
            paths = granted_paths(self.user, Action.CHANGE)
            self._plan_rights[owner] = any(owner.startswith(p) for p in paths)
        return self._plan_rights[owner]

    def old_value(self, task: LedgerTask, key: str):
        """The task's current value of `key` (areas and organisations from a cache)."""
        if key == "area":
            if self._areas is None:
                self._areas = {a.pk: a for a in self.programme.areas.all()}
            return self._areas.get(task.area_id)
        if key == "organisation":
            if task.organisation_id not in self._orgs:
                self._orgs[task.organisation_id] = task.organisation
            return self._orgs[task.organisation_id]
        return getattr(task, key)

    # --- one batch -------------------------------------------------------------------------

    def plan(self, rows: list[dict]) -> tuple[list[Outcome], list[RowError]]:
        """Outcomes and errors of a batch of rows (rows without a code are skipped: the
        importer reports them as missing)."""
        rows = [r for r in rows if r.get("code")]
        existing = existing_tasks(self.programme, (r["code"] for r in rows))
        reports = _open_reports(existing.values(), self.period_end)
        outcomes, errors = [], []
        for values in rows:
            outcome, problems = self._plan_row(values, existing.get(values["code"]), reports)
            errors.extend(problems)
            if outcome is not None and not problems:
                outcomes.append(outcome)
        return outcomes, errors

    def _plan_row(self, values: dict, task: LedgerTask | None, reports: dict):
        number, code = values["row"], values["code"]
        if code in self.seen:
            message = _("Task code %(code)s is already in row %(other)s.") % {
                "code": code,
                "other": self.seen[code],
            }
            return None, [RowError(number, "code", message)]
        self.seen[code] = number
        if task is None:
            return self._plan_new(values)
        errors = _scope_errors(self.user, values, task, self.root)
        if errors:
            return None, errors
        changes = changes_of(task, values)
        if not changes:
            return Outcome(number, code, UNCHANGED, task.pk, task.version), []
        shown = {key: (self.old_value(task, key), value) for key, value in changes.items()}
        version = values.get("version")
        if version is not None and version != task.version:
            note = _(
                "Task %(code)s was changed in the system after the file was exported (version "
                "%(then)s in the file, now %(now)s): this row is not applied. Export again and "
                "redo the change."
            ) % {"code": code, "then": version, "now": task.version}
            return Outcome(number, code, CONFLICT, task.pk, task.version, shown, note=note), []
        plan = {k: v for k, v in changes.items() if k in PLAN_KEYS}
        progress = {k: v for k, v in changes.items() if k in PROGRESS_KEYS}
        errors = []
        if plan and not self.may_change_plan(task.org_path, task):
            errors.extend(RowError(number, key, plan_refusal()) for key in plan)
        report = {}
        if progress:
            report, message = self._report_of(task, values, reports.get(task.pk))
            if message:
                errors.append(RowError(number, next(iter(progress)), message))
        outcome = Outcome(number, code, PLAN if plan else REPORT, task.pk, task.version, shown,
                          plan=plan, report=report)  # fmt: skip
        return outcome, errors

    def _report_of(self, task: LedgerTask, values: dict, report: ProgressReport | None):
        """The report the row's progress becomes (status, percent, narrative), or a refusal."""
        if self.user is None:
            return {}, _(
                "Progress changes become progress reports for approval, made in a person's name: "
                "import as a user (--user)."
            )
        if not can(self.user, Action.REPORT, task):
            return {}, _("You may not report progress of task %(code)s.") % {"code": task.code}
        if report is not None and report.state in (ReportState.SUBMITTED, ReportState.APPROVED):
            return {}, _(
                "The progress report of task %(code)s for this period is already %(state)s: "
                "progress can change again once it is returned, or in the next period."
            ) % {"code": task.code, "state": report.get_state_display()}
        status, percent = _normalised(
            task, values.get("status") or task.status, _percent(values, task)
        )
        narrative = values.get("progress", task.progress)
        return {"status": status, "percent": percent, "narrative": narrative}, ""

    def _plan_new(self, values: dict):
        number, code = values["row"], values["code"]
        if not values.get("new"):
            return None, [
                RowError(
                    number,
                    "code",
                    _(
                        "Task code %(code)s is not in the ledger. To add a task, mark the row "
                        "新增 = 是 (New = Y); otherwise correct the code."
                    )
                    % {"code": code},
                )
            ]
        org = values.get("organisation")
        if org is None:
            return None, []  # the importer reported the missing or unknown organisation
        if org.pk not in self._new_in:  # once per organisation, not once per row
            self._new_in[org.pk] = _org_problem(self.user, org, self.root, None)
        message = self._new_in[org.pk]
        if message:
            return None, [RowError(number, "organisation", message)]
        if not self.may_change_plan(org.path):
            return None, [RowError(number, "new", new_refusal())]
        if self.user is None and _has_progress(values):
            return None, [
                RowError(
                    number,
                    "status",
                    _(
                        "Progress changes become progress reports for approval, made in a "
                        "person's name: import as a user (--user)."
                    ),
                )
            ]
        outcome = Outcome(number, code, NEW, values=values)  # changes: from values, when shown
        if _has_progress(values):
            outcome.report = {
                "status": values.get("status") or TaskStatus.NOT_STARTED,
                "percent": values.get("percent") or Decimal(0),
                "narrative": values.get("progress", ""),
            }
        return outcome, []


def plan_refusal() -> str:
    return _(
        "This is part of the plan, which only the organisation that launched the programme "
        "changes: request a change on the task page."
    )


def new_refusal() -> str:
    return _(
        "Adding a task changes the plan, which only the organisation that launched the "
        "programme does: request it from them."
    )


def _has_progress(values: dict) -> bool:
    return (
        (values.get("status") or TaskStatus.NOT_STARTED) != TaskStatus.NOT_STARTED
        or bool(values.get("percent"))
        or bool((values.get("progress") or "").strip())
    )


def _percent(values: dict, task: LedgerTask) -> Decimal:
    return values["percent"] if values.get("percent") is not None else task.percent


def existing_tasks(programme: Programme, codes: Iterable[str], lock: bool = False) -> dict:
    """The programme's tasks with these codes, by code (one query per CHUNK codes)."""
    codes = sorted({c for c in codes if c})
    found: dict[str, LedgerTask] = {}
    for start in range(0, len(codes), CHUNK):
        qs = LedgerTask.objects.filter(programme=programme, code__in=codes[start : start + CHUNK])
        if lock:
            qs = qs.select_for_update(of=("self",))
        found.update((task.code, task) for task in qs)
    return found


def _open_reports(tasks: Iterable[LedgerTask], period_end) -> dict[int, ProgressReport]:
    ids = [t.pk for t in tasks]
    found = {}
    for start in range(0, len(ids), CHUNK):
        found.update(
            (r.task_id, r)
            for r in ProgressReport.objects.filter(
                task_id__in=ids[start : start + CHUNK], period_end=period_end
            ).only("pk", "task_id", "state", "period_end")
        )
    return found


def _scope_errors(user, values: dict, task: LedgerTask, root) -> list[RowError]:
    number, org = values["row"], values.get("organisation")
    errors = []
    org_message = _org_problem(user, org, root, task) if org is not None else ""
    if org_message:
        errors.append(RowError(number, "organisation", org_message))
    same_org = org is not None and org.pk == task.organisation_id
    if not (org_message and same_org):  # one reason is enough
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
    if user is not None and not can(user, Action.VIEW, task):
        return _("Task code %(code)s is not in the ledger.") % {"code": task.code}
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
    if task.measures.exclude(org_path__prefix=org.path).exists():
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
    probe = SimpleNamespace(  # not a model: no signals, no field set-up, per row
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
    status = values.get("status") or task.status
    percent = _percent(values, task)
    new_status, new_percent = _normalised(task, status, percent)
    if new_status != task.status:
        changed["status"] = new_status
    if new_percent != task.percent:
        changed["percent"] = new_percent
    return changed


# --- writing -------------------------------------------------------------------------------


def _template_of(code: str, org, templates: dict[str, TaskTemplate]) -> TaskTemplate | None:
    if code in templates:
        return templates[code]
    suffix = f"-{org.code}"
    return templates.get(code[: -len(suffix)]) if code.endswith(suffix) else None


class NewTask:
    """A new task's column values as attributes, with no model instance per row: what the
    INSERT reads, and what the model's own `__str__` and `audit_snapshot` read for its audit
    record (so the record holds what a saved model's would)."""

    _meta = LedgerTask._meta
    __str__ = LedgerTask.__str__
    audit_snapshot = LedgerTask.audit_snapshot

    @property
    def pk(self):
        return self.id


# The fields a row sets and the model checks (in the model's order, as clean_fields goes).
ROW_CHECKED = [
    f for f in LedgerTask._meta.fields if f.name in {"code", *PLAN_KEYS} - FOREIGN_KEYS.keys()
]


def _start(programme: Programme, template: TaskTemplate | None) -> dict:
    """A new task's values before its row's: the model's defaults and the template's,
    normalised. normalise() reads none of the fields a row sets (kind, status, percent and
    indicators come from here), so it runs once per template, not once per row."""
    task = LedgerTask(
        programme=programme,
        template=template,
        kind=template.kind if template else TaskKind.ONE_OFF,
        is_main=template.is_main if template else False,
        weight=template.weight if template else Decimal(1),
        indicator_unit=template.indicator_unit if template else "",
        indicator_target=template.indicator_target if template else None,
        indicator_direction=template.indicator_direction if template else "",
    )
    normalise(task)
    return {f.attname: _plain(getattr(task, f.attname)) for f in LedgerTask._meta.concrete_fields}


def _plain(value):
    """A choice's value as the database gives it back (TaskKind.ONE_OFF → "one_off"): what is
    stored and audited is the same, and a row of plain values is written without a call per
    column (fast_insert)."""
    return value.value if isinstance(value, Enum) else value


def _build(programme: Programme, values: dict, templates, starts: dict, cleaned: dict) -> NewTask:
    """A new task from a row marked 新增, checked but not saved. Foreign keys come checked from
    the importer and the code's uniqueness from the planner, so no query per row; only what
    the row set is checked (the rest comes from the template, already checked), field by field
    as the model's clean_fields would, with the same messages. A value that passed a field's
    check is remembered in `cleaned` (a deadline, a department repeat from row to row)."""
    org = values["organisation"]
    template = _template_of(values["code"], org, templates)
    key = template.pk if template else None
    if key not in starts:
        starts[key] = _start(programme, template)
    task = NewTask()
    fields = task.__dict__
    fields.update(starts[key])
    fields.update(code=values["code"], organisation_id=org.pk, org_path=org.path)
    if "area" in values:
        fields["area_id"] = values["area"].pk if values["area"] is not None else None
    problems = {}
    for f in ROW_CHECKED:
        if f.name != "code":
            if f.name not in values:
                continue
            fields[f.attname] = values[f.name]
        raw = fields[f.attname]
        if f.blank and raw in f.empty_values:
            continue
        key = (f.attname, type(raw), raw)
        if key in cleaned:
            fields[f.attname] = cleaned[key]
            continue
        try:
            fields[f.attname] = cleaned[key] = f.clean(raw, None)
        except ValidationError as exc:
            problems[f.name] = exc.error_list
    if problems:
        raise ValidationError(problems)
    return task


def _may_add(user, org, checked: dict) -> str:
    """The refusal to add a task to `org` (re-checked inside the write), or ""; once per
    organisation of a batch."""
    if org.pk not in checked:
        try:
            require(user, Action.CHANGE, org)
            checked[org.pk] = ""
        except PermissionDenied as exc:
            checked[org.pk] = str(exc)
    return checked[org.pk]


def _create_all(user, programme: Programme, outcomes: list[Outcome], templates, errors) -> None:
    """New tasks of one batch in one prepared INSERT of plain values, each with its audit
    record (written through the same snapshot and record path as a saved model's) and its
    organisation's tally recount."""
    built: list[tuple[Outcome, NewTask]] = []
    starts: dict = {}
    checked: dict = {}
    cleaned: dict = {}
    for outcome in outcomes:
        org = outcome.values["organisation"]
        refusal = _may_add(user, org, checked) if user is not None else ""
        if refusal:
            errors.append(RowError(outcome.row, "organisation", refusal))
            continue
        try:
            built.append((outcome, _build(programme, outcome.values, templates, starts, cleaned)))
        except ValidationError as exc:
            errors.extend(_errors_of(outcome.row, exc))
    if errors or not built:
        return
    fast_insert.insert(LedgerTask, (task for _outcome, task in built))
    ids = dict(
        LedgerTask.objects.filter(
            programme=programme, code__in=[task.code for _outcome, task in built]
        ).values_list("code", "id")
    )
    for organisation_id in {task.organisation_id for _outcome, task in built}:
        tallies.touched(programme.pk, organisation_id)
    for outcome, task in built:
        task.id = outcome.task_id = ids[task.code]
        if outcome.report:  # a report is saved for it: a model, as the report service takes
            outcome.created = _saved(programme, task, outcome.values)
    audit.record_many(
        {
            "action": AuditAction.CREATE.value,  # plain: written without a call per column
            "instance": task,
            "changes": {"after": audit.snapshot(task)},
            "plain": True,  # a snapshot is plain JSON already
        }
        for _outcome, task in built
    )


def _saved(programme: Programme, task: NewTask, values: dict) -> LedgerTask:
    """The model of a task just inserted, with its programme, organisation and area at hand."""
    saved = LedgerTask(**vars(task))
    saved.programme, saved.organisation = programme, values["organisation"]
    if values.get("area") is not None:
        saved.area = values["area"]
    saved._state.adding, saved._state.db = False, LedgerTask.objects.db
    return saved


def _apply_plan(task: LedgerTask, plan: dict) -> LedgerTask:
    for key, value in plan.items():
        setattr(task, key, value)
    if "organisation" in plan:
        task.org_path = plan["organisation"].path
    normalise(task)
    task.full_clean(exclude=UNCHECKED)
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


def apply_preview(
    *,
    user,
    programme: Programme,
    preview: Preview,
    progress: Callable = no_progress,
    one_by_one: bool = False,
) -> dict:
    """Write what the preview shows, all or nothing (ImportFailed lists every problem):
    new tasks (in bulk) and plan changes directly, progress as reports submitted for approval
    (a batch's in bulk, see ledger_import_reports; `one_by_one`: each through save_report and
    submit_report, as the bulk path is checked against). A task changed since the preview was
    made is refused as a conflict."""
    errors: list[RowError] = []
    work = preview.changes
    bulk = None if user is None or one_by_one else Submitter(
        user=user, programme=programme, comment=_import_comment()
    )  # fmt: skip
    # recount each organisation once; on SQLite, change the data version once, not per row
    with transaction.atomic(), bulk_version.once(), tallies.deferred():
        locked = _lock(programme, [o for o in work if o.task_id])
        templates = {t.code: t for t in programme.templates.all()}
        batch: list[Outcome] = []
        for outcome in progress(work, len(work), "rows"):
            batch.append(outcome)
            if len(batch) >= CHUNK:
                _apply_batch(user, programme, batch, locked, templates, errors, bulk)
                batch = []
        _apply_batch(user, programme, batch, locked, templates, errors, bulk)
        if errors:
            raise ImportFailed(errors)
    return dict(preview.counts)


def _apply_batch(user, programme, batch: list[Outcome], locked, templates, errors, bulk) -> None:
    """One batch in the rows' order: new tasks in bulk, then each row; a run of rows that
    only report progress is saved and submitted in bulk (`bulk`, a Submitter) before the next
    row that does more, so the audit chain holds the records in the rows' order."""
    _create_all(user, programme, [o for o in batch if o.kind == NEW], templates, errors)
    if errors:
        return
    reporting = [o for o in batch if o.report and o.kind in (NEW, REPORT)] if bulk else []
    single = single_path_tasks(programme, [o.task_id for o in reporting]) if reporting else set()
    in_bulk = {id(o) for o in reporting if o.task_id not in single}
    run: list[Item] = []
    for outcome in batch:
        if id(outcome) in in_bulk:
            run.append(_item(outcome, locked))
            continue
        _submit_run(bulk, run, errors)
        try:
            _apply_one(user, outcome, locked)
        except ValidationError as exc:
            errors.extend(_errors_of(outcome.row, exc))
        except PermissionDenied as exc:
            errors.append(RowError(outcome.row, "code", str(exc)))
    _submit_run(bulk, run, errors)
    for outcome in batch:
        outcome.created = None  # written: memory stays bounded by the preview itself
        locked.pop(outcome.task_id, None)


def _item(outcome: Outcome, locked: dict) -> Item:
    """A report-only row as the bulk path takes it."""
    return Item(outcome.row, _reported_task(outcome, locked), outcome.report)


def _reported_task(outcome: Outcome, locked: dict) -> LedgerTask:
    """The row's task: a new one with its report normalised as the task will keep it, or the
    existing one as locked for this import."""
    if outcome.kind != NEW:
        return locked[outcome.task_id]
    if outcome.report:
        report = outcome.report
        status, percent = _normalised(outcome.created, report["status"], report["percent"])
        report.update(status=status, percent=percent)
    return outcome.created


def _submit_run(bulk: Submitter | None, run: list[Item], errors: list[RowError]) -> None:
    """Save and submit a run of report-only rows in bulk; refusals as the single path words
    them (a permission: on the row's code; a check: on its field)."""
    if not run:
        return
    for row, problem in bulk.submit(run):
        if isinstance(problem, PermissionDenied):
            errors.append(RowError(row, "code", str(problem)))
        else:
            errors.extend(_errors_of(row, problem))
    run.clear()


def _lock(programme: Programme, outcomes: list[Outcome]) -> dict[int, LedgerTask]:
    ids = sorted({o.task_id for o in outcomes})
    locked: dict[int, LedgerTask] = {}
    for start in range(0, len(ids), CHUNK):
        qs = LedgerTask.objects.filter(pk__in=ids[start : start + CHUNK]).select_for_update()
        locked.update((t.pk, t) for t in qs)
    stale = [
        o for o in outcomes if o.task_id not in locked or locked[o.task_id].version != o.version
    ]
    if stale:
        raise ImportFailed(
            [
                RowError(
                    o.row,
                    "code",
                    _("Task %(code)s was changed while the file was being checked; import again.")
                    % {"code": o.code},
                )
                for o in stale
            ]
        )
    return locked


def _apply_one(user, outcome: Outcome, locked: dict) -> None:
    task = _reported_task(outcome, locked)
    if outcome.kind != NEW and outcome.plan:
        task = _apply_plan(task, outcome.plan)
    if outcome.report:
        report = save_report(user=user, task=task, period_end=None, **outcome.report)
        submit_report(user=user, report=report, comment=_import_comment())


def _import_comment() -> str:
    """What an imported report's submission says (in the language of the import)."""
    return _("Imported from a ledger file (Excel).")


def import_ledger(
    *,
    user,
    programme: Programme,
    rows: Iterable[dict],
    root=None,
    progress: Callable = no_progress,
    one_by_one: bool = False,
) -> Preview:
    """Plan and write a whole list of rows (for callers without a file); ImportFailed lists
    every problem, and then nothing is written."""
    planner = Planner(user=user, programme=programme, root=root)
    preview = Preview(period_end=planner.period_end)
    rows = list(rows)
    errors: list[RowError] = []
    for start in range(0, len(rows), CHUNK):
        outcomes, problems = planner.plan(rows[start : start + CHUNK])
        errors.extend(problems)
        for outcome in outcomes:
            preview.add(outcome)
    if errors:
        raise ImportFailed(errors)
    apply_preview(
        user=user, programme=programme, preview=preview, progress=progress, one_by_one=one_by_one
    )
    return preview
