"""Permission-matrix samples of the kpis app: a statement, a target and KPI values per group."""

from __future__ import annotations

from pathlib import Path

from reformtrack.core.libraries import install_library
from reformtrack.kpis.models import KpiSet
from reformtrack.kpis.services import record_statement, set_target

SHIPPED = Path(__file__).parent.parent / "src/reformtrack/libraries/kpisets"


def build(tree, people) -> dict:
    for path in sorted(SHIPPED.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)
    statements, targets = {}, {}
    for side, code in (("a", "A-SUB"), ("b", "B-SUB")):
        org = tree[code]
        statements[side] = record_statement(
            user=None, organisation=org, year=2024, period="Y", basis="consolidated",
            lines={"revenue": 100, "total_liabilities": 60, "total_assets": 100}, unit="亿元",
        )  # fmt: skip
        targets[side] = set_target(
            user=None, organisation=org, year=2024, code="DEBT_RATIO", comparison="lte", value=65
        )
    orgs = {"a": tree["A-SUB"], "b": tree["B-SUB"]}
    return {
        "api": {"kpistatement": statements, "kpitarget": targets, "kpivalue": orgs},
        "reference": {KpiSet},
    }
