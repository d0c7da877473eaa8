"""`reformtrack audit verify|list|rotate-key|archive|harden`: check the chain against its
checkpoints, read recent records, rotate the key, archive old records, lock down PostgreSQL."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ...audit_anchor import write_checkpoint
from ...audit_keys import AuditKeyError
from ...selectors.audit import audit_records, verify_archive, verify_chain
from ...services import audit as audit_services
from ...services.audit_archive import archive_records
from ...services.audit_roles import harden
from ..base import CommandError, ReformtrackCommand


class Command(ReformtrackCommand):
    help = (
        "Audit trail: 'verify' checks the chain and anchors it; 'list' prints recent records; "
        "'rotate-key' starts a new key; 'archive' copies old records off-site; 'harden' sets up "
        "PostgreSQL's owner/app role split."
    )
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        verify = sub.add_parser(
            "verify", help="recompute the chain, compare the newest checkpoint, write a new one"
        )
        verify.add_argument("--archive", type=Path, help="check an archive file instead")
        verify.add_argument("--json", action="store_true")
        listing = sub.add_parser("list", help="the newest records")
        listing.add_argument("--limit", type=int, default=20)
        listing.add_argument("--json", action="store_true")
        rotate = sub.add_parser("rotate-key", help="a new key for new records; old ones stay")
        rotate.add_argument("--json", action="store_true")
        archive = sub.add_parser("archive", help="write records older than retention to a file")
        archive.add_argument("--before", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        archive.add_argument("-o", "--output", type=Path, required=True)
        archive.add_argument("--json", action="store_true")
        hard = sub.add_parser("harden", help="PostgreSQL: app role gets no TRUNCATE/ALTER on audit")
        hard.add_argument("--app-role", required=True)
        hard.add_argument("--json", action="store_true")

    def handle(self, *args, sub, **options):
        as_json = options["json"]
        try:
            if sub == "verify":
                return self.verify(as_json, options["archive"])
            if sub == "rotate-key":
                return self.rotate(as_json)
            if sub == "archive":
                return self.archive(options["before"], options["output"], as_json)
            if sub == "harden":
                return self.harden(options["app_role"], as_json)
        except (AuditKeyError, ValueError, OSError) as error:
            raise CommandError(str(error)) from error
        return self.list(options["limit"], as_json)

    def verify(self, as_json, archive):
        if archive is not None:
            report = verify_archive(archive)
        else:
            total = audit_records().count()
            with self.progress(total, "verify", as_json) as bar:
                report = verify_chain(progress=bar.update)
            if report.ok and report.checked:  # anchor what was just found intact
                write_checkpoint(seq=report.checked, hash=report.last_hash, count=report.checked)
        if as_json:
            self.emit_json(report.as_dict())
        elif report.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {report.checked} records, chain intact."))
        if not report.ok:
            where = f" at record {report.first_bad_seq}" if report.first_bad_seq else ""
            raise CommandError(f"Audit chain broken{where}: {report.reason}")

    def rotate(self, as_json):
        entry = audit_services.rotate_key()
        if as_json:
            self.emit_json({"seq": entry.seq, **entry.changes})
        else:
            self.stdout.write(
                f"New audit key {entry.changes['to']} (was {entry.changes['from']}); "
                f"recorded as #{entry.seq}."
            )

    def archive(self, before, output, as_json):
        cutoff = timezone.localdate() - dt.timedelta(days=settings.REFORMTRACK_AUDIT_RETENTION_DAYS)
        before = before or cutoff
        if before > cutoff:
            raise CommandError(
                f"Records of the last {settings.REFORMTRACK_AUDIT_RETENTION_DAYS} days are kept "
                f"in the database only; choose --before {cutoff.isoformat()} or earlier."
            )
        summary = archive_records(before=before, path=output)
        if as_json:
            self.emit_json(summary)
        else:
            self.stdout.write(
                f"Archived {summary['count']} records (#1 to #{summary['last_seq']}) to {output}."
            )

    def harden(self, app_role, as_json):
        done = harden(app_role=app_role)
        if as_json:
            self.emit_json(done)
        else:
            self.stdout.write(
                f"{app_role}: SELECT/INSERT only on the audit table (owner {done['owner']})."
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
