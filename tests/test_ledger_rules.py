"""Who may change what in a ledger (issue 15): progress only through approved reports (or a
programme's audited direct entry), the plan only by whoever launched the programme (others
ask through a plan change request), evidence goes with the report being drafted, launches
account for the tasks they create, refusals name nothing the user may not see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from reformtrack.core.libraries import install_library
from reformtrack.core.models import AuditRecord
from reformtrack.core.selectors.approvals import approval_of
from reformtrack.core.services import approvals
from reformtrack.programs.models import Evidence, LedgerTask, PlanChangeRequest, Programme
from reformtrack.programs.periods import period_end_of
from reformtrack.programs.services import evidence as evidence_services
from reformtrack.programs.services import plan_changes, reports, tasks
from reformtrack.programs.services.programmes import launch_programme

from .conftest import DATA

API = "/api/programs/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _default_language(settings):
    with translation.override(settings.LANGUAGE_CODE):
        yield


def frozen(task) -> tuple:
    task = LedgerTask.objects.get(pk=task.pk)
    return (task.status, task.percent, task.progress, task.completed_on, task.version)


def decide_all(request, *users):
    """Each level by the next of `users` that may decide it."""
    for user in users:
        if request.status != "pending":
            break
        if approvals.may_decide(user, request):
            request = approvals.decide(request=request, user=user, approve=True)
    return request


@pytest.fixture
def sub_office(make_user, tree):
    return make_user("office_sub", role="reform_office", org=tree["A-SUB"])


@pytest.fixture
def group_launched(tree):
    """A copy of MINI launched to GROUP-A only (by the supervisor), direct entry allowed."""
    text = (DATA / "mini-programme.yaml").read_text(encoding="utf-8")
    text = text.replace("code: MINI", "code: MINIG").replace(
        "  period_end: 2022-12-31\n", "  period_end: 2022-12-31\n  direct_entry: true\n"
    )
    install_library(text)
    programme = Programme.objects.get(code="MINIG")
    assert programme.direct_entry
    launch_programme(user=None, programme=programme, organisation=tree["GROUP-A"])
    return programme


def task_in(programme, code):
    return LedgerTask.objects.get(programme=programme, code=code)


# --- Progress only through reports ------------------------------------------------------------


def test_api_patch_of_percent_leaves_the_ledger_unchanged_and_says_why(api_for, people, task_of):
    task = task_of("M-1", "A-SUB")
    before = frozen(task)
    office = api_for(people["reform_office"])
    url = f"{API}tasks/{task.pk}/"
    for headers in ({}, {"HTTP_IF_MATCH": office.get(url)["ETag"]}):  # with or without version
        response = office.patch(url, {"percent": "95"}, format="json", **EN, **headers)
        assert response.status_code == 400
        assert "progress report" in response.json()["percent"][0]
    assert frozen(task) == before
    assert not AuditRecord.objects.filter(
        object_type="programs.ledgertask", object_id=str(task.pk), action="update"
    ).exists()


def test_task_form_refuses_progress_and_shows_the_rule(client_for, people, task_of):
    task = task_of("M-1", "A-SUB")
    before = frozen(task)
    office = client_for(people["reform_office"])
    url = reverse("programs:task-edit", args=[task.pk])
    page = office.get(url, **EN)
    assert "percent" not in page.context["form"].fields
    assert "status" not in page.context["form"].fields
    assert "reported through a progress report" in page.content.decode()
    data = {"title": task.title, "area": task.area_id, "version": task.version, "percent": "95"}
    response = office.post(url, data, **EN)
    assert response.status_code == 200
    assert "progress report" in str(response.context["form"].non_field_errors())
    assert frozen(task) == before


def test_the_service_refuses_progress_fields_on_every_path(people, task_of):
    task = task_of("M-1", "A-SUB")
    for fields in ({"status": "done"}, {"progress": "完成"}, {"completed_on": dt.date(2021, 1, 1)}):
        with pytest.raises(ValidationError) as info:
            tasks.update_task(user=people["reform_office"], task=task, **fields)
        assert set(info.value.message_dict) == set(fields)
    with pytest.raises(ValidationError):
        tasks.update_task(user=None, task=task, percent=Decimal(50))  # no system back door
    assert task_of("M-1", "A-SUB").percent == 0


def test_progress_reaches_the_ledger_once_the_report_is_approved(people, task_of, sub_office):
    task = task_of("M-1", "A-SUB")
    report = reports.save_report(
        user=people["contributor"], task=task, status="in_progress", percent=40
    )
    reports.submit_report(user=people["contributor"], report=report)
    assert task_of("M-1", "A-SUB").percent == 0
    request = decide_all(
        approval_of(report), sub_office, people["reform_office"], people["supervisor_admin"]
    )
    assert request.status == "approved"
    assert task_of("M-1", "A-SUB").percent == 40


def test_direct_entry_is_for_the_launching_organisations_own_tasks_and_audited(
    api_for, people, group_launched
):
    office = api_for(people["reform_office"])
    own = task_in(group_launched, "M-2-GROUP-A")
    url = f"{API}tasks/{own.pk}/"
    response = office.patch(
        url, {"percent": "30", "status": "in_progress"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.json()
    assert task_in(group_launched, "M-2-GROUP-A").percent == 30
    record = AuditRecord.objects.filter(
        object_type="programs.ledgertask", object_id=str(own.pk), changes__has_key="direct_entry"
    ).get()
    assert record.actor_username == "office_a" and record.changes["percent"]["after"] == "30.00"
    # A subsidiary's task is not the launching organisation's own: still through reports.
    other = task_in(group_launched, "M-1-A-SUB")
    response = office.patch(
        f"{API}tasks/{other.pk}/", {"percent": "30"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert task_in(group_launched, "M-1-A-SUB").percent == 0


def test_direct_entry_is_off_by_default(programme, people, task_of):
    assert not programme.direct_entry
    assert not tasks.may_enter_directly(people["supervisor_admin"], task_of("M-2", "GROUP-A"))


# --- Plan changes ------------------------------------------------------------------------------


def test_the_plan_is_set_by_whoever_launched_the_programme(api_for, people, task_of):
    task = task_of("M-1", "A-SUB")  # MINI was launched to SASAC
    url = f"{API}tasks/{task.pk}/"
    office = api_for(people["reform_office"])
    response = office.patch(
        url, {"deadline": "2022-06-30"}, format="json", HTTP_IF_MATCH='"1"', **EN
    )
    assert response.status_code == 400 and "plan change" in response.json()["deadline"][0]
    assert task_of("M-1", "A-SUB").deadline == dt.date(2021, 12, 31)
    supervisor = api_for(people["supervisor_admin"])
    response = supervisor.patch(url, {"deadline": "2022-06-30"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200 and response["ETag"] == '"2"'
    assert task_of("M-1", "A-SUB").deadline == dt.date(2022, 6, 30)


def test_an_enterprise_asks_for_an_extension_decided_up_to_the_launching_level(
    client_for, people, task_of, sub_office
):
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    detail = contributor.get(task.get_absolute_url())
    assert reverse("programs:plan-change-new", args=[task.pk]) in detail.content.decode()
    response = contributor.post(
        reverse("programs:plan-change-new", args=[task.pk]),
        {"deadline": "2022-03-31", "reason": "外部审批延迟", "version": task.version},
    )
    change = PlanChangeRequest.objects.get(task=task)
    assert response.status_code == 302 and response["Location"] == change.get_absolute_url()
    assert change.changes == {"deadline": {"before": "2021-12-31", "after": "2022-03-31"}}
    assert change.requested_by == people["contributor"] and change.state == "pending"
    request = approval_of(change)
    assert request.chain == "plan_change_supervisor" and len(request.levels) == 3
    assert task_of("M-1", "A-SUB").deadline == dt.date(2021, 12, 31)  # not before approval
    # The approver sees the request: before → after and the reason.
    page = client_for(sub_office).get(reverse("core:approval", args=[request.pk]))
    assert "外部审批延迟" in page.content.decode() and "2022-03-31" in page.content.decode()
    request = decide_all(request, sub_office, people["reform_office"], people["supervisor_admin"])
    assert request.status == "approved"
    change.refresh_from_db()
    assert change.state == "approved"
    assert task_of("M-1", "A-SUB").deadline == dt.date(2022, 3, 31)
    applied = AuditRecord.objects.filter(
        object_type="programs.ledgertask", object_id=str(task.pk), action="update"
    ).latest("seq")
    assert applied.actor_username == "contrib_a"  # in the requester's name


def test_a_plan_change_ends_at_the_launching_organisations_level(
    api_for, people, group_launched, sub_office
):
    task = task_in(group_launched, "M-1-A-SUB")
    api = api_for(people["contributor"])
    url = f"{API}tasks/{task.pk}/plan-changes/"
    assert api.post(url, {"weight": "2", "reason": "重要"}, format="json").status_code == 428
    response = api.post(
        url, {"weight": "2", "reason": "重要"}, format="json", HTTP_IF_MATCH=f'"{task.version}"'
    )
    assert response.status_code == 201, response.json()
    change = PlanChangeRequest.objects.get(pk=response.json()["id"])
    request = approval_of(change)
    assert request.chain == "plan_change_group" and len(request.levels) == 2
    request = decide_all(request, sub_office, people["reform_office"])
    assert request.status == "approved"  # the supervisor is not asked
    assert task_in(group_launched, "M-1-A-SUB").weight == 2
    listed = api.get(url).json()
    assert [row["state"] for row in listed] == ["approved"]


def test_a_returned_plan_change_changes_nothing(people, task_of, sub_office):
    task = task_of("M-1", "A-SUB")
    change = plan_changes.request_plan_change(
        user=people["contributor"], task=task, reason="人手不足", is_main=False
    )
    with pytest.raises(ValidationError):  # one waiting request per task
        plan_changes.request_plan_change(
            user=people["contributor"], task=task, reason="再次", weight=Decimal(3)
        )
    approvals.decide(request=approval_of(change), user=sub_office, approve=False, comment="不同意")
    change.refresh_from_db()
    assert change.state == "returned" and task_of("M-1", "A-SUB").is_main


def test_a_plan_change_asks_only_for_plan_fields(people, task_of):
    task = task_of("M-1", "A-SUB")
    with pytest.raises(ValidationError) as info:
        plan_changes.request_plan_change(
            user=people["contributor"], task=task, reason="x", percent=Decimal(90)
        )
    assert "percent" in info.value.message_dict
    with pytest.raises(ValidationError):  # the launcher edits the plan, it does not ask
        plan_changes.request_plan_change(
            user=people["supervisor_admin"], task=task, reason="x", weight=Decimal(2)
        )
    assert not PlanChangeRequest.objects.exists()


def test_a_plan_changed_since_the_request_is_not_overwritten(people, task_of, sub_office):
    task = task_of("M-1", "A-SUB")
    change = plan_changes.request_plan_change(
        user=people["contributor"], task=task, reason="延期", deadline=dt.date(2022, 3, 31)
    )
    tasks.update_task(user=people["supervisor_admin"], task=task, deadline=dt.date(2022, 1, 31))
    request = decide_all(approval_of(change), sub_office, people["reform_office"])
    with pytest.raises(ValidationError):
        approvals.decide(request=request, user=people["supervisor_admin"], approve=True)
    assert task_of("M-1", "A-SUB").deadline == dt.date(2022, 1, 31)
    change.refresh_from_db()
    assert change.state == "pending"


# --- Evidence goes with the report ---------------------------------------------------------------


def pdf(name="决议.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def test_evidence_uploaded_on_the_task_page_goes_with_the_report_submitted_after(
    client_for, people, task_of
):
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    response = contributor.post(
        reverse("programs:evidence-upload", args=[task.pk]), {"file": pdf(), "title": "决议"}
    )
    assert response.status_code == 302
    period = period_end_of(task.programme.reporting, timezone.localdate()).isoformat()
    response = contributor.post(
        reverse("programs:report-new", args=[task.pk]),
        {"period": period, "status": "done", "percent": "100", "narrative": "完成", "submit": "1"},
    )
    assert response.status_code == 302
    report = task.reports.get()
    assert report.state == "submitted"
    assert [e.title for e in Evidence.objects.filter(report=report)] == ["决议"]
    page = client_for(people["reform_office"]).get(report.get_absolute_url())
    assert "决议" in page.content.decode()
    approval = client_for(people["reform_office"]).get(
        reverse("core:approval", args=[approval_of(report).pk])
    )
    assert "决议" in approval.content.decode()  # the approver sees the file


def test_evidence_added_while_a_draft_exists_goes_with_the_draft(people, task_of):
    task = task_of("M-1", "A-SUB")
    draft = reports.save_report(
        user=people["contributor"], task=task, status="in_progress", percent=10
    )
    version = evidence_services.add_evidence(user=people["contributor"], task=task, upload=pdf())
    assert version.evidence.report == draft


# --- Launches, refusals, reports API ----------------------------------------------------------


def test_a_launch_records_the_tasks_it_created_under_the_launcher(tree, people):
    install_library((DATA / "mini-programme.yaml").read_text(encoding="utf-8"))
    mini = Programme.objects.get(code="MINI")
    result = launch_programme(
        user=people["supervisor_admin"], programme=mini, organisation=tree["GROUP-A"]
    )
    record = AuditRecord.objects.filter(
        object_type="programs.launch", changes__has_key="task_codes"
    ).get()
    assert record.actor_username == "sup"
    assert record.changes["tasks"]["after"] == result["created"] == 4
    assert sorted(record.changes["task_codes"]["after"]) == sorted(
        LedgerTask.objects.filter(programme=mini).values_list("code", flat=True)
    )


def test_a_refusal_names_nothing(people, task_of):
    task = task_of("M-2", "GROUP-B")
    with translation.override("en"), pytest.raises(PermissionDenied) as info:
        tasks.update_task(user=people["reform_office"], task=task, title="x")
    assert str(info.value) == "You may not do this here."
    assert "乙" not in str(info.value) and "GROUP-B" not in str(info.value)


def test_patching_a_reports_period_is_a_clear_400(api_for, people, task_of):
    task = task_of("M-1", "A-SUB")
    report = reports.save_report(user=people["contributor"], task=task, status="done", percent=100)
    api = api_for(people["contributor"])
    url = f"{API}reports/{report.pk}/"
    response = api.patch(url, {"period_end": "2021-01-31"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400 and "period_end" in response.json()
    response = api.patch(
        url, {"period_end": report.period_end.isoformat(), "narrative": "补充"}, format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["narrative"] == "补充"


def test_a_measures_plan_is_set_by_the_organisation_that_refined_the_task(people, task_of, tree):
    office = people["reform_office"]
    measure = tasks.add_measure(
        user=office, task=task_of("M-2", "GROUP-A"), organisation=tree["A-SUB"], code="M-2-A-1"
    )
    assert tasks.plan_owner(measure) == tree["GROUP-A"]
    measure = tasks.update_task(user=office, task=measure, deadline=dt.date(2020, 10, 31))
    assert measure.deadline == dt.date(2020, 10, 31)
    assert not tasks.may_change_plan(people["contributor"], measure)
    with pytest.raises(ValidationError):  # the measure starts unreported: no progress by hand
        tasks.update_task(user=office, task=measure, status="done")
