"""The ledger's coverage index goes: coverage rates read the stored CoverageTally rows, and
no page, API or roll-up query plans with it any more on SQLite or PostgreSQL (checked with
EXPLAIN at national scale); only the tally rebuild job's coverage read used it on SQLite
(about 1 s of CPU more without it, in a job of over a minute), while every task written or
changing status kept it up to date."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programs", "0012_rollup_counts")]

    operations = [migrations.RemoveIndex(model_name="ledgertask", name="ledger_coverage")]
