"""Roll-up tallies on writes: a task update adds its change to every ancestor's tally in a
constant number of statements (the same at depth 2 and 4), and what writes keep equals a
set-based rebuild from the tasks."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reformtrack.programs.models import LedgerTally
from reformtrack.programs.services import tallies
from reformtrack.programs.services.tasks import update_task


def stored(programme) -> list[tuple]:
    fields = ["org_path", "area_id", "subtree", *tallies.TALLY_FIELDS]
    rows = LedgerTally.objects.filter(programme=programme).values_list(*fields)
    return sorted((*r[:3], *(Decimal(v) for v in r[3:])) for r in rows)


def queries_of_update(user, task, weight) -> int:
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        update_task(user=user, task=task, weight=weight)
    return len(captured.captured_queries)


def test_an_update_costs_the_same_queries_at_any_depth(programme, people, task_of):
    admin = people["supervisor_admin"]
    shallow, deep = task_of("M-2", "GROUP-A"), task_of("M-1", "A-SUB2")
    assert len(deep.org_path) == 2 * len(shallow.org_path)  # four levels down against two
    queries_of_update(admin, shallow, Decimal(3))  # warm-up: caches, first rows
    queries_of_update(admin, deep, Decimal(3))
    assert queries_of_update(admin, shallow, Decimal(2)) == queries_of_update(
        admin, deep, Decimal(2)
    )


def test_kept_tallies_equal_a_rebuild(programme, people, task_of):
    admin = people["supervisor_admin"]
    update_task(user=admin, task=task_of("M-1", "A-SUB2"), weight=Decimal("2.5"))
    update_task(user=admin, task=task_of("M-2", "GROUP-A"), weight=Decimal("0.5"))
    update_task(user=admin, task=task_of("M-1", "A-SUB2"), is_main=False)
    kept = stored(programme)
    sasac = [r for r in kept if r[0] == task_of("M-2", "GROUP-A").org_path[:5] and r[2]]
    assert sasac and sum(r[3 + tallies.TALLY_FIELDS.index("weight")] for r in sasac) > 0
    tallies.rebuild(programme)
    assert stored(programme) == kept
