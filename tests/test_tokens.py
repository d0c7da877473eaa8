"""API tokens: named, shown once, stored as a hash, expiring, listed and revoked by their owner and
the security administrator, void while the account is disabled or its password has expired."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from reformtrack.core.models import ApiToken, AuditRecord
from reformtrack.core.services.tokens import create_token

ORGS = "/api/orgs/organisations/"
MINE = "/accounts/tokens/"
ALL = "/people/tokens/"


def api_with(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def secret_on(response) -> str:
    return re.search(r'data-testid="token-secret">([^<]+)<', response.content.decode()).group(1)


def test_a_user_makes_a_token_on_the_page_and_sees_it_once(people, client_for):
    """GB/T 22239-2019 8.1.4.1 身份鉴别 a: the token is the user's own credential, shown once and
    kept only as a hash, so nobody reads it back from the page or the database."""
    client = client_for(people["viewer"])
    made = client.post(MINE, {"name": "monthly export"})
    assert made.status_code == 200
    secret = secret_on(made)
    assert secret.startswith("rt_") and len(secret) > 40

    token = ApiToken.objects.get(user=people["viewer"])
    assert token.name == "monthly export"
    assert secret.startswith(token.prefix) and token.key_hash != secret
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_apitoken")
        assert not any(secret in str(value) for row in cursor.fetchall() for value in row)

    again = client.get(MINE).content.decode()
    assert "monthly export" in again and token.prefix in again
    assert secret not in again
    assert api_with(secret).get(ORGS).status_code == 200


def test_tokens_expire_after_the_configured_days(people):
    """8.1.4.1 身份鉴别 a/b: a token is a credential with a lifetime (API_TOKEN_DAYS, 90)."""
    assert settings.API_TOKEN_DAYS == 90
    token, secret = create_token(user=people["viewer"], name="script")
    lifetime = token.expires_at - token.created_at
    assert dt.timedelta(days=89) < lifetime <= dt.timedelta(days=90)
    assert api_with(secret).get(ORGS).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refused = api_with(secret).get(ORGS)
    assert refused.status_code == 401
    assert refused.json()["detail"]


def test_a_token_stops_with_the_accounts_password_expiry(people):
    """8.1.4.1 身份鉴别 a (定期更换): a token does not outlive the password it was made under."""
    viewer = people["viewer"]
    _token, secret = create_token(user=viewer, name="script")
    old = timezone.now() - dt.timedelta(days=settings.PASSWORD_EXPIRY_DAYS + 1)
    get_user_model().objects.filter(pk=viewer.pk).update(password_changed_at=old)
    assert api_with(secret).get(ORGS).status_code == 401
    get_user_model().objects.filter(pk=viewer.pk).update(
        password_changed_at=timezone.now(), must_change_password=True
    )
    assert api_with(secret).get(ORGS).status_code == 401
    get_user_model().objects.filter(pk=viewer.pk).update(must_change_password=False)
    assert api_with(secret).get(ORGS).status_code == 200


def test_a_token_stops_while_the_account_is_disabled(people, client_for):
    """8.1.4.2 访问控制 c: a disabled account reaches nothing, through the API neither."""
    viewer = people["viewer"]
    _token, secret = create_token(user=viewer, name="script")
    system = client_for(people["system"])
    system.post(f"/people/{viewer.pk}/state/", {"action": "deactivate"})
    assert api_with(secret).get(ORGS).status_code == 401
    system.post(f"/people/{viewer.pk}/state/", {"action": "activate"})
    assert api_with(secret).get(ORGS).status_code == 200


def test_the_owner_revokes_a_token_on_the_page(people, client_for):
    """8.1.4.2 访问控制 c: a credential no longer needed is withdrawn at once, and audited."""
    viewer = people["viewer"]
    token, secret = create_token(user=viewer, name="script")
    client = client_for(viewer)
    assert client.post(MINE, {"revoke": token.pk}).status_code == 302
    assert api_with(secret).get(ORGS).status_code == 401
    assert "已吊销" in client.get(MINE).content.decode()
    events = AuditRecord.objects.filter(object_id=str(viewer.pk), action="security")
    assert {r.changes["event"] for r in events} >= {"token_created", "token_revoked"}
    assert all(secret not in json.dumps(r.changes) for r in events)


def test_nobody_revokes_another_users_token_from_their_own_page(people, client_for):
    token, secret = create_token(user=people["viewer"], name="script")
    response = client_for(people["reform_office"]).post(MINE, {"revoke": token.pk})
    assert response.status_code == 404
    assert api_with(secret).get(ORGS).status_code == 200


def test_security_admin_lists_and_revokes_any_token(people, client_for):
    """8.1.4.2 访问控制 e (由授权主体配置访问控制策略): the security administrator sees every
    active token (never a secret) and revokes any; the other administrators cannot."""
    token, secret = create_token(user=people["viewer"], name="viewer's script")
    security = client_for(people["security"])
    page = security.get(ALL).content.decode()
    assert "viewer&#x27;s script" in page and token.prefix in page and secret not in page
    for other in ("system", "audit", "viewer"):
        assert client_for(people[other]).get(ALL).status_code == 403, other
        assert client_for(people[other]).post(ALL, {"token": token.pk}).status_code == 403
    assert api_with(secret).get(ORGS).status_code == 200
    assert security.post(ALL, {"token": token.pk}).status_code == 302
    assert api_with(secret).get(ORGS).status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == people["security"]
    assert token.prefix not in security.get(ALL).content.decode()


@pytest.mark.parametrize("admin", ["system", "security", "audit"])
def test_administrators_have_no_tokens(people, client_for, admin):
    """8.1.4.1 身份鉴别 d: a token would let an administrator skip the second factor."""
    assert client_for(people[admin]).get(MINE).status_code == 403
    with pytest.raises(CommandError):
        call_command("token", "create", people[admin].username, stdout=io.StringIO())


def test_unknown_or_malformed_tokens_are_refused(people):
    assert api_with("rt_not-a-real-token").get(ORGS).status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token two parts")
    assert client.get(ORGS).status_code == 401


def test_drf_plain_tokens_are_gone():
    """Only hashed, expiring tokens authenticate: DRF's plain authtoken app is not installed."""
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    auth = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert auth[0] == "reformtrack.core.api.authentication.ApiTokenAuthentication"


def test_token_command_creates_lists_and_revokes(people):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "viewer_a", "--name", "cron", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert "shown only now" in err.getvalue()
    assert api_with(secret).get(ORGS).status_code == 200

    listing = io.StringIO()
    call_command("token", "list", "viewer_a", "--json", stdout=listing)
    rows = json.loads(listing.getvalue())
    assert [r["name"] for r in rows] == ["cron"] and rows[0]["state"] == "active"
    assert secret not in listing.getvalue()

    made = io.StringIO()
    call_command("token", "create", "viewer_a", "--days", "7", "--json", stdout=made)
    data = json.loads(made.getvalue())
    assert data["token"].startswith("rt_") and data["state"] == "active"

    call_command("token", "revoke", str(rows[0]["id"]), stdout=io.StringIO())
    assert api_with(secret).get(ORGS).status_code == 401
    assert api_with(data["token"]).get(ORGS).status_code == 200
