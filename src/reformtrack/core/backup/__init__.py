"""Backup and restore of a whole install (issue 16): one archive with a consistent database
snapshot, the media, the data folder (audit anchors; the audit key only when asked) and a
manifest of SHA-256 checksums. `reformtrack backup` / `reformtrack restore` call these."""

from .archive import create_backup
from .manifest import BackupError
from .restore import restore_backup

__all__ = ["BackupError", "create_backup", "restore_backup"]
