"""Closing a reporting period: the request only queues a job; the job does the work, with progress.

    python benchmarks/bench_close_period.py [--scale S] [--reseed] [--keep] [--out FILE]

On the demo by default (its largest programme, TYA); `--scale 1` on bench_ledger's national seed
(50,701 organisations: one snapshot per subtree; on PostgreSQL a fresh copy of the seed kept by
common.pg_keep_seed, seeded and kept first if there is none). As a supervisor administrator of the
root: the dashboard's "close period" form is posted through Django's request handling (test
client), timed, with what it wrote counted by table — it must queue one job and write no snapshot;
the job then runs as the worker runs it (`core.jobs.execute`), timed, noting how often its progress
moved; the job's page must show a progress bar. Everything runs in one transaction rolled back at
the end, so a kept seed stays as it was. Prints JSON; `row` holds the issue's table row.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
from benchmarks.common import (  # noqa: E402
    largest_programme,
    open_seed,
    rolled_back,
    run_queued,
    seed_arguments,
    signed_in,
    write,
    writes_by_table,
)


def period_of(programme, day) -> str:
    """The form's period field for the period holding `day` (2026-12, 2026Q4, 2026)."""
    if programme.reporting == "month":
        return f"{day:%Y-%m}"
    if programme.reporting == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seed_arguments(parser)
    parser.add_argument("--out")
    args = parser.parse_args()
    meta = open_seed(args.scale, reseed=args.reseed, keep=args.keep)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from benchmarks.bench_ledger import supervisor
    from reformtrack.core.models import Job
    from reformtrack.orgs.models import Organisation
    from reformtrack.programs.models import LedgerTask, RollupSnapshot

    programme = largest_programme()
    root = Organisation.objects.filter(depth=1).order_by("path").first()
    url = reverse("programs:close-period", args=[programme.code])
    period = period_of(programme, timezone.localdate())
    with rolled_back():
        user = supervisor(root)
        client = signed_in(user)
        client.get(reverse("programs:dashboard", args=[programme.code]))  # a warm server
        snapshots = RollupSnapshot.objects.filter(programme=programme)
        before = snapshots.count()
        last_job = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, {"period": period})
        request_ms = round((time.perf_counter() - start) * 1000, 1)
        queued = list(Job.objects.filter(pk__gt=last_job, kind="close_period"))
        written = writes_by_table(captured.captured_queries)
        request = {
            "status": response.status_code,
            "redirect": response.get("Location", ""),
            "ms": request_ms,
            "queries": len(captured.captured_queries),
            "writes": written,
            "jobs_queued": len(queued),
            "job_state_after_request": queued[0].state if queued else None,
            "snapshots_written": snapshots.count() - before,
        }
        only_enqueues = (
            response.status_code == 302
            and len(queued) == 1
            and queued[0].state == "queued"
            and request["snapshots_written"] == 0
            and RollupSnapshot._meta.db_table not in written
        )
        job = run_queued(queued[0], digits=3) if queued else {}
        page = client.get(reverse("core:job", args=[queued[0].pk])) if queued else None
        shown = page.content.decode() if page is not None else ""
        bar = "<progress" in shown or 'role="progressbar"' in shown
        kept = snapshots.count()
        tasks = LedgerTask.objects.filter(programme=programme).count()
    row = {
        "work": "closing a period (the request queues; the job snapshots every subtree)",
        "size": f"{meta['size']}: {programme.code}, {tasks:,} tasks",
        "request_ms": request_ms,
        "request_only_enqueues": only_enqueues,
        "job_s": job.get("seconds"),
        "job_state": job.get("state"),
        "progress_updates": job.get("progress_updates", 0),
        "snapshots": job.get("result", {}).get("snapshots"),
        "snapshots_of_the_programme": kept,
        "job_page_shows_progress_bar": bar,
        "goal": "a job, with progress",
    }
    row["met"] = (
        only_enqueues and row["job_state"] == "done" and row["progress_updates"] >= 2 and bar
    )
    write(
        {
            "benchmark": "close_period",
            "database": meta["database"],
            "seed": meta,
            "programme": programme.code,
            "period": period,
            "request": request,
            "job": job,
            "row": row,
        },
        args.out,
    )


if __name__ == "__main__":
    main()
