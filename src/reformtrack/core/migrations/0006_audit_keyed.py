"""Keyed audit chain: records carry the key id and algorithm they were hashed with, and the
approval a change was applied on. Existing records are marked with the legacy key id, so they
keep verifying with the old unkeyed SHA-256 (see core.audit_hash); adding a column with a default
rewrites no row, so PostgreSQL's append-only trigger is not involved."""

from django.db import migrations, models


def mark_legacy_head(apps, schema_editor):
    """A chain that already has records was made without a key: the first keyed record that
    follows is preceded by a key-rotation record (legacy -> the new key)."""
    head = apps.get_model("core", "AuditChainHead")
    head.objects.filter(last_seq__gt=0).update(last_key_id="legacy")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="last_key_id",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.AddField(
            model_name="auditrecord",
            name="algorithm",
            field=models.CharField(default="sha256", max_length=16, verbose_name="algorithm"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditrecord",
            name="key_id",
            field=models.CharField(default="legacy", max_length=32, verbose_name="key"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditrecord",
            name="on_approval",
            field=models.JSONField(blank=True, null=True, verbose_name="on approval"),
        ),
        migrations.AlterField(
            model_name="auditrecord",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("delete", "Deleted"),
                    ("move", "Moved"),
                    ("login", "Logged in"),
                    ("logout", "Logged out"),
                    ("login_failed", "Login failed"),
                    ("otp_failed", "Second factor failed"),
                    ("approval", "Approval step"),
                    ("security", "Security event"),
                    ("key_rotation", "Audit key rotated"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.RunPython(mark_legacy_head, migrations.RunPython.noop),
    ]
