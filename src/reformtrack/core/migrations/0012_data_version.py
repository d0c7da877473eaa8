"""Placeholder: the data version bumped by every write (page-cache helper fills it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0011_message_i18n")]

    operations = []
