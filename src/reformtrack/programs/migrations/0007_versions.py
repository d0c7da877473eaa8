# Optimistic locking: a version on every row whose edit must not overwrite a newer one.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_programme_provenance_en")]

    operations = [
        migrations.AddField(
            model_name="ledgertask",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="progressreport",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
    ]
