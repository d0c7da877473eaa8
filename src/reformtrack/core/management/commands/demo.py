"""`reformtrack demo`: load (or refresh) each app's demo data; idempotent."""

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from ...demo import loaders
from ..base import ReformtrackCommand


class Command(ReformtrackCommand):
    help = "Load the demo organisations, users and records of every app (safe to run again)."

    def handle(self, *args, **options):
        autodiscover_modules("demo")
        summary = {}
        with self.progress(len(loaders()), "demo", options["json"]) as bar, transaction.atomic():
            for name, loader in loaders():
                summary[name] = loader(stdout=None if options["json"] else self.stdout)
                bar.update(1)
        if options["json"]:
            self.emit_json(summary)
