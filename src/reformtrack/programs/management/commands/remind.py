"""`reformtrack remind`: in-app notices and e-mail for due and overdue tasks (run it from cron)."""

from reformtrack.core.management.base import ReformtrackCommand

from ...services.reminders import remind_due, weekly_summary


class Command(ReformtrackCommand):
    help = "Notify reporting users of tasks due within N days and overdue; --weekly: summaries."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--days", type=int, default=7, help="due within this many days")
        parser.add_argument(
            "--weekly", action="store_true", help="also send each reform office its summary"
        )

    def handle(self, *args, days, weekly, **options):
        result = {"due": remind_due(days=days)}
        if weekly:
            result["weekly"] = weekly_summary()
        if options["json"]:
            self.emit_json(result)
            return
        due = result["due"]
        self.stdout.write(
            f"{due['tasks']} task notices for {due['users']} users, {due['sent']} sent"
        )
        if weekly:
            w = result["weekly"]
            self.stdout.write(
                f"weekly summaries: {w['sent']} sent to {w['offices']} reform offices"
            )
