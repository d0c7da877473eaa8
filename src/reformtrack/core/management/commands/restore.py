"""`reformtrack restore FILE [--force]`: checks the archive against its manifest and brings
the database, media and data files back onto an empty install."""

from pathlib import Path

from ...backup import BackupError, restore_backup
from ...backup.restore import member_count
from ..base import CommandError, ReformtrackCommand


class Command(ReformtrackCommand):
    help = (
        "Restore a backup archive onto an empty install (checksums checked first); --force "
        "replaces an install that already holds data (SQLite; PostgreSQL needs an empty "
        "database)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace the data of a non-empty install"
        )

    def handle(self, *args, archive, force, json, **options):
        try:
            with self.progress(member_count(archive), "restore", json) as bar:
                info = restore_backup(archive, force=force, progress=lambda _n: bar.update())
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        summary = {
            "archive": str(archive),
            "database": info["database"]["engine"],
            "backed_up_at": info["created_at"],
            "app_version": info["app_version"],
            **info["restored"],
            "with_keys": info["with_keys"],
        }
        if json:
            return self.emit_json(summary)
        self.stdout.write(
            f"Restored {summary['rows']} rows in {summary['tables']} tables and "
            f"{summary['files']} files from the backup of {summary['backed_up_at']}."
        )
        if info.get("keys_left_out"):
            self.stdout.write(
                f"The archive has no keys; put back {', '.join(info['keys_left_out'])} (or set "
                "REFORMTRACK_AUDIT_KEY / REFORMTRACK_PAY_KEY) before using the install."
            )
        if summary["database"] == "postgresql":
            self.stdout.write(
                "PostgreSQL: objects now belong to the restoring role; run "
                "`reformtrack audit harden --app-role …` again for the owner/app role split."
            )
