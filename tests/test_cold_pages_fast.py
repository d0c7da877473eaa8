"""The first read after a write draws less (issue 21, item 3, cold pages, second round): what a
user or an API client gets must be what it was, and an edit must show on the very next read.

These tests run inside a transaction, where the page cache is neither read nor kept: every
read below is a cold one."""

from __future__ import annotations

import json
from decimal import Decimal

from reformtrack.programs.api.serializers import LedgerTaskSerializer
from reformtrack.programs.models import LedgerTask
from reformtrack.programs.services import tasks

TASKS = "/api/programs/tasks/"


def as_json(data):
    return json.loads(json.dumps(data, default=str))


def test_the_api_task_list_from_plain_values_is_the_serializer_of_whole_rows(
    api_for, people, programme
):
    """Every row of every page (nulls, decimals, dates, times, a parent's code) is what
    `LedgerTaskSerializer` writes of the whole task with its related rows."""
    rows = LedgerTask.objects.filter(programme=programme).order_by("code")
    first, second = rows[0], rows[1]
    LedgerTask.objects.filter(pk=second.pk).update(
        parent=first, weight=Decimal("2.50"), percent=Decimal("12.5"), indicator_target=None,
        completed_on=None, owner="",
    )  # fmt: skip
    client = api_for(people["reform_office"])
    for query in ("?limit=3", "?limit=3&offset=1", "?limit=500"):
        listed = client.get(f"{TASKS}{query}").json()
        ids = [row["id"] for row in listed["results"]]
        assert ids
        whole = LedgerTask.objects.select_related("programme", "area", "organisation", "parent")
        found = {task.pk: task for task in whole.filter(pk__in=ids)}
        expected = LedgerTaskSerializer([found[pk] for pk in ids], many=True).data
        assert listed["results"] == as_json(expected)
    assert any(row["parent"] == first.code for row in listed["results"])


def test_an_edit_shows_on_the_next_api_list_read(api_for, people, programme):
    user = people["reform_office"]
    client = api_for(user)
    task = LedgerTask.objects.filter(programme=programme).order_by("code").first()
    listed = {row["id"]: row for row in client.get(f"{TASKS}?limit=500").json()["results"]}
    assert task.pk in listed
    tasks.update_task(user=user, task=task, title="冷读新标题")
    listed = {row["id"]: row for row in client.get(f"{TASKS}?limit=500").json()["results"]}
    assert listed[task.pk]["title"] == "冷读新标题"
    assert listed[task.pk]["version"] == task.version + 1


def _stored_rows_by_orm(model, user, programme, root, children, *columns):
    """What `rollup._stored_rows` read through the ORM before its SQL was compiled once."""
    from reformtrack.orgs.models import Organisation
    from reformtrack.programs.selectors.rollup import _visible_parts

    stored = model.objects.filter(programme=programme)
    parts = _visible_parts(user, root)
    depth = len(root.path) // Organisation.steplen
    if parts is not None:
        found = stored.filter(subtree=True, org_path__in=parts)
    elif not children:
        found = stored.filter(subtree=True, depth=depth, org_path=root.path)
    else:
        below = stored.filter(subtree=True, depth=depth + 1, org_path__prefix=root.path)
        found = below.union(stored.filter(subtree=False, organisation=root), all=True)
    return list(found.values_list("org_path", "subtree", *columns))


def test_stored_tallies_read_by_compiled_sql_are_what_the_orm_reads(people, programme, tree):
    """The dashboard's stored tallies (`rollup._stored_rows`) through SQL compiled once per
    key: the same rows, converted alike (decimals, booleans), for a user who sees the whole
    subtree and one who sees a part of it, the root's own rows or its children's; a changed
    tally shows on the next read (the SQL is kept, the rows are read fresh)."""
    from reformtrack.programs.counting import TALLY_FIELDS
    from reformtrack.programs.models import CoverageTally, LedgerTally
    from reformtrack.programs.selectors.rollup import _stored_rows

    cases = [
        (people["supervisor_admin"], tree["SASAC"]),
        (people["reform_office"], tree["GROUP-A"]),
        (people["contributor"], tree["GROUP-A"]),  # sees only a part of the subtree
        (people["outsider"], tree["GROUP-A"]),  # sees none of it
        (None, tree["SASAC"]),
    ]
    tables = [
        (LedgerTally, ("area_id", *TALLY_FIELDS)),
        (CoverageTally, ("template_id", "applicable", "done")),
    ]
    for _twice in range(2):  # compiled on the first read, reused on the second
        for user, root in cases:
            for model, columns in tables:
                for children in (False, True):
                    got = _stored_rows(model, user, programme, root, children, *columns)
                    want = _stored_rows_by_orm(model, user, programme, root, children, *columns)
                    assert sorted(map(repr, got)) == sorted(map(repr, want))
    user, root = people["supervisor_admin"], tree["SASAC"]
    columns = ("area_id", *TALLY_FIELDS)
    before = _stored_rows(LedgerTally, user, programme, root, False, *columns)
    assert before
    LedgerTally.objects.filter(programme=programme, org_path=root.path, subtree=True).update(
        tasks=12345
    )
    after = _stored_rows(LedgerTally, user, programme, root, False, *columns)
    assert all(row[3 + TALLY_FIELDS.index("tasks")] == 12345 for row in after)
