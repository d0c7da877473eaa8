"""Pages as a user waits for them: the demo served by gunicorn with production settings, a
bounded load of concurrent signed-in clients on each main page, against a trivial page (the
sign-in form) and a static file served by the same server in the same run; and the command
line's start (`reformtrack orgs show X`) against a bare `django.setup()`.

    python benchmarks/bench_pages.py [--seconds 5] [--clients 8] [--out FILE] [--no-cli]
        [--pages ledger,dashboard,...]

Every request goes to 127.0.0.1 only; each page's loop stops after `--seconds`. The trivial
page is loaded right before each page (the machine may be shared: a baseline measured next to
its page is fairer than one for the whole run), and the server's CPU time per request is read
from /proc for both (load-independent). `rows` holds the issue's table rows (issue 21):
product req/s, p50/p95, the trivial page's req/s, the ratio and whether the goal is met.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.common import setup_django, write  # noqa: E402

PASSWORD = "Reform#2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Session:
    """One signed-in browser: cookies, and the CSRF token of forms."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        sent.update(headers or {})
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data

    def sign_in(self, username: str) -> None:
        _status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
        }
        status, _body = self.request("POST", "/accounts/login/", form, headers)
        if status != 302:
            raise SystemExit(f"sign-in of {username} failed ({status})")


def load(port: int, path: str, *, cookies: dict, seconds: float, clients: int, before=None) -> dict:
    """`clients` threads request `path` back to back for `seconds`; latencies in ms. `before`
    (untimed, in the bench's own process) runs before each request."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def run():
        nonlocal errors
        session = Session(port)
        session.cookies = dict(cookies)
        while time.perf_counter() < stop:
            if before is not None:
                before()
            start = time.perf_counter()
            status, _body = session.request("GET", path)
            took = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(took)
                errors += status >= 400
        if before is not None:
            from django.db import connection

            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run) for _ in range(clients)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begin
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "req_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
    }


def pages() -> dict[str, tuple[str, str]]:
    """The main pages of the demo, each with the user who opens it."""
    from reformtrack.documents.models import Document
    from reformtrack.orgs.models import Organisation
    from reformtrack.programs.models import LedgerTask, Programme

    sinochem = Organisation.objects.get(code="SINOCHEM")
    programme = Programme.objects.get(code="TYA")
    task = LedgerTask.objects.filter(org_path__startswith=sinochem.path).order_by("pk").first()
    document = Document.objects.order_by("pk").first()
    found = {
        "home": ("sinochem_office", "/"),
        "tokens": ("sinochem_office", "/accounts/tokens/"),
        "ledger": ("sinochem_office", f"/programmes/{programme.code}/ledger/"),
        "task": ("sinochem_office", f"/tasks/{task.pk}/"),
        "dashboard": ("sasac_admin", f"/programmes/{programme.code}/dashboard/"),
        "kpi_overview": ("sinochem_office", f"/kpis/org/{sinochem.pk}/"),
        "kpi_peers": ("sinochem_office", f"/kpis/org/{sinochem.pk}/peers/"),
        "documents": ("sasac_admin", "/documents/"),
        "inbox": ("sasac_admin", "/inbox/"),
        "api_tasks": ("sinochem_office", "/api/programs/tasks/?limit=50"),
    }
    if document is not None:
        found["document"] = ("sasac_admin", f"/documents/{document.pk}/")
    return found


# The issue's table (issue 21): its row label → the pages measured for it.
ISSUE_ROWS = {
    "ledger page, demo (315 tasks)": "ledger",
    "dashboard, demo": "dashboard",
    "KPI overview, demo": "kpi_overview",
    "document, demo": "document",
    "API task list, demo": "api_tasks",
    "home, demo": "home",
}
GOAL_RATIO, GOAL_P95_MS, GOAL_CLI_RATIO = 0.5, 200, 3.0
# Pages kept in the page cache (core/page_cache.py) under the data version: measured warm (as
# above: nothing written, every request after a worker's first is served from its cache) and
# cold (one client, a committed write to a business table before every request, so every
# request finds a new data version and draws the page).
CACHED = {"ledger", "task", "dashboard", "kpi_overview", "documents", "inbox", "api_tasks"}


def touch() -> None:
    """One committed write to a business table (a programme's name set to itself): the
    database's triggers change the data version, so the next read of any page is cold."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE programs_programme SET name_zh = name_zh WHERE code = %s", ["TYA"])


def server_cpu_s(master: int) -> float:
    """User + system CPU seconds of the gunicorn master's worker processes (from /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def cli_start(repeat: int) -> dict:
    """`reformtrack orgs show SINOCHEM --json` against a bare `django.setup()`, each started in a
    fresh process `repeat` times (median wall and CPU time of the child)."""
    cli = str(Path(sys.executable).with_name("reformtrack"))
    bare = [sys.executable, "-c", "import django; django.setup()"]
    env = dict(os.environ, DEBUG="false", ALLOWED_HOSTS="127.0.0.1,localhost")

    def timed_runs(command) -> dict:
        walls, cpus = [], []
        for _ in range(repeat):
            before = os.times()
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - start)
            after = os.times()
            cpus.append(
                after.children_user + after.children_system
                - before.children_user - before.children_system
            )  # fmt: skip
        return {
            "wall_s": round(statistics.median(walls), 3),
            "cpu_s": round(statistics.median(cpus), 3),
        }

    product = timed_runs([cli, "orgs", "show", "SINOCHEM", "--json"])
    baseline = timed_runs(bare)
    ratio = round(product["cpu_s"] / baseline["cpu_s"], 2) if baseline["cpu_s"] else None
    return {
        "product": product,
        "baseline": {"bare_django_setup": baseline},
        "ratio": ratio,
        "ratio_wall": round(product["wall_s"] / baseline["wall_s"], 2),
        "goal": f"<= {GOAL_CLI_RATIO}x a bare Django start (CPU time; wall time is shown too)",
        "met": ratio is not None and ratio <= GOAL_CLI_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cli-repeat", type=int, default=5)
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line start row")
    parser.add_argument("--out")
    parser.add_argument(
        "--pages", help="only these pages, comma-separated (names as in `pages()`: ledger, "
        "dashboard, kpi_overview, api_tasks, …); the trivial page is always measured",
    )  # fmt: skip
    args = parser.parse_args()

    vendor = setup_django()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("demo", verbosity=0)
    demo_s = round(time.perf_counter() - started, 1)
    call_command("collectstatic", interactive=False, verbosity=0)
    targets = pages()
    if args.pages:
        chosen = args.pages.split(",")
        unknown = sorted(set(chosen) - set(targets))
        if unknown:
            raise SystemExit(f"unknown pages: {', '.join(unknown)} (known: {', '.join(targets)})")
        targets = {name: targets[name] for name in chosen}
    port = free_port()
    env = dict(os.environ, DEBUG="false", ALLOWED_HOSTS="127.0.0.1,localhost")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "reformtrack.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        sessions = {}
        for user in {user for user, _path in targets.values()}:
            sessions[user] = Session(port)
            sessions[user].sign_in(user)
        static = re.search(rb'href="(/static/[^"]+\.css)"', Session(port).request(
            "GET", "/accounts/login/")[1]).group(1).decode()  # fmt: skip
        run = {"seconds": args.seconds, "clients": args.clients}

        def measured(path: str, cookies: dict, **overrides) -> dict:
            cpu = server_cpu_s(server.pid)
            result = load(port, path, cookies=cookies, **{**run, **overrides})
            spent = server_cpu_s(server.pid) - cpu
            result["server_cpu_ms_per_request"] = (
                round(spent * 1000 / result["requests"], 2) if result["requests"] else None
            )
            return result

        for user, path in targets.values():  # warm each worker's caches and imports once
            for _ in range(2 * args.workers):
                sessions[user].request("GET", path)
        baseline = {
            "trivial_page": measured("/accounts/login/", {}),
            "static_file": measured(static, {}),
        }
        results = {}
        for name, (user, path) in targets.items():
            trivial = measured("/accounts/login/", {})
            page = measured(path, sessions[user].cookies)
            page["path"] = path
            page["trivial_page"] = trivial
            page["ratio_to_trivial"] = round(page["req_per_s"] / trivial["req_per_s"], 3)
            if page["server_cpu_ms_per_request"] and trivial["server_cpu_ms_per_request"]:
                page["cpu_ratio_to_trivial"] = round(
                    trivial["server_cpu_ms_per_request"] / page["server_cpu_ms_per_request"], 3
                )
            if name in CACHED:  # the first read after a write: one client, a write each time
                cold = measured(path, sessions[user].cookies, clients=1, before=touch)
                if cold["server_cpu_ms_per_request"] and trivial["server_cpu_ms_per_request"]:
                    cold["cpu_ratio_to_trivial"] = round(
                        trivial["server_cpu_ms_per_request"] / cold["server_cpu_ms_per_request"],
                        3,
                    )
                page["cold"] = cold
            results[name] = page
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = {}
    for label, name in ISSUE_ROWS.items():
        page = results.get(name)
        if page is None:
            continue
        rows[label] = {
            "page": name,
            "product_req_per_s": page["req_per_s"],
            "p50_ms": page["p50_ms"],
            "p95_ms": page["p95_ms"],
            "baseline_trivial_req_per_s": page["trivial_page"]["req_per_s"],
            "ratio": page["ratio_to_trivial"],
            "cpu_ratio": page.get("cpu_ratio_to_trivial"),
            "errors": page["errors"],
            "met": page["ratio_to_trivial"] >= GOAL_RATIO
            and (page["p95_ms"] or 0) < GOAL_P95_MS
            and not page["errors"],
        }
        cold = page.get("cold")
        if cold is not None:  # the first read after a write (see CACHED)
            rows[label].update(
                cold_cpu_ratio=cold.get("cpu_ratio_to_trivial"),
                cold_p50_ms=cold["p50_ms"],
                cold_p95_ms=cold["p95_ms"],
                cold_server_cpu_ms=cold["server_cpu_ms_per_request"],
                warm_server_cpu_ms=page["server_cpu_ms_per_request"],
            )
    if not args.no_cli:
        rows["reformtrack orgs show X"] = cli_start(args.cli_repeat)
    write(
        {
            "benchmark": "pages",
            "database": vendor,
            "server": f"gunicorn, {args.workers} workers, DEBUG=false",
            "load": run,
            "demo_load_s": demo_s,
            "rows": rows,
            "baseline": baseline,
            "pages": results,
            "goal": (
                f"each page >= {GOAL_RATIO}x the trivial page's requests per second (the one "
                f"loaded right before it), p95 < {GOAL_P95_MS} ms, no errors; "
                f"`orgs show` <= {GOAL_CLI_RATIO}x a bare Django start"
            ),
            "cpu_ratio": "trivial page's server CPU per request / the page's (load-independent)",
            "cold": (
                "pages in the page cache, each request after a committed write (one client): "
                "the first read after a write; the row's other figures are warm"
            ),
        },
        args.out,
    )


if __name__ == "__main__":
    main()
