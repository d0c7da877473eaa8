from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programs", "0009_ledger_import_batches")]

    operations = [
        # Coverage rates read only a subtree's coverage rows, from the index alone.
        migrations.AddIndex(
            model_name="ledgertask",
            index=models.Index(
                fields=["programme", "parent", "kind", "org_path", "template", "status"],
                name="ledger_coverage",
                opclasses=[
                    "int8_ops",
                    "int8_ops",
                    "text_ops",
                    "varchar_pattern_ops",
                    "int8_ops",
                    "text_ops",
                ],
            ),  # fmt: skip
        ),
    ]
