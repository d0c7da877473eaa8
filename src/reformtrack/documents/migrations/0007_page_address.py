"""A document's page address: the URL it was fetched from (its date serves when the text states
none; shown as a link to the original)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_multiples")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="address",
            field=models.URLField(blank=True, max_length=2000, verbose_name="page address"),
        ),
    ]
