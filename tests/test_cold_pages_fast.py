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
