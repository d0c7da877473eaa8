"""Three administrators under dual control (三员分立, GB/T 22239-2019 level 3).

The system administrator creates, disables and resets accounts; the security administrator grants
roles; the audit administrator reviews both. No administrator both sets an account's credentials
and grants it a role; a reset forces a change at the next sign-in and its secret is shown once to
the system administrator who made it; an administrator's own credentials are reset only once a
second administrator confirmed. Each test names the 等保 2.0 item it serves.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from reformtrack.core.models import AdminRole, AuditRecord
from reformtrack.core.models.users import CredentialReset
from reformtrack.core.security.otp import enrol
from reformtrack.core.services import users as user_services
from reformtrack.orgs import services as org_services
from reformtrack.orgs.models import RoleAssignment
from tests.conftest import PASSWORD
from tests.test_security import code, path_of, sign_in, totp_of

User = get_user_model()
NEW_PASSWORD = "Own#Choice2027"
GRANT = {"organisation_code": "SASAC", "role": "supervisor_admin"}


def one_time_password(response) -> str:
    return re.search(r'data-testid="one-time-password">([^<]+)<', response.content.decode()).group(
        1
    )


def browser() -> Client:
    return Client(REMOTE_ADDR="10.5.5.5")


def body(response) -> str:
    return response.content.decode()


# --- who does what ---------------------------------------------------------------------------


def test_security_admin_can_neither_create_nor_reset_accounts(people, client_for):
    """8.1.4.2 访问控制 d (管理用户权限分离) and 8.1.5.3 安全管理 a: the security administrator
    grants roles only; the issue's insider created an account, granted it supervisor_admin and
    reset the auditor's credentials: each of those steps is refused."""
    security = client_for(people["security"])
    audit = people["audit"]
    created = security.post("/people/new/", {"username": "mole", "password": "Start#Pass2026"})
    assert created.status_code == 403
    assert not User.objects.filter(username="mole").exists()
    assert security.post(f"/people/{audit.pk}/password/").status_code == 403
    assert security.post(f"/people/{audit.pk}/state/", {"action": "reset_otp"}).status_code == 403
    assert not CredentialReset.objects.exists()
    with pytest.raises(PermissionDenied):
        user_services.create_user(username="mole", password="Start#Pass2026", by=people["security"])
    with pytest.raises(PermissionDenied):
        user_services.reset_password(user=people["viewer"], by=people["security"])
    with pytest.raises(PermissionDenied):
        user_services.request_reset(user=audit, kind="password", by=people["security"])
    audit.refresh_from_db()
    assert audit.check_password(PASSWORD)


def test_system_admin_cannot_grant_roles(people, client_for, tree):
    """8.1.4.2 访问控制 d and 8.1.5.1 系统管理 a: the system administrator keeps accounts, and
    grants no role, neither business nor administrator."""
    system = client_for(people["system"])
    viewer = people["viewer"]
    assert system.post(f"/people/{viewer.pk}/roles/", GRANT).status_code == 403
    assert (
        system.post(f"/people/{viewer.pk}/admin-role/", {"admin_role": "audit"}).status_code == 403
    )
    with pytest.raises(PermissionDenied):
        org_services.grant_role(
            user=viewer, organisation=tree["SASAC"], role="viewer", granted_by=people["system"]
        )
    with pytest.raises(PermissionDenied):
        user_services.create_user(
            username="admin2", password="Start#Pass2026", admin_role="audit", by=people["system"]
        )
    assert not RoleAssignment.objects.filter(user=viewer, organisation=tree["SASAC"]).exists()


def test_who_set_the_credentials_cannot_grant_the_account_a_role(people, make_user, tree):
    """8.1.4.2 访问控制 d (三权分立): even after an administrator changed seats, whoever set an
    account's credentials does not also decide what it may do."""
    creator = make_user("sys2", admin_role=AdminRole.SYSTEM)
    account = user_services.create_user(username="fresh", password="Start#Pass2026", by=creator)
    assert account.credentials_set_by == creator
    # The security administrator moves the creator to the security seat.
    user_services.set_admin_role(user=creator, admin_role=AdminRole.SECURITY, by=people["security"])
    with translation.override("en"), pytest.raises(PermissionDenied, match="credentials"):
        org_services.grant_role(
            user=account, organisation=tree["SASAC"], role="supervisor_admin", granted_by=creator
        )
    with pytest.raises(PermissionDenied):
        user_services.set_admin_role(user=account, admin_role=AdminRole.AUDIT, by=creator)
    assert not RoleAssignment.objects.filter(user=account).exists()
    # Another security administrator may grant it.
    org_services.grant_role(
        user=account, organisation=tree["GROUP-A"], role="viewer", granted_by=people["security"]
    )
    assert RoleAssignment.objects.filter(user=account).count() == 1


def test_who_granted_the_roles_cannot_set_the_accounts_credentials(people, make_user, tree):
    """8.1.4.2 访问控制 d (三权分立): whoever granted an account its roles never learns its
    password, even after moving to the system administrator's seat."""
    granter = make_user("sec2", admin_role=AdminRole.SECURITY)
    viewer = people["viewer"]
    org_services.grant_role(
        user=viewer, organisation=tree["A-SUB"], role="viewer", granted_by=granter
    )
    user_services.set_admin_role(user=granter, admin_role=AdminRole.SYSTEM, by=people["security"])
    with translation.override("en"), pytest.raises(PermissionDenied, match="roles"):
        user_services.reset_password(user=viewer, by=granter)
    with pytest.raises(PermissionDenied):
        user_services.reset_second_factor(user=viewer, by=granter)
    viewer.refresh_from_db()
    assert viewer.check_password(PASSWORD)
    # A system administrator who granted nothing may reset it.
    assert user_services.reset_password(user=viewer, by=people["system"])


def test_no_administrator_changes_their_own_seat_or_account(people, client_for):
    """8.1.4.2 访问控制 d: nobody widens or resets their own rights through the admin pages."""
    security, system = people["security"], people["system"]
    with pytest.raises(PermissionDenied):
        user_services.set_admin_role(user=security, admin_role=AdminRole.SYSTEM, by=security)
    with pytest.raises(PermissionDenied):
        user_services.reset_password(user=system, by=system)
    with pytest.raises(PermissionDenied):
        user_services.request_reset(user=system, kind="password", by=system)
    with pytest.raises(PermissionDenied):
        user_services.set_active(user=system, active=False, by=system)


# --- resets force a change and hand the secret over once --------------------------------------


def test_a_reset_forces_a_new_password_and_is_shown_once_to_the_system_admin(people, client_for):
    """8.1.4.1 身份鉴别 a (口令定期更换) and 8.1.4.2 访问控制 b (修改默认口令): a reset gives a
    one-time password, shown only to the system administrator who made it; the user replaces
    it before anything else; the security administrator never sees it."""
    viewer = people["viewer"]
    system, security = client_for(people["system"]), client_for(people["security"])
    shown = system.post(f"/people/{viewer.pk}/password/")
    assert shown.status_code == 200
    secret = one_time_password(shown)
    for client in (system, security, client_for(people["audit"])):
        assert secret not in body(client.get(f"/people/{viewer.pk}/"))
    assert secret not in body(client_for(people["audit"]).get("/people/events/"))
    viewer.refresh_from_db()
    assert viewer.must_change_password and viewer.credentials_set_by == people["system"]

    client = browser()
    assert sign_in(client, viewer.username, secret).status_code == 302
    for page in ("/", "/orgs/", "/accounts/tokens/"):
        assert path_of(client.get(page)) == "/accounts/password/", page
    assert client.get("/api/orgs/organisations/").status_code == 403
    changed = client.post(
        "/accounts/password/",
        {"old_password": secret, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert client.get("/orgs/").status_code == 200
    viewer.refresh_from_db()
    assert not viewer.must_change_password


def test_a_new_account_changes_its_initial_password_first(people, client_for):
    """8.1.4.2 访问控制 b (修改默认口令): the initial password set by the system administrator
    is replaced by the user at the first sign-in."""
    system = client_for(people["system"])
    system.post("/people/new/", {"username": "starter", "password": "Start#Pass2026"})
    client = browser()
    sign_in(client, "starter", "Start#Pass2026")
    assert path_of(client.get("/")) == "/accounts/password/"


def test_a_business_users_second_factor_reset_forces_a_new_enrolment(people, client_for):
    """8.1.4.1 身份鉴别 d (双因素): a user who had a second factor does not lose it by a reset;
    they enrol a new device before reaching anything."""
    viewer = people["viewer"]
    enrol(viewer)
    response = client_for(people["system"]).post(
        f"/people/{viewer.pk}/state/", {"action": "reset_otp"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=viewer).exists()
    client = browser()
    sign_in(client, viewer.username)
    assert path_of(client.get("/orgs/")) == "/accounts/otp/"
    page = client.get("/accounts/otp/?next=/")
    assert "<svg" in body(page)
    pending = TOTPDevice.objects.get(user=viewer, confirmed=False)
    client.post("/accounts/otp/", {"token": totp_of(body(page), pending), "next": "/"})
    assert client.get("/orgs/").status_code == 200
    viewer.refresh_from_db()
    assert not viewer.must_enrol_otp


# --- an administrator's credentials: a second administrator confirms --------------------------


def test_an_administrators_password_reset_needs_a_second_administrator(people, client_for):
    """8.1.4.2 访问控制 d and 8.1.5.1 系统管理 a: no administrator reaches another
    administrator's account alone; the secret goes to the requester only, once."""
    audit = people["audit"]
    system, security = client_for(people["system"]), client_for(people["security"])

    requested = system.post(f"/people/{audit.pk}/password/")
    assert requested.status_code == 302
    reset = CredentialReset.objects.get(user=audit)
    audit.refresh_from_db()
    assert audit.check_password(PASSWORD) and not audit.must_change_password

    # Not before a confirmation; not by the requester; not by the account's holder.
    carry = {"reset": reset.pk, "action": "carry_out"}
    assert 'data-testid="one-time-password"' not in body(system.post("/people/resets/", carry))
    system.post("/people/resets/", {"reset": reset.pk, "action": "confirm"})
    client_for(audit).post("/people/resets/", {"reset": reset.pk, "action": "confirm"})
    client_for(audit).post("/people/resets/", {"reset": reset.pk, "action": "cancel"})
    reset.refresh_from_db()
    assert reset.confirmed_at is None and reset.cancelled_at is None

    # The security administrator confirms, sees no secret and cannot carry the reset out.
    confirmed = security.post(
        "/people/resets/", {"reset": reset.pk, "action": "confirm"}, follow=True
    )
    reset.refresh_from_db()
    assert reset.confirmed_by == people["security"]
    assert 'data-testid="one-time-password"' not in body(confirmed)
    assert 'data-testid="one-time-password"' not in body(security.post("/people/resets/", carry))

    shown = system.post("/people/resets/", carry)
    secret = one_time_password(shown)
    reset.refresh_from_db()
    assert reset.done_at is not None
    # Once only: the request is closed.
    assert 'data-testid="one-time-password"' not in body(system.post("/people/resets/", carry))

    audit.refresh_from_db()
    assert audit.check_password(secret) and audit.must_change_password
    client = browser()
    sign_in(client, audit.username, secret)
    device = TOTPDevice.objects.get(user=audit, confirmed=True)
    client.post("/accounts/otp/", {"token": code(device), "next": "/audit/"})
    assert path_of(client.get("/audit/")) == "/accounts/password/"
    events = AuditRecord.objects.filter(object_id=str(audit.pk), action="security")
    assert {"reset_requested", "reset_confirmed", "password_reset"} <= {
        r.changes.get("event") for r in events
    }


def test_an_administrators_new_key_is_issued_only_after_confirmation(people, client_for):
    """8.1.4.1 身份鉴别 d (双因素) and 8.1.4.2 访问控制 d: an administrator's second factor is
    replaced only with a second administrator's confirmation; the key is shown once to the
    system administrator who carries the reset out, and the old key stops."""
    audit = people["audit"]
    old = TOTPDevice.objects.get(user=audit, confirmed=True)
    system = client_for(people["system"])
    system.post(f"/people/{audit.pk}/state/", {"action": "reset_otp"})
    reset = CredentialReset.objects.get(user=audit, kind="otp")
    assert TOTPDevice.objects.filter(pk=old.pk).exists()
    client_for(people["security"]).post("/people/resets/", {"reset": reset.pk, "action": "confirm"})
    shown = system.post("/people/resets/", {"reset": reset.pk, "action": "carry_out"})
    assert shown.status_code == 200 and 'data-testid="otp-secret"' in body(shown)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    issued = TOTPDevice.objects.get(user=audit)

    client = browser()
    sign_in(client, audit.username)
    assert "<svg" not in body(client.get("/accounts/otp/?next=/"))  # nothing to set up alone
    accepted = client.post(
        "/accounts/otp/", {"token": totp_of(body(shown), issued), "next": "/audit/"}
    )
    assert accepted.status_code == 302 and path_of(accepted) == "/audit/"


def test_a_new_administrator_takes_three_people(people, client_for):
    """8.1.4.2 访问控制 d: the system administrator creates the account, the security
    administrator gives it the administrator seat, a third administrator confirms its key."""
    system, security = client_for(people["system"]), client_for(people["security"])
    system.post("/people/new/", {"username": "auditor2", "password": "Start#Pass2026"})
    person = User.objects.get(username="auditor2")
    assert (
        system.post(f"/people/{person.pk}/admin-role/", {"admin_role": "audit"}).status_code == 403
    )
    security.post(f"/people/{person.pk}/admin-role/", {"admin_role": "audit"})
    person.refresh_from_db()
    assert person.admin_role == "audit" and person.roles_granted_by == people["security"]

    system.post(f"/people/{person.pk}/state/", {"action": "reset_otp"})
    reset = CredentialReset.objects.get(user=person)
    client_for(people["audit"]).post("/people/resets/", {"reset": reset.pk, "action": "confirm"})
    shown = system.post("/people/resets/", {"reset": reset.pk, "action": "carry_out"})
    assert 'data-testid="otp-secret"' in body(shown)
    assert TOTPDevice.objects.get(user=person).confirmed


def test_administrators_hold_no_business_role(people, tree, client_for):
    """8.1.4.2 访问控制 d (最小权限): an administrator seat and a business role never meet."""
    security = client_for(people["security"])
    audit = people["audit"]
    security.post(f"/people/{audit.pk}/roles/", GRANT)
    assert not RoleAssignment.objects.filter(user=audit).exists()
    viewer = people["viewer"]
    security.post(f"/people/{viewer.pk}/admin-role/", {"admin_role": "system"})
    viewer.refresh_from_db()
    assert viewer.admin_role == ""


# --- the audit administrator reviews ----------------------------------------------------------


def test_audit_admin_reviews_account_and_grant_events(people, client_for, tree):
    """8.1.4.3 安全审计 a/b and 8.1.5.2 审计管理 a: the audit administrator reads who created,
    reset and granted what (read-only); the other two cannot."""
    system, security = client_for(people["system"]), client_for(people["security"])
    system.post("/people/new/", {"username": "reviewed", "password": "Start#Pass2026"})
    person = User.objects.get(username="reviewed")
    security.post(f"/people/{person.pk}/roles/", {"organisation_code": "GROUP-A", "role": "viewer"})
    system.post(f"/people/{person.pk}/password/")

    auditor = client_for(people["audit"])
    page = body(auditor.get("/people/events/"))
    assert "reviewed" in page
    assert "password_reset" in page and "sys" in page and "sec" in page
    assert "甲集团" in page or "GROUP-A" in page  # the grant
    detail = body(auditor.get(f"/people/{person.pk}/"))
    assert 'data-testid="event-row"' in detail
    assert 'name="action"' not in detail  # no buttons for the audit administrator
    assert auditor.post("/people/events/").status_code == 405
    for other in ("system", "security"):
        assert client_for(people[other]).get("/people/events/").status_code == 403
