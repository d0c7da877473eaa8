"""PostgreSQL refuses UPDATE and DELETE of audit records itself, whatever client sends them.

The ORM refuses them too (core.models.audit); this covers psql, other programs and raw SQL. A
database owner can still disable the trigger: `reformtrack audit verify` then names the damage.
SQLite has no roles and Django's test flush deletes rows, so there the ORM guard alone applies.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION reformtrack_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only (%% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON core_auditrecord
    FOR EACH ROW EXECUTE FUNCTION reformtrack_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditrecord_append_only ON core_auditrecord;
DROP FUNCTION IF EXISTS reformtrack_audit_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_library")]

    operations = [migrations.RunPython(create, drop)]
