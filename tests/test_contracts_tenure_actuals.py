"""Actual values in Excel: the export is the import's template with the current values; the
import is all or nothing (every bad row named by row and column, nothing written), refuses a
value on an approved result and a stale version, and writes through the same service."""

from __future__ import annotations

import contextlib
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from reformtrack.contracts import services
from reformtrack.contracts.actuals import ActualsImporter
from reformtrack.contracts.choices import Status
from reformtrack.contracts.models import ContractIndicator

from .samples_contracts import FREE, install_rules, manager

pytestmark = pytest.mark.django_db
D = Decimal
TWO = FREE + [
    {"code": "F2", "name": "安全", "source": "free", "weight": D(0), "target": D(1),
     "rule": "VETO"},
]  # fmt: skip


@pytest.fixture
def signed(tree):
    install_rules()
    contract = manager(tree["A-SUB"], indicators=TWO)
    contract.status = Status.APPROVED
    contract.save(update_fields=["status"])
    return contract


def _export(tmp_path, *args) -> tuple:
    path = tmp_path / "actuals.xlsx"
    call_command("contracts", "actuals", "export", str(path), "--year", "2024", *args,
                 stdout=io.StringIO())  # fmt: skip
    wb = load_workbook(path)
    return path, wb


def _import(path, *args) -> dict:
    out = io.StringIO()
    with contextlib.suppress(CommandError):  # errors: the command fails after printing them
        call_command("contracts", "actuals", "import", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_round_trip_through_the_template(tmp_path, signed):
    before = signed.version
    path, wb = _export(tmp_path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:5] == ["单位代码", "姓名", "职务", "年度", "指标代码"]
    assert [r[4] for r in ws.iter_rows(min_row=2, values_only=True)] == ["F1", "F2"]
    ws.cell(2, 8, 95)
    ws.cell(2, 9, "台账第3行")
    ws.cell(3, 8, 1)
    ws.cell(3, 9, "安全生产报告")
    wb.save(path)
    assert _import(path, "--dry-run") == {
        "contracts": 1, "values": 2, "errors": [], "dry_run": True,
    }  # fmt: skip
    assert ContractIndicator.objects.get(code="F1").actual is None  # a dry run writes nothing
    assert _import(path)["values"] == 2
    signed.refresh_from_db()
    assert ContractIndicator.objects.get(code="F1").actual == D(95)
    assert signed.version == before + 1  # one new version, through record_actuals
    path, wb = _export(tmp_path)  # the current values come back, and re-importing changes nothing
    assert [r[7] for r in wb.active.iter_rows(min_row=2, values_only=True)] == [95, 1]
    assert _import(path)["values"] == 0


def test_every_bad_row_is_named_and_nothing_is_written(tmp_path, signed, tree):
    path, wb = _export(tmp_path)
    ws = wb.active
    ws.cell(2, 8, 95)  # value without evidence
    ws.cell(3, 5, "NOPE")  # no such indicator
    ws.append(["A-SUB", "乙经理", "总经理", 2024, "F1", None, None, 1, "e", 1])  # no contract
    version = ws.cell(2, 10).value
    ws.append(["A-SUB", "甲经理", "总经理", 2024, "F2", None, None, "abc", "e", version])
    wb.save(path)
    errors = {(e["row"], e["column"]) for e in _import(path)["errors"]}
    assert errors == {(2, "佐证材料"), (3, "指标代码"), (4, "年度"), (5, "实际值")}
    assert not ContractIndicator.objects.exclude(actual=None).exists()


def test_stale_version_and_approved_result_are_refused(tmp_path, signed):
    path, wb = _export(tmp_path)
    services.record_actuals(user=None, contract=signed, values={"F1": (D(90), "台账")})
    wb.active.cell(2, 8, 99)
    wb.active.cell(2, 9, "新台账")
    wb.save(path)
    [error] = _import(path)["errors"]
    assert (error["row"], error["column"]) == (2, "版本")
    services.record_actuals(user=None, contract=signed, values={"F2": (D(1), "报告")})
    result = services.score_contract(user=None, contract=signed)
    result.status = Status.APPROVED
    result.save(update_fields=["status"])
    path, wb = _export(tmp_path)
    wb.active.cell(2, 8, 99)
    wb.save(path)
    [error] = _import(path)["errors"]
    assert (error["row"], error["column"]) == (2, "实际值")
    assert ContractIndicator.objects.get(code="F1").actual == D(90)


def test_the_importer_keeps_to_the_users_scope(tmp_path, signed, people):
    path, wb = _export(tmp_path)
    wb.active.cell(2, 8, 95)
    wb.active.cell(2, 9, "台账")
    wb.save(path)
    result = ActualsImporter(user=people["contributor"]).run(path.read_bytes())
    # another's organisation reads as unknown, on every row
    assert [(e.row, e.column) for e in result.errors] == [(2, "单位代码"), (3, "单位代码")]
    result = ActualsImporter(user=people["reform_office"]).run(path.read_bytes())
    assert result.errors == [] and result.counts["values"] == 1


def test_the_import_page_writes_through_the_same_path(tmp_path, signed, people, client_for):
    office = client_for(people["reform_office"])
    template = office.get(reverse("contracts:actuals-export") + "?year=2024")
    assert template.status_code == 200
    wb = load_workbook(io.BytesIO(template.content))
    wb.active.cell(2, 8, 95)
    wb.active.cell(2, 9, "台账")
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("actuals.xlsx", buffer.getvalue())
    page = office.post(reverse("contracts:actuals-import"), {"file": upload})
    assert page.status_code == 200 and not page.context["result"].errors
    assert ContractIndicator.objects.get(code="F1").actual == D(95)
    contributor = client_for(people["contributor"])
    assert contributor.get(reverse("contracts:actuals-import")).status_code == 403
    assert contributor.get(reverse("contracts:actuals-export")).status_code == 403
