"""KPI engine at SASAC's scale: ~98 central groups with consolidated statements, timing one
group's 一利五率, the peer table over all groups (rank, median, quartiles), and query counts.
Baseline, measured in the same run: the same peer medians by hand, one SQL read of every line
and the six formulas written out in Python; the product's medians must equal it.

    python benchmarks/bench_kpis.py [--groups 98] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.common import setup_django, timed_ms, write  # noqa: E402

SHIPPED = Path(__file__).resolve().parents[1] / "src/reformtrack/libraries/kpisets"


def seed(groups: int):
    from reformtrack.core.libraries import install_library
    from reformtrack.kpis.services import record_statement
    from reformtrack.orgs.services import create_organisation

    for path in sorted(SHIPPED.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"))
    root = create_organisation(
        user=None, parent=None, code="ROOT", name_zh="国资委", kind="supervisor"
    )
    orgs = []
    for g in range(1, groups + 1):
        org = create_organisation(
            user=None, parent=root, code=f"G{g}", name_zh=f"集团{g}", kind="group"
        )
        for year in (2023, 2024):
            scale = Decimal(100 + g + year - 2023)
            lines = {
                "revenue": scale * 10, "total_profit": scale * Decimal("0.7"),
                "net_profit": scale * Decimal("0.55"), "equity_open": scale * 4,
                "equity_close": scale * Decimal("4.2"), "total_assets": scale * 12,
                "total_liabilities": scale * Decimal("7.7"), "operating_cash_flow": scale * 1,
                "cash_from_sales": scale * 10, "rd_investment": scale * Decimal("0.3"),
                "employees_avg": Decimal(5000 + g), "labour_pay": scale, "depreciation": scale / 3,
                "net_production_tax": scale / 4, "operating_surplus": scale,
            }  # fmt: skip
            record_statement(
                user=None, organisation=org, year=year, period="Y", basis="consolidated",
                lines=lines, unit="亿元",
            )  # fmt: skip
        orgs.append(org)
    return root, orgs


def by_hand(year: int) -> dict:
    """The peer medians of 一利五率 without the engine: one query, formulas in Python."""
    import statistics

    from reformtrack.kpis.models import StatementValue

    lines: dict[int, dict] = {}
    rows = StatementValue.objects.filter(
        statement__year=year, statement__period="Y", statement__basis="consolidated"
    ).values_list("statement__organisation_id", "line", "value")
    for org, line, value in rows:
        lines.setdefault(org, {})[line] = value
    hundred, yi, wan = Decimal(100), Decimal(100_000_000), Decimal(10_000)
    formulas = {
        "TOTAL_PROFIT": lambda v: v["total_profit"] / yi,
        "ROE": lambda v: v["net_profit"] / ((v["equity_open"] + v["equity_close"]) / 2) * hundred,
        "OP_CASH_RATIO": lambda v: v["operating_cash_flow"] / v["revenue"] * hundred,
        "DEBT_RATIO": lambda v: v["total_liabilities"] / v["total_assets"] * hundred,
        "RD_INTENSITY": lambda v: v["rd_investment"] / v["revenue"] * hundred,
        "LABOUR_PRODUCTIVITY": lambda v: (
            v["labour_pay"] + v["depreciation"] + v["net_production_tax"] + v["operating_surplus"]
        ) / v["employees_avg"] / wan,
    }  # fmt: skip
    medians = {}
    for code, formula in formulas.items():
        values = [formula(v).quantize(Decimal("0.01")) for v in lines.values()]
        medians[code] = statistics.median(values).quantize(Decimal("0.01"))
    return medians


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=98)
    parser.add_argument("--out")
    args = parser.parse_args()
    vendor = setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reformtrack.kpis.engine import compute
    from reformtrack.kpis.selectors import overview, peers
    from reformtrack.kpis.summary import home_summary
    from reformtrack.orgs.services import grant_role

    root, orgs = seed(args.groups)
    user = get_user_model().objects.create_user(username="bench", password="x-bench-Only-1")
    grant_role(user=user, organisation=root, role="supervisor_admin")
    one = orgs[0]

    def queries(func) -> int:
        with CaptureQueriesContext(connection) as ctx:
            func()
        return len(ctx.captured_queries)

    product = {e["code"]: e["median"] for e in peers(user, one, year=2024)["table"]}
    baseline = by_hand(2024)
    assert product == baseline, (product, baseline)
    peers_ms = timed_ms(lambda: peers(user, one, year=2024), repeat=3)
    hand_ms = timed_ms(lambda: by_hand(2024), repeat=3)
    result = {
        "database": vendor,
        "groups": args.groups,
        "medians_equal_by_hand": True,
        "by_hand_peer_medians_ms": hand_ms,
        "peers_over_by_hand": round(peers_ms["median"] / hand_ms["median"], 1),
        "compute_one_ms": timed_ms(lambda: compute(one, year=2024)),
        "compute_one_queries": queries(lambda: compute(one, year=2024)),
        "overview_ms": timed_ms(lambda: overview(one, year=2024)),
        "peers_all_groups_ms": peers_ms,
        "peers_queries": queries(lambda: peers(user, one, year=2024)),
        "home_summary_ms": timed_ms(lambda: home_summary(user), repeat=3),
        "home_summary_queries": queries(lambda: home_summary(user)),
    }
    write(result, args.out)


if __name__ == "__main__":
    main()
