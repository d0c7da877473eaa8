"""The pages of programmes and ledgers, as their users meet them: reading a programme, filtering
a ledger, reporting progress through the approvals, attaching evidence, loading a library and
launching a programme."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from reformtrack.core.libraries import install_library
from reformtrack.core.selectors.approvals import approval_of
from reformtrack.core.services import approvals
from reformtrack.orgs.models import Designation, DesignationKind
from reformtrack.programs.models import (
    EvidenceVersion,
    Launch,
    LedgerTask,
    Programme,
    ProgressReport,
)
from reformtrack.programs.periods import period_end_of
from reformtrack.programs.services import reports as report_services

from .conftest import DATA

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
QUERY_BUDGET = 20
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Pages asked for in English leave English active in the thread; start each in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def html(response) -> str:
    return response.content.decode()


def current_period(programme) -> str:
    return period_end_of(programme.reporting, timezone.localdate()).isoformat()


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# --- Programmes ----------------------------------------------------------------------------------


def test_programme_list_in_chinese_and_english(client_for, people, programme):
    client = client_for(people["viewer"])
    page = client.get(reverse("programs:programmes"))
    assert page.status_code == 200
    text = html(page)
    assert "小程序" in text and "退出登录" in text
    # Group A's viewer sees group A's four rows (two M-1, M-2, M-3), not group B's.
    assert page.context["programmes"][0].task_count == 4
    assert reverse("programs:ledger", args=["MINI"]) in text
    assert reverse("programs:dashboard", args=["MINI"]) in text
    assert reverse("programs:library-upload") not in text  # only supervisor administrators

    english = html(client.get(reverse("programs:programmes"), **EN))
    assert "Mini" in english and "Sign out" in english and "Tasks in your scope" in english


def test_programme_detail_shows_targets_areas_and_launches(client_for, people, programme):
    url = reverse("programs:programme", args=["MINI"])
    viewer = client_for(people["viewer"])
    text = html(viewer.get(url))
    assert "小程序" in text and "治理" in text and "董事会应建尽建" in text
    assert 'data-template="M-3"' in text and "70%" in text and "95%" in text
    assert reverse("programs:launch", args=["MINI"]) not in text
    # The launch was made at SASAC: outside the viewer's scope.
    assert "国资委" not in text

    supervisor = client_for(people["supervisor_admin"])
    english = html(supervisor.get(url, **EN))
    assert "Governance" in english and "Boards" in english and "Open hiring" in english
    assert "Illustrative" in english or "Public source" in english
    assert reverse("programs:launch", args=["MINI"]) in english
    assert reverse("programs:library-upload") in english
    assert "Launches in your scope" in english and "国资委" in english

    assert viewer.get(reverse("programs:programme", args=["NOPE"])).status_code == 404


# --- The ledger ----------------------------------------------------------------------------------


def ledger_codes(response) -> set[str]:
    return {row.record.code for row in response.context["table"].paginated_rows}


def test_ledger_is_scoped_and_filtered(
    client_for, people, programme, tree, django_assert_max_num_queries
):
    client = client_for(people["reform_office"])
    url = reverse("programs:ledger", args=["MINI"])
    client.get(url)  # sessions and grants warmed up
    with django_assert_max_num_queries(QUERY_BUDGET):  # no query per row
        page = client.get(url)
    assert page.status_code == 200
    assert ledger_codes(page) == {"M-1-A-SUB", "M-1-A-SUB2", "M-2-GROUP-A", "M-3-GROUP-A"}
    text = html(page)
    task = LedgerTask.objects.get(code="M-2-GROUP-A")
    assert f'href="{reverse("programs:task", args=[task.pk])}"' in text
    assert reverse("programs:ledger-export", args=["MINI"]) in text
    assert reverse("programs:ledger-import", args=["MINI"]) in text

    sub = client.get(url, {"org": tree["A-SUB"].pk})
    assert ledger_codes(sub) == {"M-1-A-SUB", "M-1-A-SUB2"}
    assert f"?org={tree['A-SUB'].pk}" in html(sub)  # the export keeps the filter
    assert ledger_codes(client.get(url, {"kind": "indicator"})) == {"M-3-GROUP-A"}
    assert ledger_codes(client.get(url, {"main": "on"})) == {
        "M-1-A-SUB",
        "M-1-A-SUB2",
        "M-2-GROUP-A",
    }
    assert ledger_codes(client.get(url, {"q": "招聘"})) == {"M-3-GROUP-A"}
    assert ledger_codes(client.get(url, {"q": "m-2"})) == {"M-2-GROUP-A"}
    assert len(ledger_codes(client.get(url, {"overdue": "on"}))) == 4  # deadlines have passed
    area = programme.areas.get(code="A1")
    assert len(ledger_codes(client.get(url, {"area": area.pk, "status": "not_started"}))) == 4
    # Another group's subtree is not a choice: nothing is shown, not group B's rows.
    assert ledger_codes(client.get(url, {"org": tree["GROUP-B"].pk})) == set()

    viewer_page = client_for(people["viewer"]).get(url)
    assert reverse("programs:ledger-import", args=["MINI"]) not in html(viewer_page)


# --- Progress reports and approvals -----------------------------------------------------------


def report_progress(client, task, *, submit: bool, **fields):
    data = {
        "period": current_period(task.programme),
        "status": "done",
        "percent": "100",
        "narrative": "董事会已组建",
        **fields,
    }
    if submit:
        data["submit"] = "1"
    return client.post(reverse("programs:report-new", args=[task.pk]), data)


def test_contributor_reports_and_it_counts_only_once_approved(
    client_for, people, programme, task_of, make_user, tree
):
    assert programme.count_only_approved
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    form = contributor.get(reverse("programs:report-new", args=[task.pk]))
    assert form.status_code == 200
    assert form.context["form"]["period"].value() == current_period(programme)

    response = report_progress(contributor, task, submit=False)
    report = ProgressReport.objects.get(task=task)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.state == "draft"
    detail = contributor.get(report.get_absolute_url())
    assert reverse("programs:report-submit", args=[report.pk]) in html(detail)
    assert contributor.get(reverse("programs:report-submit", args=[report.pk])).status_code == 405

    contributor.post(reverse("programs:report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == "submitted"
    task.refresh_from_db()
    assert task.status == "not_started"  # not counted before approval

    # Submitted: the form says so and refuses a change.
    locked = contributor.get(reverse("programs:report-new", args=[task.pk]))
    assert locked.context["locked"]
    refused = report_progress(contributor, task, submit=False, percent="50", status="in_progress")
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()

    request = approval_of(report)
    sub_office = make_user("office_sub", role="reform_office", org=tree["A-SUB"])
    approvals.decide(request=request, user=sub_office, approve=True)  # A-SUB level
    approvals.decide(request=request, user=people["reform_office"], approve=True)  # GROUP-A
    task.refresh_from_db()
    assert task.status == "not_started"  # the supervisor's level is still to come
    approvals.decide(request=request, user=people["supervisor_admin"], approve=True)
    report.refresh_from_db()
    task.refresh_from_db()
    assert report.state == "approved"
    assert task.status == "done" and task.percent == 100

    page = html(contributor.get(task.get_absolute_url()))
    assert 'class="status done"' in page and 'class="status approved"' in page
    ledger = client_for(people["reform_office"]).get(
        reverse("programs:ledger", args=["MINI"]), {"status": "done"}
    )
    assert ledger_codes(ledger) == {"M-1-A-SUB"}


def test_returned_report_is_edited_and_resubmitted(client_for, people, programme, task_of):
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    report_progress(contributor, task, submit=True)
    report = ProgressReport.objects.get(task=task)
    assert report.state == "submitted"
    approvals.decide(
        request=approval_of(report), user=people["reform_office"], approve=False, comment="缺佐证"
    )
    report.refresh_from_db()
    assert report.state == "returned"
    detail = html(contributor.get(report.get_absolute_url()))
    assert "缺佐证" in detail

    url = reverse("programs:report-new", args=[task.pk])
    form = contributor.get(url, {"period": report.period_end.isoformat()})
    assert not form.context["locked"] and form.context["report"] == report
    assert form.context["form"]["narrative"].value() == "董事会已组建"
    report_progress(
        contributor, task, submit=True, narrative="董事会已组建，附决议", version=report.version
    )
    report.refresh_from_db()
    assert report.state == "submitted" and report.narrative == "董事会已组建，附决议"
    assert approval_of(report).status == "pending"
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_indicator_report_shows_the_actual_value(client_for, people, programme, task_of):
    task = task_of("M-3", "GROUP-A")
    office = client_for(people["reform_office"])
    form = office.get(reverse("programs:report-new", args=[task.pk]))
    assert "indicator_actual" in form.context["form"].fields
    assert "indicator_actual" not in (
        office.get(reverse("programs:report-new", args=[task_of("M-2", "GROUP-A").pk]))
        .context["form"]
        .fields
    )
    report_progress(office, task, submit=False, status="in_progress", percent="40")
    bad = report_progress(office, task, submit=False, status="in_progress", percent="140")
    assert bad.status_code == 200 and bad.context["form"].errors


# --- Evidence ---------------------------------------------------------------------------------


def post_evidence(client, task, name, content, title="", report=None):
    data = {"file": upload(name, content), "title": title}
    if report is not None:
        data["report"] = report
    return client.post(reverse("programs:evidence-upload", args=[task.pk]), data)


def test_evidence_upload_versions_and_download(client_for, people, programme, task_of):
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    response = post_evidence(contributor, task, "董事会决议.pdf", PDF, title="董事会决议")
    assert response.status_code == 302
    first = EvidenceVersion.objects.get()
    assert first.number == 1 and first.content_type == "application/pdf"

    download = contributor.get(reverse("programs:evidence-download", args=[first.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%91%A3" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"

    second = PDF.replace(b"Catalog", b"Catalog /Version 2")
    post_evidence(contributor, task, "决议-修订.pdf", second, title="董事会决议")
    versions = EvidenceVersion.objects.order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].evidence_id == versions[1].evidence_id
    old = contributor.get(reverse("programs:evidence-download", args=[first.pk]))
    assert b"".join(old.streaming_content) == PDF
    page = html(contributor.get(task.get_absolute_url()))
    for version in versions:
        assert reverse("programs:evidence-download", args=[version.pk]) in page
    # Group B never reaches it.
    outsider = client_for(people["outsider"])
    assert outsider.get(reverse("programs:evidence-download", args=[first.pk])).status_code == 404


def test_evidence_filed_with_a_report_shows_on_it_until_submitted(
    client_for, people, programme, task_of
):
    """The contributor attaches the proof to the report the approver will read."""
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    report = report_services.save_report(
        user=people["contributor"], task=task, status="in_progress", percent=40
    )
    page = html(contributor.get(report.get_absolute_url()))
    assert "尚未为本报告附加佐证材料" in page and 'data-testid="evidence-upload"' in page
    response = post_evidence(contributor, task, "会议纪要.pdf", PDF, report=report.pk)
    assert response.status_code == 302
    assert response["Location"] == f"{report.get_absolute_url()}#evidence"
    version = EvidenceVersion.objects.get()
    assert version.evidence.report == report
    page = html(contributor.get(report.get_absolute_url()))
    assert reverse("programs:evidence-download", args=[version.pk]) in page

    report_services.submit_report(user=people["contributor"], report=report)
    page = html(contributor.get(report.get_absolute_url()))
    assert 'data-testid="evidence-upload"' not in page  # a submitted report is locked
    late = post_evidence(contributor, task, "补充.pdf", PDF, report=report.pk)
    assert late.status_code == 200 and "草稿" in html(late)
    assert EvidenceVersion.objects.count() == 1


def test_evidence_upload_refuses_bad_files(client_for, people, programme, task_of, settings):
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    exe = post_evidence(contributor, task, "tool.exe", b"MZ\x90\x00binary")
    assert exe.status_code == 200 and "tool.exe" in str(exe.context["form"].errors["file"])
    fake = post_evidence(contributor, task, "决议.pdf", b"MZ\x90\x00 not a pdf")
    assert fake.status_code == 200 and ".pdf" in str(fake.context["form"].errors["file"])
    settings.REFORMTRACK_EVIDENCE_MAX_BYTES = 64
    big = post_evidence(contributor, task, "big.pdf", PDF + b"x" * 100)
    assert big.status_code == 200 and "big.pdf" in str(big.context["form"].errors["file"])
    assert "error" in html(big)
    assert not EvidenceVersion.objects.exists()


# --- Who may do what --------------------------------------------------------------------------


def test_other_group_gets_404_and_viewer_403(client_for, people, programme, task_of):
    task = task_of("M-1", "A-SUB")
    report = report_services.save_report(user=None, task=task, status="in_progress", percent=10)
    outsider = client_for(people["outsider"])
    for url in (
        reverse("programs:task", args=[task.pk]),
        reverse("programs:task-edit", args=[task.pk]),
        reverse("programs:report-new", args=[task.pk]),
        reverse("programs:evidence-upload", args=[task.pk]),
        reverse("programs:report", args=[report.pk]),
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(reverse("programs:report-submit", args=[report.pk])).status_code == 404

    viewer = client_for(people["viewer"])
    assert viewer.get(reverse("programs:task", args=[task.pk])).status_code == 200
    for url in (
        reverse("programs:task-edit", args=[task.pk]),
        reverse("programs:task-measure", args=[task.pk]),
        reverse("programs:report-new", args=[task.pk]),
        reverse("programs:evidence-upload", args=[task.pk]),
    ):
        assert viewer.get(url).status_code == 403, url
    assert viewer.post(reverse("programs:report-submit", args=[report.pk])).status_code == 403
    contributor = client_for(people["contributor"])
    assert contributor.get(reverse("programs:task-edit", args=[task.pk])).status_code == 403


def test_office_edits_a_task_and_adds_a_measure(client_for, people, programme, task_of, tree):
    task = task_of("M-1", "A-SUB")
    office = client_for(people["reform_office"])
    edit = office.get(reverse("programs:task-edit", args=[task.pk]))
    assert edit.status_code == 200
    data = {
        key: value
        for key, value in edit.context["form"].initial.items()
        if key in edit.context["form"].fields and value is not None
    }
    # Progress is not the form's: posting it is refused with the reason, nothing saved.
    refused = office.post(
        reverse("programs:task-edit", args=[task.pk]),
        {**data, "department": "改革办", "status": "in_progress", "percent": "30"},
        **EN,
    )
    assert refused.status_code == 200
    assert "progress report" in str(refused.context["form"].non_field_errors())
    # The plan is the launcher's (SASAC): shown, not editable; a posted value is ignored.
    assert edit.context["form"].fields["owner"].disabled
    data.update(department="改革办", owner="王芳")
    response = office.post(reverse("programs:task-edit", args=[task.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    task.refresh_from_db()
    assert task.department == "改革办" and task.owner == "" and task.percent == 0

    form = office.get(reverse("programs:task-measure", args=[task.pk])).context["form"]
    choices = {org.code for org in form.fields["organisation"].queryset}
    assert choices == {"A-SUB", "A-SUB2"}
    response = office.post(
        reverse("programs:task-measure", args=[task.pk]),
        {
            "code": "m-1-a-sub-01",
            "organisation": tree["A-SUB2"].pk,
            "weight": "1",
            "version": form.initial["version"],
        },
    )
    assert response.status_code == 302
    measure = LedgerTask.objects.get(code="M-1-A-SUB-01")
    assert measure.parent == task and measure.organisation == tree["A-SUB2"]
    assert measure.code in html(office.get(task.get_absolute_url()))
    task.refresh_from_db()
    taken = office.post(
        reverse("programs:task-measure", args=[task.pk]),
        {
            "code": "M-1-A-SUB-01",
            "organisation": tree["A-SUB2"].pk,
            "weight": "1",
            "version": task.version,
        },
    )
    assert taken.status_code == 200 and "code" in taken.context["form"].errors


# --- Loading libraries and launching --------------------------------------------------------------


def test_library_upload_shows_errors_with_lines_then_loads(client_for, people, tree):
    text = (DATA / "mini-programme.yaml").read_bytes()
    url = reverse("programs:library-upload")
    assert client_for(people["reform_office"]).get(url).status_code == 403
    client = client_for(people["supervisor_admin"])
    assert client.get(url).status_code == 200

    broken = text.replace(b"kind: one_off", b"kind: x").replace(b"main: true\n", b"main: [\n", 1)
    response = client.post(url, {"file": upload("broken.yaml", broken)})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert errors and all(e.get("line") for e in errors)
    page = html(response)
    assert "broken.yaml" in page and f'<td class="num">{errors[0]["line"]}</td>' in page

    bad = text.replace(b"kind: one_off", b"kind: x")
    response = client.post(url, {"file": upload("bad.yaml", bad)}, **EN)
    assert [e["line"] for e in response.context["errors"]] == [30]
    assert '<td class="num">30</td>' in html(response) and "errors" in html(response)
    assert not Programme.objects.exists()

    response = client.post(url, {"file": upload("mini.yaml", text)})
    programme = Programme.objects.get(code="MINI")
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    again = client.post(url, {"file": upload("mini.yaml", text)}, follow=True)
    assert "MINI" in html(again)


def test_launch_by_designation_and_to_an_organisation(client_for, people, tree):
    install_library((DATA / "mini-programme.yaml").read_text(encoding="utf-8"))
    kind = DesignationKind.objects.get(code="DOUBLE_HUNDRED")
    for code in ("A-SUB2", "B-SUB"):
        Designation.objects.create(organisation=tree[code], kind=kind, valid_from="2021-01-01")
    url = reverse("programs:launch", args=["MINI"])
    assert client_for(people["reform_office"]).get(url).status_code == 403

    client = client_for(people["supervisor_admin"])
    form = client.get(url).context["form"]
    assert "GROUP-B" in {o.code for o in form.fields["organisation"].queryset}
    neither = client.post(url, {})
    assert neither.status_code == 200 and neither.context["form"].non_field_errors()

    # a launch is a job (tests/test_launch_jobs.py): the request queues it, the worker runs it
    from reformtrack.core.jobs import execute
    from reformtrack.core.models import Job

    response = client.post(url, {"designation": "DOUBLE_HUNDRED"})
    job = Job.objects.latest("pk")
    assert response["Location"] == reverse("core:job", args=[job.pk])
    execute(job.pk)
    assert set(LedgerTask.objects.values_list("code", flat=True)) == {"M-1-A-SUB2", "M-1-B-SUB"}
    assert {launch.designation for launch in Launch.objects.all()} == {"DOUBLE_HUNDRED"}
    job.refresh_from_db()
    assert job.result["launches"] == 2, job.result

    client.post(url, {"organisation": tree["GROUP-A"].pk})
    execute(Job.objects.latest("pk").pk)
    # M-1 for A-SUB (A-SUB2 has it already), M-2 and M-3 for the group.
    assert Job.objects.latest("pk").result["created"] == 3
    assert LedgerTask.objects.count() == 5

    nobody = DesignationKind.objects.exclude(code="DOUBLE_HUNDRED").first()
    response = client.post(url, {"designation": nobody.code})
    assert response.status_code == 200 and response.context["form"].errors["designation"]


def test_a_programme_tells_its_provenance_in_the_readers_language(client_for, people, settings):
    shipped = settings.REFORMTRACK_LIBRARY_DIR / "programmes" / "three-year-action.yaml"
    install_library(shipped.read_text(encoding="utf-8"))
    url = reverse("programs:programme", args=["TYA"])
    admin = client_for(people["supervisor_admin"])
    chinese, english = html(admin.get(url)), html(admin.get(url, **EN))
    assert "八大领域" in chinese and "The eight areas" not in chinese
    assert "The eight areas" in english and "八大领域" not in english
