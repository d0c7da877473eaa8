"""Placeholder: a document's page address (filled by the owner or removed)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_multiples")]

    operations = []
