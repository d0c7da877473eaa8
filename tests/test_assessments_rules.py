"""Campaign rules on every path: a late self-assessment is refused until an extension is
approved by the level above (never by its asker), required evidence is named when missing,
and a value missing from the ledger/KPIs stays missing (never 0) and blocks the submission."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reformtrack.assessments.models import ExtensionRequest, RuleSet
from reformtrack.assessments.services import campaigns as services
from reformtrack.assessments.services import rules
from reformtrack.assessments.services.evidence import add_score_evidence
from reformtrack.core.libraries import install_library
from reformtrack.core.selectors.approvals import approval_of
from reformtrack.core.services import approvals
from reformtrack.orgs.models import Designation, DesignationKind
from reformtrack.programs.demo import MINIMAL_PDF

RULESETS = Path(__file__).parent.parent / "src/reformtrack/libraries/rulesets"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _campaign(tree, people, self_deadline):
    for path in sorted(RULESETS.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)
    Designation.objects.create(organisation=tree["A-SUB"], valid_from=dt.date(2020, 1, 1),
                               kind=DesignationKind.objects.get(code="SCI_TECH_DEMO"))  # fmt: skip
    campaign = services.open_campaign(
        user=people["supervisor_admin"], rule_set=RuleSet.objects.get(code="SPECIAL-EVAL"),
        year=2022, code="R-2022", name_zh="规则评估", organisation=tree["SASAC"],
        self_deadline=self_deadline, review_deadline=self_deadline + dt.timedelta(days=120),
        targets=[tree["A-SUB"]],
    )  # fmt: skip
    return campaign.assessments.get()


def _fill(assessment, user, *, files=True):
    """Every indicator scored; evidence attached where the rule set asks for it. Indicators
    reading a platform value have none in this small tree: they are left out here."""
    assessment.scores.exclude(indicator__value_source="").delete()
    for score in assessment.scores.select_related("indicator"):
        ind = score.indicator
        services.save_self_score(user=user, score=score, checked=list(range(len(ind.items))),
                                 yes=True, points=ind.max_points)  # fmt: skip
        if files and (ind.evidence_zh or ind.evidence_en):
            upload = SimpleUploadedFile("证明.pdf", MINIMAL_PDF, "application/pdf")
            add_score_evidence(user=user, score=score, upload=upload, title="证明")
    services.refresh_totals(assessment)
    assessment.refresh_from_db()


def test_deadline_is_the_end_of_that_day_in_shanghai():
    end = rules.deadline_end(dt.date(2030, 11, 30))
    assert end == dt.datetime(2030, 12, 1, tzinfo=SHANGHAI)
    assert end.utcoffset() == dt.timedelta(hours=8)
    assert end == dt.datetime(2030, 11, 30, 16, tzinfo=dt.UTC)  # 16:00 UTC is midnight there


def test_late_submission_refused_until_an_extension_is_approved_above(tree, people):
    contributor, supervisor = people["contributor"], people["supervisor_admin"]
    assessment = _campaign(tree, people, dt.date(2022, 11, 30))
    _fill(assessment, contributor)
    with pytest.raises(ValidationError, match="2022-11-30"):
        services.submit_assessment(user=contributor, assessment=assessment)
    on_time = dt.datetime(2022, 11, 30, 23, 59, tzinfo=SHANGHAI)
    late = dt.datetime(2022, 11, 30, 16, 0, 1, tzinfo=dt.UTC)  # 00:00:01 on 1 Dec in Beijing
    rules.check_deadline(assessment, rules.Kind.SELF, on_time)
    with pytest.raises(ValidationError):
        rules.check_deadline(assessment, rules.Kind.SELF, late)

    with pytest.raises(ValidationError):  # a reason is required
        rules.request_extension(user=contributor, assessment=assessment, kind="self",
                                new_date=dt.date(2099, 1, 31), reason=" ")  # fmt: skip
    with pytest.raises(PermissionDenied):  # another group's office cannot ask for it
        rules.request_extension(user=people["outsider"], assessment=assessment, kind="self",
                                new_date=dt.date(2099, 1, 31), reason="补充材料")  # fmt: skip
    extension = rules.request_extension(
        user=contributor,
        assessment=assessment,
        kind="self",
        new_date=dt.date(2099, 1, 31),
        reason="补充材料",
    )
    request = approval_of(extension)
    assert request.current_organisation == tree["SASAC"]  # the level above the enterprise
    with pytest.raises((PermissionDenied, ValidationError)):  # never one's own request
        approvals.decide(request=request, user=contributor, approve=True)
    with pytest.raises(ValidationError, match="2022-11-30"):  # pending counts for nothing
        services.submit_assessment(user=contributor, assessment=assessment)
    approvals.decide(request=request, user=supervisor, approve=True)
    extension.refresh_from_db()
    assert extension.status == ExtensionRequest.Status.APPROVED
    assert rules.deadline_of(assessment, "self") == dt.date(2099, 1, 31)
    services.submit_assessment(user=contributor, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_review_after_its_deadline_is_refused(tree, people):
    contributor, supervisor = people["contributor"], people["supervisor_admin"]
    assessment = _campaign(tree, people, dt.date(2022, 11, 30))
    _fill(assessment, contributor)
    services.submit_assessment(user=contributor, assessment=assessment,
                               now=dt.datetime(2022, 11, 1, tzinfo=SHANGHAI))  # fmt: skip
    with pytest.raises(ValidationError, match="2023-03-30"):
        services.review(user=supervisor, assessment=assessment, approve=True)
    score = assessment.scores.first()
    with pytest.raises(ValidationError, match="2023-03-30"):
        services.adjust_score(user=supervisor, score=score, points=0, reason="核减")
    with pytest.raises(ValidationError, match="2023-03-30"):  # the inbox decides the same way
        approvals.decide(request=approval_of(assessment), user=supervisor, approve=True)
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_required_evidence_missing_is_named(tree, people):
    contributor = people["contributor"]
    assessment = _campaign(tree, people, dt.date(2099, 11, 30))
    _fill(assessment, contributor, files=False)
    needing = assessment.scores.exclude(indicator__evidence_zh="").order_by("indicator__code")
    first = needing.first().indicator.code
    with pytest.raises(ValidationError, match=first):
        services.submit_assessment(user=contributor, assessment=assessment)
    assert assessment.status == "draft"


def test_missing_value_is_missing_not_zero(tree, people):
    contributor = people["contributor"]
    assessment = _campaign(tree, people, dt.date(2099, 11, 30))
    rd = assessment.scores.get(indicator__code="D6-01")  # R&D intensity, from the KPIs: none
    services.save_self_score(user=contributor, score=rd)
    rd.refresh_from_db()
    assert rd.value is None and rd.self_points is None  # not 0
    assert "D6-01" in rules.missing_scores(assessment)
    with pytest.raises(ValidationError, match="D6-01"):
        services.submit_assessment(user=contributor, assessment=assessment)
    with pytest.raises(ValidationError, match="D6-01"):  # by hand only with a justification
        services.save_self_score(user=contributor, score=rd, points=5)
    services.save_self_score(user=contributor, score=rd, points=5, justification="年报：3.1%")
    rd.refresh_from_db()
    assert rd.self_points == 5 and "D6-01" not in rules.missing_scores(assessment)


def test_api_and_page_refuse_a_late_submission(tree, people, api_for, client_for):
    contributor = people["contributor"]
    assessment = _campaign(tree, people, dt.date(2022, 11, 30))
    _fill(assessment, contributor)
    response = api_for(contributor).post(
        f"/api/assessments/assessments/{assessment.pk}/submit/", {"comment": ""}, format="json",
        HTTP_IF_MATCH=str(assessment.version),
    )  # fmt: skip
    assert response.status_code == 400
    assert "2022-11-30" in response.content.decode()
    page = client_for(contributor).post(
        f"/assessments/{assessment.pk}/act/",
        {"op": "submit", "assessment_version": assessment.version}, follow=True,
    )  # fmt: skip
    assert "2022-11-30" in page.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_extension_asked_through_api_and_page_decided_above(tree, people, api_for, client_for):
    contributor, supervisor = people["contributor"], people["supervisor_admin"]
    assessment = _campaign(tree, people, dt.date(2022, 11, 30))
    html = client_for(contributor).get(f"/assessments/{assessment.pk}/").content.decode()
    assert "尚不完整" in html and "未填" in html and "未评级" in html  # nothing scored yet
    url = f"/api/assessments/assessments/{assessment.pk}/extension/"
    bad = api_for(contributor).post(url, {"new_date": "2022-11-01", "reason": "x"}, format="json")
    assert bad.status_code == 400 and "2022-11-30" in bad.content.decode()
    made = api_for(contributor).post(
        url, {"kind": "self", "new_date": "2099-01-31", "reason": "补充材料"}, format="json"
    )
    assert made.status_code == 201 and made.json()["status"] == "pending"
    page = client_for(contributor).post(
        f"/assessments/{assessment.pk}/act/",
        {"op": "extend", "kind": "self", "new_date": "2099-02-28", "reason": "再延"},
        follow=True,
    )  # fmt: skip
    assert "待审批" in page.content.decode() or "waiting" in page.content.decode()
    request = approval_of(ExtensionRequest.objects.get(pk=made.json()["id"]))
    approvals.decide(request=request, user=supervisor, approve=True)
    assert rules.deadline_of(assessment, "self") == dt.date(2099, 1, 31)


def test_a_late_review_is_refused_at_every_level_of_a_longer_chain(tree, people, settings):
    """A supervisor may put the group's office in front of itself; the deadline holds there too,
    not only at the final decision."""
    settings.APPROVAL_CHAINS = {**settings.APPROVAL_CHAINS, "assessment": ["group", "supervisor"]}
    contributor, office = people["contributor"], people["reform_office"]
    assessment = _campaign(tree, people, dt.date(2022, 11, 30))
    _fill(assessment, contributor)
    services.submit_assessment(user=contributor, assessment=assessment,
                               now=dt.datetime(2022, 11, 1, tzinfo=SHANGHAI))  # fmt: skip
    request = approval_of(assessment)
    assert request.current_organisation == tree["GROUP-A"]
    with pytest.raises(ValidationError, match="2023-03-30"):
        approvals.decide(request=request, user=office, approve=True)
    request.refresh_from_db()
    assert request.current_level == 0
    assert not request.steps.filter(decision="approve").exists()
