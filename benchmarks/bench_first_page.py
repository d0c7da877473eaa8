"""The first page of the day after 30 days of passing deadlines: a request must do no batch work.

    python benchmarks/bench_first_page.py [--scale S] [--reseed] [--keep] [--repeat 5]
                                          [--out FILE]

On the demo by default (its largest programme, TYA: 315 tasks); `--scale 1` on bench_ledger's
national seed (50,701 organisations, 1,000,000 tasks; on SQLite copied once from its kept seed
under var/bench/, on PostgreSQL a fresh copy of the seed kept by common.pg_keep_seed, seeded and
kept first if there is none). As a supervisor administrator of the root, through Django's request
handling (test client, no network): the dashboard and the home page are read twice (the server is
warm), then every deadline moves 30 days back (as if 30 days had passed without the daily overdue
job) and each page is read again, counting what the request writes; the overdue job runs as the
worker runs it; then each page is read once more (the first page of the day, new figures) and again
(the second read, the baseline: drawn in full, the page cache emptied first, so it is the page's
own cost; a read served from the cache is shown beside it, not judged). A request does batch work
when it writes anything but its session (`writes_*` must be 0) or runs more statements than the
second read (`no_extra_queries`); the time ratio is shown, not judged (the first page draws the new
figures' charts, per-page work, and the machine may be shared). Everything runs in one transaction
rolled back at the end, so a kept seed stays as it was. Prints JSON; `row` holds the issue's table
row (issue 21).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
from benchmarks.common import (  # noqa: E402
    largest_programme,
    open_seed,
    rolled_back,
    run_as_job,
    seed_arguments,
    signed_in,
    write,
    writes_by_table,
)

DAYS = 30


def read(client, url: str) -> dict:
    """One GET: wall ms, queries, the data it wrote (by table) and the status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    ms = round((time.perf_counter() - start) * 1000, 1)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return {
        "ms": ms,
        "queries": len(captured.captured_queries),
        "writes": writes_by_table(captured.captured_queries),
    }


def forget_pages() -> None:
    """Empties the page cache (core/page_cache.py): the next read draws the page, as the first
    read after any write does, so the baseline is the page's own cost, not a cache hit."""
    from django.core.cache import InvalidCacheBackendError, caches

    with contextlib.suppress(InvalidCacheBackendError):  # a settings file without that cache
        caches["pages"].clear()


def drawn(client, url: str) -> dict:
    """One GET with the page cache emptied first (a full draw of the page)."""
    forget_pages()
    return read(client, url)


def pass_days(days: int) -> int:
    """Every deadline `days` earlier (and the last overdue marking with them): the state the
    ledger is in when that many days passed without the overdue job. Rows moved."""
    from django.db import connection

    from reformtrack.programs.models import LedgerTask, Programme

    tasks, programmes = LedgerTask._meta.db_table, Programme._meta.db_table
    if connection.vendor == "postgresql":
        earlier = f"{{col}} - {int(days)}"
    else:
        earlier = f"date({{col}}, '-{int(days)} days')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {tasks} SET deadline = {earlier.format(col='deadline')} "
            "WHERE deadline IS NOT NULL"
        )
        moved = cursor.rowcount
        cursor.execute(
            f"UPDATE {programmes} SET overdue_marked_on = "
            f"{earlier.format(col='overdue_marked_on')} WHERE overdue_marked_on IS NOT NULL"
        )
    return moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seed_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5, help="second reads (median)")
    parser.add_argument("--out")
    args = parser.parse_args()
    meta = open_seed(args.scale, reseed=args.reseed, keep=args.keep)

    from django.urls import reverse

    from benchmarks.bench_ledger import supervisor
    from reformtrack.orgs.models import Organisation
    from reformtrack.programs.models import LedgerTask

    programme = largest_programme()
    root = Organisation.objects.filter(depth=1).order_by("path").first()
    pages = {
        "dashboard": reverse("programs:dashboard", args=[programme.code]),
        "home": reverse("core:home") if _has("core:home") else "/",
    }
    with rolled_back():
        user = supervisor(root)
        client = signed_in(user)
        for url in pages.values():  # the server has served these pages before today
            read(client, url)
            read(client, url)
        start = time.perf_counter()
        moved = pass_days(DAYS)
        shift_s = round(time.perf_counter() - start, 2)
        stale = {name: read(client, url) for name, url in pages.items()}
        job = run_as_job(
            "overdue", "reformtrack.programs.services.tallies.mark_all_overdue", {}, user=None
        )
        first = {name: read(client, url) for name, url in pages.items()}
        second = {
            name: [drawn(client, url) for _ in range(max(1, args.repeat))]
            for name, url in pages.items()
        }
        cached = {name: read(client, url) for name, url in pages.items()}  # shown, not judged
        tasks = LedgerTask.objects.filter(programme=programme).count()
    result_pages = {}
    for name in pages:
        again = second[name]
        result_pages[name] = {
            "url": pages[name],
            "before_job": stale[name],
            "first_after_job": first[name],
            "second_read_ms": round(statistics.median(r["ms"] for r in again), 1),
            "second_read_queries": again[0]["queries"],
            "second_read_writes": again[0]["writes"],
            "cached_read": cached[name],
        }
    board = result_pages["dashboard"]
    ratio = round(board["first_after_job"]["ms"] / board["second_read_ms"], 2)
    writes_before = sum(sum(p["before_job"]["writes"].values()) for p in result_pages.values())
    writes_after = sum(
        sum(p["first_after_job"]["writes"].values()) + sum(p["second_read_writes"].values())
        for p in result_pages.values()
    )
    row = {
        "work": f"first page of the day after {DAYS} days of passing deadlines (dashboard)",
        "size": f"{meta['size']}: {programme.code}, {tasks:,} tasks",
        "product_ms": board["first_after_job"]["ms"],
        "baseline_ms": board["second_read_ms"],
        "ratio": ratio,
        "writes_before_job": writes_before,
        "writes_after_job": writes_after,
        "queries_first": board["first_after_job"]["queries"],
        "queries_second": board["second_read_queries"],
        "overdue_job_s": job["seconds"],
        "goal": "no batch work in any request (writes nothing but its session)",
    }
    # no extra statements on the first page: what it does more is drawing (charts, tables)
    row["no_extra_queries"] = row["queries_first"] <= row["queries_second"]
    row["met"] = writes_before == 0 and writes_after == 0 and row["no_extra_queries"]
    write(
        {
            "benchmark": "first_page",
            "database": meta["database"],
            "seed": meta,
            "programme": programme.code,
            "days_passed": DAYS,
            "deadlines_moved": moved,
            "shift_s_not_counted": shift_s,
            "overdue_job": job,
            "pages": result_pages,
            "row": row,
        },
        args.out,
    )


def _has(name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


if __name__ == "__main__":
    main()
