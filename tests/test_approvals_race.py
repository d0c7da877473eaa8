"""Race-safe decisions: two people deciding the same level at the same moment, exactly one wins
and the other is told who decided it and when (issue 15). The thread race needs PostgreSQL's
row locks; the stale-page and stale-API refusals run everywhere."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from reformtrack.core.models import ApprovalRequest
from reformtrack.core.models.approvals import ApprovalStatus
from reformtrack.core.services import approvals
from reformtrack.orgs.models import Designation, DesignationKind

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def designation_of(org) -> Designation:
    kind = DesignationKind.objects.get(code="DOUBLE_HUNDRED")
    return Designation.objects.create(organisation=org, kind=kind, valid_from=dt.date(2021, 1, 1))


@pytest.fixture
def sub_office(tree, make_user):
    return make_user("office_asub", role="reform_office", org=tree["A-SUB"])


@pytest.fixture
def submitted(tree, people, sub_office):
    """Waiting at A-SUB, where both A-SUB's office and group A's office may decide."""
    return approvals.submit(
        target=designation_of(tree["A-SUB"]), organisation=tree["A-SUB"], user=people["contributor"]
    )


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_the_same_moment_decide_once(people, sub_office, submitted):
    """Both approve level 1 at once, each with the version their page showed: one step is
    recorded, the request moves up one level, and the other is refused as a conflict."""
    if connection.vendor != "postgresql":
        pytest.skip("the thread race needs PostgreSQL's row locks (SQLite serialises writers)")
    request = ApprovalRequest.objects.get(pk=submitted.pk)
    seen_level, seen_version = request.current_level, request.version
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(user):
        try:
            start.wait()
            approvals.decide(
                request=request,
                user=user,
                approve=True,
                comment=f"{user.username} 同意",
                level=seen_level,
                version=seen_version,
            )
            outcomes[user.username] = "won"
        except approvals.DecisionConflict as exc:
            outcomes[user.username] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(user,))
        for user in (sub_office, people["reform_office"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [name for name, outcome in outcomes.items() if outcome == "won"]
    losers = [outcome for outcome in outcomes.values() if outcome != "won"]
    assert len(winners) == 1 and len(losers) == 1
    assert winners[0] in losers[0].text  # "already decided … by <winner> at <time>"

    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING
    assert request.current_level == seen_level + 1
    assert request.version == seen_version + 1
    approved = list(request.steps.filter(decision="approve"))
    assert len(approved) == 1
    assert approved[0].actor.username == winners[0]


def test_a_decision_on_a_page_opened_before_another_decision_is_refused(
    people, sub_office, submitted, client_for
):
    """Group A's office opened the page at level 1; A-SUB's office approved meanwhile. Group A's
    approval is refused (409) naming who decided and when, and is not applied to level 2."""
    office = client_for(people["reform_office"])
    page = office.get(f"/approvals/{submitted.pk}/")
    posted = {
        "decision": "approve",
        "comment": "同意",
        "level": page.context["form"].initial["level"],
        "version": page.context["form"].initial["version"],
    }
    approvals.decide(request=submitted, user=sub_office, approve=True, comment="先审")

    response = office.post(f"/approvals/{submitted.pk}/", posted, **EN)
    assert response.status_code == 409
    conflict = response.context["conflict"]
    assert conflict.startswith("Already decided: Approved by office_asub at ")
    assert 'data-testid="approval-conflict"' in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.current_level == 1
    assert submitted.steps.filter(decision="approve").count() == 1


def test_a_stale_decision_over_the_api_is_a_conflict(people, sub_office, submitted, api_for):
    """The API takes the level and version read; a decision on a request that moved on is 409."""
    read = api_for(people["reform_office"]).get(f"/api/approvals/{submitted.pk}/").json()
    approvals.decide(request=submitted, user=sub_office, approve=True)
    response = api_for(people["reform_office"]).post(
        f"/api/approvals/{submitted.pk}/decide/",
        {"approve": True, "level": read["current_level"], "version": read["version"]},
        format="json",
        **EN,
    )
    assert response.status_code == 409
    assert "office_asub" in response.json()["detail"]
    submitted.refresh_from_db()
    assert submitted.current_level == 1
