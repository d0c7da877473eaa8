"""Stored coverage counts per programme task (CoverageTally), filled from the ledger in a few
set-based statements, and the index of the overdue list (ledger_overdue)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_coverage(apps, schema_editor):
    """Own rows: one INSERT … SELECT grouping the coverage tasks; subtree rows: one INSERT …
    SELECT per tree depth summing the own rows below each organisation (as `tallies.rebuild`)."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    tally = quote(apps.get_model("programs", "CoverageTally")._meta.db_table)
    task = quote(apps.get_model("programs", "LedgerTask")._meta.db_table)
    org = quote(apps.get_model("orgs", "Organisation")._meta.db_table)
    columns = (
        "programme_id, organisation_id, org_path, depth, template_id, subtree, applicable, done"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tally} ({columns}) "
            "SELECT t.programme_id, t.organisation_id, o.path, o.depth, t.template_id, %s, "
            "COUNT(*), SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END) "
            f"FROM {task} t JOIN {org} o ON o.id = t.organisation_id "
            "WHERE t.parent_id IS NULL AND t.kind = 'coverage' AND t.template_id IS NOT NULL "
            "GROUP BY t.programme_id, t.organisation_id, o.path, o.depth, t.template_id",
            [False],
        )
        cursor.execute(f"SELECT MAX(depth), MIN(LENGTH(path) / depth) FROM {org}")
        deepest, step = cursor.fetchone()
        for depth in range(1, (deepest or 0) + 1):
            cursor.execute(
                f"INSERT INTO {tally} ({columns}) "
                "SELECT own.programme_id, o.id, o.path, o.depth, own.template_id, %s, "
                f"SUM(own.applicable), SUM(own.done) FROM {tally} own "
                f"JOIN {org} o ON o.path = SUBSTR(own.org_path, 1, %s) "
                "WHERE own.subtree = %s AND own.depth >= %s "
                "GROUP BY own.programme_id, o.id, o.path, o.depth, own.template_id",
                [True, depth * step, False, depth],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_hr_role"),
        ("programs", "0011_page_speed"),
    ]

    operations = [
        migrations.CreateModel(
            name="CoverageTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("org_path", models.CharField(max_length=255)),
                ("depth", models.PositiveSmallIntegerField()),
                ("subtree", models.BooleanField(default=False)),
                ("applicable", models.IntegerField(default=0)),
                ("done", models.IntegerField(default=0)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.organisation",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.programme",
                    ),
                ),
                (
                    "template",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.tasktemplate",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["programme", "subtree", "depth", "org_path"],
                        name="coverage_subtree",
                        opclasses=["int8_ops", "bool_ops", "int2_ops", "varchar_pattern_ops"],
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("programme", "subtree", "organisation", "template"),
                        name="one_coverage_per_org_template",
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="ledgertask",
            index=models.Index(
                fields=["programme", "parent", "status", "deadline", "code", "org_path"],
                include=("id",),
                name="ledger_overdue",
            ),
        ),
        migrations.RunPython(fill_coverage, migrations.RunPython.noop, elidable=True),
    ]
