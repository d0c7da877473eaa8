"""`reformtrack --help` shows the product's commands by domain, Django's only with --all, and an
unconfigured install says what to do instead of a traceback (issue 17)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("reformtrack")


def run(*args, **env):
    merged = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    merged.update(env)
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=merged, timeout=120, check=False
    )


def test_help_lists_the_products_commands_by_domain(tmp_path):
    done = run("--help", SECRET_KEY="cli-test", REFORMTRACK_DATA_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    for heading in ("Programmes and ledgers:", "KPIs and statements:", "Policies and news:"):
        assert heading in done.stdout
    assert "  ledger " in done.stdout and "  migrate " in done.stdout
    assert "squashmigrations" not in done.stdout and "axes_reset" not in done.stdout
    everything = run("--help", "--all", SECRET_KEY="cli-test", REFORMTRACK_DATA_DIR=str(tmp_path))
    assert "squashmigrations" in everything.stdout


def test_a_generated_local_secret_is_enough(tmp_path):
    (tmp_path / "secret.key").write_text("generated-by-make-run-" + "x" * 40)
    done = run("--help", REFORMTRACK_DATA_DIR=str(tmp_path))
    assert done.returncode == 0 and "Traceback" not in done.stderr


def test_an_unconfigured_install_says_what_to_do(tmp_path):
    done = run("orgs", "list", REFORMTRACK_DATA_DIR=str(tmp_path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "make run" in done.stderr
