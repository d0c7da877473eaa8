"""Pages that stay fast (issue 21, item 3): what the signed-in header and the scoping layer
keep between requests is only compiled SQL, never a result, so a count or a grant changed in
another request shows on the next page at once."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from reformtrack.core import figure_cache
from reformtrack.core.services.notifications import notify
from reformtrack.orgs.models import RoleAssignment
from reformtrack.orgs.services import grant_role, revoke_role, update_organisation
from reformtrack.programs import charts
from reformtrack.programs.services import tasks
from reformtrack.programs.services.tallies import mark_overdue


def inbox_badge(client) -> int:
    html = client.get(reverse("core:home")).content.decode()
    found = re.search(r'data-testid="inbox-count">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_the_inbox_count_moves_with_each_new_notice(client_for, people):
    user = people["reform_office"]
    client = client_for(user)
    before = inbox_badge(client)
    notify(user=user, kind="notice", title="一条新通知")
    assert inbox_badge(client) == before + 1
    notify(user=user, kind="notice", title="又一条通知")
    assert inbox_badge(client) == before + 2
    client.post(reverse("core:inbox_read"))
    assert inbox_badge(client) == 0  # all read: no badge


def test_a_granted_or_revoked_role_counts_from_the_next_request(client_for, people, tree):
    user = people["viewer"]
    client = client_for(user)
    other = tree["GROUP-B"]
    page = reverse("orgs:organisation", args=[other.pk])
    assert client.get(page).status_code == 404
    grant_role(user=user, organisation=other, role="viewer")
    assert client.get(page).status_code == 200
    revoke_role(assignment=RoleAssignment.objects.get(user=user, organisation=other))
    assert client.get(page).status_code == 404


def test_a_user_without_any_grant_reads_the_home_page(client_for, people):
    """No grant at all: the scoped queries match nothing and are not even sent."""
    user = people["viewer"]
    RoleAssignment.objects.filter(user=user).delete()
    response = client_for(user).get(reverse("core:home"))
    assert response.status_code == 200


# --- Dashboard figures in the cache every server process shares (core/figure_cache.py) --------


@pytest.fixture
def shared_figures(settings, tmp_path):
    """The figures cache as shipped (files, shared by processes), in a folder of this test's;
    this process's memory of figures emptied before and after."""
    settings.CACHES = {
        **settings.CACHES,
        "figures": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "figures"),
        },
    }
    figure_cache.forget_local()
    yield tmp_path / "figures"
    figure_cache.forget_local()


def dashboard(client, org=None):
    url = reverse("programs:dashboard", args=["MINI"])
    response = client.get(url if org is None else f"{url}?org={org.pk}")
    assert response.status_code == 200
    return response


def test_a_change_in_the_data_shows_in_the_charts_on_the_next_page(
    client_for, people, programme, task_of, shared_figures
):
    client = client_for(people["supervisor_admin"])
    before = dashboard(client).context["figures"]
    assert any(shared_figures.iterdir())  # stored for the other server processes
    tasks.seed_progress_as_system(task=task_of("M-2", "GROUP-A"), status="done")
    after = dashboard(client)
    board = after.context["board"]
    assert after.context["figures"]["completion"] == charts.completion_bar(board)
    assert after.context["figures"]["heatmap"] == charts.area_heatmap(board)
    assert after.context["figures"]["completion"] != before["completion"]


def test_another_process_reads_the_stored_figures(client_for, people, programme, shared_figures):
    client = client_for(people["supervisor_admin"])
    first = dashboard(client).context["figures"]
    stored = sorted(shared_figures.iterdir())
    figure_cache.forget_local()  # as a worker process that never drew this dashboard
    again = dashboard(client).context["figures"]
    assert again == first
    assert sorted(shared_figures.iterdir()) == stored  # read, not drawn and stored again


def test_a_figure_of_another_scope_is_never_served(client_for, people, programme, tree,
                                                     shared_figures):  # fmt: skip
    """Group A's office reads its dashboard first; group B's office then gets charts of
    group B only, and the supervisor's view of group B is group B's too."""
    group_a = dashboard(client_for(people["reform_office"])).context["figures"]
    names_a = json.dumps(group_a, ensure_ascii=False)
    assert "甲集团" in names_a or "Group A" in names_a
    for who in ("outsider", "supervisor_admin"):
        client = client_for(people[who])
        shown = dashboard(client, tree["GROUP-B"]).context["figures"]
        text = json.dumps(shown, ensure_ascii=False)
        assert "甲" not in text and "Group A" not in text
        assert "乙" in text or "Group B" in text


def overdue_rows(response) -> str:
    html = response.content.decode()
    return html[html.index('data-testid="overdue"') :]


def test_the_dashboard_tables_follow_the_data_on_the_next_page(
    client_for, people, programme, task_of, tree, shared_figures
):
    """The tables are kept in the shared cache too: a task done, the daily overdue marking
    and an organisation renamed each show on the next read."""
    client = client_for(people["supervisor_admin"])
    task = task_of("M-2", "GROUP-A")
    mark_overdue(programme, dt.date(2026, 1, 15))  # every deadline of MINI has passed
    first = dashboard(client, tree["GROUP-A"])
    assert f'data-task="{task.code}"' in overdue_rows(first)
    tasks.seed_progress_as_system(task=task, status="done")
    second = dashboard(client, tree["GROUP-A"])
    assert f'data-task="{task.code}"' not in overdue_rows(second)
    assert re.search(r'data-value="rate">(\S+)', second.content.decode()).group(1) != (
        re.search(r'data-value="rate">(\S+)', first.content.decode()).group(1)
    )
    a_sub = tree["A-SUB"]
    update_organisation(user=None, organisation=a_sub, name_zh="甲子公司（新名）")
    third = dashboard(client, tree["GROUP-A"]).content.decode()
    assert "甲子公司（新名）" in children_section(third)


def children_section(html: str) -> str:
    return html[html.index('data-testid="children"') :]


def test_dashboard_tables_of_another_scope_are_never_served(
    client_for, people, programme, tree, shared_figures
):
    dashboard(client_for(people["reform_office"]))  # group A's tables stored first
    for who in ("outsider", "supervisor_admin"):
        html = dashboard(client_for(people[who]), tree["GROUP-B"]).content.decode()
        tables = html[html.index('data-testid="headline"') :]
        assert "甲" not in tables and "乙" in tables
