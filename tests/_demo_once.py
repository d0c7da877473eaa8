"""The demo loaded once for a group of tests instead of once per test (the whole demo costs
seconds of CPU per load, twice in `make test`): inside a transaction rolled back when the group
ends, so the database is as the next tests expect it, migration rows included. Each test runs in
a savepoint inside it (pytest-django's `db`), so what one test writes the next does not see.

The files the demo writes (media, the audit keyring that signs its audit rows) go to a folder
of the group's own; conftest's `_media_in_tmp` gives each test a copy of it."""

from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

# Folders whose media/ and audit/ each test starts from (the innermost group's last).
SEEDS: list[Path] = []


@contextmanager
def demo_once(django_db_blocker, folder: Path, *args: str, **overrides):
    """Yields the demo command's output (`args` as on the command line); `overrides` are
    settings the load and the group's tests share. Use from a class- or module-scoped fixture
    that also requests `django_db_setup`, and request `db` in each test."""

    def load() -> str:
        out = io.StringIO()
        call_command("demo", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    with built_once(django_db_blocker, folder, load, **overrides) as output:
        yield output


@contextmanager
def built_once(django_db_blocker, folder: Path, build, **overrides):
    """The same for any slow set-up: yields `build()`'s result, its rows kept for the group's
    tests and rolled back after them (e.g. documents ingested once for a module's briefs)."""
    settings = override_settings(
        MEDIA_ROOT=folder / "media",
        REFORMTRACK_AUDIT_DIR=folder / "audit",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        **overrides,
    )
    settings.enable()
    outer = transaction.atomic()
    try:
        with django_db_blocker.unblock():
            outer.__enter__()
        SEEDS.append(folder)
        try:
            with django_db_blocker.unblock():
                result = build()
            yield result
        finally:
            SEEDS.remove(folder)
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
    finally:
        settings.disable()
