"""The data version: one number the database itself changes on every committed write to the
tables a page is drawn from, whoever writes (the ORM, a bulk `update()`, raw SQL, psql, another
program). The page cache (core/page_cache.py) keys pages by it, so a write can never leave a
cached page behind: the next read has a new key.

Triggers do the changing, installed on every table of the app registry except `UNTRACKED`
(migration core 0012, and again after every `migrate` and test flush for tables added later):
- SQLite: row triggers (the only kind) set the value to `random()` inside the writing
  transaction, so it commits (or rolls back) with the write, and a rolled-back value is never
  seen again.
- PostgreSQL: a statement trigger (one per statement, however many rows) notes the transaction
  in `core_dataversion_pending`; a deferred constraint trigger on that note sets a new random
  value at commit. The shared row is locked only at commit, so concurrent writers never wait on
  it mid-transaction, nor deadlock over it.
Random values, not a counter: a restored backup (by `reformtrack restore` or by hand) brings
back its own value, which keyed only pages drawn from that same data, and the next write draws
a value no earlier state had (a counter would restart from the backup's and reuse values).
"""

from __future__ import annotations

from django.db import connections, models
from django.db.models.signals import post_migrate

ROW = 1
# Tables no page is drawn from, or written on every sign-in or by the queue: a write to them
# leaves the version alone. A page that shows any of them must not be cached.
UNTRACKED_APPS = {
    "sessions",  # the session rows (a sign-in, a sign-out)
    "axes",  # sign-in attempts and their log
    "django_tasks_database",  # the job queue (workers poll and claim)
}
UNTRACKED_TABLES = {
    "core_dataversion",  # the version itself
    "core_job",  # a job's progress, shown only on the job's page (not cached)
}


class DataVersion(models.Model):
    """One row (id 1): the value changes with every committed write to a tracked table."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=ROW)
    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "core_dataversion"

    def __str__(self) -> str:
        return str(self.value)


def tracked_tables(registry) -> list[str]:
    """The tables of every concrete model (many-to-many tables included) outside UNTRACKED."""
    found = set()
    for model in registry.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in UNTRACKED_APPS:
            continue
        if meta.db_table not in UNTRACKED_TABLES:
            found.add(meta.db_table)
    return sorted(found)


SQLITE_TRIGGER = (
    'CREATE TRIGGER IF NOT EXISTS "data_version_{table}_{op}" AFTER {op} ON "{table}" '
    "BEGIN UPDATE core_dataversion SET value = random() WHERE id = 1; END"
)
PG_RANDOM = "(floor((random() - 0.5) * 9.2e18))::bigint"
PG_SETUP = f"""
CREATE TABLE IF NOT EXISTS core_dataversion_pending (txid bigint PRIMARY KEY);
CREATE OR REPLACE FUNCTION core_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_dataversion_pending (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION core_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM core_dataversion_pending WHERE txid = NEW.txid;
    UPDATE core_dataversion SET value = {PG_RANDOM} WHERE id = 1;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS core_data_version_bump ON core_dataversion_pending;
CREATE CONSTRAINT TRIGGER core_data_version_bump AFTER INSERT ON core_dataversion_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION core_data_version_bump();
"""
PG_TRIGGER = (
    'CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
    "FOR EACH STATEMENT EXECUTE FUNCTION core_data_changed()"
)
PG_TEARDOWN = """
DROP TABLE IF EXISTS core_dataversion_pending;
DROP FUNCTION IF EXISTS core_data_version_bump();
DROP FUNCTION IF EXISTS core_data_changed() CASCADE;
DROP SEQUENCE IF EXISTS core_dataversion_seq;
"""
SQLITE_OPS = ("INSERT", "UPDATE", "DELETE")


def tables_with_trigger(connection) -> set[str]:
    """The tables that already carry the data-version trigger(s)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'data_version'"
            )
            return {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'data_version_%' GROUP BY tbl_name"
        )
        return {name for name, count in cursor.fetchall() if count == len(SQLITE_OPS)}


def install(connection, tables) -> int:
    """Adds the triggers to those of `tables` that exist and lack them, and the version row if
    it is missing (a flush empties it). Idempotent; returns how many tables it changed."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return 0
    existing = set(connection.introspection.table_names())
    if "core_dataversion" not in existing:
        return 0
    missing = [t for t in tables if t in existing and t not in tables_with_trigger(connection)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_SETUP)
            for table in missing:
                cursor.execute(PG_TRIGGER.format(table=table))
            cursor.execute(
                "INSERT INTO core_dataversion (id, value) "
                f"VALUES (1, {PG_RANDOM}) ON CONFLICT (id) DO NOTHING"
            )
        else:
            for table in missing:
                for op in SQLITE_OPS:
                    cursor.execute(SQLITE_TRIGGER.format(table=table, op=op))
            cursor.execute(
                "INSERT OR IGNORE INTO core_dataversion (id, value) VALUES (1, random())"
            )
    return len(missing)


def uninstall(connection, tables) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER IF EXISTS data_version ON "{table}"')
            elif connection.vendor == "sqlite":
                for op in SQLITE_OPS:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "data_version_{table}_{op}"')
        if connection.vendor == "postgresql":
            cursor.execute(PG_TEARDOWN)


def _after_migrate(sender, using="default", apps=None, **kwargs) -> None:
    """After every `migrate` (and a test flush): triggers on tables added since, the row back."""
    if sender.label != "core":
        return
    from django.apps import apps as live

    install(connections[using], tracked_tables(live))


post_migrate.connect(_after_migrate, dispatch_uid="core-data-version-triggers")
