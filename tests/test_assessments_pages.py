"""The assessment pages as users work them: the enterprise fills in and submits its
self-assessment, the supervisor adjusts with a reason and approves, gaps become ledger tasks
in one click, and the campaign page shows the ranking in Chinese."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from reformtrack.assessments.models import Rectification
from reformtrack.programs.demo import MINIMAL_PDF

from .test_assessments_core import campaign, rule_set, versions  # noqa: F401  (fixtures)


def test_self_assess_submit_review_and_rectify_on_the_page(campaign, people, client_for):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    page = f"/assessments/{assessment.pk}/"
    act = page + "act/"
    contributor = client_for(people["contributor"])
    html = contributor.get(page).content.decode()
    assert "保存自评" in html and "甲子公司" in html
    form = {"op": "self_score", **versions(assessment)}
    for score in assessment.scores.select_related("indicator"):
        ind = score.indicator
        form[f"points_{score.pk}"] = str(ind.max_points)
        form[f"yes_{score.pk}"] = "yes"
        form[f"checked_{score.pk}"] = [str(i) for i in range(len(ind.items))]
        form[f"justification_{score.pk}"] = "已落实"
        if ind.evidence_zh:  # required evidence: one file each
            pdf = SimpleUploadedFile("证明.pdf", MINIMAL_PDF, "application/pdf")
            form[f"file_{score.pk}"] = pdf
    response = contributor.post(act, form, follow=True)
    assert "自评已保存" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.self_score > 80
    contributor.post(act, {"op": "submit", **versions(assessment)})
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    supervisor = client_for(people["supervisor_admin"])
    d1 = assessment.scores.get(indicator__code="D1-03")
    refused = supervisor.post(
        act, {"op": "adjust", f"reviewed_{d1.pk}": "3", **versions(assessment)}, follow=True
    )
    assert "请说明调整分数的理由" in refused.content.decode()
    supervisor.post(
        act,
        {
            "op": "adjust",
            f"reviewed_{d1.pk}": "3",
            f"reason_{d1.pk}": "授权清单未印发",
            **versions(assessment),
        },
    )
    d1.refresh_from_db()
    assert d1.reviewed_points == 3 and d1.review_reason == "授权清单未印发"
    while assessment.status == "submitted":
        supervisor.post(act, {"op": "approve"})
        assessment.refresh_from_db()
    assert assessment.status == "reviewed"
    office = client_for(people["reform_office"])
    response = office.post(act, {"op": "rectify", "gap": ["D1-03"], "owner": "李娜",
                                 "deadline": "2022-12-31"}, follow=True)  # fmt: skip
    assert "新增 1 条整改任务" in response.content.decode()
    link = Rectification.objects.get(assessment=assessment)
    assert link.task.owner == "李娜" and link.task.code in office.get(page).content.decode()
    outsider = client_for(people["outsider"])
    assert outsider.post(act, {"op": "rectify", "gap": ["D2-01"]}).status_code == 404
    campaign_page = client_for(people["viewer"]).get(campaign.get_absolute_url())
    assert "测试评估" in campaign_page.content.decode()


def test_supervisor_uploads_an_edited_report_template(campaign, people, client_for):  # noqa: F811
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from docx import Document

    supervisor = client_for(people["supervisor_admin"])
    page = "/assessments/report-templates/"
    assert client_for(people["viewer"]).get(page).status_code == 403
    shipped = b"".join(supervisor.get(page + "?download=assessment-report").streaming_content)
    doc = Document(io.BytesIO(shipped))
    doc.add_paragraph("国资委改革办印制")
    edited = io.BytesIO()
    doc.save(edited)
    upload = SimpleUploadedFile("t.docx", edited.getvalue())
    response = supervisor.post(page, {"code": "assessment-report", "op": "upload",
                                      "file": upload}, follow=True)  # fmt: skip
    assert "新模板已启用" in response.content.decode()
    broken = SimpleUploadedFile("t.docx", b"not a docx")
    response = supervisor.post(page, {"code": "assessment-report", "file": broken}, follow=True)
    assert "不是可用的Word模板" in response.content.decode() or "Word" in response.content.decode()
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    report = supervisor.get(f"/assessments/{assessment.pk}/report.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(report.content)).paragraphs)
    assert "国资委改革办印制" in text and "甲子公司" in text


def test_supervisor_opens_a_campaign_by_designation(rule_set, tree, people, client_for):  # noqa: F811
    import datetime as dt

    from reformtrack.assessments.models import Campaign
    from reformtrack.orgs.models import Designation, DesignationKind

    Designation.objects.create(organisation=tree["A-SUB"], valid_from=dt.date(2020, 1, 1),
                               kind=DesignationKind.objects.get(code="SCI_TECH_DEMO"))  # fmt: skip
    supervisor = client_for(people["supervisor_admin"])
    assert client_for(people["reform_office"]).get("/assessments/campaigns/new/").status_code == 403
    form = {"rule_set": rule_set.pk, "year": 2023, "code": "se-2023", "name_zh": "2023年度专项评估",
            "organisation": tree["SASAC"].pk, "self_deadline": "2023-11-30",
            "review_deadline": "2023-10-01"}  # fmt: skip
    refused = supervisor.post("/assessments/campaigns/new/", form)
    assert "审核截止日期不能早于自评截止日期" in refused.content.decode()
    for junk in ("99999999999999999999", "-99999999999999999999", "x"):  # a 500 on SQLite
        mistyped = supervisor.post("/assessments/campaigns/new/", {**form, "targets": [junk]})
        assert mistyped.status_code == 200 and junk in mistyped.content.decode()
    form["review_deadline"] = "2024-03-31"
    response = supervisor.post("/assessments/campaigns/new/", form)
    assert response.status_code == 302
    opened = Campaign.objects.get(code="SE-2023")
    assert list(opened.assessments.values_list("organisation__code", flat=True)) == ["A-SUB"]
