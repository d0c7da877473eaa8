"""Published figures recomputed: each case enters a publisher's printed statement lines through
the same path as a user, and the engine's KPI, rounded to the decimals the publisher printed,
equals the ratio printed beside them. Sources are cited in tests/data/kpis/*.yaml; the KPIs no
publisher prints beside their lines are named there, with why, and checked to be the only gap."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from reformtrack.core.libraries import install_library
from reformtrack.kpis.engine import compute
from reformtrack.kpis.models import Indicator
from reformtrack.kpis.selectors import kpi_value
from reformtrack.kpis.services import record_statement
from reformtrack.orgs import services as org_services

SHIPPED = Path(__file__).parent.parent / "src/reformtrack/libraries/kpisets"
DATA = Path(__file__).parent / "data/kpis"
PUBLISHED = yaml.safe_load((DATA / "published.yaml").read_text(encoding="utf-8"))
CRRC = yaml.safe_load((DATA / "crrc-2022-2024.yaml").read_text(encoding="utf-8"))
CRRC_H1 = yaml.safe_load((DATA / "crrc-2023-h1.yaml").read_text(encoding="utf-8"))
D = Decimal


@pytest.fixture
def kpisets(db):
    for path in sorted(SHIPPED.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)


def enterprise(code: str, name: str):
    """A group under its own supervisor, as the publisher's entity would be set up."""
    root = org_services.create_organisation(
        user=None, parent=None, code="PUBLISHERS", name_zh="公开数据", kind="supervisor"
    )
    return org_services.create_organisation(
        user=None, parent=root, code=code.upper()[:40], name_zh=name[:200], kind="group"
    )


def rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(D(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("case", PUBLISHED["cases"], ids=[c["id"] for c in PUBLISHED["cases"]])
def test_a_published_ratio_is_recomputed_from_its_printed_lines(kpisets, case):
    assert case["ratio_by"] in {"company", "official", "press"}
    org = enterprise(case["id"], case["entity"])
    record_statement(
        user=None, organisation=org, year=case["year"], period=case["period"],
        basis="consolidated", lines={k: D(v) for k, v in case["lines"].items()},
        unit=case["unit"], source=case["source"],
    )  # fmt: skip
    result = compute(org, year=case["year"], period=case["period"]).by_code()
    for code, printed in case["reported"].items():
        value = result[code].value
        assert value is not None, f"{code}: {result[code].reason}"
        assert rounded(value, case["decimals"][code]) == D(printed), (code, value, printed)


def test_crrc_ratios_recomputed_from_its_reported_lines(kpisets):
    """CRRC (中国中车) 2022–2024 consolidated lines in 百万元, as its reports print them."""
    assert CRRC["unit"] == "百万元"
    org = enterprise("CRRC", "中国中车股份有限公司")
    for year, lines in CRRC["years"].items():
        lines = {k: D(str(v)) for k, v in lines.items()}
        record_statement(user=None, organisation=org, year=year, period="Y",
                         basis="consolidated", lines=lines, unit="百万元")  # fmt: skip
    checked = 0
    for code, by_year in CRRC["reported"].items():
        for year, figure in by_year.items():
            assert kpi_value(organisation=org, year=year, code=code) == D(figure)
            checked += 1
    assert checked == 4


def test_crrc_half_year_rd_intensity_recomputed(kpisets):
    """CRRC's 2023 half-year R&D intensity (5.63 %) through the year-to-date statement path."""
    org = enterprise("CRRC", "中国中车股份有限公司")
    lines = {k: D(v) for k, v in CRRC_H1["lines"].items()}
    record_statement(user=None, organisation=org, year=CRRC_H1["year"], period=CRRC_H1["period"],
                     basis="consolidated", lines=lines, unit=CRRC_H1["unit"])  # fmt: skip
    result = compute(org, year=CRRC_H1["year"], period=CRRC_H1["period"]).by_code()
    for code, figure in CRRC_H1["reported"].items():
        assert result[code].value == D(figure)


def test_every_shipped_kpi_is_checked_against_a_publication_or_its_gap_is_explained(kpisets):
    """A new indicator in a KPI set needs a published case, or a reason here why none exists."""
    covered = {code for case in PUBLISHED["cases"] for code in case["reported"]}
    covered |= set(CRRC["reported"]) | set(CRRC_H1["reported"])
    explained = set(PUBLISHED["unverified"])
    shipped = set(Indicator.objects.values_list("code", flat=True))
    assert shipped - covered == explained
    assert all(len(reason) > 80 for reason in PUBLISHED["unverified"].values())
