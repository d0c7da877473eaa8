"""Assessments end to end on the small test tree: rule-set libraries, a campaign's self-check,
review through the approval flow, ratings, locking, veto caps, gaps into ledger tasks, and
results recorded from outside."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reformtrack.assessments import selectors
from reformtrack.assessments.models import RuleSet
from reformtrack.assessments.services import campaigns as services
from reformtrack.assessments.services import record_result
from reformtrack.assessments.services.evidence import add_score_evidence
from reformtrack.assessments.services.rectification import rectify
from reformtrack.core.libraries import LibraryError, install_library
from reformtrack.core.models import AuditRecord
from reformtrack.orgs.models import Designation, DesignationKind
from reformtrack.programs.choices import TaskStatus
from reformtrack.programs.demo import MINIMAL_PDF
from reformtrack.programs.services.tasks import seed_progress_as_system

RULESETS = Path(__file__).parent.parent / "src/reformtrack/libraries/rulesets"
DATA = Path(__file__).parent / "data" / "assessments"


@pytest.fixture
def rule_set(db):
    for path in sorted(RULESETS.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)
    return RuleSet.objects.get(code="SPECIAL-EVAL")


@pytest.fixture
def campaign(rule_set, tree, people):
    """A-SUB (科改) and B-SUB (双百) chosen by designation from SASAC."""
    for code, kind in (("A-SUB", "SCI_TECH_DEMO"), ("B-SUB", "DOUBLE_HUNDRED")):
        Designation.objects.create(organisation=tree[code], valid_from=dt.date(2020, 1, 1),
                                   kind=DesignationKind.objects.get(code=kind))  # fmt: skip
    return services.open_campaign(
        user=people["supervisor_admin"], rule_set=rule_set, year=2022, code="t-2022",
        name_zh="测试评估", organisation=tree["SASAC"], self_deadline=dt.date(2099, 11, 30),
        review_deadline=dt.date(2100, 3, 31),
    )  # fmt: skip


def fill(assessment, user, manual_share=Decimal(1), *, by_hand=True):
    """Every checklist item ticked, yes everywhere, manual points at a share of the maximum
    (also for a value the platform lacks, entered by hand unless not `by_hand`: then it stays
    missing), one file where evidence is asked."""
    for score in assessment.scores.select_related("indicator"):
        ind = score.indicator
        hand = by_hand or not ind.value_source
        services.save_self_score(
            user=user, score=score, checked=list(range(len(ind.items))), yes=True,
            points=(ind.max_points * manual_share).quantize(Decimal("0.5")) if hand else None,
            justification="已落实", evidence=ind.evidence_zh,
        )  # fmt: skip
        if ind.evidence_zh and not score.files.exists():
            upload = SimpleUploadedFile("证明.pdf", MINIMAL_PDF, "application/pdf")
            add_score_evidence(user=user, score=score, upload=upload, title="证明")


def test_shipped_rule_sets_load_and_a_bad_one_names_its_line(rule_set):
    assert list(rule_set.bands.values_list("label_zh", flat=True)) == [
        "标杆", "优秀", "良好", "合格", "不合格"]  # fmt: skip
    assert rule_set.indicators.get(code="D6-01").applies_to == {
        "kinds": [], "levels": [], "designations": ["SCI_TECH_DEMO"]}  # fmt: skip
    with pytest.raises(LibraryError) as refused:
        install_library((DATA / "bad-ruleset.yaml").read_text(encoding="utf-8"))
    assert any("min_score" in e["message"] for e in refused.value.errors)
    assert not RuleSet.objects.filter(code="BAD-RULES").exists()


def test_targets_by_designation_get_only_their_indicators(campaign):
    by_org = {a.organisation.code: a for a in campaign.assessments.all()}
    assert set(by_org) == {"A-SUB", "B-SUB"}
    codes_a = set(by_org["A-SUB"].scores.values_list("indicator__code", flat=True))
    codes_b = set(by_org["B-SUB"].scores.values_list("indicator__code", flat=True))
    assert "D6-01" in codes_a and "D6-01" not in codes_b


def test_self_check_review_return_once_finalise_publish_lock(campaign, people):
    contributor, supervisor = people["contributor"], people["supervisor_admin"]
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    with pytest.raises(PermissionDenied):  # group B's office cannot score group A's enterprise
        fill(assessment, people["outsider"])
    fill(assessment, contributor, Decimal("0.8"))
    running = selectors.running_total(assessment)
    assert running.maximum == Decimal(110)
    # The ledger coverage and R&D intensity values are not in the platform: entered by hand,
    # like manual points, at 0.8 of the maximum (checklists and yes/no full): 100 of 110.
    assert running.rating.label_zh == "标杆"
    services.submit_assessment(user=contributor, assessment=assessment)
    with pytest.raises(ValidationError):  # submitted: the enterprise can no longer change it
        fill(assessment, contributor)
    rd = assessment.scores.get(indicator__code="D6-01")
    with pytest.raises(ValidationError):  # a change needs a reason
        services.adjust_score(user=supervisor, score=rd, points=7, reason=" ")
    services.adjust_score(user=supervisor, score=rd, points=7, reason="据年度决算核定为3.4%")
    trail = AuditRecord.objects.filter(object_type__icontains="score", object_id=str(rd.pk))
    assert any("据年度决算核定" in str(record.changes) for record in trail)
    services.review(user=supervisor, assessment=assessment, approve=False, comment="补充佐证")
    assessment.refresh_from_db()
    assert assessment.status == "returned" and assessment.times_returned == 1
    services.submit_assessment(user=contributor, assessment=assessment)
    with pytest.raises(ValidationError, match="只能退回一次|only once"):
        services.review(user=supervisor, assessment=assessment, approve=False, comment="再补")
    while assessment.status == "submitted":
        services.review(user=supervisor, assessment=assessment, approve=True)
    assert assessment.status == "reviewed"
    with pytest.raises(ValidationError):  # B-SUB has not been reviewed yet
        services.finalise_campaign(user=supervisor, campaign=campaign)
    other = campaign.assessments.get(organisation__code="B-SUB")
    record_result(user=supervisor, campaign=campaign, organisation=other.organisation,
                  rating="良好", score="75", source="外部评估机构")  # fmt: skip
    services.finalise_campaign(user=supervisor, campaign=campaign)
    services.publish_campaign(user=supervisor, campaign=campaign)
    assessment.refresh_from_db()
    expected = selectors.running_total(assessment, reviewed=True).rating.code
    assert assessment.status == "published" and assessment.rating == expected
    with pytest.raises(ValidationError):
        services.adjust_score(user=supervisor, score=rd, points=10, reason="改")
    with pytest.raises(ValidationError):
        record_result(user=supervisor, campaign=campaign, organisation=other.organisation,
                      rating="标杆")  # fmt: skip
    # The same published result again is a no-op (a news item repeating it).
    record_result(user=supervisor, campaign=campaign, organisation=other.organisation,
                  rating="good")  # fmt: skip


def test_veto_caps_the_rating(campaign, people):
    supervisor = people["supervisor_admin"]
    assessment = campaign.assessments.get(organisation__code="B-SUB")
    fill(assessment, people["supervisor_admin"])
    services.submit_assessment(user=supervisor, assessment=assessment)
    services.set_vetoes(user=supervisor, assessment=assessment, codes=["V1"])
    coverage = assessment.scores.get(indicator__code="D2-01")  # no ledger here: the value is 0
    services.adjust_score(user=supervisor, score=coverage, points=10, reason="按台账核定")
    second = _other_supervisor(people)
    while assessment.status == "submitted":
        services.review(user=second, assessment=assessment, approve=True)
    a_sub = campaign.assessments.get(organisation__code="A-SUB")
    record_result(user=supervisor, campaign=campaign, organisation=a_sub.organisation,
                  rating="合格")  # fmt: skip
    services.finalise_campaign(user=supervisor, campaign=campaign)
    assessment.refresh_from_db()
    assert assessment.score >= Decimal(90)  # would be 标杆
    assert assessment.rating == "PASS"  # capped at 合格 by the veto item


def _other_supervisor(people):
    """A second supervisor: the submitter may not decide on their own submission."""
    from reformtrack.core.services import users as user_services
    from reformtrack.orgs import services as org_services
    from reformtrack.orgs.models import Organisation

    user = user_services.create_user(username="sup2", password="Test#Pass2026x")
    org_services.grant_role(user=user, organisation=Organisation.objects.get(code="SASAC"),
                            role="supervisor_admin")  # fmt: skip
    return user


def test_record_result_checks_rating_and_score(campaign, people, tree):
    supervisor = people["supervisor_admin"]
    with pytest.raises(ValidationError, match="不合格|Unknown rating"):
        record_result(user=supervisor, campaign=campaign, organisation=tree["A-SUB"], rating="A+")
    with pytest.raises(ValidationError):  # 85 is 优秀, not 标杆
        record_result(user=supervisor, campaign=campaign, organisation=tree["A-SUB"],
                      rating="标杆", score=85)  # fmt: skip
    with pytest.raises(PermissionDenied):
        record_result(user=people["contributor"], campaign=campaign,
                      organisation=tree["A-SUB"], rating="标杆")  # fmt: skip
    done = record_result(user=supervisor, campaign=campaign, organisation=tree["A-SUB"],
                         rating="", score=91, source="https://example.org/news/1")  # fmt: skip
    assert done.rating == "BENCHMARK" and done.source.endswith("news/1")


def test_gaps_become_ledger_tasks_and_close_when_done(campaign, people, settings, tmp_path):
    office = people["reform_office"]
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    fill(assessment, people["contributor"], Decimal("0.6"), by_hand=False)
    gaps = selectors.gaps(assessment)
    assert gaps and gaps == sorted(gaps, key=lambda g: -g.lost)
    # Values read from the platform are not there yet: all 10 points lost, first in the list.
    assert {g.score.indicator.code for g in gaps[:2]} == {"D2-01", "D6-01"}
    assert gaps[0].lost == 10 and gaps[0].median == 0 and not gaps[0].below_median
    made = rectify(user=office, assessment=assessment, indicator_codes=["D6-01", "D4-01"],
                   owner="王芳", deadline=dt.date(2022, 12, 31))  # fmt: skip
    assert [r.indicator.code for r in made] == ["D6-01", "D4-01"]
    task = made[0].task
    assert task.organisation.code == "A-SUB" and task.owner == "王芳"
    assert task.programme.code == "RECT" and task.rectification == made[0]
    assert rectify(user=office, assessment=assessment, indicator_codes=["D6-01"]) == []
    with pytest.raises(PermissionDenied):
        rectify(user=people["outsider"], assessment=assessment)
    seed_progress_as_system(task=task, status=TaskStatus.DONE)
    made[0].refresh_from_db()
    assert made[0].closed_at is not None
    linked = {g.score.indicator.code: g.rectification for g in selectors.gaps(assessment)}
    assert linked["D6-01"].task == task and linked["D4-01"].closed_at is None


def versions(assessment) -> dict:
    """The hidden version fields the assessment page posts with every save."""
    fields = {f"version_{s.pk}": str(s.version) for s in assessment.scores.all()}
    assessment.refresh_from_db()
    return {**fields, "assessment_version": str(assessment.version)}
