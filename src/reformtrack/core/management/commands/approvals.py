"""`reformtrack approvals chase [--days N] [--json]`: remind deciders of approvals waiting too
long (run it from cron; a second run the same day sends nothing again)."""

from ...services.approvals import chase
from ..base import ReformtrackCommand


class Command(ReformtrackCommand):
    help = "Approvals: 'chase' reminds the deciders of requests waiting longer than N days."
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        chasing = sub.add_parser("chase", help="one reminder per waiting request per day")
        chasing.add_argument(
            "--days",
            type=int,
            default=None,
            help="waiting longer than this (default: REFORMTRACK_APPROVAL_CHASE_DAYS, 3)",
        )
        chasing.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, sub, **options):
        result = chase(days=options["days"])
        if options["json"]:
            self.emit_json(result)
            return
        self.stdout.write(
            f"{result['waiting']} approvals chased, {result['notices']} reminders sent, "
            f"{result['blocked']} blocked (shown to the level above)"
        )
