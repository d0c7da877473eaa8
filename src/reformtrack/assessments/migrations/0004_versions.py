# Optimistic locking: a version on every row whose edit must not overwrite a newer one.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_capitalised_choices")]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="score",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
    ]
