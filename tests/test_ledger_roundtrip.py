"""The safe Excel round trip of a ledger: progress goes through reports, the plan stays with the
launching organisation, stale rows are conflicts, unknown codes are errors, files are bounded
before they are parsed and checked in batches (issue 15 item 7, issue 21 item 2)."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from reformtrack.core.models import ApprovalRequest
from reformtrack.core.models.approvals import ApprovalStatus
from reformtrack.programs.choices import TaskStatus
from reformtrack.programs.exporters import headers, ledger_xlsx
from reformtrack.programs.importers import LedgerImporter
from reformtrack.programs.models import LedgerTask, ProgressReport
from reformtrack.programs.services import tasks as task_services

ZH = headers("zh")


def seed(**fields):
    """Progress set with no report, as seeding does (never reachable by a user)."""
    direct = getattr(task_services, "seed_progress_as_system", None)
    if direct is not None:
        return direct(**fields)
    return task_services.update_task(user=None, **fields)


def run_import(data: bytes, *, user, programme, root=None, dry_run=False):
    return LedgerImporter(user=user, programme=programme, root=root).run(
        io.BytesIO(data), dry_run=dry_run
    )


def edit(data: bytes, change) -> bytes:
    """The file as a user saves it after `change(ws, rows)`; rows maps task code → row number."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    code_col = ZH.index("任务编号") + 1
    rows = {ws.cell(row=r, column=code_col).value: r for r in range(2, ws.max_row + 1)}
    change(ws, rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def col(name: str) -> int:
    return ZH.index(name) + 1


@pytest.fixture
def ledger(programme, task_of):
    """Group A's one-off M-2 paused at 35% (the issue's TYA-1-05-SINOCHEM)."""
    seed(task=task_of("M-2", "GROUP-A"), status=TaskStatus.PAUSED, percent=Decimal(35))
    return programme


def test_changed_progress_becomes_reports_awaiting_approval(ledger, people, task_of):
    office = people["reform_office"]
    data = ledger_xlsx(user=office, programme=ledger)

    def change(ws, rows):
        ws.cell(row=rows["M-2-GROUP-A"], column=col("完成状态")).value = "推进中"
        ws.cell(row=rows["M-2-GROUP-A"], column=col("完成百分比")).value = 50
        ws.cell(row=rows["M-2-GROUP-A"], column=col("进展情况")).value = "方案已起草"

    result = run_import(edit(data, change), user=office, programme=ledger)
    assert result.errors == []
    assert (result.counts["reports"], result.counts["plan_changes"]) == (1, 0)
    task = task_of("M-2", "GROUP-A")
    assert (task.status, task.percent) == (TaskStatus.PAUSED, 35)  # the ledger waits
    report = ProgressReport.objects.get(task=task)
    assert (report.state, report.status, report.percent, report.narrative) == (
        "submitted", TaskStatus.IN_PROGRESS, 50, "方案已起草",
    )  # fmt: skip
    request = ApprovalRequest.objects.get(object_id=str(report.pk))
    assert request.status == ApprovalStatus.PENDING and request.submitted_by == office
    changes = {c["field"]: (c["old"], c["new"], c["goes_to"]) for c in result.rows[0]["changes"]}
    assert changes["status"] == ("暂缓", "推进中", "report")
    assert changes["percent"] == ("35", "50", "report")


def test_a_row_changed_since_the_export_is_a_listed_conflict(ledger, people, task_of):
    """Re-importing an older export does not reset an overdue task nor undo approved progress:
    the row is listed as a conflict and not applied; the other rows still are."""
    office = people["reform_office"]
    data = ledger_xlsx(user=office, programme=ledger)
    seed(task=task_of("M-2", "GROUP-A"), status=TaskStatus.OVERDUE)  # marked since the export

    def change(ws, rows):
        ws.cell(row=rows["M-3-GROUP-A"], column=col("完成状态")).value = "推进中"

    result = run_import(edit(data, change), user=office, programme=ledger)
    assert result.errors == []
    assert result.counts["conflicts"] == 1 and result.counts["reports"] == 1
    conflict = next(r for r in result.rows if r["kind"] == "conflict")
    assert conflict["code"] == "M-2-GROUP-A" and "版本" not in conflict["note"]
    assert "exported" in conflict["note"] or "导出" in conflict["note"]
    assert task_of("M-2", "GROUP-A").status == TaskStatus.OVERDUE  # not reset
    assert not ProgressReport.objects.filter(task=task_of("M-2", "GROUP-A")).exists()
    assert ProgressReport.objects.filter(task=task_of("M-3", "GROUP-A")).count() == 1


def test_an_unknown_code_is_an_error_unless_the_row_is_marked_new(ledger, people):
    launcher = people["supervisor_admin"]
    data = ledger_xlsx(user=launcher, programme=ledger)

    def change(ws, rows):
        template = [c.value for c in ws[rows["M-2-GROUP-A"]]]
        typo = list(template)
        typo[col("任务编号") - 1] = "M-2-GROUP-AA"  # a mistyped code
        typo[col("版本") - 1] = None
        ws.append(typo)
        new = list(typo)
        new[col("任务编号") - 1], new[col("新增") - 1] = "M-9-GROUP-A", "是"
        ws.append(new)

    before = LedgerTask.objects.count()
    result = run_import(edit(data, change), user=launcher, programme=ledger)
    assert [(e.column, "M-2-GROUP-AA" in e.message) for e in result.errors] == [("任务编号", True)]
    assert LedgerTask.objects.count() == before  # nothing written

    def fix(ws, rows):
        change(ws, rows)
        ws.delete_rows(ws.max_row - 1)

    result = run_import(edit(data, fix), user=launcher, programme=ledger)
    assert result.errors == [] and result.counts["created"] == 1
    assert LedgerTask.objects.filter(code="M-9-GROUP-A").exists()


def test_plan_fields_by_a_non_launcher_are_errors_naming_row_and_field(ledger, people, task_of):
    office = people["reform_office"]  # group A's office: the programme was launched from SASAC
    data = ledger_xlsx(user=office, programme=ledger)

    def change(ws, rows):
        ws.cell(row=rows["M-2-GROUP-A"], column=col("完成时限")).value = "2030-01-01"
        ws.cell(row=rows["M-3-GROUP-A"], column=col("责任人")).value = "李四"
        ws.cell(row=rows["M-3-GROUP-A"], column=col("完成状态")).value = "推进中"
        new = [None] * len(ZH)
        for name, value in (
            ("任务编号", "X-1"),
            ("改革领域", "治理"),
            ("改革任务", "加一项"),
            ("责任单位", "GROUP-A"),
            ("完成时限", "2030-01-01"),
            ("新增", "是"),
        ):
            new[col(name) - 1] = value  # fmt: skip
        ws.append(new)

    result = run_import(edit(data, change), user=office, programme=ledger)
    found = {(e.row, e.column) for e in result.errors}
    rows = {r["code"]: r for r in result.rows}
    assert (next(iter(found))[0] or 0) > 1
    assert {c for _r, c in found} == {"完成时限", "责任人", "新增"}
    assert all("task page" in e.message or "任务页" in e.message or "launched" in e.message
               or "发起" in e.message for e in result.errors)  # fmt: skip
    assert task_of("M-2", "GROUP-A").deadline.year != 2030
    assert not ProgressReport.objects.exists()  # all or nothing: the report waits too
    assert not LedgerTask.objects.filter(code="X-1").exists()
    assert rows == {}  # refused files show errors, not a preview to confirm
    # the launcher may change the same plan directly
    launcher = people["supervisor_admin"]
    result = run_import(edit(ledger_xlsx(user=launcher, programme=ledger), change), user=launcher,
                        programme=ledger)  # fmt: skip
    assert result.errors == []
    assert task_of("M-2", "GROUP-A").deadline.year == 2030
    assert task_of("M-3", "GROUP-A").owner == "李四"


def test_export_carries_versions_and_its_time(ledger, task_of):
    data = ledger_xlsx(user=None, programme=ledger)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    version_col = ws.cell(row=1, column=col("版本")).column_letter
    assert ws.column_dimensions[version_col].hidden
    guards = [v for v in ws.data_validations.dataValidation if v.type == "custom"]
    assert [str(v.sqref) for v in guards] == [f"{version_col}2:{version_col}1048576"]
    rows = {r[col("任务编号") - 1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["M-2-GROUP-A"][col("版本") - 1] == task_of("M-2", "GROUP-A").version
    assert wb.properties.created is not None and "exported" in wb.properties.description


def test_dry_run_writes_nothing_and_queries_do_not_grow_with_rows(ledger, people, tree):
    launcher = people["supervisor_admin"]
    area = ledger.areas.get(code="A1")
    for n in range(60):
        task_services.add_task(
            user=None, programme=ledger, area=area, organisation=tree["A-SUB"],
            code=f"BULK-{n:03}", title=f"任务{n}", deadline="2030-01-01",
        )  # fmt: skip
    data = ledger_xlsx(user=launcher, programme=ledger)

    def edit_first(count):
        def change(ws, rows):
            for code, number in rows.items():
                if code.startswith("BULK-") and int(code[5:]) < count:
                    ws.cell(row=number, column=col("完成状态")).value = "推进中"

        return edit(data, change)

    small, large = edit_first(5), edit_first(60)
    with CaptureQueriesContext(connection) as few:
        result = run_import(small, user=launcher, programme=ledger, dry_run=True)
    assert result.counts["reports"] == 5
    with CaptureQueriesContext(connection) as many:
        result = run_import(large, user=launcher, programme=ledger, dry_run=True)
    assert result.counts["reports"] == 60 and result.dry_run
    assert len(many) <= len(few)  # bulk lookups: one query per batch of codes, not per row
    assert not ProgressReport.objects.exists()


def workbook_bytes(rows: int, columns: int, *, dimension: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(ZH)
    for n in range(rows):
        ws.append([f"C-{n}"] + ["x"] * (columns - 1))
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if dimension is None:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                start = text.index('<dimension ref="') + len('<dimension ref="')
                end = text.index('"', start)
                body = (text[:start] + dimension + text[end:]).encode()
            dst.writestr(item, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_files_are_refused_by_their_declared_size_before_parsing(ledger, people, settings):
    settings.REFORMTRACK_IMPORT_MAX_CELLS = 1000
    office = people["reform_office"]
    declared = workbook_bytes(3, 16, dimension="A1:AX200001")  # 200k rows × 50 declared
    result = run_import(declared, user=office, programme=ledger)
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert "200,001" in result.errors[0].message
    # a dimension that says less than the sheet holds does not hide rows past the limit
    lying = workbook_bytes(100, 16, dimension="A1:P2")
    result = run_import(lying, user=office, programme=ledger)
    assert len(result.errors) == 1 and "1,000" in result.errors[0].message
    settings.REFORMTRACK_IMPORT_MAX_CELLS = 4_000_000
    settings.REFORMTRACK_IMPORT_MAX_RATIO = 5
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/sharedStrings.xml", " " * (4 * 2**20))
    result = run_import(bomb.getvalue(), user=office, programme=ledger)
    assert len(result.errors) == 1 and "sharedStrings" in result.errors[0].message
    settings.REFORMTRACK_IMPORT_MAX_BYTES = 1000
    result = run_import(workbook_bytes(3, 16), user=office, programme=ledger)
    assert len(result.errors) == 1 and "MB" in result.errors[0].message


def test_cli_dry_run_prints_the_preview_and_json(ledger, people, tmp_path, task_of):
    path = tmp_path / "ledger.xlsx"

    def change(ws, rows):
        ws.cell(row=rows["M-2-GROUP-A"], column=col("完成百分比")).value = 40

    office = people["reform_office"]
    path.write_bytes(edit(ledger_xlsx(user=office, programme=ledger), change))
    out = io.StringIO()
    call_command("ledger", "import", str(path), "--program", "MINI", "--user", "office_a",
                 "--dry-run", stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "M-2-GROUP-A" in text and "35 → 40" in text and "dry run" in text
    out = io.StringIO()
    call_command("ledger", "import", str(path), "--program", "MINI", "--user", "office_a",
                 "--dry-run", "--json", stdout=out)  # fmt: skip
    result = json.loads(out.getvalue())
    assert result["dry_run"] and result["reports"] == 1
    (item,) = result["changes"]
    assert item["code"] == "M-2-GROUP-A" and item["report"] and not item["plan"]
    assert not ProgressReport.objects.exists()
    with pytest.raises(CommandError):  # the operator has no name to report progress in
        call_command("ledger", "import", str(path), "--program", "MINI", stdout=io.StringIO(),
                     stderr=io.StringIO())  # fmt: skip
