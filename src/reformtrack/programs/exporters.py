"""The ledger (台账) as an Excel file in the usual layout, and a blank template of it.

Header in row 1 (bold, frozen), widths fitting Chinese text, a drop-down of the five statuses,
dates as Excel dates and percent as numbers; text is defused by core.exporters.cell(). Each row
carries its task's version (版本, a hidden column) and the file its export time (the workbook's
"created" property and its description), so an import can tell a row whose task changed since
from an edit. The import (importers.py) reads both files back, with Chinese or English headers.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reformtrack.core.exporters import workbook_bytes, xlsx_workbook
from reformtrack.core.importer import no_progress
from reformtrack.core.scoping import Action

from .importers import COLUMNS, organisation_label, status_labels
from .models import LedgerTask, Programme
from .selectors.ledger import ledger

LAST_ROW = 1048576  # validations cover rows added later, too
WRAPPED = ("measure", "progress", "evidence")


def sheet_title(language: str = "zh") -> str:
    return "Ledger" if language == "en" else "台账"


def headers(language: str = "zh") -> list[str]:
    return [column.header(language) for column in COLUMNS]


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def evidence_names(task: LedgerTask) -> str:
    """File names of the current version of each piece of evidence, one a line."""
    names = []
    for evidence in task.evidence.all():
        versions = list(evidence.versions.all())  # prefetched newest first
        if versions:
            names.append(versions[0].original_name)
    return "\n".join(names)


def ledger_row(number: int, task: LedgerTask, language: str, labels: dict[str, str]) -> list:
    area = task.area
    return [
        number,
        task.code,
        (area.name_en or area.name_zh) if language == "en" else (area.name_zh or area.name_en),
        task.title,
        task.measure,
        organisation_label(task.organisation, language),
        task.department,
        task.owner,
        task.deadline,
        task.deliverable,
        task.progress,
        labels.get(task.status, task.status),
        _number(task.percent),
        evidence_names(task),
        "",
        task.version,
    ]


def _finish(ws, language: str) -> None:
    """Status drop-down, percent 0–100, wrapped long text."""
    index = {column.key: i for i, column in enumerate(COLUMNS, start=1)}
    status_col = get_column_letter(index["status"])
    choices = ",".join(status_labels(language).values())
    status = DataValidation(
        type="list",
        formula1=f'"{choices}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Status"),
        error=_("Choose one of: %(choices)s") % {"choices": choices},
    )
    status.add(f"{status_col}2:{status_col}{LAST_ROW}")
    percent_col = get_column_letter(index["percent"])
    percent = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Percent complete"),
        error=_("A number from 0 to 100."),
    )
    percent.add(f"{percent_col}2:{percent_col}{LAST_ROW}")
    new_col = get_column_letter(index["new"])
    new = DataValidation(type="list", formula1='"是,否"' if language != "en" else '"Y,N"',
                         allow_blank=True)  # fmt: skip
    new.add(f"{new_col}2:{new_col}{LAST_ROW}")
    ws.add_data_validation(status)
    ws.add_data_validation(percent)
    ws.add_data_validation(new)
    version_col = get_column_letter(index["version"])
    guard = DataValidation(  # Excel refuses anything typed into the column
        type="custom",
        formula1="FALSE",
        showErrorMessage=True,
        errorTitle=_("Version"),
        error=_("The version is set by the system when exported; do not edit it."),
    )
    guard.add(f"{version_col}2:{version_col}{LAST_ROW}")
    ws.add_data_validation(guard)
    version = ws.column_dimensions[version_col]
    version.hidden, version.width = True, 6
    top = Alignment(wrap_text=True, vertical="top")
    for key in WRAPPED:
        for (cell,) in ws.iter_rows(min_row=2, min_col=index[key], max_col=index[key]):
            cell.alignment = top


def ledger_xlsx(
    *, user, programme: Programme, root=None, language: str = "zh", progress=no_progress
) -> bytes:
    """The ledger rows of `programme` the user sees (None: all), optionally one subtree."""
    tasks = ledger(user, programme, root, Action.VIEW)
    labels = status_labels(language)
    rows = (
        ledger_row(number, task, language, labels)
        for number, task in enumerate(
            progress(tasks.iterator(chunk_size=2000), tasks.count(), "tasks"), start=1
        )
    )
    exported_at = timezone.now()
    wb = xlsx_workbook(sheet_title(language), headers(language), rows)
    _finish(wb.active, language)
    wb.properties.created = exported_at.replace(tzinfo=None)  # UTC, as Excel keeps it
    wb.properties.description = (
        f"reformtrack ledger {programme.code} exported {exported_at:%Y-%m-%dT%H:%M:%SZ}"
    )
    return workbook_bytes(wb)


def template_xlsx(*, programme: Programme, language: str = "zh") -> bytes:
    """A blank ledger: headers with a comment explaining each column, and the validations."""
    wb = xlsx_workbook(sheet_title(language), headers(language), [])
    ws = wb.active
    areas = "、".join(
        (a.name_en or a.name_zh) if language == "en" else a.name_zh for a in programme.areas.all()
    )
    for i, column in enumerate(COLUMNS, start=1):
        note = str(column.help)
        if column.key == "area" and areas:
            note += "\n" + _("Areas of %(programme)s: %(areas)s") % {
                "programme": programme.code,
                "areas": areas,
            }
        comment = Comment(note, "reformtrack")
        comment.width, comment.height = 300, 120
        ws.cell(row=1, column=i).comment = comment
        ws.column_dimensions[get_column_letter(i)].width = max(
            ws.column_dimensions[get_column_letter(i)].width or 0, 14
        )
    _finish(ws, language)
    return workbook_bytes(wb)


def ledger_filename(programme: Programme, root=None, blank: bool = False) -> str:
    if blank:
        return f"ledger-{programme.code}-template.xlsx"
    scope = f"-{root.code}" if root is not None else ""
    return f"ledger-{programme.code}{scope}-{timezone.localdate():%Y%m%d}.xlsx"
