"""Pages that stay fast (issue 21, item 3): what the signed-in header and the scoping layer
keep between requests is only compiled SQL, never a result, so a count or a grant changed in
another request shows on the next page at once."""

from __future__ import annotations

import re

from django.urls import reverse

from reformtrack.core.services.notifications import notify
from reformtrack.orgs.models import RoleAssignment
from reformtrack.orgs.services import grant_role, revoke_role


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
