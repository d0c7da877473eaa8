"""Pages that stay fast as data grows (issue 21, item 3): each main page makes as many queries
with 300 ledger rows as with 60, and reading a page writes nothing (not even the session)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reformtrack.programs.models import LedgerTask
from reformtrack.programs.services import tasks

from ._demo_once import built_once
from .conftest import build_people, build_tree, launch_mini, signed_in

LEDGER = "/programmes/MINI/ledger/"
PAGES = {
    "ledger": ("reform_office", lambda tree: LEDGER),
    "ledger sorted": ("reform_office", lambda tree: f"{LEDGER}?sort=-deadline&page=2"),
    "dashboard": ("supervisor_admin", lambda tree: reverse("programs:dashboard", args=["MINI"])),
    "home": ("reform_office", lambda tree: reverse("core:home")),
    "inbox": ("supervisor_admin", lambda tree: reverse("core:inbox")),
    "documents": ("supervisor_admin", lambda tree: reverse("documents:list")),
    "kpi overview": ("reform_office", lambda tree: f"/kpis/org/{tree['GROUP-A'].pk}/"),
    "kpi peers": ("reform_office", lambda tree: f"/kpis/org/{tree['GROUP-A'].pk}/peers/"),
    "task": ("reform_office", lambda tree: f"/tasks/{first_task(tree).pk}/"),
    "programmes": ("reform_office", lambda tree: reverse("programs:programmes")),
    "organisation": ("reform_office", lambda tree: f"/orgs/{tree['GROUP-A'].pk}/"),
    "briefs": ("supervisor_admin", lambda tree: reverse("documents:briefs")),
    "assessments": ("supervisor_admin", lambda tree: reverse("assessments:campaigns")),
    "api tasks": ("reform_office", lambda tree: "/api/programs/tasks/?limit=50"),
}  # fmt: skip


def first_task(tree):
    """Group A's first top-level task (the task page is read with its reports and history)."""
    rows = LedgerTask.objects.filter(organisation=tree["GROUP-A"], parent__isnull=True)
    return rows.order_by("pk").first()


def grow(programme, tree, total: int) -> None:
    """Adds one-off tasks across group A's subtree until the programme has `total` rows; every
    other one is overdue, so the overdue lists and counts grow too."""
    area = programme.areas.order_by("position").first()
    orgs = [tree["GROUP-A"], tree["A-SUB"], tree["A-SUB2"]]
    n = LedgerTask.objects.filter(programme=programme).count()
    while n < total:
        tasks.add_task(
            user=None, programme=programme, area=area, organisation=orgs[n % 3],
            code=f"G-{n}", title=f"增长任务 {n}", owner=f"负责人{n % 7}",
            deadline=dt.date(2021, 6, 30) if n % 2 else dt.date(2031, 6, 30),
        )  # fmt: skip
        n += 1


def queries_of(client, url: str) -> list[str]:
    client.get(url)  # the first read may settle the session (its start time) once
    with CaptureQueriesContext(connection) as done:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in done.captured_queries]


@pytest.fixture(scope="module")
def _counted(django_db_setup, django_db_blocker, tmp_path_factory):
    """The tree, its people, MINI and every page's queries with 60 rows and with 300, built
    once for the module (growing the ledger is most of the work); each test rolls back to it."""

    def build():
        tree = build_tree()
        people = build_people(tree)
        programme = launch_mini(tree)
        clients = {who: signed_in(Client(), people[who]) for who, _url in PAGES.values()}
        counted = {}
        for total in (60, 300):
            grow(programme, tree, total)
            counted[total] = {
                page: queries_of(clients[who], url(tree)) for page, (who, url) in PAGES.items()
            }
        return tree, people, programme, counted

    with built_once(django_db_blocker, tmp_path_factory.mktemp("page-queries"), build) as built:
        yield built


@pytest.fixture
def tree(_counted, db):
    return _counted[0]


@pytest.fixture
def people(_counted, db):
    return _counted[1]


@pytest.fixture
def programme(_counted, db):
    return _counted[2]


@pytest.mark.parametrize("page", list(PAGES))
def test_page_queries_do_not_grow_with_rows(page, _counted, db):
    small, large = _counted[3][60][page], _counted[3][300][page]
    assert len(large) == len(small), "\n".join(large)


@pytest.mark.parametrize("page", list(PAGES))
def test_reading_a_page_writes_nothing(page, client_for, people, programme, tree):
    """A signed-in read neither writes its session row (its expiry moved by under a minute)
    nor anything else."""
    who, url = PAGES[page]
    sql = queries_of(client_for(people[who]), url(tree))
    writes = [q for q in sql if q.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
