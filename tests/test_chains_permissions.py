"""The permission matrix (tests/test_permissions.py) narrowed to the chains and benchmarks pages,
so their role checks run even while another app's URL lacks a sample: every role reaches exactly
what its role grants, anonymous users are sent to sign in, another group's chain is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from . import test_permissions as matrix

OURS = [(n, e) for n, e in matrix.PAGES if n.startswith("chains:") or n == "orgs:benchmarks"]


def test_our_pages_are_in_the_matrix():
    names = {n for n, _e in OURS}
    assert {"chains:list", "chains:detail", "chains:export", "chains:import", "chains:firsts",
            "orgs:benchmarks"} <= names  # fmt: skip


@pytest.mark.parametrize("who", matrix.BUSINESS_ROLES + matrix.ADMINS)
def test_each_role_reaches_only_what_it_may(client_for, people, tree, who):
    samples = matrix.Samples(tree, people)
    client = client_for(people[who])
    wrong = []
    for name, entry in OURS:
        url = matrix.url_of(entry, name, samples.kwargs(entry, "a"))
        response = client.get(url)
        status = response.status_code
        to_login = status == 302 and response["Location"].startswith(reverse("core:login"))
        allowed = status in (200, 405) or (status == 302 and not to_login)
        if allowed != matrix.expected_allowed(entry, who):
            wrong.append(f"{url}: {status}")
    assert not wrong, f"{who}: " + "; ".join(wrong)


def test_anonymous_and_another_group(client, client_for, people, tree):
    samples = matrix.Samples(tree, people)
    outsider = client_for(people["outsider"])
    for name, entry in OURS:
        kwargs = samples.kwargs(entry, "a")
        url = matrix.url_of(entry, name, kwargs)
        assert client.get(url)["Location"].startswith(reverse("core:login")), url
        if kwargs:
            assert outsider.get(url).status_code == 404, url
