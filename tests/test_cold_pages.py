"""The first read after a write (a "cold" page, drawn without the page cache) reads less:
the ledger's body from plain values, the programme, the ledger filter's choices and the
dashboard's root, children, areas, trend and breadcrumb through SQL compiled once per key,
the API task list only the columns it shows. What a user sees must not change, and an edit, a
rename, a role granted or revoked and a language switch must show on the very next read.

These tests run inside a transaction, where the page cache is neither read nor kept: every
read below is a cold one."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from reformtrack.orgs.models import Organisation, RoleAssignment
from reformtrack.orgs.services import grant_role, revoke_role
from reformtrack.programs.models import LedgerTask
from reformtrack.programs.services import tasks
from reformtrack.programs.tables import LedgerTable

LEDGER = "/programmes/MINI/ledger/"
DASHBOARD = "/programmes/MINI/dashboard/"


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def org_choices(html: str) -> list[str]:
    select = re.search(r'<select name="org".*?</select>', html, re.S).group(0)
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("hidden", [(), ("organisation", "area", "deadline"), ("select",)])
def test_the_ledger_body_from_plain_values_reads_as_from_whole_rows(
    programme, tree, language, hidden
):
    """A queryset's page is read as plain values; a list of whole task rows is drawn from
    the rows themselves (as every page was before): the same HTML."""
    task = LedgerTask.objects.filter(programme=programme).order_by("code").first()
    LedgerTask.objects.filter(pk=task.pk).update(title='<b>"A" & B</b>', owner="")
    rows = LedgerTask.objects.filter(programme=programme).order_by("code")
    whole = list(rows.select_related("organisation", "area"))
    with translation.override(language):
        drawn = []
        for data in (rows, whole):
            table = LedgerTable(data)
            for name in hidden:
                table.columns.hide(name)
            table.paginate(page=1, per_page=4)
            drawn.append(table.body_html())
    assert drawn[0] == drawn[1]
    assert drawn[0].count("<tr") == 4
    assert "&lt;b&gt;&quot;A&quot; &amp; B&lt;/b&gt;" in drawn[0]
    if "organisation" not in hidden:
        assert ("Group A" if language == "en" else "甲集团") in drawn[0]


def test_an_edit_a_rename_and_the_language_show_on_the_next_ledger_read(
    client_for, people, programme, tree
):
    user = people["reform_office"]
    client = client_for(user)
    group = tree["GROUP-A"]
    task = LedgerTask.objects.filter(programme=programme, organisation=group).first()
    assert "甲集团" in page(client, LEDGER)
    tasks.update_task(user=user, task=task, title="冷页新标题")
    assert "冷页新标题" in page(client, LEDGER)
    Organisation.objects.filter(pk=group.pk).update(name_zh="改名后的甲集团")
    html = page(client, LEDGER)
    assert "改名后的甲集团" in org_choices(html)  # the filter's choices
    assert "<td>改名后的甲集团</td>" in html  # the rows
    client.post(reverse("set_language"), {"language": "en", "next": LEDGER})
    html = page(client, LEDGER)
    assert "Group A" in org_choices(html) and "<td>Group A</td>" in html
    assert "改名后的甲集团" not in html


def test_a_role_granted_or_revoked_changes_the_ledger_filter_and_rows_at_once(
    client_for, people, programme, tree
):
    user = people["reform_office"]
    client = client_for(user)
    other = tree["GROUP-B"]
    before = page(client, LEDGER)
    assert "乙集团" not in org_choices(before) and "乙集团" not in before
    grant_role(user=user, organisation=other, role="viewer")
    html = page(client, LEDGER)
    assert "乙集团" in org_choices(html) and "<td>乙集团</td>" in html
    page(client, f"{LEDGER}?org={other.pk}")  # a choice the form now accepts
    revoke_role(assignment=RoleAssignment.objects.get(user=user, organisation=other))
    html = page(client, LEDGER)
    assert "乙集团" not in org_choices(html) and "乙集团" not in html
    assert page(client, f"{LEDGER}?org={other.pk}").count("<tr data-task") == 0


def test_the_dashboard_root_and_breadcrumb_follow_a_role_change_at_once(
    client_for, people, programme, tree
):
    user = people["reform_office"]
    client = client_for(user)
    sub = tree["A-SUB"]
    other = tree["GROUP-B"]
    assert "甲集团" in page(client, DASHBOARD)
    assert "甲集团" in page(client, f"{DASHBOARD}?org={sub.pk}")  # the breadcrumb
    page(client, f"{DASHBOARD}?org={other.pk}", status=404)
    grant_role(user=user, organisation=tree["SASAC"], role="viewer")
    assert "国资委" in page(client, DASHBOARD)  # the new top of what the user sees
    assert "乙集团" in page(client, f"{DASHBOARD}?org={other.pk}")
    assert "国资委" in page(client, f"{DASHBOARD}?org={sub.pk}")  # a longer breadcrumb
    revoke_role(assignment=RoleAssignment.objects.get(user=user, organisation=tree["SASAC"]))
    page(client, f"{DASHBOARD}?org={other.pk}", status=404)
    assert "国资委" not in page(client, f"{DASHBOARD}?org={sub.pk}").split("<main>")[1]
    Organisation.objects.filter(pk=sub.pk).update(name_zh="改名的子公司")
    assert "改名的子公司" in page(client, DASHBOARD)  # a child row, read fresh


def test_the_api_task_list_shows_what_each_task_shows_on_its_own(api_for, people, programme):
    client = api_for(people["reform_office"])
    listed = client.get("/api/programs/tasks/?limit=50").json()["results"]
    assert listed
    for row in listed[:5]:
        assert client.get(f"/api/programs/tasks/{row['id']}/").json() == row


def test_joined_rows_read_as_select_related_reads_them(programme, tree):
    """The dashboard's overdue list reads its tasks with their organisation and area through
    compiled SQL: every column of each, converted as the ORM converts it."""
    from reformtrack.programs.selectors.joined_rows import joined_instances

    LedgerTask.objects.filter(programme=programme).update(weight="2.50", percent="12.5")
    rows = LedgerTask.objects.filter(programme=programme).order_by("deadline", "code")
    expected = list(rows.select_related("organisation", "area")[:6])
    for _twice in range(2):  # compiled on the first call, reused on the second
        found = joined_instances(LedgerTask, ("organisation", "area"), ("t",), lambda: rows[:6])
        assert [t.pk for t in found] == [t.pk for t in expected]
        for got, want in zip(found, expected, strict=True):
            for obj, ref in ((got, want), (got.organisation, want.organisation),
                             (got.area, want.area)):  # fmt: skip
                for field in type(ref)._meta.concrete_fields:
                    a, b = getattr(obj, field.attname), getattr(ref, field.attname)
                    assert (a, type(a)) == (b, type(b)), field.attname
