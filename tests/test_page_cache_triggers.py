"""The data version's triggers (core/models/data_version.py): every business table has them,
so a new model cannot be forgotten; a committed write changes the version, a rolled-back one
does not, and tables no page is drawn from (sessions, the job queue) leave it alone."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction

from reformtrack.core.models.data_version import (
    UNTRACKED_APPS,
    UNTRACKED_TABLES,
    tables_with_trigger,
    tracked_tables,
)
from reformtrack.core.page_cache import data_version
from reformtrack.orgs.models import Organisation

# Autocommit, as a server runs: on PostgreSQL a transaction that has written reads no version.
pytestmark = pytest.mark.django_db(transaction=True)


def test_every_business_table_has_the_trigger():
    """Listed from the app registry: a model added later gets its table's triggers after
    `migrate`; this fails if one is missing."""
    tables = tracked_tables(apps)
    assert "programs_ledgertask" in tables and "orgs_roleassignment" in tables
    assert "core_user_groups" in tables  # many-to-many tables too
    missing = sorted(set(tables) - tables_with_trigger(connection))
    assert missing == []


def test_only_tables_no_page_reads_are_untracked():
    assert {"sessions", "axes", "django_tasks_database"} == UNTRACKED_APPS
    assert {"core_dataversion", "core_job"} == UNTRACKED_TABLES


def test_a_committed_write_changes_the_version(tree):
    before = data_version()
    Organisation.objects.filter(pk=tree["A-SUB"].pk).update(name_zh="改名")
    assert data_version() not in (None, before)


def test_a_rolled_back_write_leaves_it(tree):
    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Organisation.objects.filter(pk=tree["A-SUB"].pk).update(name_zh="不算")
        raise RuntimeError
    assert data_version() == before


def test_no_version_is_read_inside_a_transaction(tree):
    """What a transaction sees may be its own uncommitted writes: nothing of it is kept."""
    assert data_version() is not None
    with transaction.atomic():
        assert data_version() is None


def test_a_session_write_leaves_it():
    before = data_version()
    session = SessionStore()
    session["x"] = 1
    session.save()
    assert data_version() == before


def test_postgresql_bumps_once_per_statement_at_commit(tree):
    """A bulk update of many rows is one bump (a statement trigger); a transaction that has
    written reads no version until it commits (nothing it sees before is kept)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has row triggers only")
    before = data_version()
    Organisation.objects.update(name_en="All")  # seven rows, one statement
    after = data_version()
    assert after not in (None, before)
    with transaction.atomic():
        Organisation.objects.update(name_en="Again")
        Organisation.objects.update(name_zh="再次")
        assert data_version() is None
        with connection.cursor() as cursor:  # the transaction is noted once, not per row
            cursor.execute("SELECT count(*) FROM core_dataversion_pending")
            assert cursor.fetchone() == (1,)
    assert data_version() not in (None, before, after)
    with connection.cursor() as cursor:  # the note is gone with the commit
        cursor.execute("SELECT count(*) FROM core_dataversion_pending")
        assert cursor.fetchone() == (0,)
