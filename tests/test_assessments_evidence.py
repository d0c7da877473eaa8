"""Evidence files per indicator: the enterprise attaches files on the self-assessment page
while it may still edit it, every upload of the same file name is a new version, the
supervisor downloads them, another group gets a 404 and a file that lies about its type is
refused with its name."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reformtrack.assessments.models import EvidenceFile
from reformtrack.assessments.services.campaigns import submit_assessment
from reformtrack.assessments.services.evidence import add_score_evidence

from .test_assessments_core import campaign, fill, rule_set, versions  # noqa: F401  (fixtures)

PDF = b"%PDF-1.4\n% board minutes\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_enterprise_attaches_files_and_supervisor_downloads_them(campaign, people, client_for):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    score = assessment.scores.select_related("indicator").first()
    page, act = f"/assessments/{assessment.pk}/", f"/assessments/{assessment.pk}/act/"
    contributor = client_for(people["contributor"])
    assert f'name="file_{score.pk}"' in contributor.get(page).content.decode()
    files = [upload("董事会决议.pdf", PDF), upload("photo.png", PNG)]
    form = {"op": "self_score", **versions(assessment), f"file_{score.pk}": files}
    html = contributor.post(act, form, follow=True).content.decode()
    assert "自评已保存" in html and "董事会决议.pdf" in html
    contributor.post(
        act,
        {
            "op": "self_score",
            **versions(assessment),
            f"file_{score.pk}": upload("董事会决议.pdf", PDF + b"v2"),
        },
    )
    stored = EvidenceFile.objects.filter(score=score, title="董事会决议").order_by("number")
    assert [v.number for v in stored] == [1, 2]
    assert stored[1].sha256 == hashlib.sha256(PDF + b"v2").hexdigest()
    assert stored[0].content_type == "application/pdf" and stored[0].size == len(PDF)
    assert stored[0].uploaded_by == people["contributor"]

    supervisor = client_for(people["supervisor_admin"])
    response = supervisor.get(stored[0].get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert stored[0].get_absolute_url() in supervisor.get(page).content.decode()
    outsider = client_for(people["outsider"])
    assert outsider.get(stored[0].get_absolute_url()).status_code == 404


def test_a_lying_file_is_refused_and_nothing_is_stored(campaign, people, client_for, settings):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    score = assessment.scores.first()
    contributor = client_for(people["contributor"])
    files = [upload("good.pdf", PDF), upload("报告.pdf", b"MZ\x90\x00 not a pdf")]
    form = {"op": "self_score", **versions(assessment), f"file_{score.pk}": files}
    html = contributor.post(f"/assessments/{assessment.pk}/act/", form, follow=True)
    assert "报告.pdf 的实际内容与其扩展名 .pdf 不符" in html.content.decode()
    assert not EvidenceFile.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("good*.pdf"))  # the good one is not kept


def test_no_upload_after_submission_or_from_outside(campaign, people):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    score = assessment.scores.first()
    with pytest.raises(PermissionDenied, match="您无权"):
        add_score_evidence(user=people["outsider"], score=score, upload=upload("a.pdf", PDF))
    assert not EvidenceFile.objects.exists()
    fill(assessment, people["contributor"])  # attaches the required evidence
    submit_assessment(user=people["contributor"], assessment=assessment)
    score.refresh_from_db()
    before = EvidenceFile.objects.count()
    with pytest.raises(ValidationError, match="自评提交后不能再上传"):
        add_score_evidence(user=people["contributor"], score=score, upload=upload("a.pdf", PDF))
    assert EvidenceFile.objects.count() == before


def test_required_evidence_shows_as_guidance(campaign, people, client_for):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    with_evidence = assessment.scores.exclude(indicator__evidence_zh="").select_related("indicator")
    assert with_evidence.exists()
    html = client_for(people["contributor"]).get(f"/assessments/{assessment.pk}/").content.decode()
    assert with_evidence.first().indicator.evidence_zh in html
    assert "尚未上传文件" in html


def test_evidence_is_filed_and_listed_over_the_api(campaign, people, api_for, client_for):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    score = assessment.scores.select_related("indicator").first()
    api = api_for(people["contributor"])
    body = {"score": score.pk, "title": "董事会决议", "file": upload("minutes.pdf", PDF)}
    made = api.post("/api/assessments/evidence/", body, format="multipart")
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["number"] == 1 and data["indicator"] == score.indicator.code
    assert data["sha256"] == hashlib.sha256(PDF).hexdigest()
    listed = api.get(f"/api/assessments/evidence/?score__assessment={assessment.pk}").json()
    assert [row["title"] for row in listed["results"]] == ["董事会决议"]
    assert client_for(people["supervisor_admin"]).get(data["download"]).status_code == 200

    lying = {"score": score.pk, "file": upload("报告.pdf", b"MZ\x90\x00 not a pdf")}
    refused = api.post("/api/assessments/evidence/", lying, format="multipart")
    assert refused.status_code == 400 and "报告.pdf" in refused.content.decode()
    outsider = api_for(people["outsider"])
    assert outsider.get(f"/api/assessments/evidence/{data['id']}/").status_code == 404
    stranger = {"score": score.pk, "file": upload("a.pdf", PDF)}
    refused = outsider.post("/api/assessments/evidence/", stranger, format="multipart")
    assert refused.status_code == 400
    assert EvidenceFile.objects.count() == 1
