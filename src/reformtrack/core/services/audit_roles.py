"""PostgreSQL's owner/app role split for the audit table. Run by the owner (who ran the
migrations): the application role may read and append audit records but not change, delete or
TRUNCATE them, nor disable the append-only trigger (ALTER TABLE needs ownership)."""

from __future__ import annotations

from django.db import connection, transaction
from psycopg import sql

AUDIT_TABLE = "core_auditrecord"


def _one(cursor, query, *params):
    cursor.execute(query, params)
    row = cursor.fetchone()
    return row[0] if row else None


def harden(*, app_role: str) -> dict:
    """Grant `app_role` ordinary data access to every table, only SELECT/INSERT on the audit
    table, and nothing that changes the schema; refuse a role that could undo it."""
    if connection.vendor != "postgresql":
        raise ValueError("audit harden is for PostgreSQL; SQLite has no roles.")
    with transaction.atomic(), connection.cursor() as cursor:
        owner = _one(cursor, "SELECT tableowner FROM pg_tables WHERE tablename = %s", AUDIT_TABLE)
        me = _one(cursor, "SELECT current_user")
        is_super = _one(cursor, "SELECT rolsuper FROM pg_roles WHERE rolname = %s", app_role)
        if is_super is None:
            raise ValueError(f"There is no database role {app_role}.")
        if is_super or app_role == owner:
            raise ValueError(
                f"{app_role} owns the audit table or is a superuser: use another role."
            )
        if _one(cursor, "SELECT pg_has_role(%s, %s, 'MEMBER')", app_role, owner):
            raise ValueError(f"{app_role} is a member of the owner role {owner}: use another role.")
        if me != owner and not _one(cursor, "SELECT rolsuper FROM pg_roles WHERE rolname = %s", me):
            raise ValueError(f"Run this as the owner of the audit table ({owner}), not {me}.")
        role, owner_id = sql.Identifier(app_role), sql.Identifier(owner)
        statements = [
            "GRANT USAGE ON SCHEMA public TO {role}",
            "REVOKE CREATE ON SCHEMA public FROM {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
            "REVOKE ALL ON {table} FROM PUBLIC",
            "REVOKE ALL ON {table} FROM {role}",
            "GRANT SELECT, INSERT ON {table} TO {role}",
            # Tables made by later migrations (run by the owner) get the same ordinary grants.
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            "GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        ]
        for statement in statements:
            cursor.execute(
                sql.SQL(statement).format(
                    role=role, owner=owner_id, table=sql.Identifier(AUDIT_TABLE)
                )
            )
    return {"app_role": app_role, "owner": owner, "audit_table": AUDIT_TABLE}
