"""The ledger (台账) in Excel: its columns, and the import that reads them back.

The layout is the one reform offices keep: 序号, 任务编号, 改革领域, 改革任务, 具体举措, 责任单位,
责任部门, 责任人, 完成时限, 成果形式, 进展情况, 完成状态, 完成百分比, 佐证材料 (headers in
Chinese or English, any order). This module parses and validates; the writing is
services/ledger_import.py.
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reformtrack.core.importer import Column, Importer, Row, date, decimal, no_progress, text
from reformtrack.orgs.models import Organisation

from .choices import TaskStatus
from .models import Programme
from .services.ledger_import import FIELDS, TEXT_FIELDS, check_rows, import_ledger

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
                      "a new code creates a task.")),
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
           help=gettext_lazy("How far the task has come.")),
    Column("status", "完成状态", "Status",
           help=gettext_lazy("One of 未启动, 推进中, 已完成, 逾期, 暂缓 (or the English labels). "
                      "Blank keeps the current status.")),
    Column("percent", "完成百分比", "Percent complete", parse=decimal(0, 100),
           help=gettext_lazy("A number from 0 to 100. Done tasks count as 100.")),
    Column("evidence", "佐证材料", "Evidence", read_only=True,
           help=gettext_lazy(
               "Current evidence files, for reading only; upload evidence on the task's page.")),
)  # fmt: skip


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


class LedgerImporter(Importer):
    """One programme's ledger file, for `user` (None: the operator) within `root` (optional)."""

    columns = COLUMNS
    count_keys = ("created", "updated", "unchanged")

    def __init__(self, *, user, programme: Programme, root=None, progress=no_progress):
        super().__init__(progress=progress)
        self.user, self.programme, self.root = user, programme, root
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

    # --- whole file ----------------------------------------------------------------------

    def service_row(self, row: Row) -> dict:
        """The row as the service takes it: only columns in the file; blank text is empty."""
        values = {"row": row.number, "code": row["code"]}
        for key in FIELDS:
            if key not in row.values:
                continue
            value = row.values[key]
            if value is None and key in TEXT_FIELDS:
                value = ""
            if value is not None:
                values[key] = value
        return values

    def check(self, rows: list[Row]) -> None:
        candidates = [self.service_row(r) for r in rows if r["code"]]
        for error in check_rows(
            user=self.user, programme=self.programme, rows=candidates, root=self.root
        ):
            self.error(error.row, error.column, error.message)

    def write(self, rows: list[Row]) -> dict[str, int]:
        return import_ledger(
            user=self.user,
            programme=self.programme,
            rows=[self.service_row(r) for r in rows],
            root=self.root,
            progress=self.progress,
        )
