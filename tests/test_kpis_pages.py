"""KPI pages, the Excel import (a bad file lists every error, writes nothing), the API push
and the `kpi` command, as a user meets them."""

from __future__ import annotations

import html
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from reformtrack.kpis.models import Statement, StatementRevision
from reformtrack.kpis.services import derive_targets

from . import test_kpis_engine
from .test_kpis_engine import YEAR_LINES, enter

kpisets = test_kpis_engine.kpisets  # the shipped libraries, loaded

HEAD = [
    "单位代码",
    "年度",
    "期间",
    "报表口径",
    "金额单位",
    "营业收入",
    "利润总额",
    "资产总额",
    "负债总额",
]


def xlsx(rows) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.append(HEAD)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("s.xlsx", data)
    return client.post(reverse("kpis:import"), {"file": file})


def test_overview_shows_values_last_year_target_and_check(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2023)
    enter(tree["GROUP-A"], 2024, dict(YEAR_LINES, total_profit=90))
    derive_targets(user=None, organisation=tree["GROUP-A"], year=2024, shape="YLWD")
    page = client_for(people["viewer"]).get(
        reverse("kpis:overview", args=[tree["GROUP-A"].pk]) + "?year=2024"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "一利五率" in text and "净资产收益率" in text and "杜邦" in text
    assert 'data-testid="check-TOTAL_PROFIT">已达成' in text
    assert "90.00 亿元" in text and "80.00 亿元" in text


def test_year_to_date_page_says_annualised(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2024, period="Q2")
    page = client_for(people["viewer"]).get(
        reverse("kpis:overview", args=[tree["GROUP-A"].pk]) + "?year=2024&period=Q2"
    )
    assert "年化" in page.content.decode()


def test_peer_ranks_within_scope(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2024)
    enter(tree["GROUP-B"], 2024, dict(YEAR_LINES, net_profit=30))
    text = (
        client_for(people["supervisor_admin"])
        .get(reverse("kpis:peers", args=[tree["GROUP-A"].pk]) + "?year=2024")
        .content.decode()
    )
    assert "中位数" in text and "甲集团" in text and "乙集团" in text
    office = (
        client_for(people["reform_office"])
        .get(reverse("kpis:peers", args=[tree["GROUP-A"].pk]) + "?year=2024")
        .content.decode()
    )
    assert "乙集团" not in office  # another group's figures stay out of scope


def seen_on(page) -> str:
    """The versions a KPI form page showed (its hidden `seen` field)."""
    found = re.search(r'name="seen" value="([^"]*)"', page.content.decode())
    return html.unescape(found.group(1)) if found else ""


def test_statement_form_corrects_and_keeps_history(kpisets, tree, people, client_for):
    client = client_for(people["reform_office"])
    url = reverse("kpis:statement-entry", args=[tree["GROUP-A"].pk])
    form = {"year": 2024, "period": "Y", "basis": "consolidated", "unit": "万元",
            "line_revenue": "5000"}  # fmt: skip
    assert client.post(url, form).status_code == 302
    assert (
        client.post(url, dict(form, line_revenue="5200", seen=seen_on(client.get(url)))).status_code
        == 302
    )
    assert StatementRevision.objects.filter(line="revenue").count() == 2
    statement = Statement.objects.get(organisation=tree["GROUP-A"])
    assert statement.lines()["revenue"] == Decimal("52000000.00")
    viewer = client_for(people["viewer"])
    assert viewer.post(url, form).status_code == 404


def test_bad_excel_file_lists_every_error_and_writes_nothing(kpisets, tree, people, client_for):
    data = xlsx(
        [
            ["GROUP-A", 2024, "Y", "合并", "亿元", 100, 8, 120, 70],
            ["NOPE", 2024, "Q5", "集团", "美元", "abc", 8, 120, 70],
            ["GROUP-A", 2024, "Y", "合并", "亿元", 100, 8, 120, 70],
        ]
    )
    page = upload(client_for(people["reform_office"]), data)
    text = page.content.decode()
    assert "未写入任何数据" in text
    for needle in ("NOPE", "Q5", "集团", "美元", "abc", "第 2 行"):
        assert needle in text, needle
    assert not Statement.objects.exists()


def test_impossible_amounts_are_refused_per_row_and_line(kpisets, tree, people, client_for):
    """A huge, a negative revenue and a loss: the first two refused with row and column, in a
    check-only run as in a real one, nothing written; a loss is a normal value."""
    data = xlsx(
        [
            ["GROUP-A", 2024, "Y", "合并", "亿元", "1e20", 8, 120, 70],
            ["GROUP-B", 2024, "Y", "合并", "亿元", -5, 8, 120, 70],
            ["GROUP-A", 2023, "Y", "合并", "亿元", 100, -8, 120, 70],
        ]
    )
    office = client_for(people["supervisor_admin"])
    for dry_run in (True, False):
        file = SimpleUploadedFile("s.xlsx", data)
        body = {"file": file, "dry_run": "on"} if dry_run else {"file": file}
        page = office.post(reverse("kpis:import"), body)
        assert page.status_code == 200
        text = page.content.decode()
        assert "营业收入：1.00E+20 亿元 太大，不可能是金额。" in text, text
        assert "营业收入不能为负数（-5）。" in text
        assert "利润总额" not in text.split("import-result")[1]  # the loss is fine
        assert not Statement.objects.exists()


def test_the_form_refuses_negative_revenue_and_part_people(kpisets, tree, people, client_for):
    office = client_for(people["reform_office"])
    url = reverse("kpis:statement-entry", args=[tree["GROUP-A"].pk])
    body = {"year": 2024, "period": "Y", "basis": "consolidated", "unit": "万元",
            "line_revenue": "-5", "line_employees_avg": "12.5",
            "line_net_profit": "-3"}  # fmt: skip
    text = office.post(url, body).content.decode()
    assert "营业收入不能为负数（-5）。" in text
    assert "平均从业人员是人数：12.5 不是整数。" in text
    assert not Statement.objects.exists()


def test_good_excel_file_loads(kpisets, tree, people, client_for):
    data = xlsx([["GROUP-A", 2024, "Y", "合并", "亿元", 100, 8, 120, 70]])
    page = upload(client_for(people["reform_office"]), data)
    assert page.status_code == 200 and "已导入" in page.content.decode()
    lines = Statement.objects.get().lines()
    assert lines["total_assets"] == Decimal("12000000000.00")


def test_api_push_and_read_values(kpisets, tree, people, api_for):
    api = api_for(people["reform_office"])
    body = {"organisation": "GROUP-A", "year": 2024, "period": "Y", "basis": "consolidated",
            "unit": "亿元", "lines": {"total_assets": "120",
            "total_liabilities": "78"}}  # fmt: skip
    assert api.post("/api/kpis/statements/", body, format="json").status_code == 201
    values = api.get(f"/api/kpis/values/{tree['GROUP-A'].pk}/?year=2024").json()
    debt = next(v for v in values["values"] if v["code"] == "DEBT_RATIO")
    assert debt["value"] == "65.00"
    body["organisation"] = "GROUP-B"
    assert api.post("/api/kpis/statements/", body, format="json").status_code == 404
    body.update(organisation="GROUP-A", lines={"bogus": "1"})
    assert api.post("/api/kpis/statements/", body, format="json").status_code == 400


def test_kpi_command_computes_and_imports(kpisets, tree, tmp_path, capsys):
    enter(tree["GROUP-A"], 2024)
    out = io.StringIO()
    call_command("kpi", "compute", "--org", "GROUP-A", "--year", "2024", "--json", stdout=out)
    data = json.loads(out.getvalue())
    roe = next(v for v in data["values"] if v["code"] == "ROE")
    assert roe["value"] == "15.00" and "equity_open" in roe["inputs"]
    out = io.StringIO()
    call_command("kpi", "compute", "--org", "GROUP-A", "--year", "2024", stdout=out)
    text = out.getvalue()
    assert "2024 全年" in text  # the period is named, not coded
    assert "营业收入 (revenue) = 100,000,000,000.00 元" in text
    assert "平均从业人员 (employees_avg) = 10,000.00 人" in text
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([["NOPE", 2024, "Y", "合并", "亿元", 1, 1, 1, 1]]))
    with pytest.raises(Exception, match="nothing was written"):
        call_command("kpi", "import", str(bad), stdout=io.StringIO(), stderr=io.StringIO())


def test_statement_page_lists_the_correction_history(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2024, {"revenue": 100})
    enter(tree["GROUP-A"], 2024, {"revenue": 110})
    client = client_for(people["reform_office"])
    text = client.get(reverse("kpis:statement-entry", args=[tree["GROUP-A"].pk])).content.decode()
    assert "更正历史" in text
    assert "10,000,000,000.00 元" in text and "11,000,000,000.00 元" in text
    assert "110 亿元" in text  # as typed


def test_year_to_date_pace_is_at_risk_when_behind(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2023)
    derive_targets(user=None, organisation=tree["GROUP-A"], year=2024, shape="YLWD")
    slow = {k: (Decimal(v) / 4 if k in ("total_profit", "net_profit", "revenue") else Decimal(v))
            for k, v in YEAR_LINES.items()}  # fmt: skip
    enter(tree["GROUP-A"], 2024, slow, period="Q2")  # half a year, a quarter of the profit
    text = (
        client_for(people["viewer"])
        .get(reverse("kpis:overview", args=[tree["GROUP-A"].pk]) + "?year=2024&period=Q2")
        .content.decode()
    )
    assert 'data-testid="check-TOTAL_PROFIT">存在风险' in text
    assert "1–6月累计" in text


def test_group_page_says_when_it_adds_up_subsidiaries(kpisets, tree, people, client_for):
    enter(tree["A-SUB"], 2024, basis="single")
    text = (
        client_for(people["viewer"])
        .get(reverse("kpis:overview", args=[tree["GROUP-A"].pk]) + "?year=2024")
        .content.decode()
    )
    assert 'data-testid="aggregated"' in text and "甲子公司" in text  # by name


def test_targets_page_derives_by_shape(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2023)
    enter(tree["GROUP-A"], 2024)
    url = reverse("kpis:targets", args=[tree["GROUP-A"].pk]) + "?year=2024"
    page = client_for(people["reform_office"]).post(url, {"shape": "YLWD"})
    assert "已推导 6 项目标" in page.content.decode()
    assert client_for(people["viewer"]).post(url, {"shape": "YLWD"}).status_code == 404
    office = client_for(people["reform_office"])
    one = {
        "code": "DEBT_RATIO",
        "comparison": "lte",
        "value": "64",
        "seen": seen_on(office.get(url)),
    }
    assert office.post(url, one).status_code == 302
    from reformtrack.kpis.selectors import kpi_outcome

    outcome = kpi_outcome(organisation=tree["GROUP-A"], year=2024, code="DEBT_RATIO")
    assert outcome.status == "not_met" and outcome.gap == Decimal("1.00")
    row = office.get(url).content.decode().split('data-kpi="DEBT_RATIO"')[1].split("</tr>")[0]
    assert "≤ 64%" in row or "64%" in row  # a percentage reads 64%, not 64 %
    assert " %" not in row


def test_english_template_round_trips(kpisets, tree, people, client_for):
    client = client_for(people["reform_office"])
    response = client.get(reverse("kpis:template"), HTTP_ACCEPT_LANGUAGE="en")  # reader's language
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Organisation code", "Year", "Period", "Basis", "Unit"]
    assert "Total profit" in header
    sheet.delete_rows(2)
    row = dict.fromkeys(header, None)
    row.update({"Organisation code": "GROUP-A", "Year": 2025, "Period": "M05", "Basis": "single",
                "Unit": "元", "Total profit": 1234.5})  # fmt: skip
    sheet.append([row[h] for h in header])
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    assert "已导入" in upload(client, buffer.getvalue()).content.decode()
    statement = Statement.objects.get(period="M05")
    assert statement.basis == "single" and statement.lines()["total_profit"] == Decimal("1234.50")


def test_api_patch_corrects_one_statement(kpisets, tree, people, api_for):
    statement = enter(tree["GROUP-A"], 2024, {"revenue": 100})
    url = f"/api/kpis/statements/{statement.pk}/"
    body = {"unit": "万元", "lines": {"revenue": "2000000"}, "version": statement.version}
    assert api_for(people["viewer"]).patch(url, body, format="json").status_code == 404
    response = api_for(people["reform_office"]).patch(url, body, format="json")
    assert response.status_code == 200 and response.json()["lines"]["revenue"] == "20000000000.00"
    assert StatementRevision.objects.filter(statement=statement, line="revenue").count() == 2
    assert api_for(people["reform_office"]).delete(url).status_code == 405


def test_periods_read_as_labels_and_the_table_is_in_chinese(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2024)
    enter(tree["GROUP-A"], 2024, period="Q2")
    client = client_for(people["reform_office"])
    org = tree["GROUP-A"].pk
    text = client.get(reverse("kpis:overview", args=[org]) + "?year=2024").content.decode()
    assert "<th>指标</th>" in text and "<th>Indicator</th>" not in text
    assert 'data-period="Y" class="current" aria-current="page">全年</a>' in text  # this one
    assert 'data-period="Q2">1–6月累计</a>' in text
    assert ">Q2<" not in text and ">Y<" not in text
    text = client.get(reverse("kpis:overview", args=[org]) + "?year=2023").content.decode()
    assert "没有 2023 年（全年）的报表" in text
    text = client.get(reverse("kpis:statement-entry", args=[org])).content.decode()
    assert "<td>全年</td>" in text and "<td>1–6月累计</td>" in text and "<td>Q2</td>" not in text
    assert "<td>2024 1–6月累计 合并</td>" in text  # the correction history names the period too


def test_overview_reads_as_figures_not_codes_in_both_languages(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2023)
    enter(tree["GROUP-A"], 2024, employees=2)
    derive_targets(user=None, organisation=tree["GROUP-A"], year=2024, shape="YLWD")
    client = client_for(people["reform_office"])
    url = reverse("kpis:overview", args=[tree["GROUP-A"].pk]) + "?year=2024"
    text = client.get(url).content.decode()
    assert "净利润 ÷ 平均(所有者权益（期初）, 所有者权益（期末）) × 100" in text  # the formula
    assert "净利润 = 6,000,000,000.00 元" in text and "平均从业人员 = 20,000 人" in text
    assert "net_profit" not in text.split('data-testid="formulas"')[1].split("title=")[0]
    assert "1,000.00 亿元" not in text and "80.00 亿元" in text
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "80.00 100m yuan" in english and "亿元" not in english
    targets = client.get(
        reverse("kpis:targets", args=[tree["GROUP-A"].pk]) + "?year=2024"
    ).content.decode()
    note = targets.split('data-testid="target-note">')[1].split("</p>")[0]
    assert note.startswith("按目标模式推导：一利稳定增长，五率持续优化（") and "利润总额" in note
    assert "TOTAL_PROFIT" not in note
    english = client.get(
        reverse("kpis:targets", args=[tree["GROUP-A"].pk]) + "?year=2024", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Profit growing steadily, five rates improving" in english
