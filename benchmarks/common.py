"""Shared set-up of benchmarks: a scratch database, Django, timing, JSON out."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def setup_django(sqlite_file: str | Path | None = None) -> str:
    """Points Django at a scratch database (DATABASE_URL if given, else a temp SQLite file).

    `sqlite_file` keeps the SQLite database at that path instead (kept between runs, so a
    benchmark can reuse a costly seed); PostgreSQL is always a fresh database.
    """
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reformtrack.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        _create_pg_database(url)
    elif sqlite_file is not None:
        Path(sqlite_file).parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(sqlite_file).resolve()}"
    else:
        scratch = Path(tempfile.mkdtemp(prefix="reformtrack-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return connection.vendor


def _create_pg_database(url: str) -> None:
    import psycopg

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            conn.execute(f'DROP DATABASE "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(func, *, repeat: int = 5) -> dict:
    """Median and best wall time of `repeat` runs, after one warm-up run."""
    func()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(runs), 6), "best_s": round(min(runs), 6)}


def timed_ms(func, *, repeat: int = 5) -> dict:
    """As `timed`, in milliseconds, with every run (for noisy machines)."""
    func()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append((time.perf_counter() - start) * 1000)
    return {
        "median": round(statistics.median(runs), 1),
        "best": round(min(runs), 1),
        "runs": [round(r, 1) for r in runs],
    }


def write(result: dict, out: str | None) -> None:
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")


def run_as_job(kind: str, function: str, kwargs: dict, *, user=None) -> dict:
    """Run `function` as the product runs long work: a Job row executed by the worker's code
    path (`core.jobs.execute`); wall time, final state and how often the progress moved."""
    from reformtrack.core.jobs.services import execute
    from reformtrack.core.models import Job

    job = Job.objects.create(kind=kind, title=kind, owner=user, function=function, kwargs=kwargs)
    seen: list[tuple] = []

    def watch(progress) -> None:
        state = (progress.done, progress.total)
        if not seen or seen[-1] != state:
            seen.append(state)

    start = time.perf_counter()
    execute(job.pk, on_change=watch)
    seconds = time.perf_counter() - start
    job.refresh_from_db()
    return {
        "seconds": round(seconds, 2),
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "progress_updates": len(seen),
        "errors": [m["text"] for m in job.messages if m["level"] == "error"][:3],
        "result": {k: v for k, v in job.result.items() if not isinstance(v, (dict, list))},
    }
