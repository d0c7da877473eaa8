"""The shared table mechanism on the ledger (issue 17, item 3): page size, filters, column
chooser, saved views, "export what I see" and the bulk plan change through the ledger's rules."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from reformtrack.core.models import Job, SavedView
from reformtrack.programs.models import LedgerTask, PlanChangeRequest

LEDGER = "/programmes/MINI/ledger/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr [^>]*data-task="([^"]+)"', html)


def header_of(html: str) -> str:
    return html.split('data-testid="ledger"', 1)[1].split("</thead>", 1)[0]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_page_size_is_chosen_and_remembered(people, client_for, programme):
    client = client_for(people["supervisor_admin"])
    total = LedgerTask.objects.filter(programme=programme).count()
    assert total > 3
    html = client.get(LEDGER).content.decode()
    assert len(rows_of(html)) == total  # under the default 50
    assert '<option value="25"' in html and '<option value="250"' in html
    page = client.get(f"{LEDGER}?per_page=25&page=1")
    assert page.status_code == 200
    assert "tbl-programs.ledger" in page.cookies  # remembered in the browser, not the database
    assert page.cookies["tbl-programs.ledger"].value.startswith("25:")
    again = client.get(LEDGER).content.decode()
    assert '<option value="25" selected>' in again
    refused = client.get(f"{LEDGER}?per_page=100000").content.decode()
    assert '<option value="25" selected>' in refused  # not a choice: the remembered size stays


def test_filter_and_sort_narrow_the_rows(people, client_for, programme):
    client = client_for(people["supervisor_admin"])
    html = client.get(f"{LEDGER}?kind=one_off&sort=-code").content.decode()
    codes = rows_of(html)
    expected = list(
        LedgerTask.objects.filter(programme=programme, kind="one_off")
        .order_by("-code")
        .values_list("code", flat=True)
    )
    assert codes == expected and codes


def test_column_chooser_hides_columns_on_page_and_export(people, client_for, programme):
    client = client_for(people["reform_office"])
    html = client.get(f"{LEDGER}?cols=code&cols=title&cols=status").content.decode()
    header = header_of(html)
    assert "Task code" in header and "Status" in header
    assert "Responsible person" not in header and "Deadline" not in header
    row = re.search(r'<tr [^>]*data-task="[^"]+"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert row.count("<td") == 4  # the bulk box and the three chosen columns
    # The choice is remembered: the next visit and its export show the same columns.
    exported = csv_rows(client.get(f"{LEDGER}?export=csv"))
    assert exported[0] == ["Task code", "Task", "Status"]


def test_saved_view_round_trip(people, client_for, programme):
    user = people["reform_office"]
    client = client_for(user)
    query = "kind=one_off&sort=-code&per_page=100&cols=code&cols=deadline"
    response = client.post(
        "/tables/views/",
        {"table": "programs.ledger", "name": "One-off tasks", "query": query, "next": LEDGER},
    )
    assert response.status_code == 302
    view = SavedView.objects.get(user=user, table="programs.ledger")
    assert view.filters == {"kind": ["one_off"]}
    assert (view.sort, view.per_page, view.columns) == ("-code", 100, ["code", "deadline"])
    html = client.get(LEDGER).content.decode()
    link = re.search(r'<a href="([^"]+)" data-testid="saved-view">One-off tasks</a>', html)
    opened = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert '<option value="100" selected>' in opened
    assert "Deadline" in header_of(opened) and "Status" not in header_of(opened)
    assert rows_of(opened) == list(
        LedgerTask.objects.visible_to(user, "view")
        .filter(programme=programme, kind="one_off")
        .order_by("-code")
        .values_list("code", flat=True)
    )
    # Another user neither sees nor deletes it.
    other = client_for(people["viewer"])
    assert "One-off tasks" not in other.get(LEDGER).content.decode()
    assert other.post(f"/tables/views/{view.pk}/delete/").status_code == 404
    client.post(f"/tables/views/{view.pk}/delete/", {"next": LEDGER})
    assert not SavedView.objects.exists()


def test_export_is_exactly_the_filtered_visible_rows_in_scope(people, client_for, programme):
    user = people["reform_office"]
    client = client_for(user)
    query = "kind=one_off&sort=code&cols=code&cols=organisation&cols=percent"
    mine = list(
        LedgerTask.objects.visible_to(user, "view")
        .filter(programme=programme, kind="one_off")
        .order_by("code")
        .values_list("code", flat=True)
    )
    everyone = LedgerTask.objects.filter(programme=programme, kind="one_off").count()
    assert 0 < len(mine) < everyone  # group B's tasks exist but are out of scope
    rows = csv_rows(client.get(f"{LEDGER}?{query}&export=csv"))
    assert rows[0] == ["Task code", "Organisation", "Progress"]
    assert [r[0] for r in rows[1:]] == mine
    book = load_workbook(io.BytesIO(client.get(f"{LEDGER}?{query}&export=xlsx").content))
    sheet = [[c.value for c in row] for row in book.active.iter_rows()]
    assert sheet[0] == ["Task code", "Organisation", "Progress"]
    assert [r[0] for r in sheet[1:]] == mine


def test_a_large_export_is_a_job(people, client_for, programme, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.TABLE_EXPORT_ROWS_IN_REQUEST = 2
    client = client_for(people["reform_office"])
    response = client.get(f"{LEDGER}?cols=code&sort=code&export=csv")
    assert response.status_code == 302
    job = Job.objects.get(kind="table_export")
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == "done", job.result
    data = job.result_file.read().decode("utf-8-sig")
    codes = [row[0] for row in csv.reader(io.StringIO(data))][1:]
    user = people["reform_office"]
    assert codes == list(
        LedgerTask.objects.visible_to(user, "view")
        .filter(programme=programme)
        .order_by("code")
        .values_list("code", flat=True)
    )


def test_bulk_plan_change_goes_through_the_rules(people, client_for, programme, task_of):
    contributor = people["contributor"]
    client = client_for(contributor)
    html = client.get(LEDGER).content.decode()
    assert 'data-testid="ledger-bulk"' in html
    mine = task_of("M-1", "A-SUB")
    other = task_of("M-1", "B-SUB")
    # A task outside the user's scope refuses the whole action, without naming it.
    response = client.post(
        f"{LEDGER}bulk/",
        {"select": [mine.pk, other.pk], "deadline": "2031-12-31", "reason": "More time"},
        follow=True,
    )
    text = response.content.decode()
    assert "Nothing was requested" in text and "B-SUB" not in text
    assert not PlanChangeRequest.objects.exists()
    client.post(
        f"{LEDGER}bulk/", {"select": [mine.pk], "deadline": "2031-12-31", "reason": "More time"}
    )
    change = PlanChangeRequest.objects.get()
    assert change.task == mine and "deadline" in change.changes
    mine.refresh_from_db()
    assert str(mine.deadline) != "2031-12-31"  # asked, not applied: it waits for approval
    # Progress is never set by a bulk action: the form has no such field and it is ignored.
    client.post(f"{LEDGER}bulk/", {"select": [mine.pk], "percent": "100", "reason": "x"})
    mine.refresh_from_db()
    assert mine.percent != 100


def test_viewer_has_no_bulk_actions(people, client_for, programme, task_of):
    client = client_for(people["viewer"])
    html = client.get(LEDGER).content.decode()
    assert 'data-testid="ledger-bulk"' not in html and 'name="select"' not in html
    task = task_of("M-1", "A-SUB")
    client.post(f"{LEDGER}bulk/", {"select": [task.pk], "owner": "X", "reason": "y"})
    assert not PlanChangeRequest.objects.exists()


@pytest.mark.parametrize(
    "query", ["sort=nonsense", "sort=select", "page=999", "page=x", "cols=nonsense", "per_page=7"]
)
def test_odd_parameters_fall_back_to_a_working_page(people, client_for, programme, query):
    response = client_for(people["reform_office"]).get(f"{LEDGER}?{query}")
    assert response.status_code == 200
    assert rows_of(response.content.decode())
