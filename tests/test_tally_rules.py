"""The counting rules are defined once (`counting.aggregates`): a task edited in place counts
itself by evaluating the same expressions in Python (`tallies.task_counts`), and for every
status, main flag, weight and percent that gives what the database's grouped read of the task
alone gives, in both tables (the roll-up's and coverage's)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from reformtrack.programs.choices import TaskStatus
from reformtrack.programs.counting import TALLY_FIELDS, aggregates, tally_of
from reformtrack.programs.models import LedgerTask
from reformtrack.programs.services import tallies

FIGURES = [(Decimal("2.75"), Decimal("30.5")), (Decimal(0), Decimal(100))]


def counted_by_the_database(task: LedgerTask) -> dict:
    """The task's counts as the grouped read (`_own_counts`) finds them, per table."""
    row = LedgerTask.objects.filter(pk=task.pk).aggregate(**aggregates(None))
    tally = tally_of(row)
    found = {tallies.LEDGER: tallies.LEDGER.clean(getattr(tally, n) for n in TALLY_FIELDS)}
    if task.kind == "coverage" and task.template_id is not None:
        found[tallies.COVERAGE] = (tally.tasks, tally.done)
    return found


def test_a_task_counts_itself_as_the_database_counts_it(programme):
    for code in ("M-1-A-SUB2", "M-2-GROUP-A"):  # a coverage task and a one-off task
        pk = LedgerTask.objects.get(programme=programme, code=code).pk
        for status, main, (weight, percent) in itertools.product(
            TaskStatus.values, (True, False), FIGURES
        ):
            LedgerTask.objects.filter(pk=pk).update(
                status=status, is_main=main, weight=weight, percent=percent
            )
            task = LedgerTask.objects.get(pk=pk)
            expected = counted_by_the_database(task)
            assert tallies.task_counts(task) == expected, (code, status, main, weight)
            stored = LedgerTask.objects.values().get(pk=pk)  # the locked row's columns
            assert tallies.task_counts(stored) == expected


def test_a_value_the_rules_cannot_compare_is_left_to_the_database(programme):
    """A NULL where a rule compares (SQL's three-valued logic) is not guessed in Python: the
    edit recounts its organisation instead (`task_changed` falls back)."""
    stored = LedgerTask.objects.values().get(programme=programme, code="M-2-GROUP-A")
    with pytest.raises(tallies.Unreadable):
        tallies.task_counts({**stored, "status": None})
