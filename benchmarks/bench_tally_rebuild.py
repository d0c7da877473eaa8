"""Rebuilding one programme's tallies as a job: set-based (its statements do not grow with rows).

    python benchmarks/bench_tally_rebuild.py [--scale S] [--reseed] [--keep] [--repeat 3]
                                             [--out FILE]

On the demo by default (its largest programme TYA, and its smallest with tasks); `--scale 1` on
bench_ledger's national seed (BENCH-P1: about 291,000 tally rows; on SQLite copied once from its
kept seed under var/bench/, on PostgreSQL a fresh copy of the seed kept by common.pg_keep_seed,
seeded and kept first if there is none). The "tally rebuild" job runs as the worker runs it
(`core.jobs.execute`) for the largest and the smallest programme, counting the SQL statements of
each apart from the job's own bookkeeping: a set-based rebuild runs as many for both. The baseline
is one grouped read of the largest programme's top-level tasks (the least any rebuild reads), timed
in the same run. The rebuilt rows must equal the rows the product kept up to date on every write.
Everything runs in one transaction rolled back at the end, so a kept seed stays as it was. Prints
JSON; `row` holds the issue's table row.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
from benchmarks.common import (  # noqa: E402
    open_seed,
    rolled_back,
    run_as_job,
    seed_arguments,
    timed,
    write,
)

WRAPPING = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")


def programmes_by_size() -> list:
    """Programmes with tasks, the largest first: [(programme, top-level tasks)]."""
    from django.db.models import Count

    from reformtrack.programs.models import LedgerTask, Programme

    sizes = (
        LedgerTask.objects.filter(parent__isnull=True)
        .values("programme_id")
        .annotate(n=Count("id"))
        .order_by("-n", "programme_id")
    )
    found = {p.pk: p for p in Programme.objects.all()}
    return [(found[s["programme_id"]], s["n"]) for s in sizes]


def kept_rows(programme) -> list[tuple]:
    """Every stored count of the programme (both tables), without row ids, sorted."""
    from reformtrack.programs.models import CoverageTally, LedgerTally

    rows = []
    for model in (LedgerTally, CoverageTally):
        names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        names = [n for n in names if n not in ("version", "updated_at")]
        rows += [
            (model.__name__, *r)
            for r in model.objects.filter(programme=programme).values_list(*names)
        ]
    return sorted(rows, key=repr)


def rebuild(programme) -> dict:
    """The job, run as the worker runs it, with its statements counted (bookkeeping apart)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reformtrack.core.models import Job

    bookkeeping = (Job._meta.db_table, "django_tasks")
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        job = run_as_job(
            "tally_rebuild",
            "reformtrack.programs.services.tallies.rebuild_job",
            {"programme": programme.pk},
        )
    statements = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].lstrip().upper().startswith(WRAPPING)
        and not any(name in q["sql"] for name in bookkeeping)
    ]
    job["seconds"] = round(time.perf_counter() - start, 3)  # run_as_job's, to the millisecond
    return {**job, "statements": len(statements), "sql": [s[:120] for s in statements]}


def grouped_read(programme) -> None:
    """One grouped read of the programme's top-level tasks: the floor of any rebuild."""
    from reformtrack.programs.counting import aggregates
    from reformtrack.programs.models import LedgerTask

    list(
        LedgerTask.objects.filter(programme=programme, parent__isnull=True)
        .values("organisation_id", "area_id")
        .annotate(**aggregates(None))
        .order_by()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seed_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the grouped read")
    parser.add_argument("--out")
    args = parser.parse_args()
    meta = open_seed(args.scale, reseed=args.reseed, keep=args.keep)

    found = programmes_by_size()
    (large, large_tasks), (small, small_tasks) = found[0], found[-1]
    with rolled_back():
        before = kept_rows(large)
        start = time.perf_counter()
        grouped = timed(lambda: grouped_read(large), repeat=args.repeat)
        grouped["first_s"] = round((time.perf_counter() - start), 3)
        big = rebuild(large)
        equal = kept_rows(large) == before
        little = rebuild(small)
    set_based = big["statements"] == little["statements"]
    row = {
        "work": "rebuilding one programme's tallies, as a job",
        "size": f"{meta['size']}: {large.code}, {large_tasks:,} top-level tasks",
        "job_s": big["seconds"],
        "grouped_read_s": grouped["median_s"],
        "ratio": round(big["seconds"] / grouped["median_s"], 2) if grouped["median_s"] else None,
        "rows": big["result"].get("rows"),
        "statements": big["statements"],
        "statements_smallest_programme": little["statements"],
        "set_based": set_based,
        "job_state": big["state"],
        "progress_updates": big["progress_updates"],
        "kept_equal_rebuilt": equal,
        "goal": "set-based, a job",
    }
    row["met"] = set_based and big["state"] == "done" and equal
    write(
        {
            "benchmark": "tally_rebuild",
            "database": meta["database"],
            "seed": meta,
            "largest": {"programme": large.code, "top_level_tasks": large_tasks, "job": big},
            "smallest": {"programme": small.code, "top_level_tasks": small_tasks, "job": little},
            "grouped_read": grouped,
            "row": row,
        },
        args.out,
    )


if __name__ == "__main__":
    main()
