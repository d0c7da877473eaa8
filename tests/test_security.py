"""The 等保 2.0 level-3 controls, exercised through real requests against the real SQLite DB.

Hashing, password policy, lock-out (django-axes), second factor (django-otp TOTP), password
expiry, idle timeout, security headers, separation of the three administrators (三员分立) and the
security administrator's account pages.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from reformtrack import settings as product_settings
from reformtrack.core.models import AdminRole, AuditRecord
from reformtrack.core.security.otp import enrol
from reformtrack.core.services import users as user_services
from reformtrack.orgs import services as org_services
from reformtrack.orgs.models import RoleAssignment
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
OTP = "/accounts/otp/"
PASSWORD_PAGE = "/accounts/password/"
NEW_PASSWORD = "Fresh#Pass2027"
IP = "10.1.2.3"


# --- helpers -------------------------------------------------------------------------------


def browser(ip: str = IP) -> Client:
    """A fresh client from one address; no Accept-Language, so the default language applies."""
    return Client(REMOTE_ADDR=ip)


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def path_of(response) -> str:
    return urlsplit(response["Location"]).path


def code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.time = totp.time + offset_steps * device.step
    return f"{int(totp.token()):0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that is none of the codes the device accepts now (tolerance ±1 step)."""
    valid = {code(device, offset_steps=s) for s in range(-2, 3)}
    return next(c for c in (str(d) * 6 for d in range(10)) if c not in valid)


def text(response) -> str:
    return response.content.decode()


# --- hashing and password policy ------------------------------------------------------------


def test_product_hashes_passwords_with_argon2():
    assert product_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=product_settings.PASSWORD_HASHERS):
        encoded = make_password("Good#Pass2026")
        assert encoded.startswith("argon2")
        assert check_password("Good#Pass2026", encoded)
        assert not check_password("Good#Pass2027", encoded)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short1A", "too short. It must contain at least 8 characters"),
        ("alllowercase1", "at least 3 kinds of characters: lower-case, upper-case, digits"),
    ],
)
def test_password_policy_refuses_weak_passwords_with_clear_messages(password, expected):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        user_services.create_user(username="newcomer", password=password)
    assert any(expected in message for message in caught.value.messages), caught.value.messages
    assert not get_user_model().objects.filter(username="newcomer").exists()
    # In the default language (Simplified Chinese) the message is translated too.
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        user_services.create_user(username="newcomer", password=password)
    assert all(re.search(r"[\u4e00-\u9fff]", message) for message in caught.value.messages)


@pytest.mark.django_db
def test_password_policy_accepts_a_strong_password():
    user = user_services.create_user(username="newcomer", password="Good#Pass2026")
    assert user.check_password("Good#Pass2026")
    assert user.password_changed_at is not None


@pytest.mark.django_db
def test_password_policy_settings_match_the_assessor_defaults():
    assert settings.PASSWORD_MIN_LENGTH == 8
    assert settings.PASSWORD_MIN_CLASSES == 3
    assert settings.PASSWORD_EXPIRY_DAYS == 90


# --- lock-out (django-axes) -----------------------------------------------------------------


def _fail_five_times(client: Client, username: str):
    responses = [sign_in(client, username, "Wrong#Pass0000") for _ in range(5)]
    return responses


def test_lockout_after_five_failures_and_security_admin_unlock(people, client_for):
    viewer, office = people["viewer"], people["reform_office"]
    client = browser()
    responses = _fail_five_times(client, viewer.username)
    # The first four are ordinary "wrong password" pages.
    assert [r.status_code for r in responses[:4]] == [200] * 4

    # Now even the right password is refused, with the locked-out page.
    locked = sign_in(browser(), viewer.username)
    assert locked.status_code == 429
    assert "core/locked_out.html" in [t.name for t in locked.templates]
    assert "_auth_user_id" not in browser().session

    # Lock-out is per account, not per address: another user on the same address signs in.
    other = sign_in(browser(), office.username)
    assert other.status_code == 302 and path_of(other) == "/"

    # The security administrator lifts the lock.
    security = client_for(people["security"])
    unlocked = security.post(f"/people/{viewer.pk}/state/", {"action": "unlock"})
    assert unlocked.status_code == 302 and path_of(unlocked) == f"/people/{viewer.pk}/"

    client = browser()
    response = sign_in(client, viewer.username)
    assert response.status_code == 302 and path_of(response) == "/"
    assert client.get("/").status_code == 200


def test_lockout_is_also_enforced_for_a_different_address(people):
    _fail_five_times(browser("10.0.0.1"), people["viewer"].username)
    assert sign_in(browser("10.0.0.2"), people["viewer"].username).status_code == 429


# --- second factor (TOTP) -------------------------------------------------------------------


def test_administrator_must_pass_the_second_factor(people):
    audit = people["audit"]
    device = TOTPDevice.objects.get(user=audit, confirmed=True)
    client = browser()
    response = sign_in(client, audit.username)
    assert response.status_code == 302

    # Any page, and the API, sends them back to the second factor.
    for page in ("/", "/audit/", "/inbox/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert path_of(response) == OTP, page
    api = client.get("/api/notifications/")
    assert api.status_code == 403

    page = client.get(OTP + "?next=/audit/")
    assert page.status_code == 200
    assert "<svg" not in text(page)  # a confirmed device: no enrolment

    refused = client.post(OTP, {"token": wrong_code(device), "next": "/audit/"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["token"]
    assert client.get("/audit/").status_code == 302

    # django-otp throttles after a failure (1 s, doubling); let that time pass in the DB.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(hours=1)
    )
    device.refresh_from_db()
    accepted = client.post(OTP, {"token": code(device), "next": "/audit/"})
    assert accepted.status_code == 302 and path_of(accepted) == "/audit/"
    assert client.get("/audit/").status_code == 200


def test_second_factor_keeps_the_whole_requested_address(people):
    """The page asked for, query string included, is where the user lands after the code."""
    audit = people["audit"]
    device = TOTPDevice.objects.get(user=audit, confirmed=True)
    client = browser()
    sign_in(client, audit.username)
    wanted = "/audit/?action=login&page=1"
    response = client.get(wanted)
    assert path_of(response) == OTP
    next_values = parse_qs(urlsplit(response["Location"]).query).get("next")
    assert next_values == [wanted], response["Location"]

    accepted = client.post(OTP, {"token": code(device), "next": next_values[0]})
    assert accepted["Location"] == wanted


def totp_of(body: str, device) -> str:
    """The code an authenticator app shows for the key printed on a page."""
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7]+)<', body).group(1)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    assert key == device.bin_key
    return f"{int(TOTP(key, step=device.step, t0=device.t0, digits=6).token()):06d}"


def test_administrator_without_a_key_cannot_enrol_themselves(people):
    """Whoever holds an administrator's password alone must not be able to set up a device."""
    system = people["system"]
    TOTPDevice.objects.filter(user=system).delete()
    client = browser()
    sign_in(client, system.username)
    assert path_of(client.get("/")) == OTP
    page = client.get(OTP + "?next=/")
    body = text(page)
    assert "<svg" not in body and 'data-testid="otp-secret"' not in body
    assert "安全管理员" in body  # ask the security administrator for a key
    refused = client.post(OTP, {"token": "123456", "next": "/"})
    assert refused.status_code == 200 and refused.context["form"].errors["token"]
    assert not TOTPDevice.objects.filter(user=system).exists()
    assert path_of(client.get("/")) == OTP


def test_business_user_enrols_a_device_of_their_own(people):
    viewer = people["viewer"]
    client = browser()
    sign_in(client, viewer.username)
    body = text(client.get(OTP + "?next=/"))
    assert "<svg" in body
    pending = TOTPDevice.objects.get(user=viewer, confirmed=False)
    response = client.post(OTP, {"token": totp_of(body, pending), "next": "/"})
    assert response.status_code == 302 and path_of(response) == "/"
    pending.refresh_from_db()
    assert pending.confirmed
    assert client.get("/").status_code == 200


def test_enrolment_with_a_wrong_code_confirms_nothing(people):
    viewer = people["viewer"]
    device = enrol(viewer, confirmed=False)
    client = browser()
    sign_in(client, viewer.username)
    response = client.post(OTP, {"token": wrong_code(device), "next": "/"})
    assert response.status_code == 200
    assert "<svg" in text(response)
    device.refresh_from_db()
    assert not device.confirmed


def test_business_user_without_a_device_is_not_asked(people):
    client = browser()
    response = sign_in(client, people["viewer"].username)
    assert path_of(response) == "/"
    assert client.get("/").status_code == 200
    assert client.get("/orgs/").status_code == 200


def test_business_user_who_enrolled_a_device_is_asked(people):
    viewer = people["viewer"]
    enrol(viewer)
    client = browser()
    sign_in(client, viewer.username)
    assert path_of(client.get("/orgs/")) == OTP


# --- password expiry ------------------------------------------------------------------------


def test_expired_password_must_be_changed_first(people):
    viewer = people["viewer"]
    old = timezone.now() - dt.timedelta(days=settings.PASSWORD_EXPIRY_DAYS + 1)
    get_user_model().objects.filter(pk=viewer.pk).update(password_changed_at=old)

    client = browser()
    sign_in(client, viewer.username)
    for page in ("/", "/orgs/", "/orgs/tree/", "/inbox/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert path_of(response) == PASSWORD_PAGE, page
    assert client.get("/api/orgs/organisations/").status_code == 403
    assert client.get(PASSWORD_PAGE).status_code == 200

    changed = client.post(
        PASSWORD_PAGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/orgs/").status_code == 200
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)


def test_password_a_day_younger_than_the_limit_is_fine(people):
    viewer = people["viewer"]
    recent = timezone.now() - dt.timedelta(days=settings.PASSWORD_EXPIRY_DAYS - 1)
    get_user_model().objects.filter(pk=viewer.pk).update(password_changed_at=recent)
    client = browser()
    sign_in(client, viewer.username)
    assert client.get("/").status_code == 200


def test_password_change_page_applies_the_policy(people):
    viewer = people["viewer"]
    get_user_model().objects.filter(pk=viewer.pk).update(password_changed_at=None)
    client = browser()
    sign_in(client, viewer.username)
    response = client.post(
        PASSWORD_PAGE,
        {
            "old_password": PASSWORD,
            "new_password1": "alllowercase1",
            "new_password2": "alllowercase1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert path_of(client.get("/")) == PASSWORD_PAGE


# --- idle timeout ---------------------------------------------------------------------------


def test_idle_timeout_is_configured():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_session_expires_after_the_idle_time_and_requests_extend_it(people):
    client = browser()
    sign_in(client, people["viewer"].username)
    assert client.session.get_expiry_age() == 1800
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    # A request refreshes the server-side expiry (SESSION_SAVE_EVERY_REQUEST).
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert client.get("/").status_code == 200
    expire = Session.objects.get(pk=key).expire_date
    assert expire > timezone.now() + dt.timedelta(minutes=20)

    # A session idle for longer than that is gone: the user is sent to sign in.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/orgs/")
    assert response.status_code == 302 and path_of(response) == LOGIN


# --- headers and page content ---------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_sends_security_headers():
    response = browser().get(LOGIN)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_login_page_loads_nothing_from_elsewhere():
    body = text(browser().get(LOGIN))
    links = re.findall(r'(?:src|href|action)\s*=\s*["\']([^"\']*)["\']', body)
    assert links, "the page links to its own stylesheet and script at least"
    off_host = [u for u in links if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", u, re.I)]
    assert off_host == []
    assert "<script>" not in body  # no inline script, which the CSP would block
    assert " style=" not in body


@pytest.mark.django_db
def test_static_files_are_served_by_the_app_with_debug_off():
    assert settings.DEBUG is False
    response = browser().get("/static/reformtrack/app.css")
    assert response.status_code == 200
    assert type(response).__module__.startswith("whitenoise")  # served by WhiteNoise
    assert b"".join(response.streaming_content)
    assert response["X-Content-Type-Options"] == "nosniff"
    htmx = browser().get("/static/django_htmx/htmx-2.min.js")
    assert htmx.status_code == 200


@pytest.mark.django_db
def test_login_page_defaults_to_simplified_chinese():
    body = text(browser().get(LOGIN))
    assert '<html lang="zh-CN">' in body
    assert "用户名" in body


# --- 三员分立: separation of the three administrators -----------------------------------------


@pytest.mark.parametrize("admin", ["system", "security", "audit"])
def test_administrators_see_no_business_data(people, tree, client_for, api_for, admin):
    client = client_for(people[admin])
    org = tree["GROUP-A"]
    for page in ("/orgs/", "/orgs/tree/", f"/orgs/{org.pk}/", f"/orgs/{org.pk}/children/"):
        assert client.get(page).status_code == 403, page
    assert client.get("/api/orgs/organisations/").status_code == 403
    assert client.get(f"/api/orgs/organisations/{org.pk}/").status_code == 403
    assert api_for(people[admin]).get("/api/orgs/organisations/").status_code == 403
    home = text(client.get("/"))
    assert org.name_zh not in home


def test_audit_admin_cannot_manage_people(people, client_for):
    client = client_for(people["audit"])
    assert client.get("/people/").status_code == 403
    assert client.get("/people/new/").status_code == 403
    target = people["viewer"]
    assert client.post(f"/people/{target.pk}/state/", {"action": "unlock"}).status_code == 403


def test_security_admin_cannot_read_the_audit_log(people, client_for):
    client = client_for(people["security"])
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert client.get("/audit/verify/").status_code == 403


def test_system_admin_reaches_neither_people_nor_audit(people, client_for):
    client = client_for(people["system"])
    assert client.get("/people/").status_code == 403
    assert client.get("/audit/").status_code == 403
    assert client.get("/system/designation-kinds/").status_code == 200


def test_administrator_cannot_be_given_a_business_role(people, tree):
    with translation.override("en"), pytest.raises(ValidationError, match="administrator"):
        org_services.grant_role(user=people["audit"], organisation=tree["GROUP-A"], role="viewer")
    assert not RoleAssignment.objects.filter(user=people["audit"]).exists()


def test_business_user_cannot_become_an_administrator(people):
    viewer = people["viewer"]
    with translation.override("en"), pytest.raises(ValidationError, match="business roles"):
        user_services.set_admin_role(user=viewer, admin_role=AdminRole.AUDIT)
    viewer.refresh_from_db()
    assert viewer.admin_role == ""


def test_security_admin_cannot_grant_a_role_to_an_administrator(people, client_for):
    client = client_for(people["security"])
    audit = people["audit"]
    response = client.post(
        f"/people/{audit.pk}/roles/", {"organisation_code": "GROUP-A", "role": "viewer"}
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=audit).exists()


# --- the security administrator's account pages ----------------------------------------------


def test_security_admin_manages_an_account_end_to_end(people, tree, client_for):
    client = client_for(people["security"])
    assert client.get("/people/").status_code == 200

    created = client.post(
        "/people/new/",
        {
            "username": "newhire",
            "display_name": "新员工",
            "email": "newhire@example.org",
            "admin_role": "",
            "password": "Start#Pass2026",
        },
    )
    assert created.status_code == 302
    person = get_user_model().objects.get(username="newhire")
    assert path_of(created) == f"/people/{person.pk}/"
    assert client.get(f"/people/{person.pk}/").status_code == 200

    granted = client.post(
        f"/people/{person.pk}/roles/", {"organisation_code": "GROUP-A", "role": "viewer"}
    )
    assert granted.status_code == 302
    assignment = RoleAssignment.objects.get(user=person)
    assert assignment.organisation == tree["GROUP-A"] and assignment.role == "viewer"

    revoked = client.post(f"/people/{person.pk}/roles/{assignment.pk}/revoke/")
    assert revoked.status_code == 302
    assert not RoleAssignment.objects.filter(user=person).exists()

    reset = client.post(
        f"/people/{person.pk}/password/", {"password": "Reset#Pass2026", "force_change": "on"}
    )
    assert reset.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Reset#Pass2026")

    # At the next sign-in the user must choose a new password before anything else.
    user_client = browser("10.9.9.9")
    signed = sign_in(user_client, "newhire", "Reset#Pass2026")
    assert signed.status_code == 302
    assert path_of(user_client.get("/")) == PASSWORD_PAGE
    changed = user_client.post(
        PASSWORD_PAGE,
        {
            "old_password": "Reset#Pass2026",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert user_client.get("/").status_code == 200


def test_security_admin_create_form_reports_a_weak_password(people, client_for):
    client = client_for(people["security"])
    response = client.post(
        "/people/new/", {"username": "weakling", "admin_role": "", "password": "short1A"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not get_user_model().objects.filter(username="weakling").exists()


def test_password_reset_without_force_change_does_not_expire(people, client_for):
    client = client_for(people["security"])
    viewer = people["viewer"]
    client.post(f"/people/{viewer.pk}/password/", {"password": "Reset#Pass2026"})
    user_client = browser("10.9.9.8")
    sign_in(user_client, viewer.username, "Reset#Pass2026")
    assert user_client.get("/").status_code == 200


def test_reset_second_factor_issues_the_admin_a_new_key(people, client_for):
    audit = people["audit"]
    old = TOTPDevice.objects.get(user=audit, confirmed=True)
    security = client_for(people["security"])
    shown = security.post(f"/people/{audit.pk}/state/", {"action": "reset_otp"})
    assert shown.status_code == 200 and "<svg" in text(shown)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    issued = TOTPDevice.objects.get(user=audit)
    assert AuditRecord.objects.filter(changes__event="otp_issued").exists()

    client = browser()
    sign_in(client, audit.username)
    assert "<svg" not in text(client.get(OTP + "?next=/"))  # nothing to set up alone
    accepted = client.post(OTP, {"token": totp_of(text(shown), issued), "next": "/audit/"})
    assert accepted.status_code == 302 and path_of(accepted) == "/audit/"


def test_security_admin_creating_an_administrator_sees_the_key_once(people, client_for):
    client = client_for(people["security"])
    shown = client.post(
        "/people/new/",
        {"username": "audit2", "admin_role": "audit", "password": "Start#Pass2026"},
    )
    assert shown.status_code == 200 and 'data-testid="otp-secret"' in text(shown)
    person = get_user_model().objects.get(username="audit2")
    assert TOTPDevice.objects.get(user=person).confirmed
    assert 'data-testid="otp-secret"' not in text(client.get(f"/people/{person.pk}/"))


def test_deactivated_account_cannot_sign_in(people, client_for):
    viewer = people["viewer"]
    client_for(people["security"]).post(f"/people/{viewer.pk}/state/", {"action": "deactivate"})
    client = browser()
    response = sign_in(client, viewer.username)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- probes added after reading the code ---------------------------------------------------


def test_password_page_requires_the_second_factor_for_administrators(people):
    """Knowing an administrator's password alone must not let anyone replace it."""
    audit = people["audit"]
    client = browser()
    sign_in(client, audit.username)
    client.post(
        PASSWORD_PAGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    audit.refresh_from_db()
    assert audit.check_password(PASSWORD), "password changed without the second factor"
    page = client.get(PASSWORD_PAGE)
    assert page.status_code == 302 and path_of(page) == OTP


def test_second_factor_does_not_redirect_off_site(people):
    audit = people["audit"]
    device = TOTPDevice.objects.get(user=audit, confirmed=True)
    client = browser()
    sign_in(client, audit.username)
    response = client.post(OTP, {"token": code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_successful_sign_in_resets_the_failure_count(people):
    viewer = people["viewer"]
    for _ in range(4):
        sign_in(browser(), viewer.username, "Wrong#Pass0000")
    assert sign_in(browser(), viewer.username).status_code == 302
    for _ in range(4):
        sign_in(browser(), viewer.username, "Wrong#Pass0000")
    assert sign_in(browser(), viewer.username).status_code == 302


def test_failed_sign_ins_are_audited_with_the_address(people):
    from reformtrack.core.models import AuditRecord

    sign_in(browser("10.7.7.7"), people["viewer"].username, "Wrong#Pass0000")
    record = AuditRecord.objects.filter(action="login_failed").latest("seq")
    assert record.actor_username == people["viewer"].username
    assert record.ip == "10.7.7.7"
    assert "Wrong#Pass0000" not in str(record.changes)


def test_locked_out_page_says_how_long_the_lock_lasts(people):
    client = Client(REMOTE_ADDR=IP, HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        sign_in(client, people["viewer"].username, "Wrong#Pass0000")
    body = text(sign_in(client, people["viewer"].username))
    message = body.split("<main>", 1)[1]
    assert "attempts' worth of time" not in message
    assert re.search(r"\b30\b", message), "the cool-off (30 minutes) is not stated"
