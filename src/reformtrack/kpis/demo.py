"""Demo KPIs (ILLUSTRATIVE figures, not the groups' real accounts): the shipped KPI sets, three
years (2023–2025) of consolidated statements for SASAC's demo groups, scaled around the 2023
central-SOE aggregates (ROE ≈ 6.6%, 营业现金比率 ≈ 11%, 资产负债率 ≈ 64.6%), a 2025 half-year,
and 2024–2025 targets derived by 一增一稳四提升. Each group has its own cash ratios and a fixed
per-year wobble on margin, leverage, cash and R&D, so that peer tables mean something.
Idempotent: the same figures every time."""

from __future__ import annotations

import zlib
from decimal import Decimal
from pathlib import Path

from reformtrack.core.demo import register
from reformtrack.core.libraries import install_library
from reformtrack.orgs.models import Organisation

from .services import derive_targets, record_statement

SHIPPED = Path(__file__).resolve().parent.parent / "libraries" / "kpisets"
SOURCE = "演示数据（示意，非真实财务数据）"
# code: revenue (亿元), profit margin %, debt ratio %, R&D %, employees, growth per year,
# operating cash flow / revenue %, cash received from sales / revenue %
GROUPS = {
    "SINOCHEM": (5800, 4.8, 66.0, 2.1, 220_000, 0.04, 8.5, 104.5),
    "CRRC": (2400, 6.9, 58.5, 6.2, 170_000, 0.05, 9.8, 96.0),
    "CECEP": (620, 7.5, 67.5, 2.6, 50_000, 0.03, 14.2, 92.5),
    "ANSTEEL": (3300, 1.8, 63.0, 2.4, 150_000, -0.02, 6.1, 108.0),
    "DEC": (650, 6.0, 67.0, 4.8, 17_000, 0.08, 11.7, 99.0),
    "CFHI": (300, 3.3, 72.0, 5.1, 11_000, 0.06, 4.9, 88.0),
    "FAW": (6300, 7.4, 55.0, 3.0, 125_000, 0.02, 12.6, 111.0),
}
YEARS = (2023, 2024, 2025)


def _wobble(code: str, year: int, what: str) -> float:
    """A fixed pseudo-random number in [-1, 1] per group, year and line (crc32: the same on
    every run, so loading twice changes nothing), so groups and years differ realistically."""
    return zlib.crc32(f"{code}/{year}/{what}".encode()) / 0xFFFFFFFF * 2 - 1


def _lines(code: str, year: int) -> dict[str, Decimal]:
    revenue0, margin, debt, rd, staff, growth, op_cash, sales_cash = GROUPS[code]
    step = year - YEARS[0]
    revenue = revenue0 * (1 + growth) ** step
    profit = revenue * (margin + 0.2 * step + 0.6 * _wobble(code, year, "margin")) / 100
    assets = revenue * (1.35 + 0.05 * _wobble(code, year, "assets"))
    equity_close = assets * (100 - debt + 0.3 * step + 1.2 * _wobble(code, year, "debt")) / 100
    value_added = revenue * 0.22 + 0.6 * step
    lines = {
        "revenue": revenue, "total_profit": profit, "net_profit": profit * 0.78,
        "equity_open": equity_close / (1 + 0.05), "equity_close": equity_close,
        "total_assets": assets, "total_liabilities": assets - equity_close,
        "operating_cash_flow": revenue * (op_cash + 1.5 * _wobble(code, year, "ocf")) / 100,
        "cash_from_sales": revenue * (sales_cash + 3 * _wobble(code, year, "sales")) / 100,
        "rd_investment": revenue * (rd + 0.1 * step + 0.3 * _wobble(code, year, "rd")) / 100,
        "labour_pay": value_added * 0.45, "depreciation": value_added * 0.15,
        "net_production_tax": value_added * 0.12, "operating_surplus": value_added * 0.28,
    }  # fmt: skip
    result = {k: Decimal(str(round(v, 2))) for k, v in lines.items()}
    result["employees_avg"] = Decimal(round(staff * (1 - 0.01 * step)))
    return result


@register(40, "kpis")
def load(stdout=None) -> dict:
    for path in sorted(SHIPPED.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)
    loaded = 0
    for code in GROUPS:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            continue
        for year in YEARS:
            record_statement(
                user=None, organisation=org, year=year, period="Y", basis="consolidated",
                lines=_lines(code, year), unit="亿元", source=SOURCE,
            )  # fmt: skip
            loaded += 1
        half = {k: (v / 2 if k not in ("equity_open", "equity_close", "total_assets",
                "total_liabilities", "employees_avg") else v) for k, v in _lines(code, 2025).items()}  # fmt: skip
        record_statement(
            user=None, organisation=org, year=2025, period="Q2", basis="consolidated",
            lines={k: round(v, 2) for k, v in half.items()}, unit="亿元", source=SOURCE,
        )  # fmt: skip
        for year, shape in ((2024, "YLWD"), (2025, "YZYW")):  # each year's announced shape
            derive_targets(user=None, organisation=org, year=year, shape=shape)
    return {"statements": loaded}
