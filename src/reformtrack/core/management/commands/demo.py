"""`reformtrack demo`: load (or refresh) each app's demo data; idempotent."""

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from ...demo import loaders
from ..base import CommandError, ReformtrackCommand


class Command(ReformtrackCommand):
    help = "Load the demo organisations, users and records of every app (safe to run again)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--only",
            action="append",
            metavar="PART",
            help="Load only these parts, in their usual order (repeatable; e.g. --only orgs).",
        )

    def handle(self, *args, **options):
        autodiscover_modules("demo")
        chosen = loaders()
        if options["only"]:
            known = [name for name, _loader in chosen]
            unknown = sorted(set(options["only"]) - set(known))
            if unknown:
                raise CommandError(
                    f"Unknown demo part(s): {', '.join(unknown)}; known: {', '.join(known)}."
                )
            chosen = [(name, loader) for name, loader in chosen if name in options["only"]]
        summary = {}
        with self.progress(len(chosen), "demo", options["json"]) as bar, transaction.atomic():
            for name, loader in chosen:
                summary[name] = loader(stdout=None if options["json"] else self.stdout)
                bar.update(1)
        if options["json"]:
            self.emit_json(summary)
