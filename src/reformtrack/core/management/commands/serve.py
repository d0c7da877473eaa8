"""`reformtrack serve`: collect static files, then serve with gunicorn (or Django's dev server)."""

import os
import sys

from django.conf import settings
from django.core.management import call_command

from ..base import ReformtrackCommand


class Command(ReformtrackCommand):
    help = "Serve the site (gunicorn; --dev for Django's auto-reloading server)."
    json_option = False

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--dev", action="store_true", help="Django's development server")

    def handle(self, *args, host, port, workers, dev, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"reformtrack on http://{host}:{port}/  (Ctrl-C stops)")
        if dev:
            call_command("runserver", f"{host}:{port}")
            return
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        args = [gunicorn, "reformtrack.wsgi", "--bind", f"{host}:{port}", "--workers", str(workers)]
        args += ["--access-logfile", "-"] if settings.DEBUG else []
        sys.stdout.flush()
        os.execv(gunicorn, args)
