"""`reformtrack serve`: collect static files, then serve with gunicorn (or Django's dev server),
with a job worker beside it (`--no-worker` when workers run elsewhere)."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command

from ..base import ReformtrackCommand


class Command(ReformtrackCommand):
    help = "Serve the site (gunicorn; --dev for Django's auto-reloading server) and run jobs."
    json_option = False

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--dev", action="store_true", help="Django's development server")
        parser.add_argument(
            "--no-worker", action="store_true", help="start no job worker beside the server"
        )

    def handle(self, *args, host, port, workers, dev, no_worker, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"reformtrack on http://{host}:{port}/  (Ctrl-C stops)")
        worker = None
        if not no_worker and settings.JOBS_BACKEND in ("db", "celery"):
            cli = [sys.executable, "-m", "reformtrack.cli", "worker", "--verbosity", "0"]
            worker = subprocess.Popen(cli)  # noqa: S603 - our own command
        try:
            if dev:
                call_command("runserver", f"{host}:{port}")
                return
            gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
            args = [gunicorn, "reformtrack.wsgi", "--bind", f"{host}:{port}"]
            args += ["--workers", str(workers)]
            args += ["--access-logfile", "-"] if settings.DEBUG else []
            sys.stdout.flush()
            if worker is None:
                os.execv(gunicorn, args)
            server = subprocess.Popen(args)  # noqa: S603
            signal.signal(signal.SIGTERM, lambda *_: server.terminate())
            try:
                code = server.wait()
            except KeyboardInterrupt:
                code = server.wait()
            sys.exit(code)
        finally:
            if worker is not None:
                _stop(worker)


def _stop(process) -> None:
    """Ask the worker to finish its job and go (SIGTERM), kill it if it will not."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
