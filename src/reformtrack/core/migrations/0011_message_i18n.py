"""Approval and notice titles kept as a message id with parameters, shown in the reader's language.

The text column stays as it is (renamed in the model only, db_column="title"): rows written
before keep their text and are shown as stored; new rows also carry `title_message`.
"""

from django.db import migrations, models


def _rename_in_state(model: str) -> list:
    return [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RenameField(model_name=model, old_name="title", new_name="stored_title"),
                migrations.AlterField(
                    model_name=model,
                    name="stored_title",
                    field=models.CharField(db_column="title", max_length=300, verbose_name="title"),
                ),
            ],
        ),
        migrations.AddField(
            model_name=model,
            name="title_message",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [("core", "0010_saved_views")]

    operations = [*_rename_in_state("approvalrequest"), *_rename_in_state("notification")]
