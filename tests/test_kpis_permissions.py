"""The permission matrix of tests/test_permissions.py, for the kpis pages only (so that this
app's gates are checked even while another app's pages still lack samples)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .test_permissions import (
    ADMINS,
    BUSINESS_ROLES,
    PAGES,
    _matrix,  # noqa: F401  (fixture: the matrix's set-up, built once for this module too)
    expected_allowed,
    people,  # noqa: F401  (fixture)
    required,
    samples,  # noqa: F401  (fixture)
    tree,  # noqa: F401  (fixture)
    url_of,
)

KPI_PAGES = [(name, entry) for name, entry in PAGES if name.startswith("kpis:")]


def test_kpi_pages_exist():
    assert {n for n, _e in KPI_PAGES} >= {"kpis:home", "kpis:overview", "kpis:import"}


@pytest.mark.parametrize("who", BUSINESS_ROLES + ADMINS)
def test_each_role_reaches_only_what_it_may(client_for, people, samples, who):  # noqa: F811
    client = client_for(people[who])
    wrong = []
    for name, entry in KPI_PAGES:
        assert required(entry)[0] == "business", name
        url = url_of(entry, name, samples.kwargs(entry, "a"))
        response = client.get(url)
        status = response.status_code
        to_login = status == 302 and response["Location"].startswith(reverse("core:login"))
        allowed = status in (200, 405) or (status == 302 and not to_login)
        if allowed != expected_allowed(entry, who) or status not in (200, 302, 403, 404, 405):
            wrong.append(f"{url} ({name}): {status}")
    assert not wrong, f"{who}: " + "; ".join(wrong)


def test_other_group_gets_404(client_for, people, samples):  # noqa: F811
    client = client_for(people["outsider"])
    for name, entry in KPI_PAGES:
        kwargs = samples.kwargs(entry, "a")
        if kwargs:
            assert client.get(url_of(entry, name, kwargs)).status_code == 404, name
