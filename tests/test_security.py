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


def test_lockout_after_five_failures_and_system_admin_unlock(people, client_for):
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

    # The system administrator lifts the lock.
    system = client_for(people["system"])
    unlocked = system.post(f"/people/{viewer.pk}/state/", {"action": "unlock"})
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
    assert "系统管理员" in body  # ask the system administrator for a key
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


def test_audit_admin_reads_accounts_but_cannot_manage_them(people, client_for):
    client = client_for(people["audit"])
    assert client.get("/people/").status_code == 200
    assert client.get(f"/people/{people['viewer'].pk}/").status_code == 200
    assert client.get("/people/new/").status_code == 403
    target = people["viewer"]
    assert client.post(f"/people/{target.pk}/state/", {"action": "unlock"}).status_code == 403
    assert client.post(f"/people/{target.pk}/password/").status_code == 403
    grant = {"organisation_code": "GROUP-A", "role": "viewer"}
    assert client.post(f"/people/{target.pk}/roles/", grant).status_code == 403


def test_security_admin_cannot_read_the_audit_log(people, client_for):
    client = client_for(people["security"])
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert client.get("/audit/verify/").status_code == 403


def test_system_admin_manages_accounts_but_not_roles_nor_audit(people, client_for):
    client = client_for(people["system"])
    assert client.get("/people/").status_code == 200
    grant = {"organisation_code": "GROUP-A", "role": "viewer"}
    assert client.post(f"/people/{people['viewer'].pk}/roles/", grant).status_code == 403
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


# --- the administrators' account pages ------------------------------------------------------


def test_system_and_security_admins_manage_an_account_end_to_end(people, tree, client_for):
    """The system administrator creates and resets; the security administrator grants."""
    system, security = client_for(people["system"]), client_for(people["security"])
    assert system.get("/people/").status_code == 200

    created = system.post(
        "/people/new/",
        {
            "username": "newhire",
            "display_name": "新员工",
            "email": "newhire@example.org",
            "password": "Start#Pass2026",
        },
    )
    assert created.status_code == 302
    person = get_user_model().objects.get(username="newhire")
    assert path_of(created) == f"/people/{person.pk}/"
    assert system.get(f"/people/{person.pk}/").status_code == 200

    granted = security.post(
        f"/people/{person.pk}/roles/", {"organisation_code": "GROUP-A", "role": "viewer"}
    )
    assert granted.status_code == 302
    assignment = RoleAssignment.objects.get(user=person)
    assert assignment.organisation == tree["GROUP-A"] and assignment.role == "viewer"

    revoked = security.post(f"/people/{person.pk}/roles/{assignment.pk}/revoke/")
    assert revoked.status_code == 302
    assert not RoleAssignment.objects.filter(user=person).exists()

    # A reset shows a one-time password once, to the system administrator who made it.
    reset = system.post(f"/people/{person.pk}/password/")
    assert reset.status_code == 200
    one_time = re.search(r'data-testid="one-time-password">([^<]+)<', text(reset)).group(1)
    assert one_time not in text(system.get(f"/people/{person.pk}/"))

    # At the next sign-in the user must choose a new password before anything else.
    user_client = browser("10.9.9.9")
    signed = sign_in(user_client, "newhire", one_time)
    assert signed.status_code == 302
    assert path_of(user_client.get("/")) == PASSWORD_PAGE
    changed = user_client.post(
        PASSWORD_PAGE,
        {"old_password": one_time, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert user_client.get("/").status_code == 200


def test_system_admin_create_form_reports_a_weak_password(people, client_for):
    client = client_for(people["system"])
    response = client.post("/people/new/", {"username": "weakling", "password": "short1A"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not get_user_model().objects.filter(username="weakling").exists()


def test_deactivated_account_cannot_sign_in(people, client_for):
    viewer = people["viewer"]
    client_for(people["system"]).post(f"/people/{viewer.pk}/state/", {"action": "deactivate"})
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


# --- second-factor failures, sign-in records, sessions, HSTS, password history ---------------


@pytest.fixture
def no_otp_throttle(settings):
    """django-otp's own pause after a wrong code would hide the count this checks."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_wrong_codes_are_audited_and_lock_the_account_like_passwords(people, no_otp_throttle):
    """GB/T 22239-2019 8.1.4.1 身份鉴别 b (登录失败处理) and 8.1.4.3 安全审计 a: each wrong
    second-factor code is an audited failure and five lock the account, as wrong passwords do."""
    audit = people["audit"]
    device = TOTPDevice.objects.get(user=audit, confirmed=True)
    client = browser("10.4.4.4")
    sign_in(client, audit.username)
    for _ in range(4):
        refused = client.post(OTP, {"token": wrong_code(device), "next": "/"})
        assert refused.status_code == 200 and refused.context["form"].errors["token"]
    failures = AuditRecord.objects.filter(action="otp_failed", actor_username=audit.username)
    assert failures.count() == 4
    assert {r.ip for r in failures} == {"10.4.4.4"}

    locked = client.post(OTP, {"token": wrong_code(device), "next": "/"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session  # the half-signed-in session ended
    assert failures.all().count() == 5
    # Locked: neither the right password nor then the right code gets in.
    again = browser("10.4.4.5")
    assert sign_in(again, audit.username).status_code == 429
    assert "_auth_user_id" not in again.session


def test_the_password_step_does_not_reset_the_count_of_wrong_codes(people, no_otp_throttle):
    """8.1.4.1 身份鉴别 b: signing in again with the password does not wipe earlier wrong codes,
    or a password thief could guess codes forever."""
    audit = people["audit"]
    device = TOTPDevice.objects.get(user=audit, confirmed=True)
    for _ in range(2):
        client = browser()
        sign_in(client, audit.username)
        for _ in range(2):
            client.post(OTP, {"token": wrong_code(device), "next": "/"})
    client = browser()
    sign_in(client, audit.username)
    assert client.post(OTP, {"token": wrong_code(device), "next": "/"}).status_code == 429


def test_a_sign_in_is_recorded_after_the_second_factor_not_the_password(people):
    """8.1.4.3 安全审计 b (事件是否成功): the password step alone is not a successful sign-in when
    a second factor is due; the sign-in is recorded once the code is right."""
    audit = people["audit"]
    device = TOTPDevice.objects.get(user=audit, confirmed=True)
    logins = AuditRecord.objects.filter(action="login", object_id=str(audit.pk))
    client = browser()
    sign_in(client, audit.username)
    assert not logins.exists()
    step = AuditRecord.objects.filter(object_id=str(audit.pk), action="security").latest("seq")
    assert step.changes == {"event": "password_ok"}
    client.post(OTP, {"token": code(device), "next": "/"})
    assert logins.count() == 1
    assert logins.get().changes == {"second_factor": "totp"}

    viewer = people["viewer"]  # no second factor: the password is the whole sign-in
    sign_in(browser(), viewer.username)
    assert AuditRecord.objects.filter(action="login", object_id=str(viewer.pk)).count() == 1


def test_session_has_an_absolute_lifetime_besides_the_idle_timeout(people):
    """8.1.4.1 身份鉴别 b (登录连接超时自动退出): however busy, a session ends
    SESSION_ABSOLUTE_SECONDS (12 h) after sign-in."""
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    client = browser()
    sign_in(client, people["viewer"].username)
    assert client.get("/orgs/").status_code == 200
    session = client.session
    session["signed_in_at"] -= 12 * 3600 - 60  # eleven hours and 59 minutes ago
    session.save()
    assert client.get("/orgs/").status_code == 200
    session = client.session
    session["signed_in_at"] -= 120
    session.save()
    response = client.get("/orgs/")
    assert response.status_code == 302 and path_of(response) == LOGIN
    assert "_auth_user_id" not in client.session
    assert AuditRecord.objects.filter(action="logout").exists()


def test_https_turns_on_hsts_secure_cookies_and_redirects(tmp_path):
    """8.1.4.1 身份鉴别 c (防止鉴别信息在网络传输过程中被窃听): with HTTPS=true browsers are told
    to use only HTTPS (HSTS, a year), cookies are Secure and plain HTTP is redirected."""
    import os
    import subprocess
    import sys

    script = (
        "from reformtrack import settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT)"
    )

    def values(**env):
        outer = ("HTTPS", "DEBUG", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "HSTS_SECONDS")
        environ = {k: v for k, v in os.environ.items() if k not in outer}
        environ.update(SECRET_KEY="x" * 50, REFORMTRACK_DATA_DIR=str(tmp_path), **env)
        result = subprocess.run(
            [sys.executable, "-c", script], env=environ, capture_output=True, text=True, check=True
        )
        return result.stdout.split()

    assert values(HTTPS="true") == ["31536000", "True", "True", "True", "True"]
    assert values(HTTPS="true", DEBUG="true") == ["31536000", "True", "True", "True", "True"]
    assert values(HTTPS="false") == ["0", "False", "False", "False", "False"]


@pytest.mark.django_db
def test_hsts_header_is_sent_over_https(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = browser().get(LOGIN, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_last_five_passwords_cannot_be_chosen_again(people):
    """8.1.4.1 身份鉴别 a (口令复杂度并定期更换): a change must not go back to one of the
    account's last five passwords (PASSWORD_HISTORY_COUNT)."""
    assert settings.PASSWORD_HISTORY_COUNT == 5
    viewer = people["viewer"]
    history = [PASSWORD] + [f"Cycle#Pass{n}x" for n in range(1, 6)]
    for password in history[1:]:
        user_services.set_password(user=viewer, password=password, force_change=True)
        viewer.refresh_from_db()
    for reused in history[1:]:  # the current one and the four before it
        with translation.override("en"), pytest.raises(ValidationError, match="last 5 passwords"):
            user_services.set_password(user=viewer, password=reused, force_change=True)
    # The sixth-last is free again.
    user_services.set_password(user=viewer, password=history[0], force_change=True)

    client = browser()
    sign_in(client, viewer.username, history[0])
    refused = client.post(
        PASSWORD_PAGE,
        {"old_password": history[0], "new_password1": history[5], "new_password2": history[5]},
    )
    assert refused.status_code == 200 and refused.context["form"].errors["new_password2"]


@pytest.mark.django_db
def test_common_passwords_are_refused():
    """8.1.4.1 身份鉴别 a: a password on the common-password list is refused even when it mixes
    enough kinds of characters."""
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert "CommonPasswordValidator" in names and "PasswordHistoryValidator" in names
    with translation.override("en"), pytest.raises(ValidationError, match="too common"):
        user_services.create_user(username="common", password="Password123")
