# Placeholder: filled by the change that owns it (operations written by hand or by makemigrations).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programs", "0013_task_update")]

    operations = []
