"""The data version (core/models/data_version.py): its one-row table, and triggers on every
business table, listed from the app registry, that change it on every committed write
(statement triggers on PostgreSQL, row triggers on SQLite). Tables that other apps' later
migrations create get theirs after `migrate` (the post_migrate receiver in the same module);
tests/test_page_cache_triggers.py fails if any business table lacks them."""

from django.db import migrations, models


def install(apps, schema_editor):
    from reformtrack.core.models.data_version import install as add_triggers
    from reformtrack.core.models.data_version import tracked_tables

    add_triggers(schema_editor.connection, tracked_tables(apps))


def uninstall(apps, schema_editor):
    from reformtrack.core.models.data_version import tracked_tables
    from reformtrack.core.models.data_version import uninstall as drop_triggers

    drop_triggers(schema_editor.connection, tracked_tables(apps))


class Migration(migrations.Migration):
    dependencies = [("core", "0011_message_i18n")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "core_dataversion"},
        ),
        migrations.RunPython(install, uninstall),
    ]
