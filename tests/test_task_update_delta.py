"""A task edited in place adds its difference to the kept tallies (`tallies.task_changed`)
instead of recounting its organisation: after any sequence of edits — status, weight, percent,
main flag, deadline past or future, a coverage task done and undone, a measure's edit — the
kept LedgerTally and CoverageTally rows equal a rebuild from the tasks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reformtrack.programs.models import CoverageTally, Launch, LedgerTally, LedgerTask
from reformtrack.programs.selectors.ledger import task_page
from reformtrack.programs.services import tallies
from reformtrack.programs.services.tasks import add_measure, seed_progress_as_system, update_task

PAST, FUTURE = dt.date(2020, 1, 31), dt.date(2099, 12, 31)


LEADING = ("programme_id", "organisation_id", "org_path", "depth", "subtree")


def kept(programme) -> dict:
    """Every kept count of the programme, as plain sorted rows per table: (programme,
    organisation, org_path, depth, subtree, then the key and figures in the model's order)."""
    found = {}
    for model in (LedgerTally, CoverageTally):
        names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        names = [*LEADING, *(n for n in names if n not in LEADING)]
        rows = model.objects.filter(programme=programme).values_list(*names)
        found[model.__name__] = sorted(
            tuple(str(Decimal(v)) if isinstance(v, Decimal) else v for v in row) for row in rows
        )
    return found


def rebuilt(programme) -> dict:
    tallies.rebuild(programme)
    return kept(programme)


def edit(user, task, **change) -> list[str]:
    """One update as the page makes it; its SQL."""
    read = task_page(user, task.pk)
    with CaptureQueriesContext(connection) as captured:
        update_task(user=user, task=read, version=read.version, **change)
    return [q["sql"] for q in captured.captured_queries]


@pytest.fixture
def direct(programme, tree):
    """Direct entry for group A and its subsidiaries' tasks (launched to each), so progress is
    edited through the same service as the plan."""
    programme.direct_entry = True
    programme.save(update_fields=["direct_entry"])
    for code in ("GROUP-A", "A-SUB", "A-SUB2"):
        Launch.objects.create(programme=programme, organisation=tree[code])
    return programme


SEQUENCE = [
    # (programme task, organisation, change)
    ("M-1", "A-SUB2", {"status": "in_progress", "percent": Decimal("30.5")}),
    ("M-1", "A-SUB2", {"weight": Decimal("2.75")}),
    ("M-1", "A-SUB2", {"status": "done"}),  # a coverage task done
    ("M-1", "A-SUB2", {"is_main": True}),
    ("M-1", "A-SUB2", {"status": "in_progress", "percent": Decimal(10)}),  # and undone
    ("M-1", "A-SUB", {"status": "overdue", "deadline": PAST}),
    ("M-1", "A-SUB", {"deadline": FUTURE}),
    ("M-1", "A-SUB", {"status": "done", "weight": Decimal("0.25")}),
    ("M-2", "GROUP-A", {"deadline": PAST, "status": "in_progress", "percent": Decimal(60)}),
    ("M-2", "GROUP-A", {"is_main": False, "weight": Decimal(4)}),
    ("M-2", "GROUP-A", {"status": "paused"}),
    ("M-2", "GROUP-A", {"status": "not_started"}),
    ("M-3", "GROUP-A", {"status": "done", "deadline": FUTURE}),
    ("M-1", "A-SUB", {"status": "overdue", "title": "Late"}),
]


def test_kept_tallies_equal_a_rebuild_after_a_sequence_of_edits(direct, people, task_of):
    admin = people["supervisor_admin"]
    for code, org, change in SEQUENCE:
        edit(admin, task_of(code, org), **change)
        now = kept(direct)
        assert now["LedgerTally"] and now["CoverageTally"]
        assert rebuilt(direct) == now, (code, org, change)


def test_the_overdue_job_then_an_edit_keeps_the_tallies(direct, people, task_of):
    """Open tasks past their deadline are marked overdue by the job; an edit after it adds the
    task's difference from what the job left."""
    admin = people["supervisor_admin"]
    edit(admin, task_of("M-1", "A-SUB2"), deadline=PAST, status="in_progress")
    tallies.mark_overdue(direct, today=dt.date(2021, 1, 1))
    assert task_of("M-1", "A-SUB2").status == "overdue"
    edit(admin, task_of("M-1", "A-SUB2"), status="done")
    now = kept(direct)
    assert rebuilt(direct) == now


def test_a_measure_edit_keeps_the_tallies(direct, people, task_of, tree):
    admin = people["supervisor_admin"]
    task = task_of("M-1", "A-SUB")
    measure = add_measure(user=admin, task=task, organisation=tree["A-SUB2"], code="MS-1",
                          version=task.version)  # fmt: skip
    edit(admin, measure, weight=Decimal(3), title="Measured")
    edit(admin, task_of("M-1", "A-SUB2"), weight=Decimal(2))
    now = kept(direct)
    assert rebuilt(direct) == now


def test_a_measure_progress_edit_adds_its_tasks_difference(direct, people, task_of, tree):
    """A measure's progress moves its task; the task's difference is added under its lock
    and the tallies still equal a rebuild."""
    admin = people["supervisor_admin"]
    task = task_of("M-1", "A-SUB")
    first = add_measure(user=admin, task=task, organisation=tree["A-SUB2"], code="MS-1",
                        version=task.version)  # fmt: skip
    task.refresh_from_db()
    add_measure(user=admin, task=task, organisation=tree["A-SUB2"], code="MS-2",
                version=task.version)  # fmt: skip
    seed_progress_as_system(task=LedgerTask.objects.get(pk=first.pk), status="done")
    task.refresh_from_db()
    assert (task.status, task.percent) == ("in_progress", Decimal("50.00"))
    assert rebuilt(direct) == kept(direct)


def test_an_edit_adds_its_difference_without_reading_the_tallies(direct, people, task_of):
    """No tally row is read: one UPDATE per table that changes."""
    admin = people["supervisor_admin"]
    task = task_of("M-1", "A-SUB2")
    sql = edit(admin, task, weight=Decimal(5))
    assert [s for s in sql if "tally" in s] == [
        s for s in sql if s.startswith("UPDATE") and "programs_ledgertally" in s
    ]
    assert len([s for s in sql if "tally" in s]) == 1
    sql = edit(admin, task, status="done")  # a coverage task: both tables
    assert len([s for s in sql if "tally" in s]) == 2
    assert rebuilt(direct) == kept(direct)


def test_an_area_change_recounts(direct, people, task_of):
    """A change of what places the task (here its area) leaves the delta for the recount."""
    from reformtrack.programs.models import Area

    admin = people["supervisor_admin"]
    task = task_of("M-2", "GROUP-A")
    other = Area.objects.create(
        programme=direct, code="A9", name_zh="其他", name_en="Other", origin=task.area.origin
    )
    edit(admin, task, area=other, weight=Decimal(2))
    assert LedgerTally.objects.filter(programme=direct, area=other, subtree=True).exists()
    assert rebuilt(direct) == kept(direct)


def test_a_missing_row_falls_back_to_the_recount_and_adds_nothing_twice(
    direct, people, task_of, tree
):
    """A subtree row the edit should add to is missing (tallies loaded raw, not yet rebuilt):
    the additions made are taken back and the organisation is recounted, so every row present
    ends as a rebuild has it."""
    admin = people["supervisor_admin"]
    task = task_of("M-1", "A-SUB2")
    LedgerTally.objects.filter(programme=direct, subtree=True, org_path=tree["A-SUB"].path).delete()
    edit(admin, task, weight=Decimal(6))
    after = kept(direct)
    whole = rebuilt(direct)

    def without_a_sub(rows):  # (programme, organisation, org_path, depth, subtree, …)
        return [r for r in rows["LedgerTally"] if r[2] != tree["A-SUB"].path or not r[4]]

    assert without_a_sub(after) == without_a_sub(whole)
    assert LedgerTask.objects.get(pk=task.pk).weight == Decimal(6)
