"""The ledger's Excel round trip: export, blank template, import (page and command line)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reformtrack.core.importer import RowError
from reformtrack.core.models import AuditRecord
from reformtrack.programs.choices import TaskKind, TaskStatus
from reformtrack.programs.exporters import headers, ledger_xlsx, template_xlsx
from reformtrack.programs.importers import LedgerImporter
from reformtrack.programs.models import LedgerTask, ProgressReport
from reformtrack.programs.services import evidence as evidence_services
from reformtrack.programs.services import tasks as task_services
from reformtrack.programs.services.ledger_import import import_ledger

ZH = headers("zh")
EN = headers("en")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOSTILE = '=HYPERLINK("http://evil.example/x","点此查看")'


def xlsx(rows, header=ZH) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def records(data: bytes) -> list[dict]:
    """Data rows of a ledger file as {header: value}."""
    ws = sheet(data)
    head = [c.value for c in ws[1]]
    return [dict(zip(head, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


def rewrite(data: bytes, change) -> bytes:
    """The file with `change(ws)` applied, as a user editing it in Excel would."""
    wb = load_workbook(io.BytesIO(data))
    change(wb.active)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def column_of(name: str) -> int:
    return ZH.index(name) + 1


def run_import(data: bytes, *, user=None, programme, root=None, dry_run=False):
    importer = LedgerImporter(user=user, programme=programme, root=root)
    return importer.run(io.BytesIO(data), dry_run=dry_run)


def row(code, org="GROUP-A", *, area="治理", title="新任务", deadline="2021-06-30", status="推进中",
        percent=50, new="是", **extra):  # fmt: skip
    """A hand-made row; marked 新增 (a code already in the ledger still updates its task)."""
    values = {
        "任务编号": code, "改革领域": area, "改革任务": title, "责任单位": org,
        "完成时限": deadline, "完成状态": status, "完成百分比": percent, "新增": new,
    }  # fmt: skip
    values.update(extra)
    return [values.get(h) for h in ZH]


def counts(created=0, reports=0, plan_changes=0, conflicts=0, unchanged=0) -> dict:
    return {"created": created, "reports": reports, "plan_changes": plan_changes,
            "conflicts": conflicts, "unchanged": unchanged}  # fmt: skip


def seed(**fields):
    """Progress set with no report, as seeding does (never reachable by a user)."""
    direct = getattr(task_services, "seed_progress_as_system", None)
    if direct is not None:
        return direct(**fields)
    return task_services.update_task(user=None, **fields)


@pytest.fixture
def busy(programme, task_of, tree):
    """The MINI ledger with owners, progress, a done task, an indicator, a measure, evidence and
    a formula-like text in it."""
    seed(
        task=task_of("M-1", "A-SUB"), owner="张伟", department="改革办",
        status=TaskStatus.IN_PROGRESS, percent=Decimal("33.33"), progress=HOSTILE,
    )  # fmt: skip
    seed(task=task_of("M-2", "GROUP-A"), status=TaskStatus.DONE, progress="已完成。")
    task = task_of("M-3", "GROUP-A")
    task.status, task.indicator_actual = TaskStatus.IN_PROGRESS, Decimal(45)
    task_services.normalise(task)
    task.save()
    measure = task_services.add_measure(
        user=None, task=task_of("M-1", "A-SUB"), organisation=tree["A-SUB2"], code="M-1-A-SUB-1",
        title="子任务", measure="第一步\n第二步",
    )  # fmt: skip
    seed(task=measure, status=TaskStatus.IN_PROGRESS, percent=20)
    for name in ("制度.pdf", "纪要.pdf"):
        evidence_services.add_evidence(
            user=None,
            task=task_of("M-2", "GROUP-A"),
            upload=SimpleUploadedFile(name, b"%PDF-1.4 x"),
            title=name,
        )
    evidence_services.add_evidence(
        user=None, task=task_of("M-2", "GROUP-A"),
        upload=SimpleUploadedFile("制度-v2.pdf", b"%PDF-1.4 y"), title="制度.pdf",
    )  # fmt: skip
    return programme


# --- export ------------------------------------------------------------------------------


def test_export_layout(busy, tree, task_of):
    data = ledger_xlsx(user=None, programme=busy, root=tree["GROUP-A"])
    ws = sheet(data)
    assert [c.value for c in ws[1]] == ZH
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width >= 10  # 改革任务: fits Chinese text
    rows = {r["任务编号"]: r for r in records(data)}
    assert set(rows) == {"M-1-A-SUB", "M-1-A-SUB-1", "M-1-A-SUB2", "M-2-GROUP-A", "M-3-GROUP-A"}
    done = rows["M-2-GROUP-A"]
    assert done["完成状态"] == "已完成" and done["完成百分比"] == 100
    assert done["完成时限"] == dt.datetime(2020, 12, 31)  # a real Excel date
    assert done["责任单位"] == "甲集团 [GROUP-A]"
    assert done["改革领域"] == "治理"
    assert done["佐证材料"].split("\n") == ["制度-v2.pdf", "纪要.pdf"]  # current versions
    assert rows["M-1-A-SUB-1"]["完成百分比"] == 20
    assert rows["M-1-A-SUB"]["完成百分比"] == 20  # as far as its measure
    assert rows["M-3-GROUP-A"]["完成百分比"] == 50  # 45 of 90
    assert [r["序号"] for r in records(data)] == [1, 2, 3, 4, 5]


def test_status_drop_down_and_percent_validation(busy):
    ws = sheet(ledger_xlsx(user=None, programme=busy))
    validations = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    status_col = chr(ord("A") + ZH.index("完成状态"))
    status = validations[f"{status_col}2:{status_col}1048576"]
    assert status.type == "list"
    assert status.formula1 == '"未启动,推进中,已完成,逾期,暂缓"'
    assert any(v.type == "decimal" and v.formula2 == "100" for v in validations.values())


def test_hostile_cells_are_defused(busy, tree):
    ws = sheet(ledger_xlsx(user=None, programme=busy, root=tree["A-SUB"]))
    progress = ws.cell(row=2, column=column_of("进展情况"))
    assert ws.cell(row=2, column=column_of("任务编号")).value == "M-1-A-SUB"
    assert progress.data_type == "s"
    assert progress.value == "'" + HOSTILE
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            assert cell.data_type != "f"


def test_english_export(busy):
    data = ledger_xlsx(user=None, programme=busy, language="en")
    rows = records(data)
    assert list(rows[0]) == EN
    assert {r["Status"] for r in rows} >= {"Done", "In progress"}
    assert "Group A [GROUP-A]" in {r["Responsible unit"] for r in rows}


def test_blank_template(programme):
    ws = sheet(template_xlsx(programme=programme))
    assert [c.value for c in ws[1]] == ZH
    assert ws.max_row == 1
    assert ws.freeze_panes == "A2"
    assert all(c.comment is not None and c.comment.text for c in ws[1])
    assert "治理" in ws.cell(row=1, column=column_of("改革领域")).comment.text
    assert any(v.type == "list" for v in ws.data_validations.dataValidation)


# --- round trip --------------------------------------------------------------------------


def test_export_then_import_changes_nothing(busy, people, tree):
    tasks_before = list(LedgerTask.objects.order_by("pk").values())
    audit_before = AuditRecord.objects.count()
    data = ledger_xlsx(user=None, programme=busy)
    result = run_import(data, programme=busy)
    assert result.errors == []
    assert result.counts == counts(unchanged=8)
    assert AuditRecord.objects.count() == audit_before
    assert list(LedgerTask.objects.order_by("pk").values()) == tasks_before
    # the same for a reform office, with its own export, and for the English layout
    office = people["reform_office"]
    mine = ledger_xlsx(user=office, programme=busy, root=tree["GROUP-A"], language="en")
    result = run_import(mine, user=office, programme=busy, root=tree["GROUP-A"])
    assert result.counts == counts(unchanged=5)
    assert AuditRecord.objects.count() == audit_before


def test_import_updates_by_code_and_creates_new(busy, people, task_of):
    """The launching organisation (SASAC) changes the plan directly and adds rows marked 新增;
    its progress changes become reports awaiting approval, the ledger's figures stay."""
    launcher = people["supervisor_admin"]
    data = ledger_xlsx(user=launcher, programme=busy)
    first = 2  # M-1-A-SUB, the first data row

    def edit(ws):
        ws.cell(row=first, column=column_of("完成状态")).value = "已完成"
        ws.cell(row=first, column=column_of("责任人")).value = "王芳"
        ws.append(row("M-1-GROUP-A", title="新增任务", deadline=dt.datetime(2021, 3, 31)))
        ws.append(row("X-9", org="A-SUB", title="自定任务", status="", percent=None))

    edited = rewrite(data, edit)
    result = run_import(edited, user=launcher, programme=busy)
    assert result.errors == []
    assert result.counts == counts(created=2, reports=2, plan_changes=1, unchanged=7)
    task = task_of("M-1", "A-SUB")
    assert (task.status, task.owner) == (TaskStatus.IN_PROGRESS, "王芳")  # plan applied
    report = ProgressReport.objects.get(task=task)
    assert (report.state, report.status, report.percent) == ("submitted", "done", 100)
    assert report.narrative == HOSTILE  # the defused text came back as it was
    created = LedgerTask.objects.get(code="M-1-GROUP-A")
    assert created.template.code == "M-1" and created.kind == TaskKind.COVERAGE
    assert (
        created.deadline == dt.date(2021, 3, 31) and created.org_path == created.organisation.path
    )
    assert created.status == TaskStatus.NOT_STARTED  # its 推进中 50% waits in a report
    assert ProgressReport.objects.get(task=created).percent == 50
    custom = LedgerTask.objects.get(code="X-9")
    assert (custom.kind, custom.status, custom.template) == (TaskKind.ONE_OFF, "not_started", None)
    assert not ProgressReport.objects.filter(task=custom).exists()
    assert LedgerTask.objects.filter(programme=busy).count() == 10


def test_import_reassigns_within_scope(busy, people, tree, task_of):
    data = xlsx([row("M-2-GROUP-A", org="甲子公司 [A-SUB]", title="方案", deadline="2020/12/31",
                     status="已完成", percent=100)])  # fmt: skip
    result = run_import(data, user=people["supervisor_admin"], programme=busy)
    assert result.errors == [] and result.counts["plan_changes"] == 1
    task = task_of("M-2", "GROUP-A")
    assert task.organisation == tree["A-SUB"] and task.org_path == tree["A-SUB"].path


def test_dry_run_writes_nothing(busy, people):
    data = xlsx([row("NEW-1"), row("M-2-GROUP-A", title="改过的标题", status="已完成",
                                   deadline="2020年12月31日", percent=100)])  # fmt: skip
    audit_before = AuditRecord.objects.count()
    tasks_before = list(LedgerTask.objects.order_by("pk").values())
    result = run_import(data, user=people["supervisor_admin"], programme=busy, dry_run=True)
    assert result.errors == [] and result.dry_run
    assert result.counts == counts(created=1, reports=1, plan_changes=1)
    assert AuditRecord.objects.count() == audit_before
    assert list(LedgerTask.objects.order_by("pk").values()) == tasks_before


# --- refusals ----------------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_written(busy, people):
    data = xlsx(
        [
            row("OK-1"),  # row 2: valid
            row("BAD-ORG", org="某公司 [NOPE]"),  # 3
            row("BAD-DATE", deadline="2021-02-30"),  # 4
            row("BAD-STATUS", status="差不多"),  # 5
            row("OK-1"),  # 6: duplicate of row 2
            row("BAD-PCT", percent=150),  # 7
            row(None, title=None),  # 8: two required cells missing
            row("BAD-AREA", area="财务"),  # 9
            [None] * len(ZH),  # 10: blank, skipped
            row("BAD-2", deadline="soon", percent=-1),  # 11
        ]
    )
    tasks_before = LedgerTask.objects.count()
    audit_before = AuditRecord.objects.count()
    result = run_import(data, user=people["supervisor_admin"], programme=busy)
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "责任单位"), (4, "完成时限"), (5, "完成状态"), (6, "任务编号"), (7, "完成百分比"),
        (8, "任务编号"), (8, "改革任务"), (9, "改革领域"), (11, "完成时限"), (11, "完成百分比"),
    }  # fmt: skip
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "NOPE" in messages[(3, "责任单位")]
    assert "第 2 行" in messages[(6, "任务编号")]  # the default language: Chinese
    assert "0–100" in messages[(7, "完成百分比")]
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)
    assert LedgerTask.objects.count() == tasks_before
    assert AuditRecord.objects.count() == audit_before


def test_missing_required_column_and_not_a_workbook(busy):
    no_deadline = xlsx([["M-9", "治理", "任务", "GROUP-A"]], header=ZH[1:4] + ["责任单位"])
    result = run_import(no_deadline, programme=busy)
    assert [(e.row, e.column) for e in result.errors] == [(1, "完成时限")]
    for junk in (b"code,title\nM-1,x\n", b"PK\x03\x04not really a zip", b""):
        result = run_import(junk, programme=busy)
        assert len(result.errors) == 1 and result.errors[0].row is None
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert ".xls" in run_import(old, programme=busy).errors[0].message
    assert "没有数据行" in run_import(xlsx([]), programme=busy).errors[0].message


def test_english_headers_any_order_and_text_dates(busy, task_of, people):
    order = ["Deadline", "Status", "Task code", "Responsible unit", "Reform task", "Reform area"]
    data = xlsx(
        [
            ["2020/12/31", "Paused", "M-2-GROUP-A", "GROUP-A", "方案", "A1"],
            [
                dt.datetime(2022, 6, 30),
                "not started",
                "M-3-GROUP-B",
                "乙集团[GROUP-B]",
                "公开招聘比例",
                "Governance",
            ],
        ],  # fmt: skip
        header=order,
    )
    result = run_import(data, user=people["supervisor_admin"], programme=busy)
    assert result.errors == []
    assert result.counts == counts(reports=1, unchanged=1)
    assert task_of("M-2", "GROUP-A").status == TaskStatus.DONE  # until the report is approved
    report = ProgressReport.objects.get(task=task_of("M-2", "GROUP-A"))
    assert (report.status, report.state) == (TaskStatus.PAUSED, "submitted")


def test_other_group_cannot_import_group_a_rows(busy, people, task_of):
    outsider = people["outsider"]
    data = xlsx([row("M-1-B-SUB", org="B-SUB", title="董事会应建尽建", deadline="2021-12-31"),
                 row("M-1-A-SUB", org="A-SUB", title="改了"),
                 row("M-2-GROUP-A", org="GROUP-B", title="夺走")])  # fmt: skip
    result = run_import(data, user=outsider, programme=busy)
    assert {(e.row, e.column) for e in result.errors} == {(3, "责任单位"), (4, "任务编号")}
    assert "A-SUB" in next(e.message for e in result.errors if e.row == 3)
    assert task_of("M-1", "A-SUB").title == "董事会应建尽建"


def test_org_option_limits_the_subtree(busy, people, tree):
    data = xlsx([row("M-2-GROUP-A", org="GROUP-A", title="方案", deadline="2020-12-31")])
    result = run_import(data, user=people["supervisor_admin"], programme=busy, root=tree["A-SUB"])
    assert [(e.row, e.column) for e in result.errors] == [(2, "责任单位")]


def test_service_rechecks_scope(busy, people, tree):
    with pytest.raises(Exception) as caught:
        import_ledger(
            user=people["outsider"], programme=busy,
            rows=[{"row": 2, "code": "Z-1", "new": True, "organisation": tree["A-SUB"],
                   "title": "x"}],
        )  # fmt: skip
    assert caught.value.errors == [RowError(2, "organisation", "您无权修改 A-SUB 的台账。")]


# --- pages -------------------------------------------------------------------------------


def test_export_and_template_pages(busy, people, client_for, tree):
    client = client_for(people["viewer"])
    url = reverse("programs:ledger-export", args=[busy.code])
    response = client.get(url, {"org": tree["GROUP-A"].pk})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert len(records(response.content)) == 5
    response = client.get(reverse("programs:ledger-template", args=[busy.code]))
    assert response.status_code == 200 and sheet(response.content).max_row == 1


def test_other_group_cannot_export_group_a(busy, people, client_for, tree):
    client = client_for(people["outsider"])
    url = reverse("programs:ledger-export", args=[busy.code])
    assert client.get(url, {"org": tree["GROUP-A"].pk}).status_code == 404
    assert client.get(url, {"org": "x"}).status_code == 404
    assert client.get(reverse("programs:ledger-export", args=["NOPE"])).status_code == 404
    own = {r["任务编号"] for r in records(client.get(url).content)}
    assert own == {"M-1-B-SUB", "M-2-GROUP-B", "M-3-GROUP-B"}


def test_import_page_needs_change(busy, people, client_for):
    url = reverse("programs:ledger-import", args=[busy.code])
    assert client_for(people["reform_office"]).get(url).status_code == 200
    assert client_for(people["contributor"]).get(url).status_code == 404
    assert client_for(people["viewer"]).get(url).status_code == 404
    assert client_for(people["system"]).get(url).status_code == 403


@pytest.fixture
def immediate(settings):
    """Jobs run at once, in the test's transaction (the database queue needs a worker)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_upload_page_shows_every_error(busy, people, client_for, immediate):
    client = client_for(people["outsider"])
    url = reverse("programs:ledger-import", args=[busy.code])
    bad = xlsx([row("M-1-A-SUB", org="A-SUB", title="改了"), row("Q-1", deadline="明天")])
    upload = SimpleUploadedFile("台账.xlsx", bad, XLSX)
    response = client.post(url, {"file": upload}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "您无权修改 A-SUB 的台账。" in html
    assert "<td>2</td><td>责任单位</td>" in html and "<td>3</td><td>完成时限</td>" in html
    assert 'data-testid="confirm-import"' not in html
    assert LedgerTask.objects.filter(code="Q-1").count() == 0


def test_upload_page_previews_then_confirms_as_jobs(busy, people, client_for, task_of,
                                                    immediate):  # fmt: skip
    from reformtrack.core.models import Job

    client = client_for(people["reform_office"])
    url = reverse("programs:ledger-import", args=[busy.code])
    good = xlsx([row("M-2-GROUP-A", title="方案", deadline="2020-12-31", status="暂缓",
                     percent=10)])  # fmt: skip
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", good)})
    assert response.status_code == 302 and "preview=" in response["Location"]
    preview = Job.objects.get(kind="ledger_import_preview")
    assert preview.state == "done" and preview.done == preview.total == 2  # rows of the sheet
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="reports">1<' in page and "已完成 → <strong>暂缓</strong>" in page
    assert task_of("M-2", "GROUP-A").status == TaskStatus.DONE  # a preview writes nothing
    assert not ProgressReport.objects.exists()
    token = preview.result["token"]
    response = client.post(url, {"token": token})
    job = Job.objects.get(kind="ledger_import")
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.state == "done" and job.owner == people["reform_office"]
    assert task_of("M-2", "GROUP-A").status == TaskStatus.DONE  # waits for approval
    assert ProgressReport.objects.get().state == "submitted"
    response = client.post(url, {"token": token})  # used once
    assert ProgressReport.objects.count() == 1 and "import-notice" in response.content.decode()
    # someone else's preview is not found
    other = client_for(people["supervisor_admin"]).get(url, {"preview": preview.pk})
    assert other.status_code == 404
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", b"a,b\n")}, follow=True)
    assert "不是 Excel 工作簿" in response.content.decode()


# --- command line ------------------------------------------------------------------------


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_cli_export_then_import_json(busy, tmp_path):
    path = tmp_path / "ledger.xlsx"
    _out, _err, failed = command("export", "--program", "mini", "--org", "SASAC", "-o", str(path))
    assert failed is None and len(records(path.read_bytes())) == 8
    out, _err, failed = command("import", str(path), "--program", "MINI", "--json")
    assert failed is None
    result = json.loads(out)
    assert (result["created"], result["reports"], result["errors"]) == (0, 0, [])


def test_cli_import_errors_json_exit_non_zero(busy, tmp_path, people):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([row("M-1-B-SUB", org="B-SUB", percent=101), row("M-1-A-SUB")]))
    out, _err, failed = command(
        "import", str(path), "--program", "MINI", "--user", "office_a", "--json"
    )
    assert failed is not None
    result = json.loads(out)
    assert {(e["row"], e["column"]) for e in result["errors"]} >= {
        (2, "完成百分比"),
        (2, "责任单位"),
    }
    assert not ProgressReport.objects.exists()
    _out, err, failed = command("import", str(path), "--program", "MINI", "--user", "office_a")
    assert failed is not None and "完成百分比" in err and "B-SUB" in err


def test_cli_dry_run_and_org(busy, tmp_path, task_of, people):
    path = tmp_path / "one.xlsx"
    path.write_bytes(xlsx([row("M-2-GROUP-A", title="方案", deadline="2020-12-31", status="逾期",
                                percent=10)]))  # fmt: skip
    out, _err, failed = command(
        "import", str(path), "--program", "MINI", "--org", "GROUP-A", "--dry-run", "--user", "sup"
    )
    assert failed is None and "1 progress reports" in out and "dry run" in out
    assert "已完成 → 逾期" in out
    assert task_of("M-2", "GROUP-A").status == TaskStatus.DONE
    _out, _err, failed = command("import", str(path), "--program", "MINI", "--org", "GROUP-B")
    assert failed is not None
    _out, err, failed = command("import", str(path), "--program", "MINI")
    assert failed is not None and "--user" in err  # progress needs a person to report it
    _out, _err, failed = command("import", str(tmp_path / "none.xlsx"), "--program", "MINI")
    assert "No such file" in str(failed)
    _out, _err, failed = command("export", "--program", "MINI", "--org", "GROUP-A", "-o",
                                 str(tmp_path / "x.xlsx"), "--user", "office_b")  # fmt: skip
    assert "No organisation" in str(failed)
    _out, _err, failed = command("template", "--program", "MINI", "-o", str(tmp_path / "t.xlsx"))
    assert failed is None and sheet((tmp_path / "t.xlsx").read_bytes()).max_row == 1


def test_a_cell_formatted_as_percent_reads_as_shown(busy, people, task_of):
    """Excel stores 45.5% as 0.455: the import reads it as 45.5, as the user sees it."""
    office = people["reform_office"]
    data = ledger_xlsx(user=office, programme=busy)

    def edit(ws):
        cell = ws.cell(row=2, column=column_of("完成百分比"))
        cell.value = 0.455
        cell.number_format = "0.0%"

    result = run_import(rewrite(data, edit), user=office, programme=busy)
    assert result.errors == []
    assert ProgressReport.objects.get(task=task_of("M-1", "A-SUB")).percent == Decimal("45.50")
