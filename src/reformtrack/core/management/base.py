"""Shared pieces of `reformtrack …` commands: --json output, progress bars, the acting user."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ..audit_hash import to_json_value


class ReformtrackCommand(BaseCommand):
    json_option = True
    # No system checks before each command: they import every URL module (and through the
    # views every heavy library), seconds before any work. `reformtrack check` still runs them.
    requires_system_checks = []

    def add_arguments(self, parser):
        if self.json_option:
            parser.add_argument("--json", action="store_true", help="machine-readable output")

    def emit_json(self, data) -> None:
        self.stdout.write(json.dumps(to_json_value(data), ensure_ascii=False, indent=2))

    def progress(self, total: int | None, desc: str, json_mode: bool = False):
        """A progress bar on stderr, silent when output is JSON or stderr is not a terminal."""
        return tqdm(total=total, desc=desc, disable=json_mode or not sys.stderr.isatty())

    def acting_user(self, username: str | None):
        """The user a command acts for (`--user`), or None: the operator, unscoped."""
        if not username:
            return None
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username}.")
        return user


__all__ = ["CommandError", "ReformtrackCommand"]
