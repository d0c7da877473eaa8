"""The KPI engine: shipped KPI sets load and are picked by year, formulas are checked on load,
statements keep their history, group KPIs never add up ratios, targets are derived and checked.
Published reports' ratios are recomputed in test_kpis_published.py."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from reformtrack.core.libraries import LibraryError, install_library
from reformtrack.kpis.engine import compute, kpiset_for
from reformtrack.kpis.models import StatementRevision
from reformtrack.kpis.selectors import dupont, kpi_value, overview
from reformtrack.kpis.services import derive_targets, record_statement

SHIPPED = Path(__file__).parent.parent / "src/reformtrack/libraries/kpisets"
DATA = Path(__file__).parent / "data/kpis"
D = Decimal

YEAR_LINES = {
    "revenue": 1000, "total_profit": 80, "net_profit": 60, "equity_open": 380,
    "equity_close": 420, "total_assets": 1200, "total_liabilities": 780,
    "operating_cash_flow": 110, "cash_from_sales": 1050, "rd_investment": 30,
    "labour_pay": 90, "depreciation": 40, "net_production_tax": 25, "operating_surplus": 95,
}  # fmt: skip


@pytest.fixture
def kpisets(db):
    for path in sorted(SHIPPED.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)


def enter(org, year, lines=None, *, period="Y", basis="consolidated", unit="亿元", employees=1):
    values = {k: D(v) for k, v in (lines or YEAR_LINES).items()}
    values.setdefault("employees_avg", D(employees * 10000))
    return record_statement(
        user=None, organisation=org, year=year, period=period, basis=basis, lines=values,
        unit=unit, source="test",
    )  # fmt: skip


def test_the_set_of_each_year_is_picked(kpisets):
    assert kpiset_for(2019).name_zh == "两利三率"
    assert kpiset_for(2022).name_zh == "两利四率"
    assert kpiset_for(2024).name_zh == "一利五率"
    assert kpiset_for(2026).code == "YLWL-2025"
    codes = [i.code for i in kpiset_for(2025).indicators.all()]
    assert "CASH_COLLECTION" in codes and "OP_CASH_RATIO" not in codes


def test_a_formula_naming_an_unknown_line_is_refused_with_its_line(kpisets):
    text = (SHIPPED / "yiliwulv-2023.yaml").read_text(encoding="utf-8")
    text = text.replace("YLWL-2023", "YLWL-BAD").replace("rd_investment /", "rd_spend /")
    with pytest.raises(LibraryError) as caught:
        install_library(text)
    error = caught.value.errors[0]
    wanted = next(n for n, line in enumerate(text.splitlines(), 1) if "rd_spend" in line)
    assert error["line"] == wanted
    assert "rd_spend" in error["message"]


def test_python_is_not_a_formula(kpisets):
    text = (SHIPPED / "yiliwulv-2023.yaml").read_text(encoding="utf-8")
    text = text.replace("YLWL-2023", "YLWL-EVIL").replace(
        "formula: total_profit / 100000000", "formula: __import__('os').system('true')"
    )
    with pytest.raises(LibraryError):
        install_library(text)


def test_one_profit_five_rates_from_a_statement(kpisets, tree):
    enter(tree["GROUP-A"], 2024)
    values = compute(tree["GROUP-A"], year=2024).by_code()
    assert values["TOTAL_PROFIT"].value == D("80.00")  # 亿元
    assert values["ROE"].value == D("15.00")  # 60 / ((380 + 420) / 2)
    assert values["OP_CASH_RATIO"].value == D("11.00")
    assert values["DEBT_RATIO"].value == D("65.00")
    assert values["RD_INTENSITY"].value == D("3.00")
    # (90 + 40 + 25 + 95) 亿元 / 10,000 people = 250 万元/人
    assert values["LABOUR_PRODUCTIVITY"].value == D("250.00")
    assert kpi_value(organisation=tree["GROUP-A"], year=2024, code="ROE") == D("15.00")


def test_missing_lines_and_zero_divisors_are_not_computable(kpisets, tree):
    lines = dict(YEAR_LINES, revenue=0)
    del lines["total_liabilities"]
    enter(tree["GROUP-A"], 2024, lines)
    values = compute(tree["GROUP-A"], year=2024).by_code()
    assert values["DEBT_RATIO"].value is None
    assert values["DEBT_RATIO"].reason == "无法计算：报表缺少负债总额。"  # the line, by name
    assert values["RD_INTENSITY"].value is None
    assert values["ROE"].value == D("15.00")


def test_units_are_normalised_and_corrections_keep_history(kpisets, tree):
    statement = enter(tree["GROUP-A"], 2024, {"revenue": 12345}, unit="万元")
    assert statement.lines()["revenue"] == D("123450000.00")
    enter(tree["GROUP-A"], 2024, {"revenue": "1.3"}, unit="亿元")
    history = list(StatementRevision.objects.filter(line="revenue").order_by("at", "id"))
    assert [h.new_value for h in history] == [D("123450000.00"), D("130000000.00")]
    assert history[1].old_value == D("123450000.00") and history[1].entered == "1.3 亿元"
    enter(tree["GROUP-A"], 2024, {"revenue": "1.3"}, unit="亿元")
    assert StatementRevision.objects.filter(line="revenue").count() == 2


def test_bad_statement_input_is_refused_whole(kpisets, tree):
    with pytest.raises(ValidationError) as caught:
        record_statement(
            user=None, organisation=tree["GROUP-A"], year=2024, period="Q5", basis="group",
            lines={"revenue": "abc", "profits": 1}, unit="美元",
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"period", "basis", "unit", "revenue", "profits"}
    assert not tree["GROUP-A"].statements.exists()


def test_a_group_without_consolidated_statement_adds_lines_then_divides(kpisets, tree):
    small = dict(YEAR_LINES, net_profit=1, equity_open=10, equity_close=10, revenue=10)
    enter(tree["GROUP-B"], 2024)  # unrelated
    enter(tree["A-SUB"], 2024, small, basis="single")
    result = compute(tree["GROUP-A"], year=2024)
    assert result.basis == "aggregated" and result.aggregated_from == ["A-SUB"]
    enter(tree["A-SUB2"], 2024, YEAR_LINES)  # A-SUB2 sits below A-SUB: A-SUB's single wins
    result = compute(tree["GROUP-A"], year=2024)
    assert result.by_code()["ROE"].value == D("10.00")  # 1 / 10


def test_year_to_date_is_annualised_only_when_asked(kpisets, tree):
    half = {k: D(v) / 2 if k not in ("equity_open", "equity_close", "total_assets",
            "total_liabilities") else D(v) for k, v in YEAR_LINES.items()}  # fmt: skip
    enter(tree["GROUP-A"], 2024, half, period="Q2")
    plain = compute(tree["GROUP-A"], year=2024, period="Q2").by_code()
    yearly = compute(tree["GROUP-A"], year=2024, period="Q2", annualised=True)
    assert plain["ROE"].value == D("7.50")
    assert yearly.annualised and yearly.by_code()["ROE"].value == D("15.00")
    assert yearly.by_code()["DEBT_RATIO"].value == D("65.00")


def test_targets_by_one_up_one_stable_four_improved(kpisets, tree):
    enter(tree["GROUP-A"], 2023)
    better = dict(YEAR_LINES, total_profit=90, net_profit=70, total_liabilities=800)
    enter(tree["GROUP-A"], 2024, better)
    outcome = derive_targets(user=None, organisation=tree["GROUP-A"], year=2024, shape="YLWD")
    assert len(outcome["set"]) == 6
    _result, rows = overview(tree["GROUP-A"], year=2024)
    checks = {r.code: r.outcome.status for r in rows}
    assert checks["TOTAL_PROFIT"] == "met"
    assert checks["ROE"] == "met"
    assert checks["DEBT_RATIO"] == "not_met"  # 66.67 vs 65 ± 1
    assert {r.code: r.outcome.gap for r in rows}["DEBT_RATIO"] == D("0.67")
    assert checks["RD_INTENSITY"] == "not_met"  # unchanged is not an improvement


def test_a_debt_ratio_below_its_stable_band_is_met_not_missed(kpisets, tree):
    enter(tree["GROUP-A"], 2023)  # 65 %
    enter(tree["GROUP-A"], 2024, dict(YEAR_LINES, total_liabilities=720))  # 60 %
    derive_targets(user=None, organisation=tree["GROUP-A"], year=2024, shape="YLWD")
    _result, rows = overview(tree["GROUP-A"], year=2024)
    debt = next(r for r in rows if r.code == "DEBT_RATIO")
    assert debt.value == D("60.00") and debt.target == "65 ± 1"
    assert debt.outcome.status == "met" and debt.outcome.gap is None


def test_dupont_multiplies_back_to_return_on_net_assets(kpisets, tree):
    enter(tree["GROUP-A"], 2024)
    parts = dupont(tree["GROUP-A"], year=2024)
    assert parts["roe"] == D("15.00")
    assert parts["margin"] == D("6.00")
