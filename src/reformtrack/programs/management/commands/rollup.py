"""`reformtrack rollup show|close`: a subtree's completion, and closing a reporting period (the
"close period" job, run here under a progress bar; the dashboard queues the same job)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_noop

from reformtrack.core.jobs.cli import run_here, summary, summary_line
from reformtrack.core.management.base import CommandError, ReformtrackCommand
from reformtrack.core.stored_messages import Message
from reformtrack.orgs.models import Organisation

from ...models import Programme
from ...periods import parse_period
from ...selectors.rollup import rollup_report


class Command(ReformtrackCommand):
    help = (
        "Roll-ups: 'show --program CODE [--org CODE]', 'close --program CODE --period 2024-06' "
        "or 'rebuild --program CODE' (recount the stored tallies from the tasks)."
    )
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        show = sub.add_parser("show", help="completion of a subtree against the target")
        show.add_argument("--program", required=True)
        show.add_argument("--org", help="organisation code (default: every top organisation)")
        show.add_argument("--user", help="only what this user may see")
        show.add_argument("--json", action="store_true", help="machine-readable output")
        close = sub.add_parser("close", help="keep every subtree's roll-up for a period")
        close.add_argument("--program", required=True)
        close.add_argument("--period", required=True, help="2024-06, 2024Q2 or a date")
        close.add_argument("--json", action="store_true", help="machine-readable output")
        rebuild = sub.add_parser("rebuild", help="recount the programme's tallies from its tasks")
        rebuild.add_argument("--program", required=True)
        rebuild.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, sub, **options):
        programme = Programme.objects.filter(code=options["program"].upper()).first()
        if programme is None:
            raise CommandError(f"No programme has the code {options['program']}.")
        if sub == "close":
            return self.close(programme, options)
        if sub == "rebuild":
            title = Message(gettext_noop("Tallies of %(programme)s"), programme=programme.code)
            job = run_here(
                self, "rebuild_tallies", user=None, title=title,
                function="reformtrack.programs.services.tallies.rebuild_job",
                kwargs={"programme": programme.pk}, json_mode=options["json"],
            )  # fmt: skip
            if options["json"]:
                self.emit_json(summary(job))
            else:
                self.stdout.write(summary_line(job))
            return
        user = self.acting_user(options.get("user"))
        roots = Organisation.objects.filter(depth=1)
        if options.get("org"):
            roots = Organisation.objects.filter(code=options["org"].upper())
            if not roots:
                raise CommandError(f"No organisation has the code {options['org']}.")
        reports = [rollup_report(user, programme, root) for root in roots]
        if options["json"]:
            self.emit_json(reports if len(reports) > 1 else reports[0])
            return
        for report in reports:
            t = report["total"]
            self.stdout.write(
                f"{report['organisation']}: {t['done']}/{t['tasks']} done ({t['rate']}%), "
                f"main {t['main_rate']}%, progress {t['progress']}%, overdue {t['overdue']}, "
                f"{report['signal']}"
            )
            for child in report["children"]:
                self.stdout.write(
                    f"  {child['organisation']:<20} {child['done']:>6}/{child['tasks']:<6} "
                    f"{child['rate']}%  {child['signal']}"
                )

    def close(self, programme, options):
        try:
            day = parse_period(programme.reporting, options["period"])
        except ValueError as exc:
            raise CommandError(
                f"Not a period: {options['period']} (use 2024-06 or 2024Q2)."
            ) from exc
        if day > timezone.localdate() + dt.timedelta(days=31):
            raise CommandError("That period has not begun.")
        job = run_here(
            self, "close_period", user=None, title=f"{programme.code} {day.isoformat()}",
            function="reformtrack.programs.services.periods.close_period_job",
            kwargs={"programme": programme.pk, "day": day.isoformat()}, json_mode=options["json"],
        )  # fmt: skip
        result = {key: job.result[key] for key in ("programme", "period_end", "snapshots")}
        if options["json"]:
            self.emit_json({**result, "job": summary(job)})
        else:
            self.stdout.write(summary_line(job))
