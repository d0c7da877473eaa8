"""`make test` against its budget: the whole suite (SQLite, then PostgreSQL) must take under 15
minutes on a 2-core machine as it grows.

    python benchmarks/bench_test_suite.py [--command "make test"] [--out FILE]

Runs the command once (its output goes to bench-results/test-suite.log, or beside --out) and
records its wall and CPU time (of the command and everything it started), whether it passed,
the machine's cores and its load average before the run (the machine may be shared: a high
load makes the wall time longer than the suite's own). Prints JSON; `row` holds the issue's
table row (issue 21).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
from benchmarks.common import write  # noqa: E402

BUDGET_S = 15 * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", default="make test", help="what to time (default: make test)")
    parser.add_argument("--out")
    args = parser.parse_args()
    log = (
        Path(args.out).with_suffix(".log")
        if args.out
        else ROOT_DIR / "bench-results/test-suite.log"
    )
    log.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    before = os.times()
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.run(
            shlex.split(args.command), cwd=ROOT_DIR, stdout=out, stderr=subprocess.STDOUT
        ).returncode
    seconds = round(time.perf_counter() - start, 1)
    after = os.times()
    cpu = after.children_user + after.children_system - before.children_user
    cpu -= before.children_system
    row = {
        "work": f"`{args.command}` wall time",
        "seconds": seconds,
        "cpu_s": round(cpu, 1),
        "passed": code == 0,
        "cores": os.cpu_count(),
        "load_before": round(load, 2),
        "goal": f"< {BUDGET_S // 60} min on 2 cores",
    }
    row["met"] = row["passed"] and seconds < BUDGET_S
    write(
        {"benchmark": "test_suite", "command": args.command, "log": str(log), "row": row},
        args.out,
    )


if __name__ == "__main__":
    main()
