"""No lost updates in the ledger (issue 15): every edit of a task, measure, report or plan
change carries the version it was read at; a stale one is refused, naming who saved last and
when, and nothing is saved (forms: an error above the form; API: 412, 428 without a version)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from reformtrack.programs.models import LedgerTask, ProgressReport
from reformtrack.programs.periods import period_end_of
from reformtrack.programs.services import reports
from reformtrack.programs.services.tasks import update_task

API = "/api/programs/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _default_language(settings):
    with translation.override(settings.LANGUAGE_CODE):
        yield


def form_data(form) -> dict:
    return {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value is not None and not form.fields[key].disabled
    }


def test_two_sessions_editing_one_task_the_second_is_refused(
    client_for, people, make_user, tree, task_of
):
    task = task_of("M-1", "A-SUB")
    colleague = make_user("office_a2", role="reform_office", org=tree["GROUP-A"])
    first, second = client_for(people["reform_office"]), client_for(colleague)
    url = reverse("programs:task-edit", args=[task.pk])
    seen_first = form_data(first.get(url).context["form"])
    seen_second = form_data(second.get(url).context["form"])

    saved = first.post(url, {**seen_first, "department": "改革办"})
    assert saved.status_code == 302
    refused = second.post(url, {**seen_second, "department": "财务部"}, **EN)
    assert refused.status_code == 200
    message = str(refused.context["form"].non_field_errors())
    assert "office_a" in message and "nothing was saved" in message
    task.refresh_from_db()
    assert task.department == "改革办" and task.version == 2


def test_api_task_writes_need_the_version_and_a_stale_one_is_412(api_for, people, task_of):
    task = task_of("M-1", "A-SUB")
    url = f"{API}tasks/{task.pk}/"
    office = api_for(people["reform_office"])
    etag = office.get(url)["ETag"]
    assert etag == '"1"'
    assert office.patch(url, {"department": "甲"}, format="json").status_code == 428
    first = office.patch(url, {"department": "甲"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] == '"2"'
    stale = office.patch(url, {"department": "乙"}, format="json", HTTP_IF_MATCH=etag, **EN)
    assert stale.status_code == 412 and "office_a" in stale.json()["detail"]
    assert task_of("M-1", "A-SUB").department == "甲"


def test_a_stale_measure_is_refused(client_for, people, task_of, tree):
    task = task_of("M-1", "A-SUB")
    office = client_for(people["reform_office"])
    url = reverse("programs:task-measure", args=[task.pk])
    opened = office.get(url).context["form"].initial["version"]
    update_task(user=people["supervisor_admin"], task=task, weight=2)  # meanwhile
    response = office.post(
        url, {"code": "M-1-A-SUB-01", "organisation": tree["A-SUB2"].pk, "weight": "1",
              "version": opened}, **EN,
    )  # fmt: skip
    assert response.status_code == 200
    assert "nothing was saved" in str(response.context["form"].non_field_errors())
    assert not LedgerTask.objects.filter(code="M-1-A-SUB-01").exists()


def test_a_report_form_opened_before_someone_saved_is_refused(client_for, people, task_of):
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    url = reverse("programs:report-new", args=[task.pk])
    opened = contributor.get(url).context["form"]
    assert opened.initial.get("version") in (None, "")  # no report yet
    reports.save_report(user=people["reform_office"], task=task, status="in_progress", percent=20)
    period = period_end_of(task.programme.reporting, timezone.localdate()).isoformat()
    response = contributor.post(
        url, {"period": period, "status": "done", "percent": "100", "narrative": "完成"}, **EN
    )
    assert response.status_code == 200
    assert "nothing was saved" in str(response.context["form"].non_field_errors())
    report = ProgressReport.objects.get(task=task)
    assert (report.status, report.percent) == ("in_progress", 20)


def test_api_report_writes_are_versioned(api_for, people, task_of):
    task = task_of("M-1", "A-SUB")
    api = api_for(people["contributor"])
    created = api.post(
        f"{API}reports/", {"task": task.pk, "status": "in_progress", "percent": "10"}, format="json"
    )
    assert created.status_code == 201 and created.json()["version"] == 1
    url = f"{API}reports/{created.json()['id']}/"
    # Posting the same period again without the version would overwrite the draft: refused.
    again = api.post(
        f"{API}reports/", {"task": task.pk, "status": "done", "percent": "100"}, format="json"
    )
    assert again.status_code == 412
    assert api.patch(url, {"percent": "20"}, format="json").status_code == 428
    ok = api.patch(url, {"percent": "20"}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    stale = api.patch(url, {"percent": "30"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert ProgressReport.objects.get(task=task).percent == 20


def test_a_stale_plan_change_request_is_refused(api_for, people, task_of):
    task = task_of("M-1", "A-SUB")
    update_task(user=people["supervisor_admin"], task=task, deadline=dt.date(2022, 1, 31))
    response = api_for(people["contributor"]).post(
        f"{API}tasks/{task.pk}/plan-changes/",
        {"deadline": "2022-06-30", "reason": "延期"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 412
