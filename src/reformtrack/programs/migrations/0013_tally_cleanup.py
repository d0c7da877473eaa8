"""Placeholder: tally tables' shared base and index clean-up (filled by the owner or removed)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programs", "0012_rollup_counts")]

    operations = []
