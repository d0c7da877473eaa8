"""KPI inputs exactly as reported: amounts kept as typed until the unit is applied, a
percentage refused in a money cell, doubtful figures warned about (a balance sheet that does
not balance, a 万元/元 slip), opening equity from last year's closing, 劳动生产总值 as a total
or its four parts, each year offered its own announced target shape."""

from __future__ import annotations

import io
import json
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from reformtrack.kpis.engine import compute, compute_many, kpiset_for
from reformtrack.kpis.models import Statement, StatementRevision
from reformtrack.kpis.summary import home_summary

from . import test_kpis_engine
from .test_kpis_engine import YEAR_LINES, enter

kpisets = test_kpis_engine.kpisets

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


def xlsx(rows, head=HEAD) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.append(head)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes):
    return client.post(reverse("kpis:import"), {"file": SimpleUploadedFile("s.xlsx", data)})


def value(org, year, line):
    return Statement.objects.get(organisation=org, year=year, period="Y").lines()[line]


def test_an_amount_is_kept_as_typed_until_its_unit_is_applied(kpisets, tree, people, client_for):
    page = upload(
        client_for(people["reform_office"]),
        xlsx([["GROUP-A", 2024, "Y", "合并", "亿元", 12.3456, 1.2345, 120, 70]]),
    )
    assert page.status_code == 200 and "导入" in page.content.decode()
    # 12.3456 亿元 is 1,234,560,000 元; rounding to 0.01 亿元 first would lose 456 万元
    assert value(tree["GROUP-A"], 2024, "revenue") == D("1234560000.00")
    assert value(tree["GROUP-A"], 2024, "total_profit") == D("123450000.00")
    typed = StatementRevision.objects.get(line="revenue").entered
    assert typed == "12.3456 亿元"


def test_a_percentage_in_a_money_cell_is_refused_naming_row_and_column(
    kpisets, tree, people, client_for
):
    wb_rows = [
        ["GROUP-A", 2024, "Y", "合并", "亿元", 1000, "8%", 1200, 780],
        ["A-SUB", 2024, "Y", "合并", "亿元", 500, 40, 600, 300],
    ]
    page = upload(client_for(people["reform_office"]), xlsx(wb_rows))
    text = page.content.decode()
    result = text.split('data-testid="import-result"')[1]
    assert "8% 是百分比，不是金额。" in result
    assert "<td>2</td>" in result and "利润总额" in result  # row 2, the profit column
    assert not Statement.objects.exists()  # nothing half-written


def test_doubtful_figures_are_accepted_with_a_warning_on_every_path(
    kpisets, tree, people, client_for, api_for, tmp_path
):
    enter(tree["GROUP-A"], 2023)  # revenue 1000 亿元
    # 2024 typed in 万元 by mistake: revenue 1000 "万元" is 10,000 times smaller than last year;
    # and assets 1200 ≠ liabilities 780 + equity 300
    lines = dict(YEAR_LINES, equity_close=300)
    office = client_for(people["reform_office"])
    form = {"year": 2024, "period": "Y", "basis": "consolidated", "unit": "万元", "source": ""}
    form |= {f"line_{k}": v for k, v in lines.items()}
    url = reverse("kpis:statement-entry", args=[tree["GROUP-A"].pk])
    page = office.post(url, form, follow=True)
    text = page.content.decode()
    assert "营业收入是上年的 10,000 倍" in text or "营业收入的数值是上年的" in text, text
    assert "资产总额" in text and "负债总额与期末所有者权益之和" in text
    assert Statement.objects.filter(year=2024).exists()  # accepted: a warning, not a refusal

    api = api_for(people["reform_office"])
    body = {"organisation": "GROUP-A", "year": 2025, "period": "Y", "basis": "consolidated",
            "unit": "亿元", "lines": {"total_assets": "100", "total_liabilities": "40",
                                      "equity_close": "50"}}  # fmt: skip
    pushed = api.post("/api/kpis/statements/", body, format="json")
    assert pushed.status_code == 201, pushed.content
    assert len(pushed.json()["warnings"]) == 1 and "10.00 亿元" in pushed.json()["warnings"][0]

    path = tmp_path / "s.xlsx"
    path.write_bytes(xlsx([["A-SUB", 2024, "Y", "合并", "亿元", 10, 1, 100, 20]]))
    out = io.StringIO()
    call_command("kpi", "import", str(path), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["statements"] == 1 and data["warnings"] == []  # no equity line: no check


def test_opening_equity_comes_from_last_years_closing(kpisets, tree):
    enter(tree["GROUP-A"], 2023, dict(YEAR_LINES, equity_close=400))
    lines = dict(YEAR_LINES)
    del lines["equity_open"]
    enter(tree["GROUP-A"], 2024, lines)
    result = compute(tree["GROUP-A"], year=2024)
    roe = result.by_code()["ROE"]
    assert roe.value == D("14.63")  # 60 / avg(400, 420) × 100
    assert result.derived["equity_open"] == "2023 年期末所有者权益"
    alone = dict(lines)
    enter(tree["GROUP-B"], 2024, alone)  # no 2023 statement: not computable, never zero
    assert compute(tree["GROUP-B"], year=2024).by_code()["ROE"].value is None


def test_the_home_summary_and_the_peer_table_take_opening_equity_the_same_way(
    kpisets, tree, people, django_assert_max_num_queries
):
    lines = dict(YEAR_LINES)
    del lines["equity_open"]
    for code in ("GROUP-A", "GROUP-B"):
        enter(tree[code], 2023, dict(YEAR_LINES, equity_close=400))
        enter(tree[code], 2024, lines)
    home = {row.organisation.code: row for row in home_summary(people["supervisor_admin"])}
    roe = {c.value.code: c.value.value for c in home["GROUP-A"].cells}["ROE"]
    assert roe == D("14.63")  # as on the organisation's own KPI page, not "not computable"
    groups = [tree["GROUP-A"], tree["GROUP-B"]]
    with django_assert_max_num_queries(8):  # last year's closings in one read, not one per row
        peers = compute_many(groups, year=2024)
    assert [peers[g].by_code()["ROE"].value for g in groups] == [D("14.63")] * 2


def test_labour_output_as_a_total_or_its_four_parts_gives_the_same_productivity(kpisets, tree):
    enter(tree["GROUP-A"], 2024)  # the four parts: 90 + 40 + 25 + 95 = 250 亿元
    total = {k: v for k, v in YEAR_LINES.items() if k not in
             ("labour_pay", "depreciation", "net_production_tax", "operating_surplus")}  # fmt: skip
    enter(tree["GROUP-B"], 2024, dict(total, labour_gross_value=250))
    a = compute(tree["GROUP-A"], year=2024).by_code()["LABOUR_PRODUCTIVITY"].value
    b = compute(tree["GROUP-B"], year=2024).by_code()["LABOUR_PRODUCTIVITY"].value
    assert a == b == D("250.00")  # 250 亿元 / 10,000 people, in 万元 per person


def test_each_year_is_offered_the_target_shape_announced_for_it(kpisets, tree, people, client_for):
    office = client_for(people["reform_office"])
    url = reverse("kpis:targets", args=[tree["GROUP-A"].pk])
    page_2024 = office.get(url + "?year=2024").content.decode()
    assert "一利稳定增长，五率持续优化" in page_2024 and "一增一稳四提升" not in page_2024
    page_2023 = office.get(url + "?year=2023").content.decode()
    assert "一增一稳四提升" in page_2023 and "一利稳定增长" not in page_2023


def test_the_2019_set_records_what_its_source_does_and_does_not_confirm(kpisets):
    kpiset = kpiset_for(2019)
    assert "保7争9" in kpiset.source and "待确认" in kpiset.source
    assert all(i.to_confirm for i in kpiset.indicators.all())
    assert "shared/domain.md" not in kpiset.provenance  # no developer notes in shipped data
