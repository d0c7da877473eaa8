"""The programs API: programmes and roll-ups, ledger rows, progress reports, evidence."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from reformtrack.core.selectors.approvals import approval_of
from reformtrack.programs.models import EvidenceVersion, ProgressReport
from reformtrack.programs.services.tasks import seed_progress_as_system

from .conftest import DATA

API = "/api/programs/"


def test_programmes_are_listed_with_areas_and_targets(api_for, people, programme):
    data = api_for(people["viewer"]).get(f"{API}programmes/").json()
    assert data["count"] == 1
    mini = data["results"][0]
    assert mini["code"] == "MINI" and mini["areas"][0]["code"] == "A1"
    assert [t["percent"] for t in mini["targets"]] == ["70.00", "95.00"]
    detail = api_for(people["viewer"]).get(f"{API}programmes/{programme.pk}/").json()
    assert {t["code"] for t in detail["templates"]} == {"M-1", "M-2", "M-3"}


def test_rollup_of_the_callers_subtree(api_for, people, programme, task_of):
    office = api_for(people["reform_office"])
    seed_progress_as_system(task=task_of("M-1", "A-SUB"), status="done")
    data = office.get(f"{API}programmes/{programme.pk}/rollup/").json()
    assert data["organisation"] == "GROUP-A"
    assert (data["total"]["tasks"], data["total"]["done"]) == (4, 1)
    assert data["signal"] == "red" and data["target"]["expected_today"] == "95.0"
    assert data["coverage"][0]["rate"] == "50.0"
    assert office.get(f"{API}programmes/{programme.pk}/rollup/?org=GROUP-B").status_code == 404


def test_ledger_rows_are_scoped_and_filtered(api_for, people, programme):
    office = api_for(people["reform_office"])
    codes = {r["code"] for r in office.get(f"{API}tasks/?limit=100").json()["results"]}
    assert codes == {"M-1-A-SUB", "M-1-A-SUB2", "M-2-GROUP-A", "M-3-GROUP-A"}
    rows = office.get(f"{API}tasks/?kind=coverage&within=A-SUB").json()["results"]
    assert {r["code"] for r in rows} == {"M-1-A-SUB", "M-1-A-SUB2"}
    assert office.get(f"{API}tasks/?overdue=true").json()["count"] == 4


def test_ledger_row_changes_need_change_rights(api_for, people, task_of):
    url = f"{API}tasks/{task_of('M-1', 'A-SUB').pk}/"
    assert api_for(people["contributor"]).patch(url, {"owner": "X"}, format="json").status_code in (
        403,
        404,
    )
    office = api_for(people["reform_office"])
    response = office.patch(url, {"department": "改革办", "percent": "150"}, format="json")
    assert response.status_code == 400 and "percent" in response.json()
    version = office.get(url)["ETag"]
    response = office.patch(url, {"department": "改革办"}, format="json", HTTP_IF_MATCH=version)
    assert response.status_code == 200 and response.json()["department"] == "改革办"


def test_contributor_reports_and_submits(api_for, people, task_of):
    api = api_for(people["contributor"])
    task = task_of("M-1", "A-SUB")
    response = api.post(
        f"{API}reports/",
        {"task": task.pk, "status": "done", "percent": "100", "narrative": "董事会已组建"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    report_id = response.json()["id"]
    response = api.post(f"{API}reports/{report_id}/submit/", {}, format="json")
    assert response.json()["state"] == "submitted"
    assert approval_of(ProgressReport.objects.get(pk=report_id)).status == "pending"
    again = api.post(f"{API}reports/{report_id}/submit/", {}, format="json")
    assert again.status_code == 400


def test_reports_on_other_groups_tasks_are_refused(api_for, people, task_of):
    response = api_for(people["contributor"]).post(
        f"{API}reports/",
        {"task": task_of("M-1", "B-SUB").pk, "status": "done", "percent": "100"},
        format="json",
    )
    assert response.status_code == 400 and "task" in response.json()


def test_evidence_upload_checks_the_file(api_for, people, task_of):
    api = api_for(people["contributor"])
    task = task_of("M-1", "A-SUB")
    pdf = SimpleUploadedFile("决议.pdf", b"%PDF-1.7\nbody", content_type="application/pdf")
    response = api.post(f"{API}evidence/", {"task": task.pk, "file": pdf}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["sha256"] == EvidenceVersion.objects.get().sha256
    fake = SimpleUploadedFile("决议.pdf", b"MZ\x90\x00 not a pdf")
    response = api.post(f"{API}evidence/", {"task": task.pk, "file": fake}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00")
    assert api.post(f"{API}evidence/", {"task": task.pk, "file": exe}).status_code == 400
    listed = api.get(f"{API}evidence/?evidence__task={task.pk}").json()["results"]
    assert [v["number"] for v in listed] == [1]


def test_library_upload_by_api(api_for, people, db, tree):
    text = (DATA / "mini-programme.yaml").read_bytes()
    api = api_for(people["supervisor_admin"])
    bad = SimpleUploadedFile("bad.yaml", text.replace(b"kind: one_off", b"kind: x"))
    response = api.post(f"{API}programmes/load/", {"file": bad}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 30
    good = SimpleUploadedFile("mini.yaml", text)
    response = api.post(f"{API}programmes/load/", {"file": good}, format="multipart")
    assert response.json() == {"code": "MINI", "version": 1, "outcome": "created"}
    office = api_for(people["reform_office"])
    refused = office.post(
        f"{API}programmes/load/", {"file": SimpleUploadedFile("m.yaml", text)}, format="multipart"
    )
    assert refused.status_code == 403


def test_schema_lists_the_programs_paths(api_for, people):
    schema = api_for(people["viewer"]).get("/api/schema/").content.decode()
    for path in ("programmes/{id}/rollup/", "tasks/", "reports/{id}/submit/", "evidence/"):
        assert f"/api/programs/{path}" in schema
