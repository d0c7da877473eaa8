"""`reformtrack remind`: mark overdue tasks (the daily "overdue" job, as the system), then send
in-app notices and e-mail for due and overdue tasks (run it from cron)."""

from django.utils.translation import gettext_noop

from reformtrack.core.jobs.cli import run_here, summary
from reformtrack.core.management.base import ReformtrackCommand
from reformtrack.core.stored_messages import Message

from ...services.reminders import remind_due, weekly_summary


class Command(ReformtrackCommand):
    help = (
        "Mark open tasks past their deadline overdue, then notify reporting users of tasks "
        "due within N days and overdue; --weekly: summaries."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--days", type=int, default=7, help="due within this many days")
        parser.add_argument(
            "--weekly", action="store_true", help="also send each reform office its summary"
        )

    def handle(self, *args, days, weekly, **options):
        marking = run_here(
            self, "overdue", user=None, title=Message(gettext_noop("Marking overdue tasks")),
            function="reformtrack.programs.services.tallies.mark_all_overdue", kwargs={},
            json_mode=options["json"],
        )  # fmt: skip
        result = {"overdue": summary(marking), "due": remind_due(days=days)}
        if weekly:
            result["weekly"] = weekly_summary()
        if options["json"]:
            self.emit_json(result)
            return
        self.stdout.write(f"{marking.result['marked']} tasks marked overdue")
        due = result["due"]
        self.stdout.write(
            f"{due['tasks']} task notices for {due['users']} users, {due['sent']} sent"
        )
        if weekly:
            w = result["weekly"]
            self.stdout.write(
                f"weekly summaries: {w['sent']} sent to {w['offices']} reform offices"
            )
