"""The approval flow: submit, approve level by level up the tree, or return with a reason.

The running example is a designation of A-SUB submitted by A-SUB's contributor. Its chain is
A-SUB (level 1 on the page) → GROUP-A (level 2) → SASAC (level 3); A-SUB's own reform office
decides the first level, group A's the second and the supervisor's administrator the last one:
a person decides one level of an approval only (tests/test_approvals_separation.py).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from rest_framework.test import APIClient

from reformtrack.core.models import ApprovalRequest, AuditRecord, Notification
from reformtrack.core.models.approvals import ApprovalStatus, StepDecision
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.selectors.inbox import approvals_waiting_for, inbox_count
from reformtrack.core.services import approvals
from reformtrack.core.services.approvals import approval_finished, chain_levels
from reformtrack.orgs.models import Designation, DesignationKind

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TITLE = "甲子公司: 双百企业"


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Pages asked for in English leave English active in the thread; start each test in Chinese,
    the product's default, so names written into records do not depend on test order."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


# --- fixtures and helpers -------------------------------------------------------------------


def designation_of(org) -> Designation:
    kind = DesignationKind.objects.get(code="DOUBLE_HUNDRED")
    return Designation.objects.create(organisation=org, kind=kind, valid_from=dt.date(2021, 1, 1))


@pytest.fixture
def designation(tree):
    return designation_of(tree["A-SUB"])


@pytest.fixture
def submitted(tree, people, designation):
    """A-SUB's contributor has submitted A-SUB's designation."""
    return approvals.submit(
        target=designation, organisation=tree["A-SUB"], user=people["contributor"], comment="请审批"
    )


@pytest.fixture
def sub_office(tree, make_user):
    """A-SUB's own reform office: the first level of A-SUB's chain."""
    return make_user("office_asub", role="reform_office", org=tree["A-SUB"])


def decision(request, **data) -> dict:
    """A decision form's fields, with the level and version the page was opened at."""
    request.refresh_from_db()
    return {"level": request.current_level, "version": request.version, **data}


@pytest.fixture
def finished():
    """Every `approval_finished` signal received, as (request id, outcome)."""
    received = []

    def receiver(sender, request, outcome, **kwargs):
        received.append((request.pk, outcome))

    approval_finished.connect(receiver, dispatch_uid="test-approvals-finished")
    yield received
    approval_finished.disconnect(dispatch_uid="test-approvals-finished")


def trail(request) -> list[tuple]:
    """The decision trail as (level, organisation code, decision, actor, comment)."""
    return [
        (s.level, s.organisation.code, s.decision, s.actor.username, s.comment)
        for s in request.steps.select_related("organisation", "actor")
    ]


def approve(request, user, comment=""):
    return approvals.decide(request=request, user=user, approve=True, comment=comment)


def header_count(response) -> int:
    """The number in the header's inbox badge (0 when there is no badge)."""
    match = re.search(r'data-testid="inbox-count">(\d+)<', response.content.decode())
    return int(match.group(1)) if match else 0


# --- the chain ------------------------------------------------------------------------------


def test_chain_of_a_level_three_subsidiary(tree):
    """A grandchild subsidiary is approved by itself, then its group, then the supervisor."""
    assert tree["A-SUB2"].level == 3
    assert chain_levels(tree["A-SUB2"]) == [tree["A-SUB2"], tree["GROUP-A"], tree["SASAC"]]


def test_chain_of_a_level_two_subsidiary(tree):
    """A direct subsidiary is approved by itself, its group, then the supervisor."""
    assert chain_levels(tree["A-SUB"]) == [tree["A-SUB"], tree["GROUP-A"], tree["SASAC"]]


def test_chain_of_a_group(tree):
    """A group's own submission goes straight to the supervisor: by default only subsidiaries
    review their own organisation's submissions first."""
    assert chain_levels(tree["GROUP-A"]) == [tree["SASAC"]]


def test_chain_in_the_list_format_reviews_own_submissions_first(tree, settings):
    """A chain given as a plain list of kinds (the earlier format) still works: every kind in
    it reviews its own organisation's submissions first."""
    settings.APPROVAL_CHAINS = {"default": ["subsidiary", "group", "supervisor"]}
    assert chain_levels(tree["GROUP-A"]) == [tree["GROUP-A"], tree["SASAC"]]


def test_chain_follows_configured_kinds(tree, settings):
    """A configured chain names which kinds approve; unknown chains fall back to the default."""
    settings.APPROVAL_CHAINS = {
        "default": ["subsidiary", "group", "supervisor"],
        "group_only": ["group"],
    }
    assert chain_levels(tree["A-SUB2"], "group_only") == [tree["GROUP-A"]]
    assert chain_levels(tree["B-SUB"], "no-such-chain") == [
        tree["B-SUB"],
        tree["GROUP-B"],
        tree["SASAC"],
    ]


# --- the whole flow through the services ----------------------------------------------------


def test_submission_waits_at_the_submitting_subsidiary(tree, people, submitted):
    """A new submission waits at level 1 (A-SUB) with the submit step in its trail."""
    assert submitted.status == ApprovalStatus.PENDING
    assert submitted.title == TITLE
    assert submitted.current_level == 0
    assert submitted.current_organisation == tree["A-SUB"]
    assert submitted.levels == [tree["A-SUB"].pk, tree["GROUP-A"].pk, tree["SASAC"].pk]
    assert trail(submitted) == [(0, "A-SUB", "submit", "contrib_a", "请审批")]
    assert list(approvals_waiting_for(people["reform_office"])) == [submitted]
    assert list(approvals_waiting_for(people["contributor"])) == []


def test_full_flow_up_to_the_supervisor(
    tree, people, sub_office, submitted, finished, django_capture_on_commit_callbacks
):
    """Three approvals by three people take the item to 'approved'; every step is recorded
    and the submitter is told."""
    office, supervisor = people["reform_office"], people["supervisor_admin"]

    with django_capture_on_commit_callbacks(execute=True):
        request = approve(submitted, sub_office, "子公司层面同意")
    assert (request.status, request.current_level) == (ApprovalStatus.PENDING, 1)
    assert request.current_organisation == tree["GROUP-A"]

    with django_capture_on_commit_callbacks(execute=True):
        request = approve(request, office, "集团同意")
    assert (request.status, request.current_level) == (ApprovalStatus.PENDING, 2)
    assert request.current_organisation == tree["SASAC"]
    assert finished == []  # nothing is finished while levels remain
    contributor_notices = Notification.objects.filter(user=people["contributor"])
    assert not contributor_notices.filter(kind="approval_approved").exists()
    assert contributor_notices.filter(kind="approval_progress").count() == 2

    # Group A's office has no say at the supervisor's level.
    assert list(approvals_waiting_for(office)) == []
    with pytest.raises(PermissionDenied):
        approve(request, office, "越级")

    with django_capture_on_commit_callbacks(execute=True):
        request = approve(request, supervisor, "国资委同意")

    request.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED
    assert request.decided_at is not None
    assert finished == [(request.pk, ApprovalStatus.APPROVED)]
    assert trail(request) == [
        (0, "A-SUB", StepDecision.SUBMIT, "contrib_a", "请审批"),
        (0, "A-SUB", StepDecision.APPROVE, "office_asub", "子公司层面同意"),
        (1, "GROUP-A", StepDecision.APPROVE, "office_a", "集团同意"),
        (2, "SASAC", StepDecision.APPROVE, "sup", "国资委同意"),
    ]
    times = [step.at for step in request.steps.all()]
    assert times == sorted(times)
    assert times[-1] <= request.decided_at

    (notice,) = Notification.objects.filter(user=people["contributor"], kind="approval_approved")
    assert TITLE in notice.title
    assert notice.url == f"/approvals/{request.pk}/"
    assert inbox_count(people["contributor"]) == 3  # two levels passed, then approved

    decisions = AuditRecord.objects.filter(
        action=AuditAction.APPROVAL, object_id=str(request.pk)
    ).order_by("seq")
    assert [entry.changes["decision"] for entry in decisions] == [
        "submit",
        "approve",
        "approve",
        "approve",
    ]


def test_finished_approval_can_no_longer_be_decided(people, sub_office, submitted):
    """Once approved, nobody can decide on the item again."""
    request = approve(submitted, sub_office)
    request = approve(request, people["reform_office"])
    request = approve(request, people["supervisor_admin"])
    assert request.status == ApprovalStatus.APPROVED
    with pytest.raises(PermissionDenied):
        approve(request, people["supervisor_admin"])


def test_return_with_comment_goes_back_to_the_submitter(
    tree, people, submitted, finished, django_capture_on_commit_callbacks
):
    """Returning with a reason ends the round, tells the submitter why, and leaves the inbox."""
    with django_capture_on_commit_callbacks(execute=True):
        request = approvals.decide(
            request=submitted, user=people["reform_office"], approve=False, comment="材料不全"
        )
    request.refresh_from_db()
    assert request.status == ApprovalStatus.RETURNED
    assert request.decided_at is not None
    assert finished == [(request.pk, ApprovalStatus.RETURNED)]
    assert trail(request)[-1] == (0, "A-SUB", "return", "office_a", "材料不全")

    (notice,) = Notification.objects.filter(user=people["contributor"])
    assert notice.kind == "approval_returned"
    assert notice.body == "材料不全"
    assert list(approvals_waiting_for(people["reform_office"])) == []
    assert list(approvals_waiting_for(people["supervisor_admin"])) == []


@pytest.mark.parametrize("comment", ["", "   "])
def test_return_without_comment_is_refused(people, submitted, comment):
    """An approver must say why an item is returned; the item keeps waiting."""
    with pytest.raises(ValidationError) as excinfo:
        approvals.decide(
            request=submitted, user=people["reform_office"], approve=False, comment=comment
        )
    assert "comment" in excinfo.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == ApprovalStatus.PENDING
    assert len(trail(submitted)) == 1


def test_resubmitting_restarts_at_the_first_level(tree, people, sub_office, designation, submitted):
    """After a return, resubmitting reopens the same approval at level 1, keeping the trail."""
    approve(submitted, sub_office, "子公司同意")
    approvals.decide(
        request=submitted, user=people["reform_office"], approve=False, comment="请补充附件"
    )
    again = approvals.submit(
        target=designation, organisation=tree["A-SUB"], user=people["contributor"], comment="已补充"
    )
    assert again.pk == submitted.pk
    assert again.status == ApprovalStatus.PENDING
    assert again.current_level == 0
    assert again.current_organisation == tree["A-SUB"]
    assert again.decided_at is None
    assert [step[2] for step in trail(again)] == ["submit", "approve", "return", "submit"]
    assert ApprovalRequest.objects.count() == 1
    assert again.round == 2  # a new round: who decided before may decide again
    assert list(approvals_waiting_for(people["reform_office"])) == [again]


def test_submitting_twice_while_waiting_is_refused(tree, people, designation, submitted):
    """An item already waiting cannot be submitted a second time."""
    with pytest.raises(ValidationError):
        approvals.submit(target=designation, organisation=tree["A-SUB"], user=people["contributor"])
    assert ApprovalRequest.objects.count() == 1


def test_outsider_cannot_decide(people, submitted, client_for):
    """Group B's reform office cannot decide on group A's item, nor even open its page."""
    with pytest.raises(PermissionDenied):
        approve(submitted, people["outsider"], "同意")
    client = client_for(people["outsider"])
    assert client.get(f"/approvals/{submitted.pk}/").status_code == 404
    response = client.post(f"/approvals/{submitted.pk}/", decision(submitted, decision="approve"))
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.current_level == 0
    assert len(trail(submitted)) == 1


def test_submitter_cannot_approve_their_own_submission(tree, people, designation, client_for):
    """Someone who submitted an item cannot approve it, even holding the approving role; and
    the item starts above every level they hold that role on (here: at the supervisor)."""
    office = people["reform_office"]
    request = approvals.submit(target=designation, organisation=tree["A-SUB"], user=office)
    assert request.levels == [tree["SASAC"].pk]
    assert not approvals.may_decide(office, request)
    with pytest.raises(PermissionDenied):
        approve(request, office)
    assert list(approvals_waiting_for(office)) == []
    response = client_for(office).get(f"/approvals/{request.pk}/")
    assert response.status_code == 200
    assert response.context["may_decide"] is False
    post = decision(request, decision="approve")
    assert client_for(office).post(f"/approvals/{request.pk}/", post).status_code == 403
    # the supervisor may
    assert approve(request, people["supervisor_admin"]).status == ApprovalStatus.APPROVED


def test_viewer_cannot_submit_or_decide(tree, people, designation, submitted, client_for):
    """A viewer can read the approval but neither submit nor decide."""
    viewer = people["viewer"]
    other = designation_of(tree["A-SUB2"])
    with pytest.raises(PermissionDenied):
        approvals.submit(target=other, organisation=tree["A-SUB2"], user=viewer)
    with pytest.raises(PermissionDenied):
        approve(submitted, viewer)
    client = client_for(viewer)
    response = client.get(f"/approvals/{submitted.pk}/")
    assert response.status_code == 200
    assert response.context["may_decide"] is False
    post = decision(submitted, decision="approve")
    assert client.post(f"/approvals/{submitted.pk}/", post).status_code == 403


def test_outsider_cannot_submit_for_another_group(tree, people):
    """Group B's office cannot submit on behalf of a group A company."""
    with pytest.raises(PermissionDenied):
        approvals.submit(
            target=designation_of(tree["A-SUB"]),
            organisation=tree["A-SUB"],
            user=people["outsider"],
        )


# --- the web pages --------------------------------------------------------------------------


def test_approver_sees_the_item_in_the_inbox_and_the_header_count(people, submitted, client_for):
    """The approver's inbox lists the item and the header badge counts it."""
    response = client_for(people["reform_office"]).get("/inbox/", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/approvals/{submitted.pk}/"' in html
    with translation.override("en"):  # the title in the reader's language
        assert str(submitted.target) in html
    assert TITLE not in html
    assert header_count(response) == 1


def test_bystanders_have_nothing_in_their_inbox(people, submitted, client_for):
    """The outsider and the viewer see nothing waiting for them and no badge."""
    for who in ("outsider", "viewer"):
        response = client_for(people[who]).get("/inbox/")
        assert f"/approvals/{submitted.pk}/" not in response.content.decode()
        assert header_count(response) == 0


def test_deciding_on_the_page_records_the_trail(tree, people, sub_office, submitted, client_for):
    """Approving on the approval page moves it on and shows who decided, when and why; each
    level is decided by a different person."""
    first = client_for(sub_office)
    page = first.get(f"/approvals/{submitted.pk}/", **EN)
    assert page.context["may_decide"] is True
    assert "Record decision" in page.content.decode()

    response = first.post(
        f"/approvals/{submitted.pk}/",
        decision(submitted, decision="approve", comment="子公司同意"),
        **EN,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/approvals/{submitted.pk}/"
    page = first.get(response["Location"], **EN)
    html = page.content.decode()
    assert "Your decision was recorded." in html
    assert "子公司同意" in html
    assert "office_asub" in html
    assert "level 2 of 3" in html
    submitted.refresh_from_db()
    assert submitted.current_organisation == tree["GROUP-A"]
    assert page.context["may_decide"] is False  # A-SUB's office has no say at group A

    # Group A's office held the first level too, but did not decide it: the second is theirs.
    office = client_for(people["reform_office"])
    assert header_count(office.get("/inbox/")) == 1
    office.post(f"/approvals/{submitted.pk}/", decision(submitted, decision="approve"))
    page = office.get(f"/approvals/{submitted.pk}/", **EN)
    assert page.context["may_decide"] is False
    assert header_count(page) == 0  # waiting at SASAC now
    supervisor = client_for(people["supervisor_admin"])
    assert header_count(supervisor.get("/inbox/")) == 1
    supervisor.post(
        f"/approvals/{submitted.pk}/", decision(submitted, decision="approve", comment="同意")
    )
    submitted.refresh_from_db()
    assert submitted.status == ApprovalStatus.APPROVED

    page = client_for(people["contributor"]).get(f"/approvals/{submitted.pk}/", **EN)
    rows = re.findall(r"<tr><td>.*?</tr>", page.content.decode())
    assert len(rows) == 4
    assert "Submitted" in rows[0] and "contrib_a" in rows[0]
    assert "Approved" in rows[3] and "sup" in rows[3] and "国资委" in rows[3]


def test_returning_on_the_page_needs_a_comment(people, submitted, client_for):
    """Returning without a reason shows an error; with one the submitter sees it returned."""
    office = client_for(people["reform_office"])
    response = office.post(
        f"/approvals/{submitted.pk}/", decision(submitted, decision="return", comment="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    submitted.refresh_from_db()
    assert submitted.status == ApprovalStatus.PENDING

    response = office.post(
        f"/approvals/{submitted.pk}/", decision(submitted, decision="return", comment="数据有误")
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ApprovalStatus.RETURNED

    inbox = client_for(people["contributor"]).get("/inbox/")
    html = inbox.content.decode()
    assert "数据有误" in html
    assert header_count(inbox) == 1


# --- the API --------------------------------------------------------------------------------


@pytest.fixture
def submitted_b(tree, people):
    """Group B's office has submitted a designation of B-SUB."""
    return approvals.submit(
        target=designation_of(tree["B-SUB"]), organisation=tree["B-SUB"], user=people["outsider"]
    )


def listed_ids(api) -> set[int]:
    response = api.get("/api/approvals/")
    assert response.status_code == 200
    return {item["id"] for item in response.json()["results"]}


def test_api_lists_only_visible_approvals(people, submitted, submitted_b, api_for):
    """Each user lists the approvals of their own subtree only."""
    a, b = submitted.pk, submitted_b.pk
    assert listed_ids(api_for(people["supervisor_admin"])) == {a, b}
    assert listed_ids(api_for(people["reform_office"])) == {a}
    assert listed_ids(api_for(people["contributor"])) == {a}
    assert listed_ids(api_for(people["viewer"])) == {a}
    assert listed_ids(api_for(people["outsider"])) == {b}


def test_api_decide_advances_the_request(tree, people, submitted, api_for):
    """Approving through the API moves the item to the next level and returns its trail."""
    response = api_for(people["reform_office"]).post(
        f"/api/approvals/{submitted.pk}/decide/",
        {"approve": True, "comment": "同意"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "pending"
    assert body["current_level"] == 1
    assert body["waiting_at"] == "GROUP-A"
    assert body["steps"][-1]["decision"] == "approve"
    assert body["steps"][-1]["actor"] == "office_a"
    assert body["steps"][-1]["comment"] == "同意"
    submitted.refresh_from_db()
    assert submitted.current_organisation == tree["GROUP-A"]


def test_api_decision_is_audited_under_the_approver(people, submitted):
    """A decision made with an API token shows in the audit log with the approver's name."""
    from reformtrack.core.services.tokens import create_token

    _token, secret = create_token(user=people["reform_office"], name="approvals script")
    api = APIClient(REMOTE_ADDR="10.9.8.7", HTTP_AUTHORIZATION=f"Token {secret}")
    url = f"/api/approvals/{submitted.pk}/decide/"
    response = api.post(url, {"approve": True, "comment": "同意"}, format="json")
    assert response.status_code == 200
    entry = AuditRecord.objects.filter(action=AuditAction.APPROVAL).order_by("-seq").first()
    assert entry.object_id == str(submitted.pk)
    assert entry.changes["decision"] == "approve"
    assert entry.actor_username == "office_a"
    assert entry.ip == "10.9.8.7"


def test_api_decide_by_outsider_is_not_found(people, submitted, api_for):
    """Group B's office gets 404 for group A's approval and nothing changes."""
    response = api_for(people["outsider"]).post(
        f"/api/approvals/{submitted.pk}/decide/", {"approve": True}, format="json"
    )
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.current_level == 0


def test_api_decide_refusals(people, submitted, api_for):
    """A viewer is forbidden, and a return without comment is a 400 naming the comment."""
    url = f"/api/approvals/{submitted.pk}/decide/"
    viewer = api_for(people["viewer"]).post(url, {"approve": True}, format="json")
    assert viewer.status_code == 403
    office = api_for(people["reform_office"]).post(url, {"approve": False}, format="json")
    assert office.status_code == 400
    assert "comment" in office.json()
    submitted.refresh_from_db()
    assert submitted.status == ApprovalStatus.PENDING
