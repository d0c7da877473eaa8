"""The page cache (core/page_cache.py) is never stale and shares nothing between users: a
write through any path — a service, a bulk `update()`, raw SQL from another connection, an
import, an organisation's rename, a role revoked, the overdue marking — shows on the next read,
and a second read with nothing written is served from the cache with a working CSRF token.

Transactional: inside a transaction (a test's included) the cache is neither read nor kept,
so it is exercised as a server runs a GET, in autocommit."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection, connections
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from reformtrack.core.context import Actor, acting
from reformtrack.core.page_cache import data_version
from reformtrack.orgs.models import RoleAssignment
from reformtrack.orgs.services import revoke_role, update_organisation
from reformtrack.programs.exporters import headers
from reformtrack.programs.importers import LedgerImporter
from reformtrack.programs.models import LedgerTask
from reformtrack.programs.services import tasks
from reformtrack.programs.services.tallies import mark_overdue
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

LEDGER = "/programmes/MINI/ledger/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def read(client, url: str = LEDGER) -> tuple[str, int]:
    """The page's HTML and how many queries the read made."""
    with CaptureQueriesContext(connection) as done:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(done.captured_queries)


def elsewhere(sql: str, params: list) -> None:
    """Runs `sql` on a connection of its own (another thread), committed, as psql would."""

    def run():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute(sql, params)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def a_task(tree, programme) -> LedgerTask:
    return LedgerTask.objects.filter(programme=programme, organisation=tree["GROUP-A"]).first()


def test_a_second_read_is_served_from_the_cache_with_a_working_token(people, programme):
    client = Client(enforce_csrf_checks=True)
    signed_in(client, people["reform_office"])
    first, cold = read(client)
    second, warm = read(client)
    assert warm < cold, (warm, cold)
    assert TOKEN.sub("", first) == TOKEN.sub("", second)  # the same page but its tokens
    token = TOKEN.search(second).group(1)
    assert token not in first  # a token of this request, not the stored one
    answer = client.post(reverse("set_language"), {"language": "en", "next": LEDGER},
                         HTTP_REFERER="http://testserver" + LEDGER)  # fmt: skip
    assert answer.status_code == 403  # no token: refused (the check is on)
    answer = client.post(
        reverse("set_language"),
        {"language": "en", "next": LEDGER, "csrfmiddlewaretoken": token},
        HTTP_REFERER="http://testserver" + LEDGER,
    )
    assert answer.status_code == 302
    english, _n = read(client)
    assert 'lang="en"' in english  # the language is in the key


def test_a_service_save_shows_on_the_next_read(people, programme, tree):
    client = signed_in(Client(), people["reform_office"])
    task = a_task(tree, programme)
    read(client)
    tasks.update_task(user=people["reform_office"], task=task, title="服务保存的新标题")
    assert "服务保存的新标题" in read(client)[0]


def test_a_bulk_update_without_signals_shows_on_the_next_read(people, programme, tree):
    client = signed_in(Client(), people["reform_office"])
    task = a_task(tree, programme)
    read(client)
    LedgerTask.objects.filter(pk=task.pk).update(title="批量更新的标题")
    assert "批量更新的标题" in read(client)[0]


def test_raw_sql_from_another_connection_shows_on_the_next_read(people, programme, tree):
    """An insider editing the database directly invalidates too: the triggers are the
    database's own."""
    client = signed_in(Client(), people["reform_office"])
    task = a_task(tree, programme)
    before = data_version()
    read(client)
    elsewhere("UPDATE programs_ledgertask SET title = %s WHERE id = %s", ["直接改库", task.pk])
    assert data_version() != before
    assert "直接改库" in read(client)[0]


def test_an_api_list_follows_raw_sql_and_differs_by_user(people, programme, tree, api_for):
    url = "/api/programs/tasks/?limit=50"
    office, outsider = api_for(people["reform_office"]), api_for(people["outsider"])
    mine = office.get(url).json()
    assert office.get(url).json() == mine  # served from the cache
    codes = {row["code"] for row in mine["results"]}
    theirs = {row["code"] for row in outsider.get(url).json()["results"]}
    assert codes and not codes & theirs
    task = a_task(tree, programme)
    elsewhere("UPDATE programs_ledgertask SET title = %s WHERE id = %s", ["接口可见", task.pk])
    titles = {row["title"] for row in office.get(url).json()["results"]}
    assert "接口可见" in titles


def ledger_file(rows: int) -> bytes:
    names = headers("zh")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(names)
    for n in range(rows):
        values = {"任务编号": f"CACHE-{n}", "改革领域": "治理", "改革任务": f"导入的任务{n}",
                  "责任单位": "GROUP-A", "完成时限": "2027-06-30", "新增": "是"}  # fmt: skip
        sheet.append([values.get(name) for name in names])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_import_shows_on_the_next_read(people, programme):
    client = signed_in(Client(), people["supervisor_admin"])
    read(client)
    admin = people["supervisor_admin"]
    with acting(Actor(fixed_user=admin)):
        result = LedgerImporter(user=admin, programme=programme).run(io.BytesIO(ledger_file(2)))
    assert result.ok, result.errors[:3]
    assert "导入的任务1" in read(client)[0]


def test_a_renamed_organisation_shows_on_the_next_read(people, programme, tree):
    client = signed_in(Client(), people["reform_office"])
    assert "甲集团（新名）" not in read(client)[0]
    update_organisation(user=None, organisation=tree["GROUP-A"], name_zh="甲集团（新名）")
    assert "甲集团（新名）" in read(client)[0]


def test_the_overdue_marking_shows_on_the_dashboard(people, programme):
    client = signed_in(Client(), people["supervisor_admin"])
    page = reverse("programs:dashboard", args=["MINI"])
    before, _n = read(client, page)
    mark_overdue(programme, dt.date(2026, 1, 15))  # every deadline of MINI has passed
    after, _n = read(client, page)
    assert TOKEN.sub("", before) != TOKEN.sub("", after)


def test_a_revoked_role_counts_on_the_next_read(people, programme, tree):
    user = people["viewer"]
    client = signed_in(Client(), user)
    task = a_task(tree, programme)
    assert task.code in read(client)[0]
    revoke_role(assignment=RoleAssignment.objects.get(user=user, organisation=tree["GROUP-A"]))
    response = client.get(LEDGER)
    assert response.status_code != 200 or task.code not in response.content.decode()
    assert client.get(f"/tasks/{task.pk}/").status_code == 404


def test_two_users_never_see_each_others_page(people, programme, tree):
    """Same URL, different grants: each reads their own rows, in either order."""
    task = a_task(tree, programme)
    office = signed_in(Client(), people["reform_office"])
    outsider = signed_in(Client(), people["outsider"])
    for _round in range(2):
        assert task.code in read(office)[0]
        assert task.code not in read(outsider)[0]
        assert people["outsider"].username not in read(office)[0]


def test_a_message_is_shown_once_not_kept(people, programme, tree):
    """A page with a message to show is drawn for that request and not stored."""
    client = signed_in(Client(), people["reform_office"])
    task_page = f"/tasks/{a_task(tree, programme).pk}/"
    read(client, task_page)
    storage = CookieStorage(HttpRequest())
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "一次性的消息")])
    assert "一次性的消息" in read(client, task_page)[0]
    assert "一次性的消息" not in read(client, task_page)[0]


CACHED_PAGES = ["ledger", "ledger sorted", "dashboard", "home", "inbox", "documents",
                "kpi overview", "kpi peers", "task", "api tasks"]  # fmt: skip


@pytest.mark.parametrize("page", CACHED_PAGES)
def test_a_warm_read_is_the_request_floor_and_writes_nothing(page, people, programme, tree):
    """Served from the cache: the session, the user, the device check, the data version and
    the grants, whatever the page; no write."""
    from tests.test_page_queries import PAGES

    who, url = PAGES[page]
    client = signed_in(Client(), people[who])
    address = url(tree)
    client.get(address)
    with CaptureQueriesContext(connection) as done:
        assert client.get(address).status_code == 200
    sql = [q["sql"] for q in done.captured_queries]
    assert any("core_dataversion" in q for q in sql)
    assert len(sql) == 5, "\n".join(sql)
    assert not [q for q in sql if q.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


def test_a_document_page_is_kept_and_follows_a_retitle(people, tree):
    """The document page is served warm from the cache and shows a new title written by raw
    SQL at once (no page of it is kept past the write)."""
    from reformtrack.documents import services as documents

    text = "国务院国资委召开会议。2024年中央企业实现利润总额2.6万亿元，同比增长5.1%。"
    document, _created = documents.ingest(user=None, data=text.encode(), filename="meeting.txt")
    client = signed_in(Client(), people["supervisor_admin"])
    url = reverse("documents:document", args=[document.pk])
    first, _ = read(client, url)
    again, queries = read(client, url)
    assert queries == 5 and TOKEN.sub("", again) == TOKEN.sub("", first)
    elsewhere("UPDATE documents_document SET title = %s WHERE id = %s", ["新的标题", document.pk])
    assert "新的标题" in read(client, url)[0]
