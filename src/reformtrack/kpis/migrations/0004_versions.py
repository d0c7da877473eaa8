# Optimistic locking: a version on every row whose edit must not overwrite a newer one.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("kpis", "0003_statement_line_signed")]

    operations = [
        migrations.AddField(
            model_name="kpitarget",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="statement",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
    ]
