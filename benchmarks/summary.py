"""Issue 21's table from the benchmarks' JSON: one line per row and database with the product's
figure, the baseline measured in the same run, their ratio, the goal and whether it is met.

    python benchmarks/summary.py [--results bench-results] [--strict]

Reads `bench-results/*.json` as `make bench` writes them (ROWS below says which file and which
keys hold each figure), prints the table, and writes `summary.json` and `summary.md` (a Markdown
table) into the same folder. A row whose file or key is missing reads "not measured" and names
the command that produces it: no figure is ever made up. The ratio is always product ÷ baseline
(requests or documents per second: higher is better; seconds: lower is better), computed here
from the two figures shown. `--strict` exits 1 unless every row is measured and met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

BOTH = ("sqlite", "postgresql")
ANY = ("any",)  # a row that does not depend on the database (shown as "—")
PG = ".ci/with-postgres "  # prefix of a command run on PostgreSQL

# --- the rows, as data ----------------------------------------------------------------------
# Each row: `issue` (the issue table's row it answers), `work` (this line's label), `file` (in
# the results folder, `{db}` replaced by the database), `command` (what writes it; `{db}`, `{pg}`
# replaced), `databases`, `product` / `baseline`: (path, unit) with a path of keys into the JSON
# (a dict {key: value} picks the list item with that value; "*" is the first key that has the
# rest of the path), `baseline_what` (what the baseline is), `goal` (text) with `ratio_max` /
# `ratio_min` / `product_max` bounds, `checks`: further (label, path, op, value) conditions that
# must hold, `notes`: (label, path) figures shown beside, and `variants`: values put in place of
# "{v}" in every path, the worst of which is shown (e.g. the import's four scenarios);
# `baseline_optional`: a row the issue gives no baseline for is measured without one.

PAGE_GOAL = "≥ 0.5× a trivial page, p95 < 200 ms"
IMPORT_SIZES = "--rows 10000,50000,100000 --web-rows 6000,100000"
DOCUMENTS = "--count 10000 --tree-cache var/bench/documents-national.sqlite3"
NATIONAL = "--scale 1"  # the batch-work benches: bench_ledger's national seed (demo without)


def _run(bench: str, out: str, args: str = "") -> str:
    """The command that writes `out` ({pg}: the PostgreSQL wrapper, on that database)."""
    middle = f" {args}" if args else ""
    pg = "{pg}" if "{db}" in out else ""
    return f"{pg}.venv/bin/python benchmarks/{bench}{middle} --out bench-results/{out}"


def _page(issue: str, work: str, label: str) -> dict:
    """A page under load from bench_pages: requests per second against the sign-in page."""
    row = ("rows", label)
    return {
        "issue": issue,
        "work": work,
        "file": "pages-{db}.json",
        "command": _run("bench_pages.py", "pages-{db}.json"),
        "databases": BOTH,
        "product": ((*row, "product_req_per_s"), "req/s"),
        "baseline": ((*row, "baseline_trivial_req_per_s"), "req/s"),
        "baseline_what": "sign-in page, same server, loaded right before",
        "goal": PAGE_GOAL,
        "ratio_min": 0.5,
        "checks": [
            ("p95 ms", (*row, "p95_ms"), "<", 200),
            ("errors", (*row, "errors"), "==", 0),
        ],
        "notes": [
            ("p95 ms", (*row, "p95_ms")),
            ("CPU ratio", (*row, "cpu_ratio")),
            # pages in the page cache: the figures above are warm; the first read after a write
            ("cold CPU ratio", (*row, "cold_cpu_ratio")),
            ("cold p95 ms", (*row, "cold_p95_ms")),
        ],
    }


def _cli_import(rows: int) -> dict:
    size = ("sizes", str(rows), "{v}")
    return {
        "issue": "command-line ledger import, 10k / 50k rows",
        "work": f"command-line ledger import, {rows:,} rows (worst scenario)",
        "file": "ledger-import-{db}.json",
        "command": _run("bench_ledger_import.py", "ledger-import-{db}.json", IMPORT_SIZES),
        "databases": BOTH,
        "variants": ["dry_run", "round_trip", "progress_1pct", "create"],
        "product": ((*size, "product_cpu_s"), "CPU s"),
        "baseline": ((*size, "baseline_cpu_s"), "CPU s"),
        "baseline_what": "raw openpyxl read-only iteration of the same file",
        "goal": "≤ 2×, < 500 MB (100k rows)",
        "ratio_max": 2,
        "checks": [("peak MB", (*size, "product_peak_mb"), "<", 500)],
        "notes": [("peak MB", (*size, "product_peak_mb")), ("wall s", (*size, "product_s"))],
    }


def _web_import(rows: int, issue: str) -> dict:
    web = ("sizes", "*", "web", str(rows))
    return {
        "issue": issue,
        "work": f"web ledger import, {rows:,} new rows (upload, preview job, import job)",
        "file": "ledger-import-{db}.json",
        "command": _run("bench_ledger_import.py", "ledger-import-{db}.json", IMPORT_SIZES),
        "databases": BOTH,
        "product": ((*web, "import_job", "seconds"), "s (job)"),
        "baseline": None,
        "goal": "a job, with progress",
        "checks": [
            ("upload redirected", (*web, "upload_status"), "==", 302),
            ("import job done", (*web, "import_job", "state"), "==", "done"),
            ("progress moved", (*web, "import_job", "progress_updates"), ">=", 2),
            ("job page has a progress bar", (*web, "job_page_shows_progress_bar"), "==", True),
        ],
        "notes": [
            ("upload request ms", (*web, "upload_request_ms")),
            ("preview job s", (*web, "preview_job", "seconds")),
        ],
    }


# The ingestion bench's two rows per tree: copies' sentences kept between documents, or none.
KEPT = {"sentences": "sentences kept", "nothing": "nothing kept"}


def _documents(issue: str, work: str, tree: str, kept: str) -> dict:
    row = ("rows", {"tree": tree, "kept": kept})
    return {
        "issue": issue,
        "work": f"{work}, {KEPT[kept]}",
        "file": "documents-{db}.json",
        "command": _run("bench_documents.py", "documents-{db}.json", DOCUMENTS),
        "databases": BOTH,
        "product": ((*row, "documents_per_second"), "docs/s"),
        "baseline": ((*row, "jieba_documents_per_second"), "docs/s"),
        "baseline_what": "bare jieba over the same texts, same process",
        "goal": "≥ 0.5×",
        "ratio_min": 0.5,
        "notes": [
            ("documents", (*row, "documents")),
            ("CPU ratio", (*row, "cpu_ratio")),
            ("first tenth docs/s", (*row, "first_tenth_documents_per_second")),
            ("last tenth docs/s", (*row, "last_tenth_documents_per_second")),
        ],
    }


LEDGER = {
    "file": "ledger-{db}.json",
    "command": _run("bench_ledger.py", "ledger-{db}.json"),
    "databases": BOTH,
}
DASHBOARDS = "dashboard / KPI overview / document / API task list / home, demo"

ROWS: list[dict] = [
    _page("ledger page, demo (315 tasks)", "ledger page, demo", "ledger page, demo (315 tasks)"),
    _page(DASHBOARDS, "dashboard, demo", "dashboard, demo"),
    _page(DASHBOARDS, "KPI overview, demo", "KPI overview, demo"),
    _page(DASHBOARDS, "document, demo", "document, demo"),
    _page(DASHBOARDS, "API task list, demo", "API task list, demo"),
    _page(DASHBOARDS, "home, demo", "home, demo"),
    {
        **LEDGER,
        "issue": "dashboard selector at the supervisor root, 50,701 orgs / 1M tasks",
        "work": "dashboard selector at the root, national",
        "product": (("page_ms", "dashboard_selector_root", "product_ms"), "ms"),
        "baseline": (("page_ms", "dashboard_selector_root", "duckdb_ms"), "ms"),
        "baseline_what": "DuckDB computing the same figures from the same rows",
        "goal": "≤ 3× DuckDB and < 300 ms",
        "ratio_max": 3,
        "product_max": 300,
        "checks": [("figures equal DuckDB's", ("checks", "root_equal_to_duckdb"), "==", True)],
        "notes": [("tasks", ("tasks",)), ("organisations", ("organisations",))],
    },
    {
        **LEDGER,
        "issue": "coverage at the root, same scale",
        "work": "coverage at the root, national",
        "product": (("page_ms", "coverage_root", "product_ms"), "ms"),
        "baseline": (("page_ms", "coverage_root", "duckdb_ms"), "ms"),
        "baseline_what": "DuckDB computing the same figures from the same rows",
        "goal": "≤ 3× DuckDB",
        "ratio_max": 3,
        "checks": [("figures equal DuckDB's", ("checks", "coverage_equal_to_duckdb"), "==", True)],
    },
    {
        **LEDGER,
        "issue": "(what to build 4) overdue list at the root, same scale",
        "work": "overdue list at the root, national",
        "product": (("page_ms", "overdue_root", "product_ms"), "ms"),
        "baseline": (("page_ms", "overdue_root", "duckdb_ms"), "ms"),
        "baseline_what": "DuckDB computing the same list from the same rows",
        "goal": "≤ 3× DuckDB",
        "ratio_max": 3,
        "checks": [("list equals DuckDB's", ("checks", "overdue_equal_to_duckdb"), "==", True)],
    },
    {
        "issue": "one task update, same scale",
        "work": "one task update, national (plan edit, committed)",
        "file": "task-update-{db}.json",
        "command": _run("bench_task_update.py", "task-update-{db}.json"),
        "databases": BOTH,
        "product": (("row", "product_ms_median"), "ms"),
        "baseline": (("row", "floor_ms_median"), "ms"),
        "baseline_optional": True,  # the issue names none; shown when the bench measures it
        "baseline_what": "the cheapest committed write of the same row",
        "goal": "< 50 ms, queries independent of depth",
        "product_max": 50,
        "checks": [
            ("queries independent of depth", ("queries_independent_of_depth",), "==", True),
            ("no full scan of a large table", ("full_scans",), "==", []),
        ],
        "notes": [
            ("p95 ms", ("row", "product_ms_p95")),
            ("CPU ms", ("row", "product_cpu_ms_median")),
            ("queries", ("row", "queries_depth_2")),
            ("slowest", ("row", "slowest_edit")),
            ("measure edit ms", ("row", "measure_ms_median")),
            ("measure CPU ms", ("row", "measure_cpu_ms_median")),
            ("measure queries", ("row", "measure_queries")),
        ],
    },
    {
        "issue": "first page of the day after 30 days of passing deadlines",
        "work": "first page of the day after 30 days of passing deadlines",
        "file": "first-page-{db}.json",
        "command": _run("bench_first_page.py", "first-page-{db}.json", NATIONAL),
        "databases": BOTH,
        "product": (("row", "product_ms"), "ms"),
        "baseline": (("row", "baseline_ms"), "ms"),
        "baseline_what": "second read of the same page",
        "goal": "no batch work in any request",
        "checks": [
            ("request writes (stale)", ("row", "writes_before_job"), "==", 0),
            ("request writes (after job)", ("row", "writes_after_job"), "==", 0),
            ("no more statements than the second read", ("row", "no_extra_queries"), "==", True),
        ],
        "notes": [("overdue job s", ("row", "overdue_job_s")), ("size", ("row", "size"))],
    },
    {
        "issue": "closing a period",
        "work": "closing a period (request, then the job)",
        "file": "close-period-{db}.json",
        "command": _run("bench_close_period.py", "close-period-{db}.json", NATIONAL),
        "databases": BOTH,
        "product": (("row", "job_s"), "s (job)"),
        "baseline": None,
        "goal": "a job, with progress",
        "checks": [
            ("request only enqueues", ("row", "request_only_enqueues"), "==", True),
            ("job done", ("row", "job_state"), "==", "done"),
            ("progress moved", ("row", "progress_updates"), ">=", 2),
            ("job page has a progress bar", ("row", "job_page_shows_progress_bar"), "==", True),
        ],
        "notes": [
            ("request ms", ("row", "request_ms")),
            ("snapshots", ("row", "snapshots")),
            ("size", ("row", "size")),
        ],
    },
    _web_import(6000, "web ledger import, 6,000 valid rows"),
    _web_import(100_000, "(done when) a 100k-row ledger import from the web page, as a job"),
    _cli_import(10_000),
    _cli_import(50_000),
    _cli_import(100_000),
    {
        "issue": "1.3 MB xlsx of 200k rows × 50 cells",
        "work": "xlsx of 200k rows × 50 cells, refused",
        "file": "xlsx-bomb.json",
        "command": _run("bench_xlsx_bomb.py", "xlsx-bomb.json"),
        "databases": ANY,
        "product": (("row", "refusal_ms"), "ms"),
        "baseline": (("row", "zip_directory_ms"), "ms"),
        "baseline_what": "listing the file's zip members, the least any check reads",
        "goal": "refused before parsing",
        "checks": [
            ("refused before any row", ("row", "refused_before_parsing"), "==", True),
        ],
        "notes": [("file MB", ("row", "file_mb")), ("peak MB", ("row", "peak_mb"))],
    },
    *(
        _documents(
            "document ingestion, 10,000 documents, empty tree",
            "document ingestion, empty tree",
            "empty",
            kept,
        )
        for kept in KEPT
    ),
    *(
        _documents(
            "document ingestion with the national tree (50,701 organisations)",
            "document ingestion, national tree",
            "national",
            kept,
        )
        for kept in KEPT
    ),
    {
        "issue": "rebuilding one programme's tallies (291k rows)",
        "work": "rebuilding one programme's tallies, as a job",
        "file": "tally-rebuild-{db}.json",
        "command": _run("bench_tally_rebuild.py", "tally-rebuild-{db}.json", NATIONAL),
        "databases": BOTH,
        "product": (("row", "job_s"), "s (job)"),
        "baseline": (("row", "grouped_read_s"), "s"),
        "baseline_what": "one grouped read of the programme's tasks",
        "goal": "set-based, a job",
        "checks": [
            ("job done", ("row", "job_state"), "==", "done"),
            ("statements independent of rows", ("row", "set_based"), "==", True),
        ],
        "notes": [
            ("rows", ("row", "rows")),
            ("statements", ("row", "statements")),
            ("size", ("row", "size")),
        ],
    },
    {
        "issue": "`reformtrack orgs show X`",
        "work": "`reformtrack orgs show X` start",
        "file": "pages-{db}.json",
        "command": _run("bench_pages.py", "pages-{db}.json"),
        "databases": BOTH,
        "product": (("rows", "reformtrack orgs show X", "product", "cpu_s"), "CPU s"),
        "baseline": (
            ("rows", "reformtrack orgs show X", "baseline", "bare_django_setup", "cpu_s"),
            "CPU s",
        ),
        "baseline_what": "bare django.setup() in a fresh process",
        "goal": "≤ 3×",
        "ratio_max": 3,
        "notes": [("wall s", ("rows", "reformtrack orgs show X", "product", "wall_s"))],
    },
    {
        "issue": "`make test`",
        "work": "`make test` wall time",
        "file": "test-suite.json",
        "command": _run("bench_test_suite.py", "test-suite.json"),
        "databases": ANY,
        "product": (("row", "seconds"), "s"),
        "baseline": None,
        "goal": "< 15 min on 2 cores",
        "product_max": 900,
        "checks": [
            ("suite passed", ("row", "passed"), "==", True),
            ("the command timed", ("command",), "==", "make test"),
        ],
        "notes": [("cores", ("row", "cores"))],
    },
]

# --- reading --------------------------------------------------------------------------------

MISSING = object()
OPS = {
    "==": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}


def lookup(data, path) -> object:
    """The value at `path` (keys; a dict picks a list item; "*" any key), or MISSING."""
    if not path:
        return data
    step, rest = path[0], path[1:]
    if isinstance(step, dict):
        if not isinstance(data, list):
            return MISSING
        for item in data:
            if isinstance(item, dict) and all(item.get(k) == v for k, v in step.items()):
                return lookup(item, rest)
        return MISSING
    if not isinstance(data, dict):
        return MISSING
    if step == "*":
        for value in data.values():
            found = lookup(value, rest)
            if found is not MISSING:
                return found
        return MISSING
    if step not in data:
        return MISSING
    return lookup(data[step], rest)


def _with(path, variant: str | None):
    if variant is None:
        return path
    return tuple(p.replace("{v}", variant) if isinstance(p, str) else p for p in path)


def ratio_of(product, baseline) -> float | None:
    """product ÷ baseline, to three significant figures (None without a usable baseline)."""
    if not isinstance(product, int | float) or not isinstance(baseline, int | float):
        return None
    if baseline == 0:
        return None
    value = product / baseline
    return float(f"{value:.3g}")


def evaluate(spec: dict, data, variant: str | None = None) -> dict:
    """One row from one JSON document: figures, ratio, checks and the verdict."""
    found: dict = {"variant": variant}
    path, unit = spec["product"]
    product = lookup(data, _with(path, variant))
    missing = []
    if product is MISSING or product is None:
        missing.append(".".join(map(str, _with(path, variant))))
    baseline = None
    if spec.get("baseline"):
        bpath, _unit = spec["baseline"]
        baseline = lookup(data, _with(bpath, variant))
        if baseline is MISSING or baseline is None:
            if not spec.get("baseline_optional"):
                missing.append(".".join(map(str, _with(bpath, variant))))
            baseline = None
    failed, checks = [], []
    for label, cpath, op, want in spec.get("checks", []):
        value = lookup(data, _with(cpath, variant))
        if value is MISSING:
            missing.append(".".join(map(str, _with(cpath, variant))))
            continue
        ok = value is not None and _holds(op, value, want)
        checks.append({"check": label, "value": value, "op": op, "want": want, "ok": ok})
        if not ok:
            failed.append(f"{label}: {_fmt(value)} (wanted {op} {_fmt(want)})")
    ratio = ratio_of(product if product is not MISSING else None, baseline)
    if "ratio_max" in spec or "ratio_min" in spec:
        if ratio is None and not missing:
            missing.append("a ratio (baseline 0 or not a number)")
        elif ratio is not None and "ratio_max" in spec and ratio > spec["ratio_max"]:
            failed.append(f"ratio {ratio} > {spec['ratio_max']}")
        elif ratio is not None and "ratio_min" in spec and ratio < spec["ratio_min"]:
            failed.append(f"ratio {ratio} < {spec['ratio_min']}")
    limit = spec.get("product_max")
    if limit is not None and isinstance(product, int | float) and product >= limit:
        failed.append(f"{_fmt(product)} {unit} ≥ {_fmt(limit)} {unit}")
    notes = {}
    for label, npath in spec.get("notes", []):
        value = lookup(data, _with(npath, variant))
        if value is not MISSING and value is not None:
            notes[label] = value
    found.update(
        product=None if product is MISSING else product,
        baseline=baseline,
        ratio=ratio,
        checks=checks,
        notes=notes,
        missing=missing,
        failed=failed,
        status="not measured" if missing else ("not met" if failed else "met"),
    )
    return found


def _holds(op: str, value, want) -> bool:
    try:
        return bool(OPS[op](value, want))
    except TypeError:
        return False


def _worst(spec: dict, rows: list[dict]) -> dict:
    """Of several variants: an unmeasured one, else a failing one, else the worst ratio."""
    for status in ("not measured", "not met"):
        hit = [r for r in rows if r["status"] == status]
        if hit:
            rows = hit
            break
    with_ratio = [r for r in rows if r["ratio"] is not None]
    if not with_ratio:
        return rows[0]
    if "ratio_min" in spec:
        return min(with_ratio, key=lambda r: r["ratio"])
    return max(with_ratio, key=lambda r: r["ratio"])


def summarise(results: Path) -> list[dict]:
    """Every row of ROWS on each of its databases, as dicts (see `evaluate`)."""
    lines = []
    for spec in ROWS:
        for db in spec["databases"]:
            name = spec["file"].replace("{db}", db)
            source = results / name
            command = spec["command"].replace("{db}", db)
            command = command.replace("{pg}", PG if db == "postgresql" else "")
            line = {
                "issue_row": spec["issue"],
                "work": spec["work"],
                "database": "—" if db == "any" else db,
                "goal": spec["goal"],
                "unit": spec["product"][1],
                "baseline_unit": spec["baseline"][1] if spec.get("baseline") else None,
                "baseline_what": spec.get("baseline_what", ""),
                "source": str(source),
                "command": command,
            }
            data = _load(source)
            if data is MISSING:
                found = {"status": "not measured", "missing": [f"no file {source}"]}
                found.update(product=None, baseline=None, ratio=None, notes={}, checks=[])
                found.update(failed=[], variant=None)
            else:
                line["measured_at"] = dt.datetime.fromtimestamp(
                    source.stat().st_mtime, dt.UTC
                ).isoformat(timespec="minutes")
                variants = spec.get("variants") or [None]
                found = _worst(spec, [evaluate(spec, data, v) for v in variants])
            line.update(found)
            lines.append(line)
    return lines


def _load(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return MISSING


# --- writing --------------------------------------------------------------------------------


def _fmt(value) -> str:
    if isinstance(value, list | dict):
        return f"{len(value)} item(s)" if value else "none"
    if isinstance(value, bool) or value is None:
        return str(value).lower() if isinstance(value, bool) else "—"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 1:
            return f"{value:,.1f}".rstrip("0").rstrip(".")
        return f"{value:.3g}"
    return str(value)


def cells(line: dict) -> list[str]:
    """work, database, product, baseline, ratio, goal, result: as shown in both tables."""
    product = f"{_fmt(line['product'])} {line['unit']}" if line["product"] is not None else "—"
    if line.get("variant"):
        product += f" [{line['variant']}]"
    if line["notes"]:
        product += " (" + "; ".join(f"{k} {_fmt(v)}" for k, v in line["notes"].items()) + ")"
    if line["baseline"] is not None:
        baseline = f"{_fmt(line['baseline'])} {line['baseline_unit']}"
        if line["baseline_what"]:
            baseline += f" ({line['baseline_what']})"
    else:
        baseline = "—"
    ratio = f"{_fmt(line['ratio'])}×" if line["ratio"] is not None else "—"
    result = line["status"]
    if line["status"] == "not measured":
        result += f": run `{line['command']}`"
    elif line["failed"]:
        result += ": " + "; ".join(line["failed"])
    return [line["work"], line["database"], product, baseline, ratio, line["goal"], result]


HEAD = ["work", "database", "product", "baseline (same run)", "ratio", "goal", "result"]


def markdown(lines: list[dict]) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    out = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    out += ["| " + " | ".join(esc(c) for c in cells(line)) + " |" for line in lines]
    return "\n".join(out) + "\n"


def text(lines: list[dict]) -> str:
    """The table for a terminal: one block per row (the figures are too wide for columns)."""
    out = []
    for line in lines:
        work, db, product, baseline, ratio, goal, result = cells(line)
        if line["product"] is None and line["status"] == "not measured":
            out.append(f"{work} [{db}] → {result}")
            continue
        out.append(f"{work} [{db}]")
        out.append(f"    product  {product}")
        out.append(f"    baseline {baseline}")
        out.append(f"    ratio    {ratio}   goal: {goal}")
        out.append(f"    → {result}")
    counts = {s: sum(1 for x in lines if x["status"] == s) for s in ("met", "not met")}
    counts["not measured"] = sum(1 for x in lines if x["status"] == "not measured")
    out.append(", ".join(f"{n} {s}" for s, n in counts.items()) + f" of {len(lines)} rows")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default="bench-results", help="the folder of JSON results")
    parser.add_argument("--strict", action="store_true", help="exit 1 unless every row is met")
    args = parser.parse_args(argv)
    results = Path(args.results)
    lines = summarise(results)
    results.mkdir(parents=True, exist_ok=True)
    (results / "summary.json").write_text(
        json.dumps({"rows": lines}, indent=2, ensure_ascii=False, default=str) + "\n",
        encoding="utf-8",
    )
    (results / "summary.md").write_text(markdown(lines), encoding="utf-8")
    sys.stdout.write(text(lines))
    if args.strict and any(line["status"] != "met" for line in lines):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
