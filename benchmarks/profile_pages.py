"""Where a page's time goes: each main page of the demo read through Django's test client,
with its query count, wall time per request and the top functions by cumulative time.

    DATABASE_URL=sqlite:////tmp/pages.sqlite3 DEBUG=true reformtrack migrate
    DATABASE_URL=sqlite:////tmp/pages.sqlite3 DEBUG=true reformtrack demo
    DATABASE_URL=sqlite:////tmp/pages.sqlite3 python benchmarks/profile_pages.py [PAGE ...]
        [--repeat 10] [--top 25] [--sql]

Reads an existing demo database (it creates nothing); DEBUG is forced off as on the server.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    parser.add_argument("--match", help="only functions whose file matches (e.g. reformtrack)")
    parser.add_argument("--sort", default="cumulative", help="pstats order (cumulative, tottime)")
    parser.add_argument(
        "--cpu", action="store_true",
        help="no profile: each page's CPU ms per request (unprofiled) and its ratio to the "
        "trivial page's, a load-independent estimate of bench_pages' cpu_ratio",
    )  # fmt: skip
    parser.add_argument(
        "--cold", action="store_true",
        help="a committed write before each request (as bench_pages' cold figures): every read "
        "finds a new data version and draws its page instead of serving it from the page cache",
    )  # fmt: skip
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reformtrack.settings")
    os.environ.setdefault("SECRET_KEY", "profile-only")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from benchmarks.bench_pages import pages, touch

    def get(client, path):
        if args.cold:
            touch()
        return client.get(path)

    targets = {"trivial": (None, "/accounts/login/"), **pages()}
    chosen = args.pages or list(targets)
    if args.cpu and "trivial" not in chosen:
        chosen.insert(0, "trivial")
    clients = {}
    trivial_cpu = None
    for name in chosen:
        user, path = targets[name]
        if user not in clients:
            client = Client()
            if user is not None:
                client.force_login(get_user_model().objects.get(username=user))
            clients[user] = client
        client = clients[user]
        get(client, path)
        gc.collect()  # as a server process does after its first requests (reformtrack/wsgi.py)
        gc.freeze()
        captured = []

        def record(execute, sql, params, many, context, captured=captured):
            captured.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            status = get(client, path).status_code
        if args.cpu:
            cpu = time.process_time()
            for _ in range(args.repeat):
                get(client, path)
            cpu = (time.process_time() - cpu) * 1000 / args.repeat
            trivial_cpu = trivial_cpu or cpu
            print(f"{name:14} queries={len(captured):3} {cpu:6.2f} ms CPU/request  "
                  f"cpu_ratio={trivial_cpu / cpu:.2f}")  # fmt: skip
            continue
        profile = cProfile.Profile()
        start, cpu = time.perf_counter(), time.process_time()
        profile.enable()
        for _ in range(args.repeat):
            get(client, path)
        profile.disable()
        took = (time.perf_counter() - start) * 1000 / args.repeat
        cpu = (time.process_time() - cpu) * 1000 / args.repeat
        print(f"== {name} {path} status={status} queries={len(captured)} "
              f"{took:.1f} ms/request ({cpu:.1f} ms CPU, profiled)")  # fmt: skip
        if args.sql:
            for sql in captured:
                print("   ", sql[:300])
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(
            *([args.match] if args.match else []), args.top
        )
        print(out.getvalue())


if __name__ == "__main__":
    main()
