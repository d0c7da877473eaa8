"""The supervisor dashboard's roll-up at national scale: the product's own roll-up code against
DuckDB over the same rows (the ceiling) and a naive per-organisation loop (the floor).

    python benchmarks/bench_ledger.py [--scale 1.0] [--repeat 5] [--reseed] [--explain]
        [--kept-dir DIR] [--out FILE]

Seeds 50,000 organisations in a 4-level tree (supervisor → 100 groups → level-2 → level-3), three
programmes loaded through the library loader, 1,000,000 ledger tasks spread over them (a seeded
random mix of statuses, weights, percents, deadlines, main tasks and measures) and 12 closed
monthly periods of the largest programme. On SQLite the seed is kept in var/bench/ and reused at
the same scale (--reseed rebuilds it); on PostgreSQL (DATABASE_URL, e.g. under .ci/with-postgres)
each run works on a fresh copy of the seed kept by common.pg_keep_seed (a template database in the
cluster, a pg_dump under var/bench/; --reseed seeds and keeps it afresh). Times, as medians after a
warm-up: the dashboard's roll-up (by child, by area, total) for the supervisor root, by child for
one group, the same queries in an in-memory DuckDB table (numbers checked equal) and a naive
per-organisation loop timed on a sample and extrapolated. Then the page's work as a supervisor
administrator: the dashboard selector, coverage rates and the overdue list at the root against
DuckDB computing the same figures (aims: within 3× DuckDB, the selector under 300 ms; every figure
checked equal), a task update at two depths, and the overdue marking, period closing and tally
rebuild jobs. Prints JSON with times, ratios, checks and whether the aims are met.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
from benchmarks.common import (  # noqa: E402
    pg_copy_of_seed,
    pg_keep_seed,
    run_as_job,
    setup_django,
    timed_ms,
    write,
)

ORGS, TASKS = 50_000, 1_000_000
PROGRAMME_SHARE = [0.5, 0.3, 0.2]  # of the tasks; the dashboard is timed on the largest
PERIOD_START, PERIOD_END = dt.date(2024, 1, 1), dt.date(2027, 12, 31)
STATUSES = ["done", "in_progress", "not_started", "overdue", "paused"]
STATUS_SHARE = [0.55, 0.2, 0.12, 0.08, 0.05]
WEIGHTS = [Decimal("0.5"), Decimal(1), Decimal(1), Decimal(1), Decimal("1.5"), Decimal(2)]
MEASURE_SHARE = 0.08  # rows that are measures of a task (not counted by the roll-up)
SAMPLE = 200  # organisations timed by the naive loop
STEP = 5  # Organisation.steplen
COLUMNS = [
    "id", "programme_id", "area_id", "template_id", "parent_id", "organisation_id", "org_path",
    "code", "title", "measure", "department", "owner", "deadline", "deliverable", "kind",
    "is_main", "weight", "status", "percent", "progress", "completed_on", "indicator_unit",
    "indicator_target", "indicator_actual", "indicator_direction", "updated_at", "version",
]  # fmt: skip
# (area, kind, main) of the seven programme tasks of each programme
TEMPLATES = [
    ("A1", "one_off", True), ("A1", "coverage", True), ("A1", "indicator", False),
    ("A2", "one_off", True), ("A2", "coverage", False), ("A3", "one_off", False),
    ("A3", "coverage", True),
]  # fmt: skip


# --- seeding -------------------------------------------------------------------------------


def library_text(number: int) -> str:
    """A programme library: three areas, seven tasks, a main-task target trajectory."""
    lines = [
        "library:",
        f"  code: BENCH-P{number}",
        "  kind: programme",
        "  version: 1",
        f"  name_zh: 基准专项{number}",
        f"  name_en: Benchmark programme {number}",
        "programme:",
        f"  period_start: {PERIOD_START}",
        f"  period_end: {PERIOD_END}",
        "  reporting: month",
        "  targets:",
        "    - measure: main",
        "      steps:",
        "        - {due: 2025-12-31, percent: 60}",
        "        - {due: 2027-06-30, percent: 95}",
        "  areas:",
    ]
    for area in ("A1", "A2", "A3"):
        lines += [
            f"    - code: {area}",
            f"      name_zh: 领域{area}",
            f"      name_en: Area {area}",
            "      tasks:",
        ]
        for t, (in_area, kind, main) in enumerate(TEMPLATES, start=1):
            if in_area != area:
                continue
            lines += [
                f"        - code: P{number}-T{t}",
                f"          title_zh: 任务{t}",
                f"          title_en: Task {t}",
                f"          kind: {kind}",
                f"          main: {'true' if main else 'false'}",
                f"          deadline: 2026-{t + 3:02d}-30",
            ]
            if kind == "indicator":
                lines.append('          indicator: {unit: "%", target: 90}')
    return "\n".join(lines) + "\n"


def seed(scale: float) -> dict:
    """Tree, programmes, tasks, ANALYZE, 12 closed periods; returns what it built and timings."""
    from django.db import connection, transaction

    from benchmarks.bench_orgs import build_tree
    from reformtrack.core.libraries import install_library
    from reformtrack.orgs.models import Organisation
    from reformtrack.programs.models import LedgerTask, Programme

    timings = {}
    start = time.perf_counter()
    build_tree(max(202, round(ORGS * scale)))
    timings["tree_s"] = round(time.perf_counter() - start, 1)

    mark = time.perf_counter()
    programmes = []
    for number in (1, 2, 3):
        library, _outcome = install_library(library_text(number), origin="bench_ledger")
        programmes.append(Programme.objects.get(library=library))
    timings["libraries_s"] = round(time.perf_counter() - mark, 1)

    mark = time.perf_counter()
    orgs = list(Organisation.objects.order_by("path").values_list("id", "path", "code"))
    templates = {
        p.pk: list(p.templates.order_by("code").values_list("id", "area_id", "kind", "is_main"))
        for p in programmes
    }
    fields = {f.column for f in LedgerTask._meta.concrete_fields}
    assert fields == set(COLUMNS), fields ^ set(COLUMNS)
    total = round(TASKS * scale)
    rows = generate(orgs, programmes, templates, total, connection.vendor)
    with transaction.atomic():
        insert(LedgerTask._meta.db_table, rows, connection)
    timings["tasks_s"] = round(time.perf_counter() - mark, 1)

    mark = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    timings["analyze_s"] = round(time.perf_counter() - mark, 1)

    mark = time.perf_counter()
    build_tallies(programmes)
    timings["tallies_s"] = round(time.perf_counter() - mark, 1)
    timings["seed_s"] = round(time.perf_counter() - start, 1)

    periods = close_periods(programmes[0])
    return {
        "scale": scale,
        "organisations": len(orgs),
        "tasks": LedgerTask.objects.count(),
        "seed_seconds": timings["seed_s"],
        "seed_timings": timings,
        "periods": periods,
    }


def build_tallies(programmes) -> None:
    """What the product keeps on every write, built once after the raw load: the day's overdue
    marking and the per-organisation tallies the roll-ups read."""
    from django.db import connection

    from reformtrack.programs.services.tallies import mark_overdue, rebuild

    for programme in programmes:
        mark_overdue(programme)  # recounts the whole programme: more than WHOLE organisations
        if not programme.tallies.exists():
            rebuild(programme)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def generate(orgs, programmes, templates, total: int, vendor: str):
    """Rows in COLUMNS order, org by org; ids are assigned here so measures name their task."""
    rnd = random.Random(20260101)
    today = dt.date.today()
    days = (PERIOD_END - PERIOD_START).days
    past = max(1, (min(today, PERIOD_END) - PERIOD_START).days)
    stamp = "2026-01-01 00:00:00" + ("+00:00" if vendor == "postgresql" else "")
    per_org, extra = divmod(total, len(orgs))
    next_id = 1
    for index, (org_id, path, code) in enumerate(orgs):
        count = per_org + (1 if index < extra else 0)
        last_top = {}  # programme id → (task id, area id) of the org's last top-level task
        for n in range(count):
            programme = rnd.choices(programmes, PROGRAMME_SHARE)[0]
            template_id, area_id, kind, is_main = rnd.choice(templates[programme.pk])
            parent_id = None
            if programme.pk in last_top and rnd.random() < MEASURE_SHARE:
                parent_id, area_id = last_top[programme.pk]
                template_id, is_main = None, False
            else:
                last_top[programme.pk] = (next_id, area_id)
            status = rnd.choices(STATUSES, STATUS_SHARE)[0]
            if status == "done":
                percent = Decimal(100)
            elif status == "not_started":
                percent = Decimal(0)
            else:
                percent = Decimal(rnd.randrange(0, 190)) / 2  # steps of 0.5: exact as floats
            deadline = PERIOD_START + dt.timedelta(days=rnd.randrange(days))
            completed = (
                str(PERIOD_START + dt.timedelta(days=rnd.randrange(past)))
                if status == "done"
                else None
            )
            yield (
                next_id, programme.pk, area_id, template_id, parent_id, org_id, path,
                f"{code}-{n}", f"Task {n} of {code}", "", "", "", str(deadline), "", kind,
                is_main, str(rnd.choice(WEIGHTS)), status, str(percent), "", completed,
                "%" if kind == "indicator" else "", None, None, "", stamp, 1,
            )  # fmt: skip
            next_id += 1


def insert(table: str, rows, connection) -> None:
    """COPY on PostgreSQL; executemany in batches on SQLite (indexes dropped and rebuilt)."""
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        raw = cursor.cursor
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(COLUMNS))})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 50_000:
                raw.executemany(sql, batch)
                batch.clear()
        raw.executemany(sql, batch)
        for _name, index_sql in indexes:
            cursor.execute(index_sql)


def close_periods(programme) -> dict:
    """Close 12 monthly periods of one programme through the product, if that is fast enough."""
    from reformtrack.programs.models import RollupSnapshot
    from reformtrack.programs.services.periods import close_period

    today = dt.date.today()
    months = [(today.year * 12 + today.month - 1 - back) for back in range(11, -1, -1)]
    days = [dt.date(m // 12, m % 12 + 1, 1) for m in months]
    times = []
    note = ""
    for day in days:
        start = time.perf_counter()
        close_period(user=None, programme=programme, day=day)
        times.append(time.perf_counter() - start)
        if sum(times) / len(times) * len(days) > 60 and len(times) < len(days):
            note = f"stopped after {len(times)} periods: 12 would take over 60 s"
            break
    return {
        "programme": programme.code,
        "closed": len(times),
        "close_period_s": {
            "median": round(statistics.median(times), 2),
            "all": round(sum(times), 1),
        },
        "snapshots": RollupSnapshot.objects.filter(programme=programme).count(),
        "note": note,
    }


# --- measuring -----------------------------------------------------------------------------


def product_rollups(programme, root, today):
    """What the dashboard runs: one child × area breakdown, folded by child, area and total."""
    from reformtrack.programs.selectors.rollup import fold, tally_by_child

    cells = tally_by_child(None, programme, root, today, by_area=True)
    return {"by_child": fold(cells, 0), "by_area": fold(cells, 1), "total": fold(cells, None)}


def load_duckdb(vendor: str):
    """The roll-up's columns of every ledger row, in an in-memory DuckDB table (via CSV)."""
    import duckdb
    from django.db import connection

    from reformtrack.programs.models import LedgerTask

    names = ["programme_id", "org_path", "is_main", "status", "weight", "percent", "deadline"]
    names += ["area_id", "parent_id", "id", "code", "template_id", "kind"]
    types = ["BIGINT", "VARCHAR", "BOOLEAN", "VARCHAR", "DECIMAL(8,2)", "DECIMAL(5,2)", "DATE"]
    types += ["BIGINT", "BIGINT", "BIGINT", "VARCHAR", "BIGINT", "VARCHAR"]
    handle, name = tempfile.mkstemp(suffix=".csv", prefix="bench-ledger-")
    try:
        with os.fdopen(handle, "w", newline="") as out, connection.cursor() as cursor:
            writer = csv.writer(out)
            cursor.execute(f"SELECT {', '.join(names)} FROM {LedgerTask._meta.db_table}")
            while chunk := cursor.fetchmany(50_000):
                writer.writerows(
                    (*r[:2], "true" if r[2] else "false", *r[3:8],
                     *("" if v is None else v for v in r[8:]))
                    for r in chunk
                )  # fmt: skip
        db = duckdb.connect()
        columns = ", ".join(f"'{n}': '{t}'" for n, t in zip(names, types, strict=True))
        db.execute(
            f"CREATE TABLE ledger AS SELECT * FROM read_csv('{name}', header = false, "
            f"columns = {{{columns}}}, nullstr = '')"
        )
    finally:
        os.unlink(name)
    return db


AGGREGATES = """
    count(*) AS tasks,
    count(*) FILTER (WHERE status = 'done') AS done,
    count(*) FILTER (WHERE is_main) AS main_tasks,
    count(*) FILTER (WHERE status = 'done' AND is_main) AS main_done,
    coalesce(sum(weight), 0) AS weight,
    coalesce(sum(weight) FILTER (WHERE status = 'done'), 0) AS weight_done,
    coalesce(sum(weight * percent), 0) AS progress_sum,
    count(*) FILTER (WHERE status = 'overdue'
                     OR (status NOT IN ('done', 'paused') AND deadline < $today)) AS overdue
"""


def duckdb_rollup(db, programme_id: int, root_path: str, group: str | None, today):
    """The same aggregate as the product's, grouped by `group` (an SQL expression) or not."""
    head = f"{group} AS key, " if group else ""
    sql = (
        f"SELECT {head}{AGGREGATES} FROM ledger WHERE programme_id = $programme "
        "AND parent_id IS NULL AND starts_with(org_path, $root)" + (" GROUP BY 1" if group else "")
    )
    params = {"programme": programme_id, "root": root_path, "today": today}
    return db.execute(sql, params).fetchall()


def duckdb_dashboard(db, programme_id, root_path, today):
    width = len(root_path) + STEP
    return {
        "by_child": duckdb_rollup(
            db, programme_id, root_path, f"substr(org_path, 1, {width})", today
        ),
        "by_area": duckdb_rollup(db, programme_id, root_path, "area_id", today),
        "total": duckdb_rollup(db, programme_id, root_path, None, today),
    }


def duckdb_coverage(db, programme_id: int, root_path: str):
    """Coverage per programme task: applicable and done rows of the subtree."""
    sql = (
        "SELECT template_id, count(*), count(*) FILTER (WHERE status = 'done') FROM ledger "
        "WHERE programme_id = $programme AND parent_id IS NULL AND starts_with(org_path, $root) "
        "AND kind = 'coverage' AND template_id IS NOT NULL GROUP BY 1 ORDER BY 1"
    )
    return db.execute(sql, {"programme": programme_id, "root": root_path}).fetchall()


def duckdb_overdue(db, programme_id: int, root_path: str, today, limit: int = 20):
    """The oldest overdue rows of the subtree (reported overdue, or open past the deadline)."""
    sql = (
        "SELECT id FROM ledger WHERE programme_id = $programme AND parent_id IS NULL "
        "AND starts_with(org_path, $root) AND (status = 'overdue' OR (status NOT IN "
        "('done', 'paused') AND deadline < $today)) ORDER BY deadline, code LIMIT $limit"
    )
    params = {"programme": programme_id, "root": root_path, "today": today, "limit": limit}
    return [r[0] for r in db.execute(sql, params).fetchall()]


def duckdb_page(db, programme_id, root_path, today):
    """What the dashboard shows, from the raw rows: the child × area roll-up folded three ways,
    coverage per programme task and the overdue list."""
    return {
        **duckdb_dashboard(db, programme_id, root_path, today),
        "coverage": duckdb_coverage(db, programme_id, root_path),
        "overdue": duckdb_overdue(db, programme_id, root_path, today),
    }


def tally_tuple(tally) -> tuple:
    return (
        tally.tasks, tally.done, tally.main_tasks, tally.main_done, Decimal(tally.weight),
        Decimal(tally.weight_done), Decimal(tally.progress_sum), tally.overdue,
    )  # fmt: skip


def same_numbers(product: dict, duck: dict) -> bool:
    """Every figure of the product's roll-up equals DuckDB's (decimals compared by value)."""
    ok = {tally_tuple(product["total"])} == {tuple(r) for r in duck["total"]}
    for part in ("by_child", "by_area"):
        mine = {k: tally_tuple(t) for k, t in product[part].items()}
        theirs = {r[0]: tuple(r[1:]) for r in duck[part]}
        ok = ok and mine == theirs
    return ok


def naive_loop(programme, orgs, today):
    """Per organisation: one aggregate of its own top-level tasks, summed into its branch."""
    from reformtrack.programs.models import LedgerTask
    from reformtrack.programs.selectors.rollup import Tally, aggregates, tally_of

    branches = {}
    for org_id, path in orgs:
        row = LedgerTask.objects.filter(
            programme=programme, parent__isnull=True, organisation_id=org_id
        ).aggregate(**aggregates(today))
        branches.setdefault(path[: 2 * STEP], Tally()).add(tally_of(row))
    return branches


def plans(func, vendor: str) -> list:
    """The plan of every query `func` runs (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE, BUFFERS)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        func()
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                lines = [r[0] for r in cursor.fetchall()]
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                lines = [r[-1] for r in cursor.fetchall()]
            found.append({"sql": sql, "plan": lines})
    return found


def add_missing_indexes(connection) -> None:
    """A kept seed made before an index or a table was added (a placeholder migration recorded
    as applied while empty): create the ledger's declared indexes and the stored-count tables
    it lacks."""
    from reformtrack.programs.models import CoverageTally, LedgerTask

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'table')")
        have = {row[0] for row in cursor.fetchall()}
    with connection.schema_editor() as editor:
        if CoverageTally._meta.db_table not in have:
            editor.create_model(CoverageTally)
        for index in LedgerTask._meta.indexes:
            if index.name not in have:
                editor.add_index(LedgerTask, index)


def supervisor(root):
    """A supervisor administrator of the root (the dashboard's usual reader), made once."""
    from reformtrack.core.models import User
    from reformtrack.core.services.users import create_user
    from reformtrack.orgs.services import grant_role

    user = User.objects.filter(username="bench_supervisor").first()
    if user is None:
        user = create_user(username="bench_supervisor", password="Bench-Ledger-2026!")
        grant_role(user=user, organisation=root, role="supervisor_admin")
    return user


def task_updates(user, programme, repeat: int) -> dict:
    """One plan edit (the weight, which every tally above the task counts) of a task in a
    level-1 organisation and of one four levels down: time and queries of each, committed."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from reformtrack.programs.models import LedgerTask
    from reformtrack.programs.services.tasks import update_task

    step = STEP
    found = {}
    for depth in (2, 4):
        found[depth] = (
            LedgerTask.objects.filter(programme=programme, parent__isnull=True)
            .extra(where=["LENGTH(org_path) = %s"], params=[depth * step])
            .order_by("id")
            .first()
        )
    result = {}
    for depth, task in found.items():
        times, queries = [], []
        for n in range(repeat + 1):
            weight = Decimal(2) if n % 2 == 0 else Decimal(1)
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured, transaction.atomic():
                update_task(user=user, task=task, weight=weight)
            if n:  # the first is a warm-up
                times.append((time.perf_counter() - start) * 1000)
                queries.append(len(captured.captured_queries))
        result[f"depth_{depth}"] = {
            "ms_median": round(statistics.median(times), 1),
            "ms_best": round(min(times), 1),
            "queries": max(queries),
        }
    shallow, deep = result["depth_2"], result["depth_4"]
    result["queries_independent_of_depth"] = shallow["queries"] == deep["queries"]
    result["aim_met"] = (
        max(shallow["ms_median"], deep["ms_median"]) < 50 and result["queries_independent_of_depth"]
    )
    return result


def first_page_later(user, programme, root, today, days: int) -> dict:
    """The dashboard read `days` later, with deadlines passed in between and no overdue job
    run yet: it must write nothing (no batch work in a request); then the overdue job itself,
    timed and rolled back so a kept seed stays as it was."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from reformtrack.programs.selectors.dashboard import dashboard

    later = today + dt.timedelta(days=days)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        dashboard(user, programme, root, later)
    first_ms = round((time.perf_counter() - start) * 1000, 1)
    writes = [
        q["sql"][:80]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    with transaction.atomic():
        job = run_as_job(
            "overdue", "reformtrack.programs.services.tallies.mark_all_overdue",
            {"today": later.isoformat()}, user=None,
        )  # fmt: skip
        transaction.set_rollback(True)
    return {
        "first_page_ms": first_ms,
        "queries": len(captured.captured_queries),
        "writes": len(writes),
        "write_sql": writes[:3],
        "overdue_job_rolled_back": job,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national size")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reseed", action="store_true", help="rebuild the kept SQLite seed")
    parser.add_argument("--explain", action="store_true", help="add the query plans to the JSON")
    parser.add_argument("--out")
    parser.add_argument(
        "--kept-dir", default=str(ROOT_DIR / "var" / "bench"), help="where the SQLite seed is kept"
    )
    args = parser.parse_args()

    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    kept = Path(args.kept_dir) / f"ledger-{args.scale:g}.sqlite3"
    meta_file = kept.with_suffix(".json")
    reuse = not on_postgres and not args.reseed and kept.exists() and meta_file.exists()
    if not on_postgres and not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{kept}{suffix}").unlink(missing_ok=True)
        meta_file.unlink(missing_ok=True)
    copied = None
    if on_postgres:  # a fresh copy of the kept seed (template or dump), if there is one
        copied = pg_copy_of_seed(kept.stem, reseed=args.reseed)
        reuse = copied is not None
    vendor = setup_django(None if on_postgres else kept, fresh_pg=not reuse)

    from reformtrack.orgs.models import Organisation
    from reformtrack.programs.models import Programme, RollupSnapshot
    from reformtrack.programs.services.periods import close_period

    if copied is not None:
        meta = copied
    elif reuse:
        meta = json.loads(meta_file.read_text())
    else:
        meta = seed(args.scale)
        if on_postgres:
            pg_keep_seed(kept.stem, meta)  # for the next bench: a template and a dump
        else:
            meta_file.write_text(json.dumps(meta, indent=2) + "\n")
    if vendor == "sqlite":
        from django.db import connection

        connection.ensure_connection()
        if reuse:  # a migration since the seed may have rebuilt an index: refresh the statistics
            add_missing_indexes(connection)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    from reformtrack.programs.models import CoverageTally, LedgerTally

    if not LedgerTally.objects.exists() or not CoverageTally.objects.exists():
        # a seed from before the product kept tallies (or coverage counts): count them
        from reformtrack.programs.services.tallies import rebuild

        start = time.perf_counter()
        for programme in Programme.objects.filter(code__startswith="BENCH-"):
            rebuild(programme)
        meta.setdefault("seed_timings", {})["tallies_s"] = round(time.perf_counter() - start, 1)
    programme = Programme.objects.get(code="BENCH-P1")
    root = Organisation.objects.get(code="ROOT")
    group = Organisation.objects.get(code="G50")
    today = dt.date.today()
    repeat = args.repeat

    # (1) the product's roll-up, as the supervisor dashboard asks for it
    from reformtrack.programs.selectors.rollup import subtree_tally, tally_by_area, tally_by_child

    rollup = {
        "dashboard_root": timed_ms(lambda: product_rollups(programme, root, today), repeat=repeat),
        "by_child_root": timed_ms(
            lambda: tally_by_child(None, programme, root, today), repeat=repeat
        ),
        "by_area_root": timed_ms(
            lambda: tally_by_area(None, programme, root, today), repeat=repeat
        ),
        "total_root": timed_ms(lambda: subtree_tally(None, programme, root, today), repeat=repeat),
        "by_child_group": timed_ms(
            lambda: tally_by_child(None, programme, group, today), repeat=repeat
        ),
    }
    product = product_rollups(programme, root, today)
    counted = product["total"].tasks

    # (2) DuckDB over the same rows: the ceiling
    start = time.perf_counter()
    db = load_duckdb(vendor)
    load_s = round(time.perf_counter() - start, 1)
    pid, rpath, gpath = programme.pk, root.path, group.path
    duck = {
        "load_s_not_counted": load_s,
        "dashboard_root": timed_ms(lambda: duckdb_dashboard(db, pid, rpath, today), repeat=repeat),
        "by_child_group": timed_ms(
            lambda: duckdb_rollup(
                db, pid, gpath, f"substr(org_path, 1, {len(gpath) + STEP})", today
            ),
            repeat=repeat,
        ),
    }
    group_product = {
        k: tally_tuple(t) for k, t in tally_by_child(None, programme, group, today).items()
    }
    group_duck = {
        r[0]: tuple(r[1:])
        for r in duckdb_rollup(db, pid, gpath, f"substr(org_path, 1, {len(gpath) + STEP})", today)
    }
    checks = {
        "root_equal_to_duckdb": same_numbers(product, duckdb_dashboard(db, pid, rpath, today)),
        "group_equal_to_duckdb": group_product == group_duck,
    }

    # (3) the naive per-organisation loop, on a sample, extrapolated to the whole tree
    orgs = list(Organisation.objects.order_by("path").values_list("id", "path"))
    sample = random.Random(7).sample(orgs, min(SAMPLE, len(orgs)))
    naive = timed_ms(lambda: naive_loop(programme, sample, today), repeat=3)
    naive_total_ms = round(naive["median"] * len(orgs) / len(sample), 1)
    branch = Organisation.objects.get(code="G50-S1")
    small = [o for o in orgs if o[1].startswith(branch.path)]
    looped = naive_loop(programme, small, today)[branch.path[: 2 * STEP]]
    checks["naive_equal_to_product"] = tally_tuple(looped) == tally_tuple(
        subtree_tally(None, programme, branch, today)
    )

    # (4) the page itself: the dashboard selector the view calls, as a supervisor
    # administrator, against DuckDB computing the same figures (roll-up, coverage, overdue)
    admin = supervisor(root)
    from reformtrack.programs.selectors.dashboard import dashboard as dashboard_selector
    from reformtrack.programs.selectors.dashboard import overdue_tasks
    from reformtrack.programs.selectors.rollup import coverage_rates

    page = {
        "dashboard_selector_root": timed_ms(
            lambda: dashboard_selector(admin, programme, root, today), repeat=repeat
        ),
        "coverage_root": timed_ms(lambda: coverage_rates(admin, programme, root), repeat=repeat),
        "overdue_root": timed_ms(
            lambda: overdue_tasks(admin, programme, root, today), repeat=repeat
        ),
    }
    duck_page = {
        "dashboard_selector_root": timed_ms(
            lambda: duckdb_page(db, pid, rpath, today), repeat=repeat
        ),
        "coverage_root": timed_ms(lambda: duckdb_coverage(db, pid, rpath), repeat=repeat),
        "overdue_root": timed_ms(lambda: duckdb_overdue(db, pid, rpath, today), repeat=repeat),
    }
    board = dashboard_selector(admin, programme, root, today)
    checks["coverage_equal_to_duckdb"] = [
        (c.template_id, c.applicable, c.done) for c in board.coverage
    ] == [tuple(r) for r in duckdb_coverage(db, pid, rpath)]
    checks["overdue_equal_to_duckdb"] = [t.pk for t in board.overdue] == duckdb_overdue(
        db, pid, rpath, today
    )
    rows = {}
    for name in page:
        mine, theirs = page[name]["median"], duck_page[name]["median"]
        rows[name] = {"product_ms": mine, "duckdb_ms": theirs, "ratio": round(mine / theirs, 1)}
    rows["dashboard_selector_root"]["aim_met"] = (
        rows["dashboard_selector_root"]["ratio"] <= 3
        and rows["dashboard_selector_root"]["product_ms"] < 300
    )
    rows["coverage_root"]["aim_met"] = rows["coverage_root"]["ratio"] <= 3
    rows["overdue_root"]["aim_met"] = rows["overdue_root"]["ratio"] <= 3

    # (5) writes at this scale: one task update (shallow and deep), the first page after 30
    # days of passing deadlines, and the batch work that runs as jobs
    task_update = task_updates(admin, programme, repeat)
    kept = product_rollups(programme, root, today)  # as the writes kept the tallies
    kept_coverage = coverage_rates(admin, programme, root)
    writes = {
        "task_update": task_update,
        "first_page_after_30_days": first_page_later(admin, programme, root, today, 30),
        "close_period_job": run_as_job(
            "close_period",
            "reformtrack.programs.services.periods.close_period_job",
            {"programme": programme.pk, "day": today.isoformat()},
            user=admin,
        ),  # fmt: skip
        "rebuild_tallies_job": run_as_job(
            "tally_rebuild",
            "reformtrack.programs.services.tallies.rebuild_job",
            {"programme": programme.pk},
            user=admin,
        ),  # fmt: skip
    }
    rebuilt = product_rollups(programme, root, today)
    checks["kept_tallies_equal_rebuild"] = all(
        {k: tally_tuple(t) for k, t in kept[part].items()}
        == {k: tally_tuple(t) for k, t in rebuilt[part].items()}
        for part in ("by_child", "by_area")
    ) and tally_tuple(kept["total"]) == tally_tuple(rebuilt["total"])
    checks["kept_coverage_equal_rebuild"] = kept_coverage == coverage_rates(admin, programme, root)

    # a period close (the trend line's snapshot), timed again on the kept data; then what the
    # bar chart would cost read from such pre-aggregated subtree tallies instead of the ledger
    start = time.perf_counter()
    period = close_period(user=None, programme=programme, day=today)
    close_s = round(time.perf_counter() - start, 2)
    children = [root.path, *root.get_children().values_list("path", flat=True)]
    snapshots = RollupSnapshot.objects.filter(
        programme=programme, period_end=period.period_end, org_path__in=children
    )
    alternatives = {
        "snapshot_children_root": timed_ms(lambda: list(snapshots.values()), repeat=repeat),
    }

    dashboard = rollup["dashboard_root"]["median"]
    ratio = round(dashboard / duck["dashboard_root"]["median"], 1)
    result = {
        "benchmark": "ledger_rollup",
        "database": vendor,
        "organisations": meta["organisations"],
        "tasks": meta["tasks"],
        "programme": programme.code,
        "programme_tasks_counted_at_root": counted,
        "seed_seconds": meta["seed_seconds"],
        "seed_timings": meta["seed_timings"],
        "seed_reused": reuse,
        "seed_copied_from": meta.get("seed_copied_from"),
        "seed_copy_seconds": meta.get("seed_copy_seconds"),
        "periods": meta["periods"],
        "close_period_s_this_run": close_s,
        "rollup_ms": rollup,
        "duckdb_ms": duck,
        "pre_aggregated_ms": alternatives,
        "naive_ms_sample": {"organisations": len(sample), **naive},
        "naive_ms_extrapolated": naive_total_ms,
        "ratio_to_duckdb": ratio,
        "ratio_naive_to_product": round(naive_total_ms / dashboard, 1),
        "page_ms": rows,
        "writes": writes,
        "checks": checks,
        "aim": {
            "within_3x_duckdb": ratio <= 3,
            "under_1s": dashboard < 1000,
            "dashboard_selector": rows["dashboard_selector_root"]["aim_met"],
            "coverage": rows["coverage_root"]["aim_met"],
            "overdue": rows["overdue_root"]["aim_met"],
            "task_update_under_50ms": writes["task_update"]["aim_met"],
            "first_page_writes_nothing": writes["first_page_after_30_days"]["writes"] == 0,
        },
    }
    if args.explain:
        result["plans"] = {
            "dashboard_root": plans(lambda: product_rollups(programme, root, today), vendor),
            "by_child_group": plans(lambda: tally_by_child(None, programme, group, today), vendor),
        }
    write(result, args.out)


if __name__ == "__main__":
    main()
