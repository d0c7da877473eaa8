"""`reformtrack worker`: run queued jobs (django-tasks-db's worker, or Celery's when
JOBS_BACKEND=celery). `reformtrack serve` starts one beside the web server."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command

from ..base import CommandError, ReformtrackCommand


class Command(ReformtrackCommand):
    help = "Run queued jobs: imports, period closing, overdue marking, tally rebuilds."
    json_option = False

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after N jobs")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args, batch, max_tasks, interval, **options):
        backend = settings.JOBS_BACKEND
        if backend == "celery":
            return self.celery()
        if backend != "db":
            raise CommandError(f"JOBS_BACKEND={backend} runs jobs in-process: no worker needed.")
        call_command(
            "db_worker",
            queue_name="*",
            batch=batch,
            max_tasks=max_tasks,
            interval=interval,
            reload=False,
            startup_delay=not batch,
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )

    def celery(self):
        celery = shutil.which("celery", path=os.path.dirname(sys.executable)) or "celery"
        os.environ.setdefault("CELERY_BROKER_URL", settings.CELERY_BROKER_URL)
        args = [celery, "-A", "reformtrack.core.jobs.celery_app", "worker", "--pool", "solo"]
        sys.stdout.flush()
        os.execv(celery, args)
