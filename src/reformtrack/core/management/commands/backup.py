"""`reformtrack backup -o FILE [--with-keys]`: one archive with a consistent database snapshot,
the media, the data folder (audit anchors) and a manifest of checksums."""

from pathlib import Path

from ...backup import BackupError, create_backup
from ...backup.archive import count
from ..base import CommandError, ReformtrackCommand


class Command(ReformtrackCommand):
    help = (
        "Write a backup archive (tar.gz): database snapshot, media, data folder and a manifest "
        "with SHA-256 checksums. The audit key is left out unless --with-keys."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("-o", "--output", type=Path, required=True, help="archive to write")
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help="include the key files (audit.key, pay.key, secret.key): whoever holds the "
            "archive can then re-sign the audit chain and read pay, so keep it as safe as them",
        )

    def handle(self, *args, output, with_keys, json, **options):
        total = count(with_keys=with_keys, output=output)
        try:
            with self.progress(total, "backup", json) as bar:
                info = create_backup(output, with_keys=with_keys, progress=lambda _n: bar.update())
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        summary = {
            "archive": info["archive"]["path"],
            "bytes": info["archive"]["bytes"],
            "database": info["database"]["engine"],
            "members": len(info["members"]),
            "tables": len(info["rows"]),
            "rows": sum(info["rows"].values()),
            "with_keys": with_keys,
            "keys_left_out": info["keys_left_out"],
            "app_version": info["app_version"],
            "created_at": info["created_at"],
        }
        if json:
            return self.emit_json(summary)
        self.stdout.write(
            f"Backup written to {summary['archive']} ({summary['bytes']} bytes): "
            f"{summary['database']} database, {summary['rows']} rows in {summary['tables']} "
            f"tables, {summary['members'] - 1} files."
        )
        if with_keys:
            self.stdout.write(
                "The archive contains the audit key: store it as safely as the key itself."
            )
        elif info["keys_left_out"]:
            self.stdout.write(
                f"Keys not in the archive (--with-keys adds them): "
                f"{', '.join(info['keys_left_out'])}. Keep copies apart: without audit.key (or "
                "REFORMTRACK_AUDIT_KEY) `audit verify` cannot check the restored chain, without "
                "pay.key (or REFORMTRACK_PAY_KEY) encrypted pay fields cannot be read."
            )
