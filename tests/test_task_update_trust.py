"""The fast task update keeps every rule of trust: a stale save is refused and changes nothing;
every edit leaves one audit record whose "before" is what was stored (not what the caller's copy
of the task held) and the chain still verifies; a plan edit stays with whoever launched the
programme; the kept tallies equal a rebuild after edits of every field, counted or not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from reformtrack.core.context import Actor, acting
from reformtrack.core.models import AuditRecord
from reformtrack.core.selectors.audit import verify_chain
from reformtrack.core.services.versioning import StaleEdit
from reformtrack.programs.models import LedgerTask
from reformtrack.programs.selectors.ledger import task_page
from reformtrack.programs.services import tallies
from reformtrack.programs.services.tasks import update_task


def records_of(task) -> list[AuditRecord]:
    return list(
        AuditRecord.objects.filter(
            object_type="programs.ledgertask", object_id=str(task.pk)
        ).order_by("seq")
    )


def kept_counts(programme) -> dict:
    """Every stored count of the programme (each `…Tally` table), as plain sorted rows."""
    found = {}
    for model in apps.get_app_config("programs").get_models():
        if not model.__name__.endswith("Tally"):
            continue
        names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        rows = model.objects.filter(programme=programme).values_list(*names)
        found[model.__name__] = sorted(
            tuple(str(Decimal(v)) if isinstance(v, Decimal) else v for v in row) for row in rows
        )
    return found


def test_a_stale_save_is_refused_and_changes_nothing(programme, people, task_of):
    admin = people["supervisor_admin"]
    task = task_of("M-1", "A-SUB2")
    opened = task_page(admin, task.pk)  # a form opened at this version
    update_task(user=admin, task=task_page(admin, task.pk), version=opened.version, title="First")
    stored = LedgerTask.objects.values().get(pk=task.pk)
    audited, counted = len(records_of(task)), kept_counts(programme)

    with pytest.raises(StaleEdit):
        update_task(user=admin, task=opened, version=opened.version, weight=Decimal(5))
    assert LedgerTask.objects.values().get(pk=task.pk) == stored
    assert len(records_of(task)) == audited
    assert kept_counts(programme) == counted


def test_the_audit_before_is_what_was_stored_not_the_callers_copy(programme, people, task_of):
    """A form writes the posted values onto the task it was given before the service runs:
    the record still says what the row held, and fields the edit does not name stay stored."""
    admin = people["supervisor_admin"]
    task = task_of("M-1", "A-SUB2")
    read = task_page(admin, task.pk)
    stored_title, stored_weight = read.title, read.weight
    read.title, read.weight = "Typed into the form", Decimal(9)  # as a ModelForm leaves it
    with acting(Actor(fixed_user=admin)):
        saved = update_task(user=admin, task=read, version=read.version, title="Saved title")

    record = records_of(task)[-1]
    assert record.actor_id == admin.pk
    assert record.changes["title"] == {"before": stored_title, "after": "Saved title"}
    assert record.changes["version"] == {"before": task.version, "after": task.version + 1}
    assert "weight" not in record.changes
    task.refresh_from_db()
    assert (task.title, task.weight, task.version) == ("Saved title", stored_weight, saved.version)


def test_every_edit_is_one_audit_record_and_the_chain_verifies(programme, people, task_of):
    admin = people["supervisor_admin"]
    task = task_of("M-2", "GROUP-A")
    before = len(records_of(task))
    edits = [{"title": "A"}, {"weight": Decimal(2)}, {"deadline": dt.date(2021, 3, 31)}]
    edits += [{"is_main": False, "owner": "Li"}, {"title": "A"}]  # the last changes nothing
    for change in edits:
        read = task_page(admin, task.pk)
        update_task(user=admin, task=read, version=read.version, **change)
    records = records_of(task)[before:]
    assert len(records) == len(edits)
    assert [set(r.changes) - {"version"} for r in records] == [
        {"title"}, {"weight"}, {"deadline"}, {"is_main", "owner"}, set()
    ]  # fmt: skip
    assert verify_chain().ok


def test_the_plan_stays_with_whoever_launched_the_programme(programme, people, task_of):
    """The group's reform office edits what its task says, not its plan (the programme was
    launched by SASAC): refused whole, nothing saved, nothing recorded."""
    office = people["reform_office"]
    task = task_of("M-1", "A-SUB2")
    audited = len(records_of(task))
    read = task_page(office, task.pk)
    with pytest.raises(ValidationError) as refused:
        update_task(user=office, task=read, version=read.version, title="T", weight=Decimal(4))
    assert set(refused.value.message_dict) == {"weight"}
    task.refresh_from_db()
    assert task.title != "T" and len(records_of(task)) == audited
    read = task_page(office, task.pk)
    update_task(user=office, task=read, version=read.version, title="T")
    task.refresh_from_db()
    assert task.title == "T"


EDITS = [
    # what no tally counts: no recount
    {"title": "New title"},
    {"measure": "A measure", "department": "Office", "owner": "Wang"},
    {"deliverable": "A report", "deadline": dt.date(2020, 1, 31)},
    # the plan: counted
    {"weight": Decimal("2.5")},
    {"is_main": False},
    {"weight": Decimal("0.5"), "title": "Both"},
]


@pytest.mark.parametrize("change", EDITS, ids=lambda c: "+".join(c))
def test_kept_tallies_equal_a_rebuild_after_any_edit(programme, people, task_of, change):
    admin = people["supervisor_admin"]
    for task in (task_of("M-1", "A-SUB2"), task_of("M-2", "GROUP-A")):
        read = task_page(admin, task.pk)
        update_task(user=admin, task=read, version=read.version, **change)
    kept = kept_counts(programme)
    assert kept["LedgerTally"]
    tallies.rebuild(programme)
    assert kept_counts(programme) == kept


def test_a_measure_edit_rolls_up_to_its_task_and_keeps_the_tallies(
    programme, people, task_of, tree
):
    """The task is as far as its measures (weighted mean); changing a measure's weight moves
    the task's percent, recorded on the task, and the kept tallies still equal a rebuild."""
    from reformtrack.programs.services.tasks import add_measure, seed_progress_as_system

    admin = people["supervisor_admin"]
    task = task_of("M-1", "A-SUB")
    first = add_measure(user=admin, task=task, organisation=tree["A-SUB2"], code="MS-1",
                        version=task.version)  # fmt: skip
    task.refresh_from_db()
    second = add_measure(user=admin, task=task, organisation=tree["A-SUB"], code="MS-2",
                         version=task.version)  # fmt: skip
    seed_progress_as_system(task=first, status="done")
    seed_progress_as_system(task=second, status="in_progress", percent=Decimal(40))
    task.refresh_from_db()
    assert task.percent == Decimal(70)
    audited = len(records_of(task))

    read = task_page(admin, first.pk)
    update_task(user=admin, task=read, version=read.version, weight=Decimal(3))
    task.refresh_from_db()
    assert task.percent == Decimal(85)  # (3 × 100 + 1 × 40) / 4
    record = records_of(task)[audited]
    assert record.changes["percent"] == {"before": "70.00", "after": "85.00"}
    kept = kept_counts(programme)
    tallies.rebuild(programme)
    assert kept_counts(programme) == kept
