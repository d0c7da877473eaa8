"""benchmarks/summary.py: issue 21's table from a folder of bench JSON files — every row is
printed, ratios are product ÷ baseline of the figures shown, goals are judged, and a row whose
file or key is missing reads "not measured" with the command that measures it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import summary  # noqa: E402


def page(req_per_s: float, trivial: float, p95: float, errors: int = 0) -> dict:
    return {
        "product_req_per_s": req_per_s,
        "baseline_trivial_req_per_s": trivial,
        "p95_ms": p95,
        "errors": errors,
        "cpu_ratio": 0.4,
    }


def scenario(product_cpu: float, baseline_cpu: float, peak: float) -> dict:
    return {
        "product_cpu_s": product_cpu,
        "baseline_cpu_s": baseline_cpu,
        "product_peak_mb": peak,
        "product_s": product_cpu * 2,
    }


@pytest.fixture
def results(tmp_path) -> Path:
    """A small results folder: pages and the national roll-up on SQLite, the command-line
    import at 100k rows, documents, task updates, the bomb; little on PostgreSQL."""
    files = {
        "pages-sqlite.json": {
            "rows": {
                "ledger page, demo (315 tasks)": page(300, 500, 120),  # 0.6×: met
                "dashboard, demo": page(100, 400, 150),  # 0.25×: not met
                "home, demo": page(450, 500, 250),  # ratio met, p95 not
                "reformtrack orgs show X": {
                    "product": {"cpu_s": 1.2, "wall_s": 2.0},
                    "baseline": {"bare_django_setup": {"cpu_s": 0.5}},
                },
            }
        },
        "ledger-sqlite.json": {
            "page_ms": {
                "dashboard_selector_root": {"product_ms": 250.0, "duckdb_ms": 100.0},
                "coverage_root": {"product_ms": 90.0, "duckdb_ms": 20.0},
            },
            "checks": {"root_equal_to_duckdb": True, "coverage_equal_to_duckdb": True},
            "tasks": 1_000_000,
            "organisations": 50_701,
        },
        "ledger-import-sqlite.json": {
            "sizes": {
                "100000": {
                    "dry_run": scenario(3.0, 2.0, 120),  # 1.5×
                    "round_trip": scenario(3.6, 2.0, 130),  # 1.8×
                    "progress_1pct": scenario(5.0, 2.0, 140),  # 2.5×: the worst
                    "create": scenario(2.0, 2.0, 150),  # 1×
                }
            }
        },
        "documents-sqlite.json": {
            "rows": [
                {
                    "tree": "empty",
                    "kept": "sentences",
                    "documents_per_second": 60.0,
                    "jieba_documents_per_second": 100,
                },
                {"tree": "national", "kept": "sentences", "documents_per_second": 20.0},
                # no baseline figure in the second row
            ]
        },
        "task-update-sqlite.json": {  # no baseline figure: the issue names none
            "row": {"product_ms_median": 30.0, "product_ms_p95": 45.0},
            "queries_independent_of_depth": True,
            "full_scans": [],
        },
        "task-update-postgresql.json": {
            "row": {"product_ms_median": 60.0, "floor_ms_median": 20.0},
            "queries_independent_of_depth": True,
            "full_scans": [{"sql": "SELECT …", "scan": "programs_ledgertask"}],
        },
        "xlsx-bomb.json": {
            "row": {
                "refusal_ms": 1.5,
                "zip_directory_ms": 0.05,
                "refused_before_parsing": True,
                "file_mb": 0.58,
                "peak_mb": 0.03,
            }
        },
    }
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def line(lines: list[dict], work: str, database: str = "sqlite") -> dict:
    (found,) = [x for x in lines if x["work"] == work and x["database"] == database]
    return found


def test_every_row_of_the_table_is_printed_on_each_database(results, capsys):
    assert summary.main(["--results", str(results)]) == 0
    printed = capsys.readouterr().out
    lines = json.loads((results / "summary.json").read_text())["rows"]
    issue_rows = {spec["issue"] for spec in summary.ROWS}
    assert {x["issue_row"] for x in lines} == issue_rows
    assert len(issue_rows) >= 16  # the issue's fifteen rows and the 100k web import
    for spec in summary.ROWS:
        for db in spec["databases"]:
            shown = "—" if db == "any" else db
            assert f"{spec['work']} [{shown}]" in printed
            line(lines, spec["work"], shown)
    table = (results / "summary.md").read_text()
    assert table.startswith("| work | database | product | baseline (same run) | ratio |")
    assert len(table.strip().splitlines()) == len(lines) + 2


def test_ratios_are_product_over_baseline_and_judged_against_the_goal(results):
    lines = summary.summarise(results)
    ledger = line(lines, "ledger page, demo")
    assert (ledger["product"], ledger["baseline"], ledger["ratio"]) == (300, 500, 0.6)
    assert ledger["status"] == "met"
    dashboard = line(lines, "dashboard, demo")
    assert dashboard["ratio"] == 0.25 and dashboard["status"] == "not met"
    assert "ratio 0.25 < 0.5" in dashboard["failed"]
    home = line(lines, "home, demo")
    assert home["ratio"] == 0.9 and home["status"] == "not met"
    assert any(f.startswith("p95 ms: 250") for f in home["failed"])
    selector = line(lines, "dashboard selector at the root, national")
    assert selector["ratio"] == 2.5 and selector["status"] == "met"  # ≤ 3× and < 300 ms
    coverage = line(lines, "coverage at the root, national")
    assert coverage["ratio"] == 4.5 and coverage["status"] == "not met"
    cli = line(lines, "`reformtrack orgs show X` start")
    assert cli["ratio"] == 2.4 and cli["status"] == "met"
    docs = line(lines, "document ingestion, empty tree, sentences kept")
    assert docs["ratio"] == 0.6 and docs["status"] == "met"
    bomb = line(lines, "xlsx of 200k rows × 50 cells, refused", "—")
    assert bomb["ratio"] == 30 and bomb["status"] == "met"


def test_of_several_scenarios_the_worst_is_shown(results):
    imports = line(summary.summarise(results), "command-line ledger import, 100,000 rows "
                   "(worst scenario)")  # fmt: skip
    assert imports["variant"] == "progress_1pct"
    assert (imports["product"], imports["baseline"], imports["ratio"]) == (5.0, 2.0, 2.5)
    assert imports["status"] == "not met"
    assert "[progress_1pct]" in summary.cells(imports)[2]


def test_a_missing_file_or_figure_is_not_measured_and_names_its_command(results, capsys):
    summary.main(["--results", str(results)])
    printed = capsys.readouterr().out
    lines = summary.summarise(results)
    postgres = line(lines, "ledger page, demo", "postgresql")
    assert postgres["status"] == "not measured" and postgres["product"] is None
    assert postgres["command"] == (
        ".ci/with-postgres .venv/bin/python benchmarks/bench_pages.py "
        "--out bench-results/pages-postgresql.json"
    )
    assert f"not measured: run `{postgres['command']}`" in printed
    national = line(lines, "document ingestion, national tree, sentences kept")  # no jieba figure
    assert national["status"] == "not measured" and national["ratio"] is None
    missing = "rows.{'tree': 'national', 'kept': 'sentences'}.jieba_documents_per_second"
    assert missing in national["missing"]
    first_page = line(lines, "first page of the day after 30 days of passing deadlines")
    assert first_page["status"] == "not measured"
    assert "bench_first_page.py" in first_page["command"]
    suite = line(lines, "`make test` wall time", "—")
    assert suite["status"] == "not measured"
    assert "not measured" in summary.cells(suite)[-1] and summary.cells(suite)[2] == "—"


def test_a_row_without_a_baseline_in_the_issue_is_judged_on_its_own_figure(results):
    lines = summary.summarise(results)
    sqlite = line(lines, "one task update, national (plan edit, committed)")
    assert (sqlite["product"], sqlite["baseline"], sqlite["ratio"]) == (30.0, None, None)
    assert sqlite["status"] == "met"
    assert summary.cells(sqlite)[3:5] == ["—", "—"]
    postgres = line(lines, "one task update, national (plan edit, committed)", "postgresql")
    assert (postgres["baseline"], postgres["ratio"]) == (20.0, 3.0)
    assert postgres["status"] == "not met"
    assert postgres["failed"][0] == "no full scan of a large table: 1 item(s) (wanted == none)"
    assert "60 ms ≥ 50 ms" in postgres["failed"]


def test_strict_fails_unless_every_row_is_met(results):
    assert summary.main(["--results", str(results), "--strict"]) == 1
