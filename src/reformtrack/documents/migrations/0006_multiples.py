"""Placeholder: multiples (倍, "1.4 times") as extracted items (filled by the owner or removed)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_spun_learning")]

    operations = []
