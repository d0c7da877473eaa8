"""Pages as a user waits for them: the demo served by gunicorn with production settings, a
bounded load of concurrent signed-in clients on each main page, against a trivial page (the
sign-in form) and a static file served by the same server in the same run.

    python benchmarks/bench_pages.py [--seconds 5] [--clients 8] [--out FILE]

Every request goes to 127.0.0.1 only; each page's loop stops after `--seconds`.
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


def load(port: int, path: str, *, cookies: dict, seconds: float, clients: int) -> dict:
    """`clients` threads request `path` back to back for `seconds`; latencies in ms."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def run():
        nonlocal errors
        session = Session(port)
        session.cookies = dict(cookies)
        while time.perf_counter() < stop:
            start = time.perf_counter()
            status, _body = session.request("GET", path)
            took = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(took)
                errors += status >= 400

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
    from reformtrack.orgs.models import Organisation
    from reformtrack.programs.models import LedgerTask, Programme

    sinochem = Organisation.objects.get(code="SINOCHEM")
    programme = Programme.objects.get(code="TYA")
    task = LedgerTask.objects.filter(org_path__startswith=sinochem.path).order_by("pk").first()
    return {
        "home": ("sinochem_office", "/"),
        "ledger": ("sinochem_office", f"/programmes/{programme.code}/ledger/"),
        "task": ("sinochem_office", f"/tasks/{task.pk}/"),
        "dashboard": ("sasac_admin", f"/programmes/{programme.code}/dashboard/"),
        "kpi_overview": ("sinochem_office", f"/kpis/org/{sinochem.pk}/"),
        "kpi_peers": ("sinochem_office", f"/kpis/org/{sinochem.pk}/peers/"),
        "documents": ("sasac_admin", "/documents/"),
        "inbox": ("sasac_admin", "/inbox/"),
        "api_tasks": ("sinochem_office", "/api/programs/tasks/?limit=50"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out")
    args = parser.parse_args()

    vendor = setup_django()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("demo", verbosity=0)
    demo_s = round(time.perf_counter() - started, 1)
    call_command("collectstatic", interactive=False, verbosity=0)
    targets = pages()
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
        baseline = {
            "trivial_page": load(port, "/accounts/login/", cookies={}, **run),
            "static_file": load(port, static, cookies={}, **run),
        }
        results = {}
        for name, (user, path) in targets.items():
            measured = load(port, path, cookies=sessions[user].cookies, **run)
            measured["ratio_to_trivial"] = round(
                measured["req_per_s"] / baseline["trivial_page"]["req_per_s"], 3
            )
            measured["path"] = path
            results[name] = measured
    finally:
        server.terminate()
        server.wait(timeout=30)
    write(
        {
            "benchmark": "pages",
            "database": vendor,
            "server": f"gunicorn, {args.workers} workers, DEBUG=false",
            "load": run,
            "demo_load_s": demo_s,
            "baseline": baseline,
            "pages": results,
            "goal": "each page >= 0.5x the trivial page's requests per second, p95 < 200 ms",
        },
        args.out,
    )


if __name__ == "__main__":
    main()
