"""One ledger task update costs the same number of queries wherever the task sits in the tree
and however much data there is (the national-scale timing is benchmarks/bench_task_update.py):
the service, the edit page's POST and the API's PATCH."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reformtrack.orgs.services import create_organisation
from reformtrack.programs.models import LedgerTask
from reformtrack.programs.selectors.ledger import task_page
from reformtrack.programs.services import tallies
from reformtrack.programs.services.tasks import update_task

PLAN = {"weight": Decimal(3)}
DESCRIPTION = {"title": "Boards, renamed"}


def statements(user, task, **change) -> list[str]:
    """The SQL of one update as the page makes it: the task read as the page reads it, then
    saved with the version the form carried."""
    read = task_page(user, task.pk)
    with CaptureQueriesContext(connection) as captured:
        update_task(user=user, task=read, expected_version=read.version, **change)
    return [q["sql"] for q in captured.captured_queries]


def counts(user, task) -> dict:
    """Queries of a plan edit and of a description edit (each changing the stored value)."""
    found = {}
    for name, change in (("plan", PLAN), ("description", DESCRIPTION)):
        stored = LedgerTask.objects.values(*change).get(pk=task.pk)
        edit = {k: (v + 1 if isinstance(v, Decimal) else v + "!") for k, v in stored.items()}
        found[name] = len(statements(user, task, **edit))
    return found


def grow(programme, tree) -> None:
    """Many more organisations and tasks: thirty subsidiaries beside A-SUB2 with ten tasks each,
    and two hundred more tasks of A-SUB2 itself; tallies rebuilt from them."""
    parent, template = tree["A-SUB"], programme.templates.get(code="M-1")
    orgs = [tree["A-SUB2"]] * 200
    for n in range(30):
        org = create_organisation(
            user=None, parent=parent, code=f"A-GROW{n}", name_zh=f"增{n}", kind="subsidiary"
        )
        orgs += [org] * 10
    LedgerTask.objects.bulk_create(
        LedgerTask(
            programme=programme, area=template.area, organisation=org, org_path=org.path,
            code=f"GROW-{n}", title=f"Grown {n}", deadline=dt.date(2021, 6, 30),
            kind="one_off", weight=Decimal(1), status="in_progress", percent=Decimal(40),
        )
        for n, org in enumerate(orgs)
    )  # fmt: skip
    tallies.rebuild(programme)


def test_an_update_costs_the_same_queries_at_depth_two_and_four(programme, people, task_of):
    admin = people["supervisor_admin"]
    shallow, deep = task_of("M-2", "GROUP-A"), task_of("M-1", "A-SUB2")
    assert len(deep.org_path) == 2 * len(shallow.org_path)
    counts(admin, shallow), counts(admin, deep)  # warm-up: the first rows of each tally
    assert counts(admin, shallow) == counts(admin, deep)


def test_an_update_costs_the_same_queries_with_much_more_data(programme, people, task_of, tree):
    admin = people["supervisor_admin"]
    task = task_of("M-1", "A-SUB2")
    counts(admin, task)
    small = counts(admin, task)
    grow(programme, tree)
    assert LedgerTask.objects.filter(organisation=tree["A-SUB2"]).count() > 200
    assert counts(admin, task) == small


def test_a_description_edit_writes_its_columns_and_recounts_nothing(programme, people, task_of):
    """Nothing counts a task's title: its edit writes the title (and version, time) only and
    reads or writes no tally; a plan edit does recount."""
    admin = people["supervisor_admin"]
    task = task_of("M-1", "A-SUB2")
    sql = statements(admin, task, title="Boards, renamed")
    writes = [s for s in sql if s.startswith("UPDATE") and "programs_ledgertask" in s]
    assert len(writes) == 1 and '"title"' in writes[0] and '"weight"' not in writes[0]
    assert not [s for s in sql if "tally" in s]
    assert [s for s in statements(admin, task, weight=Decimal(2)) if "programs_ledgertally" in s]


def test_the_page_and_the_api_cost_the_same_at_two_depths(
    programme, people, task_of, client_for, api_for
):
    admin = people["supervisor_admin"]
    client, api = client_for(admin), api_for(admin)
    found = {}
    for task in (task_of("M-2", "GROUP-A"), task_of("M-1", "A-SUB2")):
        for n in range(2):  # the second is counted
            task.refresh_from_db()
            weight = str(Decimal(2 + n))
            with CaptureQueriesContext(connection) as page:
                response = client.post(
                    reverse("programs:task-edit", args=[task.pk]),
                    {"title": task.title, "area": task.area_id, "deadline": task.deadline,
                     "is_main": "on" if task.is_main else "", "weight": weight,
                     "version": task.version},
                )  # fmt: skip
            assert response.status_code == 302
            task.refresh_from_db()
            assert task.weight == Decimal(weight)
            with CaptureQueriesContext(connection) as patch:
                response = api.patch(
                    reverse("ledgertask-detail", args=[task.pk]),
                    {"title": f"{task.title} {n}"},
                    format="json",
                    headers={"If-Match": f'"{task.version}"'},
                )
            assert response.status_code == 200
        found[task.org_path] = (len(page), len(patch))
    shallow, deep = found.values()
    assert shallow == deep
