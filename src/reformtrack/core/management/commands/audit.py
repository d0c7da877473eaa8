"""`reformtrack audit verify|list`: check the hash chain, or read recent records."""

from ...selectors.audit import audit_records, verify_chain
from ..base import CommandError, ReformtrackCommand


class Command(ReformtrackCommand):
    help = "Audit trail: 'verify' recomputes the hash chain; 'list' prints recent records."
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        verify = sub.add_parser("verify", help="recompute the chain; name the first bad record")
        verify.add_argument("--json", action="store_true")
        listing = sub.add_parser("list", help="the newest records")
        listing.add_argument("--limit", type=int, default=20)
        listing.add_argument("--json", action="store_true")

    def handle(self, *args, sub, **options):
        if sub == "verify":
            return self.verify(options["json"])
        return self.list(options["limit"], options["json"])

    def verify(self, as_json):
        total = audit_records().count()
        with self.progress(total, "verify", as_json) as bar:
            report = verify_chain(progress=bar.update)
        if as_json:
            self.emit_json(report.as_dict())
        elif report.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {report.checked} records, chain intact."))
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at record {report.first_bad_seq}: {report.reason}"
            )

    def list(self, limit, as_json):
        fields = ("seq", "at", "actor_username", "ip", "action", "object_type", "object_repr")
        rows = list(audit_records().values(*fields)[:limit])
        if as_json:
            self.emit_json(rows)
            return
        for row in rows:
            self.stdout.write(
                "{seq:>6} {at:%Y-%m-%d %H:%M:%S} {actor_username:<16} {action:<12} "
                "{object_type} {object_repr}".format(**row)
            )
