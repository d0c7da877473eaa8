"""What every signed-in request pays before its page (issue 21, item 3): the user is loaded
once per request and held as the plain object, and the second-factor check is one EXISTS; none
of it is kept between requests, so a removed second factor, a disabled account or a revoked
role shows on the very next request."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from reformtrack.core.models import User
from reformtrack.core.security.otp import enrol, has_confirmed_device
from reformtrack.orgs.models import RoleAssignment
from reformtrack.orgs.services import revoke_role

TOKENS = "/accounts/tokens/"


def test_the_page_sees_the_signed_in_user_itself_with_its_second_factor(client_for, people):
    response = client_for(people["security"]).get(reverse("orgs:users"))
    user = response.wsgi_request.user
    assert type(user) is User  # not behind a lazy proxy
    assert user.is_verified() and user.otp_device is not None


def test_a_removed_second_factor_sends_the_administrator_back_on_the_next_request(
    client_for, people
):
    admin = people["security"]
    client = client_for(admin)
    assert client.get(reverse("orgs:users")).status_code == 200
    TOTPDevice.objects.filter(user=admin).delete()
    admin.must_enrol_otp = True
    admin.save(update_fields=["must_enrol_otp"])
    response = client.get(reverse("orgs:users"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/")


def test_a_device_enrolled_elsewhere_is_asked_for_on_the_next_request(client_for, people):
    viewer = people["viewer"]
    client = client_for(viewer)
    assert client.get(TOKENS).status_code == 200
    enrol(viewer)  # e.g. in another browser
    response = client.get(TOKENS)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/")


def test_an_unconfirmed_device_is_no_second_factor(people):
    viewer = people["viewer"]
    enrol(viewer, confirmed=False)
    assert not has_confirmed_device(viewer)
    enrol(viewer)
    assert has_confirmed_device(viewer)


def test_a_disabled_account_is_signed_out_on_the_next_request(client_for, people):
    viewer = people["viewer"]
    client = client_for(viewer)
    assert client.get(TOKENS).status_code == 200
    User.objects.filter(pk=viewer.pk).update(is_active=False)
    response = client.get(TOKENS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_revoked_role_counts_on_the_next_request(client_for, people, tree):
    office = people["reform_office"]
    client = client_for(office)
    page = reverse("orgs:organisation", args=[tree["GROUP-A"].pk])
    assert client.get(page).status_code == 200
    revoke_role(assignment=RoleAssignment.objects.get(user=office, organisation=tree["GROUP-A"]))
    assert client.get(page).status_code == 404


def test_a_signed_in_page_reads_the_second_factor_with_one_query_and_writes_nothing(
    client_for, people
):
    client = client_for(people["viewer"])
    client.get(TOKENS)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(TOKENS).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert len([s for s in sql if "otp_totp_totpdevice" in s]) == 1
    assert not [s for s in sql if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_an_expired_session_is_refused_by_the_next_request(client_for, people):
    client = client_for(people["viewer"])
    assert client.get(TOKENS).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(TOKENS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_signed_out_session_is_gone_for_the_next_request(client_for, people):
    client = client_for(people["viewer"])
    assert client.get(TOKENS).status_code == 200
    Session.objects.all().delete()
    assert client.get(TOKENS).status_code == 302
