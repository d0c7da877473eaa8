"""Multiples (倍, "1.4 times") as extracted items: a choice of Extraction.kind."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_spun_learning")]

    operations = [
        migrations.AlterField(
            model_name="extraction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("organisation", "organisation"),
                    ("programme", "programme"),
                    ("person", "person"),
                    ("rating", "rating"),
                    ("percent", "percentage"),
                    ("count", "count"),
                    ("money", "money"),
                    ("target", "target"),
                    ("multiple", "multiple"),
                ],
                db_index=True,
                max_length=16,
                verbose_name="kind",
            ),
        ),
    ]
