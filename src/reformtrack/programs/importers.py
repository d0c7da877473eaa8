"""The ledger (台账) in Excel: its columns, and the import that reads them back.

The layout is the one reform offices keep: 序号, 任务编号, 改革领域, 改革任务, 具体举措, 责任单位,
责任部门, 责任人, 完成时限, 成果形式, 进展情况, 完成状态, 完成百分比, 佐证材料 (headers in
Chinese or English, any order), plus 版本 (each row's version when exported: a row whose task
changed since is a conflict) and 新增 (是/Y marks a row that adds a task). This module parses
in read-only streaming mode and hands rows to services/ledger_import.py in batches: a preview
first, then (unless a dry run) the writing, all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reformtrack.core.importer import (
    Column,
    Importer,
    ImportFailed,
    ImportResult,
    Row,
    RowError,
    date,
    decimal,
    no_progress,
    quiet_collector,
    text,
)
from reformtrack.orgs.models import Organisation

from .choices import TaskStatus
from .models import Programme
from .services.ledger_import import (
    CONFLICT,
    FIELDS,
    PROGRESS_KEYS,
    TEXT_FIELDS,
    Planner,
    Preview,
    apply_preview,
)

STATUS_ZH = {
    TaskStatus.NOT_STARTED: "未启动",
    TaskStatus.IN_PROGRESS: "推进中",
    TaskStatus.DONE: "已完成",
    TaskStatus.OVERDUE: "逾期",
    TaskStatus.PAUSED: "暂缓",
}
TRAILING_CODE = re.compile(r"[\[［【]\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*[\]］】]\s*$")

COLUMNS = (
    Column("number", "序号", "No.", read_only=True,
           help=gettext_lazy("Row number, for reading only; ignored on import.")),
    Column("code", "任务编号", "Task code", required=True, parse=text(60),
           help=gettext_lazy("Required. Rows with a code already in the ledger update that task; "
                      "a code not in the ledger is an error unless the row is marked 新增.")),
    Column("area", "改革领域", "Reform area", required=True, parse=text(200),
           help=gettext_lazy("Required. A reform area of the programme: its code or name.")),
    Column("title", "改革任务", "Reform task", required=True, parse=text(300),
           help=gettext_lazy("Required. The task.")),
    Column("measure", "具体举措", "Measure", parse=text(),
           help=gettext_lazy("The concrete measures (具体举措).")),
    Column("organisation", "责任单位", "Responsible unit", required=True, parse=text(250),
           help=gettext_lazy(
               "Required. The organisation's code, or its name followed by the code in "
               "brackets, e.g. 甲集团 [GROUP-A].")),
    Column("department", "责任部门", "Department", parse=text(100),
           help=gettext_lazy("The responsible department.")),
    Column("owner", "责任人", "Responsible person", parse=text(100),
           help=gettext_lazy("The responsible person.")),
    Column("deadline", "完成时限", "Deadline", required=True, parse=date,
           help=gettext_lazy(
               "Required. An Excel date, or 2024-06-30, 2024/06/30 or 2024年6月30日.")),
    Column("deliverable", "成果形式", "Deliverable", parse=text(300),
           help=gettext_lazy("What the task delivers (a policy, a report …).")),
    Column("progress", "进展情况", "Progress", parse=text(),
           help=gettext_lazy("How far the task has come. Blank keeps the current notes.")),
    Column("status", "完成状态", "Status",
           help=gettext_lazy("One of 未启动, 推进中, 已完成, 逾期, 暂缓 (or the English labels). "
                      "Blank keeps the current status.")),
    Column("percent", "完成百分比", "Percent complete", parse=decimal(0, 100),
           help=gettext_lazy("A number from 0 to 100. Done tasks count as 100.")),
    Column("evidence", "佐证材料", "Evidence", read_only=True,
           help=gettext_lazy(
               "Current evidence files, for reading only; upload evidence on the task's page.")),
    Column("new", "新增", "New",
           help=gettext_lazy("是 (Y) on a row that adds a task to the ledger; blank otherwise.")),
    Column("version", "版本", "Version",
           help=gettext_lazy("The task's version when exported; do not edit. A row whose task "
                             "changed in the system since is a conflict and is not applied.")),
)  # fmt: skip
YES = frozenset({"是", "y", "yes", "true", "1", "新增", "new", "x", "✓", "√"})
NO = frozenset({"否", "n", "no", "false", "0"})
BATCH = 1000
PAGE_ROWS = 1000  # rows of the preview a page shows (the command line prints them all)


def status_labels(language: str = "zh") -> dict[str, str]:
    """Status code → the label written in a ledger of that language."""
    if language == "en":
        with translation.override("en"):
            return {code: str(TaskStatus(code).label) for code in TaskStatus.values}
    return {code: STATUS_ZH[code] for code in TaskStatus.values}


def organisation_label(org: Organisation, language: str = "zh") -> str:
    """'简称 [CODE]': what the 责任单位 column shows, and the code the import reads back."""
    if language == "en":
        name = org.short_name_en or org.name_en or org.short_name_zh or org.name_zh
    else:
        name = org.short_name_zh or org.name_zh
    return f"{name} [{org.code}]"


def _status_lookup() -> dict[str, str]:
    lookup = {}
    for code in TaskStatus.values:
        lookup[code.casefold()] = code
        lookup[STATUS_ZH[code]] = code
        lookup[str(TaskStatus(code).label).casefold()] = code
    lookup.update({label.casefold(): code for code, label in status_labels("en").items()})
    return lookup


@dataclass
class LedgerResult(ImportResult):
    """Counts, errors and the preview: each row that changes something or is a conflict."""

    preview: Preview | None = None
    language: str = "zh"

    @property
    def rows(self) -> list[dict]:
        return preview_rows(self.preview, self.language) if self.preview else []

    @property
    def conflict_rows(self) -> list[dict]:
        return preview_rows(self.preview, self.language, {CONFLICT}) if self.preview else []

    @property
    def page_rows(self) -> list[dict]:
        """What a page shows: conflicts first, then the first changes, PAGE_ROWS at most."""
        if not self.preview:
            return []
        first = self.preview.conflicts + self.preview.changes[:PAGE_ROWS]
        return preview_rows(Preview(outcomes=first[:PAGE_ROWS]), self.language)

    @property
    def hidden_rows(self) -> int:
        return max(len(self.preview.outcomes) - PAGE_ROWS, 0) if self.preview else 0

    def as_dict(self) -> dict:
        period = self.preview.period_end if self.preview else None
        return {
            **super().as_dict(),
            "dry_run": self.dry_run,
            "period_end": period.isoformat() if period else None,
            # a dry run is the preview: every change; a write lists what it did not apply
            "changes": self.rows if self.dry_run or self.errors else self.conflict_rows,
        }


class LedgerImporter(Importer):
    """One programme's ledger file, for `user` (None: the operator) within `root` (optional)."""

    columns = COLUMNS
    count_keys = ("created", "reports", "plan_changes", "conflicts", "unchanged")

    def __init__(
        self, *, user, programme: Programme, root=None, progress=no_progress, one_by_one=False
    ):
        super().__init__(progress=progress)
        self.user, self.programme, self.root = user, programme, root
        self.one_by_one = one_by_one  # reports saved one at a time (what bulk is checked against)
        self._orgs: dict[str, Organisation | None] = {}
        self._areas = None
        self._statuses = _status_lookup()

    # --- parsers of single cells -------------------------------------------------------

    def parse_organisation(self, value) -> Organisation:
        raw = text()(value)
        match = TRAILING_CODE.search(raw)
        code = (match.group(1) if match else raw).strip().upper()
        if code not in self._orgs:
            self._orgs[code] = Organisation.objects.filter(code=code).first()
        org = self._orgs[code]
        if org is None:
            raise ValueError(_("Unknown organisation code %(code)s.") % {"code": code})
        return org

    def parse_area(self, value):
        raw = text()(value)
        if self._areas is None:
            self._areas = {}
            for area in self.programme.areas.all():
                for name in (area.code.casefold(), area.name_zh, area.name_en.casefold()):
                    if name:
                        self._areas.setdefault(name, area)
        match = TRAILING_CODE.search(raw)
        for candidate in ((match.group(1).casefold(),) if match else ()) + (raw.casefold(),):
            if candidate in self._areas:
                return self._areas[candidate]
        raise ValueError(
            _("%(value)s is not a reform area of %(programme)s.")
            % {"value": raw, "programme": self.programme.code}
        )

    def parse_status(self, value) -> str:
        raw = text()(value)
        code = self._statuses.get(raw.casefold())
        if code is None:
            raise ValueError(
                _("Unknown status %(value)s; use one of %(choices)s.")
                % {"value": raw, "choices": "、".join(STATUS_ZH.values())}
            )
        return code

    def parse_new(self, value) -> bool:
        raw = text()(value).casefold()
        if raw in YES:
            return True
        if raw in NO:
            return False
        raise ValueError(_("Write 是 (Y) to add a task, or leave the cell blank."))

    def parse_version(self, value) -> int:
        raw = text()(value)
        if not raw.isdigit():
            raise ValueError(
                _("%(value)s is not a version: keep the exported value.") % {"value": raw}
            )
        return int(raw)

    # --- whole file ----------------------------------------------------------------------

    def service_row(self, row: Row) -> dict:
        """The row as the service takes it: only columns in the file; blank text is empty."""
        values = {
            "row": row.number,
            "code": row["code"],
            "version": row["version"],
            "new": bool(row["new"]),
        }
        for key in FIELDS:
            if key not in row.values:
                continue
            value = row.values[key]
            if value is None and key == "progress":
                continue  # blank notes keep the current ones, as a blank status does
            if value is None and key in TEXT_FIELDS:
                value = ""
            if value is not None:
                values[key] = value
        return values

    def run(self, file, *, dry_run: bool = False) -> LedgerResult:
        """Stream the file in batches into a preview (every change, conflict and error); write
        it in one transaction unless it is a dry run or has errors."""
        with quiet_collector():
            return self._run_ledger(file, dry_run=dry_run)

    def _run_ledger(self, file, *, dry_run: bool) -> LedgerResult:
        self.errors = []
        planner = Planner(user=self.user, programme=self.programme, root=self.root)
        preview = Preview(period_end=planner.period_end)
        empty = dict.fromkeys(self.count_keys, 0)

        def result(counts, errors):
            return LedgerResult(counts, errors, dry_run, preview=preview, language=self.language)

        problems: list[RowError] = []
        try:
            batch: list[dict] = []
            for row in self.stream(file):
                if row["code"]:
                    batch.append(self.service_row(row))
                if len(batch) >= BATCH:
                    problems.extend(self._plan(planner, preview, batch))
                    batch = []
            problems.extend(self._plan(planner, preview, batch))
        except ImportFailed as exc:
            return result(empty, exc.errors)
        errors = sorted(self.errors + self._with_headers(ImportFailed(problems)), key=_order)
        counts = {**empty, **preview.counts}
        if errors or dry_run:
            return result(counts, errors)
        try:
            apply_preview(
                user=self.user,
                programme=self.programme,
                preview=preview,
                progress=self.progress,
                one_by_one=self.one_by_one,
            )
        except ImportFailed as exc:
            return result(empty, sorted(self._with_headers(exc), key=_order))
        return result(counts, [])

    @staticmethod
    def _plan(planner: Planner, preview: Preview, batch: list[dict]) -> list[RowError]:
        if not batch:
            return []
        outcomes, errors = planner.plan(batch)
        for outcome in outcomes:
            preview.add(outcome)
        return errors


def _order(error: RowError):
    return error.row or 0


def shown(key: str, value, language: str = "zh") -> str:
    """A field's value as the ledger file writes it, for the preview (old → new)."""
    if value is None:
        return ""
    if key == "organisation":
        return organisation_label(value, language)
    if key == "area":
        return (value.name_en or value.name_zh) if language == "en" else value.name_zh
    if key == "status":
        return status_labels(language).get(value, value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "normalize"):
        return f"{value.normalize():f}"
    return str(value)


def preview_rows(preview: Preview, language: str = "zh", kinds=None) -> list[dict]:
    """The preview as plain rows (of `kinds` only, if given): row, code, what it becomes, each
    changed field old → new."""
    headers = {c.key: c.header(language) for c in COLUMNS}
    return [
        {
            "row": o.row,
            "code": o.code,
            "kind": o.kind,
            "report": o.makes_report,
            "plan": o.changes_plan,
            "note": o.note,
            "changes": [
                {
                    "field": key,
                    "column": headers.get(key, key),
                    "old": shown(key, old, language),
                    "new": shown(key, new, language),
                    "goes_to": "report" if key in PROGRESS_KEYS else "plan",
                }
                for key, (old, new) in o.shown_changes.items()
            ],
        }
        for o in preview.outcomes
        if kinds is None or o.kind in kinds
    ]
