"""Separation of duties on approvals, returns to an earlier level, notices, reminders, batch
decisions from the inbox and what the approver of a progress report sees (issue 15).

The running example: A-SUB's contributor submits; the chain is A-SUB → GROUP-A → SASAC. A-SUB's
own office, group A's office and the supervisor each decide one level. The rules live in the
approval service, so the page, the API and the command line all obey them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone, translation

from reformtrack.core.context import current_actor
from reformtrack.core.models import ApprovalRequest, AuditRecord, Notification
from reformtrack.core.models.approvals import ApprovalStatus
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.selectors.inbox import (
    approvals_blocked_for,
    approvals_waiting_for,
    inbox_count,
)
from reformtrack.core.services import approvals
from reformtrack.core.services.approvals import approval_finished, chain_levels
from reformtrack.orgs.models import Designation, DesignationKind

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _default_language(settings):
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def sub_office(tree, make_user):
    """A-SUB's own reform office."""
    user = make_user("office_asub", role="reform_office", org=tree["A-SUB"])
    user.email = "office_asub@example.cn"
    user.save(update_fields=["email"])
    return user


def designation_of(org) -> Designation:
    kind = DesignationKind.objects.get(code="DOUBLE_HUNDRED")
    return Designation.objects.create(organisation=org, kind=kind, valid_from=dt.date(2021, 1, 1))


@pytest.fixture
def submitted(tree, people, sub_office):
    return approvals.submit(
        target=designation_of(tree["A-SUB"]),
        organisation=tree["A-SUB"],
        user=people["contributor"],
        comment="请审批",
    )


def approve(request, user, comment=""):
    return approvals.decide(request=request, user=user, approve=True, comment=comment)


def form(request, **data) -> dict:
    request.refresh_from_db()
    return {"level": request.current_level, "version": request.version, **data}


def codes(levels) -> list[str]:
    return [org.code for org in levels]


# --- where a chain starts -------------------------------------------------------------------


def test_a_subsidiary_contributors_report_is_first_checked_by_the_subsidiary(tree, people):
    assert codes(chain_levels(tree["A-SUB"], submitter=people["contributor"])) == [
        "A-SUB",
        "GROUP-A",
        "SASAC",
    ]


def test_a_groups_own_report_goes_straight_to_the_supervisor(tree, people, make_user):
    """Whoever submits it, a group's own report does not wait at the group itself."""
    group_contributor = make_user("contrib_ga", role="contributor", org=tree["GROUP-A"])
    for submitter in (people["reform_office"], group_contributor):
        request = approvals.submit(
            target=designation_of(tree["GROUP-A"]), organisation=tree["GROUP-A"], user=submitter
        )
        assert request.levels == [tree["SASAC"].pk]
        assert request.current_organisation == tree["SASAC"]
        assert list(approvals_waiting_for(people["reform_office"])) == []
        assert list(approvals_waiting_for(people["supervisor_admin"])) == [request]
        request.delete()


def test_an_office_submitting_for_its_subsidiary_starts_above_its_own_levels(
    tree, people, sub_office
):
    """A-SUB's office submitting A-SUB's report: the chain starts at group A."""
    request = approvals.submit(
        target=designation_of(tree["A-SUB"]), organisation=tree["A-SUB"], user=sub_office
    )
    assert request.current_organisation == tree["GROUP-A"]
    assert request.levels == [tree["GROUP-A"].pk, tree["SASAC"].pk]


def test_chains_may_name_which_kinds_review_their_own_submissions(tree, people, settings):
    settings.APPROVAL_CHAINS = {
        "default": {"kinds": ["subsidiary", "group", "supervisor"], "own_first": []},
    }
    assert codes(chain_levels(tree["A-SUB"], submitter=people["contributor"])) == [
        "GROUP-A",
        "SASAC",
    ]
    assert codes(chain_levels(tree["A-SUB2"])) == ["GROUP-A", "SASAC"]


# --- one level per person -------------------------------------------------------------------


def test_nobody_decides_two_levels_of_one_approval(tree, people, submitted, client_for, api_for):
    """Group A's office may decide A-SUB's level or its own, not both: not in the service,
    not on the page, not over the API."""
    office = people["reform_office"]
    request = approve(submitted, office, "子公司层面同意")
    assert request.current_organisation == tree["GROUP-A"]

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        approve(request, office, "集团同意")
    assert "You already decided level 1 of this approval" in str(refused.value)
    assert not approvals.may_decide(office, request)
    assert list(approvals_waiting_for(office)) == []

    page = client_for(office).get(f"/approvals/{request.pk}/", **EN)
    assert page.context["may_decide"] is False
    assert "each level needs a different person" in page.content.decode()
    post = form(request, decision="approve", comment="")
    assert client_for(office).post(f"/approvals/{request.pk}/", post).status_code == 403
    response = api_for(office).post(
        f"/api/approvals/{request.pk}/decide/", {"approve": True}, format="json"
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.current_level == 1
    assert request.steps.filter(decision="approve").count() == 1

    # the supervisor decides the group level, and is then done with this approval too
    request = approve(request, people["supervisor_admin"], "集团层面由国资委审核")
    assert request.current_organisation == tree["SASAC"]
    with pytest.raises(PermissionDenied):
        approve(request, people["supervisor_admin"])


def test_a_level_nobody_else_may_decide_is_blocked_and_shown_above(
    tree, people, submitted, make_user, django_capture_on_commit_callbacks
):
    """Group A's office and the supervisor decided the two lower levels: at SASAC nobody else
    may decide. The request is blocked, shown (and told) to SASAC, never passed by the same
    hand; once someone else holds the role there, they are reminded and decide."""
    office, supervisor = people["reform_office"], people["supervisor_admin"]
    request = approve(submitted, office)
    request = approve(request, supervisor)
    request.refresh_from_db()
    assert approvals.is_blocked(request)
    assert request.blocked_since is not None
    assert request.escalated_to == tree["SASAC"]
    assert list(approvals_blocked_for(supervisor)) == [request]
    assert list(approvals_blocked_for(people["outsider"])) == []
    assert Notification.objects.filter(user=supervisor, kind="approval_blocked").exists()
    with pytest.raises(PermissionDenied):
        approve(request, supervisor)

    colleague = make_user("sup2", role="supervisor_admin", org=tree["SASAC"])
    ApprovalRequest.objects.filter(pk=request.pk).update(
        waiting_since=timezone.now() - dt.timedelta(days=4)
    )
    result = approvals.chase()
    assert result["waiting"] == 1 and result["blocked"] == 0
    assert Notification.objects.filter(user=colleague, kind="approval_chase").count() == 1
    request.refresh_from_db()
    assert request.blocked_since is None
    request = approve(request, colleague, "同意")
    assert request.status == ApprovalStatus.APPROVED


def test_blocked_requests_show_on_the_home_page_and_inbox(people, submitted, client_for):
    request = approve(submitted, people["reform_office"])
    approve(request, people["supervisor_admin"])
    client = client_for(people["supervisor_admin"])
    home = client.get("/", **EN).content.decode()
    assert 'data-testid="home-blocked"' in home
    inbox = client.get("/inbox/", **EN).content.decode()
    assert 'data-testid="inbox-blocked"' in inbox
    assert f"/approvals/{request.pk}/" in inbox
    assert inbox_count(people["supervisor_admin"]) >= 1


def test_a_new_round_lets_the_same_people_decide_again(tree, people, sub_office, submitted):
    """A return to the submitter ends the round; after resubmission each may decide again."""
    request = approve(submitted, sub_office)
    approvals.decide(request=request, user=people["reform_office"], approve=False, comment="补充")
    again = approvals.submit(
        target=request.target, organisation=tree["A-SUB"], user=people["contributor"]
    )
    assert again.round == 2
    again = approve(again, people["reform_office"])  # A-SUB's level, this time by group A
    assert again.current_level == 1
    assert not approvals.may_decide(people["reform_office"], again)


# --- returns to an earlier level --------------------------------------------------------------


def test_return_to_an_earlier_level(tree, people, sub_office, submitted, client_for):
    """The supervisor sends the item back to group A; group A decides its level again, the
    supervisor theirs; the trail names the level it went back to."""
    office, supervisor = people["reform_office"], people["supervisor_admin"]
    request = approve(approve(submitted, sub_office), office)
    assert request.current_level == 2

    with pytest.raises(ValidationError) as excinfo:
        approvals.decide(request=request, user=supervisor, approve=False, return_to=1)
    assert "comment" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        approvals.decide(request=request, user=supervisor, approve=False, comment="x", return_to=2)
    assert "return_to" in excinfo.value.message_dict

    page = client_for(supervisor).get(f"/approvals/{request.pk}/", **EN)
    choices = dict(page.context["form"].fields["return_to"].choices)
    assert set(choices) == {"", "0", "1"}
    response = client_for(supervisor).post(
        f"/approvals/{request.pk}/",
        form(request, decision="return", return_to="1", comment="请集团复核数据"),
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.current_level) == (ApprovalStatus.PENDING, 1)
    step = request.steps.order_by("-pk").first()
    assert (step.decision, step.level, step.to_level) == ("return", 2, 1)
    notice = Notification.objects.filter(user=people["contributor"]).order_by("-pk").first()
    assert notice.kind == "approval_returned_to_level" and notice.body == "请集团复核数据"
    # told at submission (level 1), when it reached level 2, and now that it is back there
    assert Notification.objects.filter(user=office, kind="approval_waiting").count() == 3

    assert not approvals.may_decide(supervisor, request)  # they decided level 3
    request = approve(request, office, "已复核")
    request = approve(request, supervisor, "同意")
    assert request.status == ApprovalStatus.APPROVED


# --- attribution, audit, notices --------------------------------------------------------------


def test_an_approved_change_is_applied_in_the_reporters_name(people, sub_office, submitted):
    """While apps apply the outcome, the acting user is the submitter and the approval names
    each approver in order; each decision's audit record names its level."""
    seen = []

    def receiver(sender, request, outcome, **kwargs):
        actor = current_actor()
        seen.append((actor.name, actor.on_approval))

    approval_finished.connect(receiver, dispatch_uid="test-attribution")
    try:
        request = approve(submitted, sub_office)
        request = approve(request, people["reform_office"])
        request = approve(request, people["supervisor_admin"])
    finally:
        approval_finished.disconnect(dispatch_uid="test-attribution")
    assert seen == [
        ("contrib_a", {"request": request.pk, "approvers": ["office_asub", "office_a", "sup"]})
    ]
    records = AuditRecord.objects.filter(
        action=AuditAction.APPROVAL, object_id=str(request.pk)
    ).order_by("seq")
    assert [(r.changes["decision"], r.changes["level"]) for r in records] == [
        ("submit", 0),
        ("approve", 0),
        ("approve", 1),
        ("approve", 2),
    ]
    assert [r.changes["organisation"] for r in records] == ["A-SUB", "A-SUB", "GROUP-A", "SASAC"]


def test_submit_and_decisions_notify_in_the_app_and_by_mail(
    tree, people, sub_office, mailoutbox, django_capture_on_commit_callbacks
):
    """Submitting tells the first level's deciders; approving tells the submitter and the next
    level's deciders, never the person who decided; e-mails go once the decision commits."""
    contributor, office = people["contributor"], people["reform_office"]
    contributor.email = "contrib@example.cn"
    contributor.save(update_fields=["email"])
    office.email = "office_a@example.cn"
    office.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        request = approvals.submit(
            target=designation_of(tree["A-SUB"]), organisation=tree["A-SUB"], user=contributor
        )
    waiting = set(
        Notification.objects.filter(kind="approval_waiting").values_list(
            "user__username", flat=True
        )
    )
    assert waiting == {"office_asub", "office_a", "sup"}
    assert {m.to[0] for m in mailoutbox} == {"office_asub@example.cn", "office_a@example.cn"}
    assert all(f"/approvals/{request.pk}/" in m.body for m in mailoutbox)

    mailoutbox.clear()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        approve(request, sub_office, "子公司同意")
    told = set(Notification.objects.values_list("user__username", "kind"))
    assert told == {
        ("contrib_a", "approval_progress"),
        ("office_a", "approval_waiting"),
        ("sup", "approval_waiting"),
    }
    assert {m.to[0] for m in mailoutbox} == {"contrib@example.cn", "office_a@example.cn"}

    # a refused decision sends nothing
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        approve(request, sub_office)
    assert mailoutbox == []


def test_chase_reminds_once_a_day(people, submitted, django_capture_on_commit_callbacks):
    """`reformtrack approvals chase`: requests waiting longer than the configured days remind
    their current deciders, once a day however often it runs."""
    out = StringIO()
    call_command("approvals", "chase", "--json", stdout=out)
    assert json.loads(out.getvalue())["waiting"] == 0  # submitted just now

    ApprovalRequest.objects.filter(pk=submitted.pk).update(
        waiting_since=timezone.now() - dt.timedelta(days=4)
    )
    out = StringIO()
    call_command("approvals", "chase", "--days", "5", "--json", stdout=out)
    assert json.loads(out.getvalue())["waiting"] == 0
    out = StringIO()
    call_command("approvals", "chase", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["waiting"] == 1 and result["notices"] == 3
    chased = Notification.objects.filter(kind="approval_chase")
    assert set(chased.values_list("user__username", flat=True)) == {
        "office_asub",
        "office_a",
        "sup",
    }
    assert all("4" in n.title for n in chased)

    out = StringIO()
    call_command("approvals", "chase", stdout=out)
    assert out.getvalue().startswith("0 approvals chased")
    assert chased.count() == 3


# --- the inbox: batch decisions ---------------------------------------------------------------


def test_batch_approve_and_return_from_the_inbox(tree, people, sub_office, client_for):
    """Ticked items are decided one by one through the same service; a stale or refused one is
    listed with its reason and the others go through."""
    contributor = people["contributor"]
    first, second, third = (
        approvals.submit(
            target=designation_of(tree["A-SUB"]), organisation=tree["A-SUB"], user=contributor
        )
        for _ in range(3)
    )
    office = client_for(sub_office)
    inbox = office.get("/inbox/", **EN).content.decode()
    assert f'value="{first.pk}:{first.version}"' in inbox
    approve(third, people["reform_office"])  # someone else was quicker

    response = office.post(
        "/inbox/decide/",
        {
            "item": [f"{p.pk}:{p.version}" for p in (first, second, third)],
            "decision": "approve",
        },
        follow=True,
        **EN,
    )
    html = response.content.decode()
    assert "Decisions recorded: 2." in html
    assert re.search(r"Not decided: .*Already decided", html)
    for request in (first, second):
        request.refresh_from_db()
        assert request.current_level == 1
    third.refresh_from_db()
    assert third.current_level == 1 and third.steps.filter(decision="approve").count() == 1

    group = client_for(people["reform_office"])
    refused = group.post(
        "/inbox/decide/", {"item": [f"{first.pk}:{first.version}"], "decision": "return"}
    )
    assert refused.status_code == 302
    first.refresh_from_db()
    assert first.status == ApprovalStatus.PENDING
    group.post(
        "/inbox/decide/",
        {
            "item": [f"{first.pk}:{first.version}", f"{second.pk}:{second.version}"],
            "decision": "return",
            "comment": "请补充材料",
        },
    )
    for request in (first, second):
        request.refresh_from_db()
        assert request.status == ApprovalStatus.RETURNED


# --- what the approver of a progress report sees -----------------------------------------------


@pytest.fixture
def report_request(people, task_of, tree):
    from reformtrack.programs.services import evidence as evidence_services
    from reformtrack.programs.services import reports as report_services

    task = task_of("M-1", "A-SUB")
    contributor = people["contributor"]
    report = report_services.save_report(
        user=contributor,
        task=task,
        status="in_progress",
        percent=Decimal(60),
        narrative="已完成方案起草，正在征求意见。",
    )
    for name, content, kind in (
        ("现场照片.png", PNG, "image/png"),
        ("方案.pdf", PDF, "application/pdf"),
    ):
        evidence_services.add_evidence(
            user=contributor,
            task=task,
            upload=SimpleUploadedFile(name, content, kind),
            report=report,
        )
    report_services.submit_report(user=contributor, report=report)
    report.refresh_from_db()
    return task, report, approvals_waiting_for(people["reform_office"]).get()


def test_the_approver_sees_the_change_and_its_evidence(people, report_request, client_for):
    task, report, request = report_request
    page = client_for(people["reform_office"]).get(f"/approvals/{request.pk}/", **EN)
    assert page.status_code == 200
    html = page.content.decode()
    diff = html[html.index('data-testid="approval-diff"') :]
    diff = diff[: diff.index("</table>")]
    assert "Not started" in diff and "In progress" in diff
    assert "0%" in diff and "60%" in diff
    assert diff.count('data-changed="1"') == 3  # status, percent, notes
    assert "已完成方案起草，正在征求意见。" in html
    versions = {v.evidence.title: v for e in report.evidence.all() for v in e.versions.all()}
    png, pdf = versions["现场照片"], versions["方案"]
    assert f'<img src="/evidence/{png.pk}/download/"' in html
    assert f'href="/evidence/{pdf.pk}/download/"' in html
    assert f'href="{task.get_absolute_url()}"' in html
    assert f'href="{report.get_absolute_url()}"' in html
    assert 'data-testid="approval-history"' in html or "No recorded changes." in html
    assert (
        client_for(people["reform_office"]).get(f"/evidence/{pdf.pk}/download/").status_code == 200
    )


def test_the_outsider_sees_nothing_of_the_report(people, report_request, client_for):
    _task, _report, request = report_request
    assert client_for(people["outsider"]).get(f"/approvals/{request.pk}/").status_code == 404
