"""Shared set-up of benchmarks: a scratch database, Django, timing, JSON out."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def setup_django(sqlite_file: str | Path | None = None, *, fresh_pg: bool = True) -> str:
    """Points Django at a scratch database (DATABASE_URL if given, else a temp SQLite file).

    `sqlite_file` keeps the SQLite database at that path instead (kept between runs, so a
    benchmark can reuse a costly seed); PostgreSQL is a fresh database unless `fresh_pg` is
    False (a seed kept in it by an earlier bench of the same run).
    """
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reformtrack.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        if fresh_pg or not _pg_seed_meta(url):
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
    rerun_placeholder_migrations()
    from django.db import connection

    return connection.vendor


def rerun_placeholder_migrations() -> list[str]:
    """Migrations a kept seed recorded as applied while they were still empty placeholders (so
    tables of installed models are missing) are unrecorded and run again, with any later
    migration of the same app; returns them ("app.name"). A kept seed costs minutes to rebuild."""
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import CreateModel

    have = set(connection.introspection.table_names())
    missing = {
        (model._meta.app_label, model._meta.model_name)
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table not in have
    }
    if not missing:
        return []
    loader = MigrationLoader(connection)
    rerun: dict[str, tuple[str, str]] = {}  # app → (its first such migration, the one before)
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app in rerun or (app, name) not in loader.applied_migrations:
            continue
        if any(
            isinstance(op, CreateModel) and (app, op.name_lower) in missing
            for op in migration.operations
        ):
            parents = [dep[1] for dep in migration.dependencies if dep[0] == app]
            rerun[app] = (name, parents[0] if parents else "zero")
    for app, (_name, before) in rerun.items():
        call_command("migrate", app, before, fake=True, verbosity=0)
    if rerun:
        call_command("migrate", verbosity=0)
    return [f"{app}.{name}" for app, (name, _before) in rerun.items()]


def _pg_seed_meta(url: str) -> dict | None:
    """The description `open_seed` kept in a PostgreSQL benchmark database, if any."""
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT meta FROM bench_seed_meta").fetchone()
    except psycopg.Error:
        return None
    return json.loads(row[0]) if row else None


def _create_pg_database(url: str, template: str | None = None) -> None:
    """DATABASE_URL's database, empty or (with `template`) a file copy of that database."""
    import psycopg

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if template is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            return
        # FILE_COPY (PostgreSQL 15+) copies the files instead of logging every page to the WAL
        copy = " STRATEGY FILE_COPY" if conn.info.server_version >= 150000 else ""
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{copy}')


# --- one PostgreSQL seed for every bench: a template database in the cluster, a dump on disk ---
# Seeding the national data costs about 750 s on PostgreSQL. The first bench that needs a seed
# builds it in its own database, then keeps it twice: as a template database in the same cluster
# (`bench_seed_<name>`, never opened by a bench, so it stays as seeded) and as a pg_dump file
# under var/bench/ (<name>.pgdump), which outlives the throwaway cluster of `.ci/with-postgres`.
# Every later bench, whatever it writes, starts from a copy: CREATE DATABASE … TEMPLATE (seconds)
# in the same cluster, else pg_restore of the dump into a new template (minutes, not 750 s).


def _pg_template_name(name: str) -> str:
    return "bench_seed_" + "".join(c if c.isalnum() else "_" for c in name)


def _pg_tool(tool: str) -> str:
    """pg_dump / pg_restore of the newest installed PostgreSQL (as .ci/with-postgres finds it)."""
    import glob
    import shutil

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"), key=_version_key)
    return found[-1] if found else (shutil.which(tool) or tool)


def _version_key(path: str) -> tuple:
    part = path.split("/")[4]
    return tuple(int(n) if n.isdigit() else 0 for n in part.split("."))


def pg_copy_of_seed(name: str, *, reseed: bool = False) -> dict | None:
    """Makes DATABASE_URL's database a fresh copy of the kept seed `name` and returns the seed's
    description (with `seed_copied_from`: "template" or "dump", and the seconds the copy took),
    or None (nothing kept, or `reseed`): the caller seeds, then calls `pg_keep_seed`."""
    import subprocess

    url = os.environ["DATABASE_URL"]
    base = url.rpartition("/")[0]
    template = _pg_template_name(name)
    dump = KEPT_DIR / f"{name}.pgdump"
    if reseed:
        return None
    start = time.perf_counter()
    meta = _pg_seed_meta(f"{base}/{template}")
    source = "template"
    if meta is None or meta.get("seed") != name:
        if not dump.exists():
            return None
        source = "dump"
        _create_pg_database(f"{base}/{template}")
        subprocess.run(
            [_pg_tool("pg_restore"), "--no-owner", "--jobs=2", "--exit-on-error",
             f"--dbname={base}/{template}", str(dump)],
            check=True,
        )  # fmt: skip
        import psycopg

        with psycopg.connect(f"{base}/{template}", autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")  # a restore brings no statistics nor visibility map
        meta = _pg_seed_meta(f"{base}/{template}")
        if meta is None or meta.get("seed") != name:
            return None
    _create_pg_database(url, template=template)
    return {
        **meta,
        "seed_copied_from": source,
        "seed_copy_seconds": round(time.perf_counter() - start, 1),
    }


def pg_keep_seed(name: str, meta: dict, *, dump: bool = True) -> None:
    """Keeps the seed just built in DATABASE_URL's database (described by `meta`) for the next
    benches: a template database in this cluster and, with `dump`, var/bench/<name>.pgdump."""
    import subprocess

    from django.db import connection, connections

    meta = {**meta, "seed": name}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed_meta (meta text)")
        cursor.execute("DELETE FROM bench_seed_meta")
        cursor.execute("INSERT INTO bench_seed_meta VALUES (%s)", [json.dumps(meta)])
    connections.close_all()  # a template must have no open sessions
    url = os.environ["DATABASE_URL"]
    base, _sep, own = url.rpartition("/")
    _create_pg_database(f"{base}/{_pg_template_name(name)}", template=own)
    if dump:
        KEPT_DIR.mkdir(parents=True, exist_ok=True)
        target = KEPT_DIR / f"{name}.pgdump"
        partial = target.with_suffix(".pgdump.partial")
        subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--compress=1", "--no-owner",
             f"--file={partial}", f"{base}/{_pg_template_name(name)}"],
            check=True,
        )  # fmt: skip
        partial.replace(target)


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
    path (`core.jobs.execute`); see `run_queued`."""
    from reformtrack.core.models import Job

    job = Job.objects.create(kind=kind, title=kind, owner=user, function=function, kwargs=kwargs)
    return run_queued(job)


def run_queued(job, *, digits: int = 2) -> dict:
    """A queued job, run as the worker runs it: wall time, final state, how often its progress
    moved, its first errors and the plain figures of its result."""
    from reformtrack.core.jobs.services import execute

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
        "seconds": round(seconds, digits),
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "progress_updates": len(seen),
        "errors": [m["text"] for m in job.messages if m["level"] == "error"][:3],
        "result": {k: v for k, v in job.result.items() if not isinstance(v, (dict, list))},
        "counts": job.result.get("counts"),
    }


# --- the data of the batch-work benches (first page, closing a period, tally rebuild) -------

KEPT_DIR = Path(__file__).resolve().parents[1] / "var" / "bench"


def seed_arguments(parser) -> None:
    """The batch-work benches' seed options, read by `open_seed`."""
    parser.add_argument("--scale", type=float, help="bench_ledger's national seed at this scale")
    parser.add_argument("--reseed", action="store_true", help="rebuild the kept seed")
    parser.add_argument(
        "--keep", action="store_true", help="(no effect: a kept seed is always reused)"
    )


def open_seed(scale: float | None, *, reseed: bool = False, keep: bool = False) -> dict:
    """Django on the demo (`scale` None) or on bench_ledger's national seed at `scale`.

    SQLite keeps both under var/bench/: the demo in demo.sqlite3 (built once), the national
    seed in batch-<scale>.sqlite3 (copied once from bench_ledger's ledger-<scale>.sqlite3, or
    seeded); callers change them only inside `rolled_back()`, so they stay as they were.
    PostgreSQL (DATABASE_URL) gets a fresh copy of the kept seed (`pg_copy_of_seed`: bench_ledger's
    seed `ledger-<scale>`, or `demo`), seeded and kept first if there is none. `keep` is
    accepted for old commands. Returns the seed's description (what it holds, whether it was
    reused, the seconds it took)."""
    import shutil

    del keep
    os.environ.setdefault("JOBS_BACKEND", "db")  # a request queues; the bench runs the job
    figures = Path(tempfile.mkdtemp(prefix="reformtrack-bench-figures-"))
    os.environ.setdefault("FIGURE_CACHE_URL", f"filecache://{figures}")  # cold, this run's
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if on_postgres:
        return _open_pg_seed(scale, reseed=reseed)
    name = "demo" if scale is None else f"batch-{scale:g}"
    kept, meta_file = KEPT_DIR / f"{name}.sqlite3", KEPT_DIR / f"{name}.json"
    if reseed:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{kept}{suffix}").unlink(missing_ok=True)
        meta_file.unlink(missing_ok=True)
    if scale is not None and not kept.exists() and not reseed:
        copy_sqlite(KEPT_DIR / f"ledger-{scale:g}.sqlite3", kept)
        source_meta = KEPT_DIR / f"ledger-{scale:g}.json"
        if kept.exists() and source_meta.exists():
            shutil.copyfile(source_meta, meta_file)
    reuse = kept.exists() and meta_file.exists()
    if not reuse:
        kept.unlink(missing_ok=True)
    vendor = setup_django(kept)
    if reuse:
        meta = json.loads(meta_file.read_text())
        if scale is not None:
            from django.db import connection

            from benchmarks.bench_ledger import add_missing_indexes

            add_missing_indexes(connection)  # a seed from before a later migration's index
    else:
        start = time.perf_counter()
        meta = _seed(scale)
        meta["seed_seconds"] = round(time.perf_counter() - start, 1)
        meta["seeded_on"] = time.strftime("%Y-%m-%d")
        meta["seed"] = name
        meta_file.write_text(json.dumps(meta, indent=2) + "\n")
    size = "demo" if scale is None else f"national × {scale:g}"
    return {"size": size, **meta, "database": vendor, "seed": name, "seed_reused": reuse}


def _open_pg_seed(scale: float | None, *, reseed: bool) -> dict:
    """PostgreSQL: a copy of the kept seed (the national one is bench_ledger's, as on SQLite)."""
    name = "demo" if scale is None else f"ledger-{scale:g}"
    copied = pg_copy_of_seed(name, reseed=reseed)
    vendor = setup_django(fresh_pg=copied is None)
    if copied is not None:
        meta = copied
    else:
        start = time.perf_counter()
        if scale is None:
            meta = _seed(None)
        else:
            import benchmarks.bench_ledger as ledger

            meta = ledger.seed(scale)  # with its closed period, as bench_ledger seeds it
        meta["seed_seconds"] = round(time.perf_counter() - start, 1)
        meta["seeded_on"] = time.strftime("%Y-%m-%d")
        pg_keep_seed(name, meta)
    size = "demo" if scale is None else f"national × {scale:g}"
    return {
        "size": size,
        **meta,
        "database": vendor,
        "seed": name,
        "seed_reused": copied is not None,
    }


def _seed(scale: float | None) -> dict:
    import io

    from django.core.management import call_command

    if scale is None:
        call_command("demo", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
        return {"size": "demo"}
    import benchmarks.bench_ledger as ledger

    ledger.close_periods = lambda programme: {"closed": 0, "note": "not needed here"}
    return {"size": f"national × {scale:g}", **ledger.seed(scale)}


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a kept SQLite seed (the backup API), if there is one."""
    import sqlite3

    if not source.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


class rolled_back:  # noqa: N801 - used as a context manager, like transaction.atomic
    """Everything inside runs in one transaction that is rolled back at the end, so a kept
    seed is the same for the next run (requests and jobs inside share the connection)."""

    def __enter__(self):
        from django.db import transaction

        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        return self

    def __exit__(self, *exc):
        from django.db import transaction

        transaction.set_rollback(True)
        return self._atomic.__exit__(*exc)


def largest_programme():
    """The programme with the most ledger tasks (the demo's TYA, the seed's BENCH-P1)."""
    from django.db.models import Count

    from reformtrack.programs.models import LedgerTask, Programme

    sizes = LedgerTask.objects.values("programme_id").annotate(n=Count("id")).order_by("-n")
    return Programme.objects.get(pk=sizes[0]["programme_id"])


def signed_in(user):
    """A test client signed in as `user`, as a browser after sign-in (no network)."""
    from django.conf import settings
    from django.test import Client

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    return client


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# Tables a request may write without doing batch work: its session, the sign-in lockout log.
BOOKKEEPING = ("django_session", "axes_")


def writes_by_table(queries: list[dict]) -> dict[str, int]:
    """Statements that change data, counted by table (bookkeeping tables left out)."""
    found: dict[str, int] = {}
    for query in queries:
        sql = query["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper() if sql else ""
        if verb not in WRITES:
            continue
        words = sql.replace('"', " ").replace("`", " ").split()
        upper = [w.upper() for w in words]
        at = {"INSERT": "INTO", "REPLACE": "INTO", "DELETE": "FROM"}.get(verb)
        index = upper.index(at) + 1 if at in upper else 1
        table = words[index] if index < len(words) else "?"
        if table.startswith(BOOKKEEPING):
            continue
        found[table] = found.get(table, 0) + 1
    return found
