"""The pipeline runs on a real Celery worker over a real Redis (a spare port), the same code
as in-process."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "documents"
REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")


def spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_ready(redis: subprocess.Popen) -> None:
    """Blocks until redis-server logs that it accepts connections (no polling): each line it
    writes before that is read as it comes; its output ending first means it failed to start."""
    for line in redis.stdout:
        if "Ready to accept connections" in line:
            return
    raise RuntimeError(f"redis-server exited before accepting connections ({redis.wait()})")


@pytest.fixture
def broker(tmp_path):
    port = spare_port()
    redis = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    env = {**os.environ, "CELERY_BROKER_URL": url, "CELERY_RESULT_BACKEND": url,
           "DJANGO_SETTINGS_MODULE": "reformtrack.settings", "SECRET_KEY": "test-only",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}"}  # fmt: skip
    celery = str(Path(sys.executable).parent / "celery")
    worker = subprocess.Popen(
        [celery, "-A", "reformtrack.documents.celery_app", "worker", "--pool", "solo",
         "--loglevel", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_ready(redis)
        yield url
    finally:  # neither process outlives the test, even when the worker is slow to stop
        for process, seconds in ((worker, 20), (redis, 10)):
            process.terminate()
            try:
                process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        redis.stdout.close()


def test_a_worker_analyses_the_spun_copy(broker):
    pytest.importorskip("celery")
    from reformtrack.documents import celery_app, tasks

    celery_app.app.conf.broker_url = broker
    celery_app.app.conf.result_backend = broker
    result = celery_app.analyse_task.delay(str(DATA / "003_6edbb738d41674c3.txt"))
    found = result.get(timeout=180)  # a bound, not a timing: the worker first starts Django
    assert found == tasks.analyse_file(str(DATA / "003_6edbb738d41674c3.txt"))
    assert found["spun"] is True and found["language"] == "zh-Hans"


def test_without_a_broker_backfill_runs_in_process(db, settings):
    from reformtrack.documents import tasks

    settings.CELERY_BROKER_URL = ""
    os.environ.pop("CELERY_BROKER_URL", None)
    results = tasks.backfill([str(DATA / "001_e1ad057b894514d6.txt")])
    assert results[0]["created"] is True
