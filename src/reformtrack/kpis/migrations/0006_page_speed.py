# Placeholder: filled by the change that owns it (operations written by hand or by makemigrations).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("kpis", "0005_input_checks")]

    operations = []
