"""A campaign's life: open it for target enterprises, self-assessment, submission into the
approval flow, the supervisor's review (score changes with reasons, one return), then
finalising ratings and publishing them (locked from then on)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reformtrack.core.models.approvals import ApprovalStatus
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.scoping import Action
from reformtrack.core.selectors.approvals import approval_of
from reformtrack.core.services import approvals, audit
from reformtrack.core.services.versioning import hold
from reformtrack.core.stored_messages import Message
from reformtrack.orgs.models import Organisation

from ..choices import AssessmentStatus, CampaignStatus, Method
from ..models import Assessment, Campaign, RuleSet, Score
from ..scoring import applicable_indicators, designations_of, matches, method_points, rating_for
from ..values import capture
from .common import refresh_totals, require, require_unlocked
from .rules import Kind, as_of, check_complete, check_deadline

APPROVAL_CHAIN = "assessment"  # settings.APPROVAL_CHAINS may name it; else the default chain
SELF_EDITABLE = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


def targets_by_designation(rule_set: RuleSet, organisation, year: int) -> list[Organisation]:
    """Organisations in the supervisor's subtree that the rule set applies to."""
    subtree = Organisation.objects.filter(path__prefix=organisation.path, is_active=True)
    return [
        org for org in subtree.order_by("path")
        if rule_set.applies_to and matches(rule_set.applies_to, org, designations_of(org, year))
    ]  # fmt: skip


@transaction.atomic
def open_campaign(
    *, user, rule_set: RuleSet, year: int, code: str, name_zh: str, organisation,
    self_deadline: dt.date, review_deadline: dt.date, targets=None, name_en: str = "",
) -> Campaign:  # fmt: skip
    """Targets chosen by hand (`targets`) or, if None, by the rule set's designations."""
    require(user, Action.MANAGE, organisation)
    code = code.strip().upper()
    if Campaign.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Campaign code %(code)s is taken.") % {"code": code}})
    if review_deadline < self_deadline:
        raise ValidationError(
            {"review_deadline": _("The review cannot end before the self-assessment.")}
        )
    campaign = Campaign.objects.create(
        code=code, name_zh=name_zh, name_en=name_en, rule_set=rule_set, year=year,
        organisation=organisation, self_deadline=self_deadline, review_deadline=review_deadline,
        created_by=user,
    )  # fmt: skip
    chosen = (
        targets if targets is not None else targets_by_designation(rule_set, organisation, year)
    )
    for target in chosen:
        add_target(user=user, campaign=campaign, organisation=target)
    return campaign


def add_target(*, user, campaign: Campaign, organisation) -> Assessment:
    require(user, Action.MANAGE, campaign)
    if not organisation.path.startswith(campaign.organisation.path):
        raise ValidationError(
            {
                "organisation": _("%(org)s is outside the campaign's subtree.")
                % {"org": organisation}
            }
        )
    assessment, created = Assessment.objects.get_or_create(
        campaign=campaign, organisation=organisation
    )
    if created:
        indicators = applicable_indicators(campaign.rule_set, organisation, campaign.year)
        Score.objects.bulk_create(Score(assessment=assessment, indicator=i) for i in indicators)
        # bulk_create sends no signals: one record accounts for every score row it made.
        audit.record(
            action=AuditAction.CREATE,
            instance=assessment,
            changes={"scores_created": ", ".join(i.code for i in indicators)},
        )
        refresh_totals(assessment)
    return assessment


def _check_points(score: Score, points: Decimal) -> Decimal:
    points = Decimal(points)
    if points < 0 or points > score.indicator.max_points:
        raise ValidationError(
            {"points": _("Points of %(code)s must be between 0 and %(max)s.")
             % {"code": score.indicator.code, "max": score.indicator.max_points}}
        )  # fmt: skip
    return points


@transaction.atomic
def save_self_score(
    *, user, score: Score, points=None, justification: str = "", evidence: str = "",
    checked=None, yes=None, expected_version=None,
) -> Score:  # fmt: skip
    """The enterprise scores one indicator: the method's points (checklist, yes/no, a band of
    the captured value) or, for a manual indicator, the points it enters. A value indicator
    whose value the platform lacks takes points entered by hand with a justification, or stays
    missing (never 0). `expected_version` is the score's version the user read."""
    assessment = score.assessment
    require(user, Action.REPORT, assessment)
    hold(score, expected_version)
    if assessment.status not in SELF_EDITABLE:
        raise ValidationError(_("The self-assessment has been submitted."))
    indicator = score.indicator
    if indicator.method == Method.BANDED:
        score.value, score.value_note = capture(indicator, assessment.organisation,
                                                assessment.campaign.year)  # fmt: skip
    score.checked = sorted(set(checked or []))
    derived = method_points(indicator, checked=score.checked, value=score.value, yes=yes)
    if indicator.method == Method.BANDED and score.value is None:
        # No value in the ledger/KPIs: the points entered by hand (justified), else missing
        # ("未填"), never 0.
        derived = points
        if points is not None and not justification.strip():
            raise ValidationError({"justification": _(
                "%(code)s has no value in the ledger or KPIs: say where the points come from."
            ) % {"code": indicator.code}})  # fmt: skip
    elif derived is None:
        if points is None:
            raise ValidationError({"points": _("Enter the points of %(code)s.")
                                   % {"code": indicator.code}})  # fmt: skip
        derived = points
    score.self_points = None if derived is None else _check_points(score, derived)
    score.justification = justification
    score.evidence = evidence
    score.save()
    refresh_totals(assessment)
    return score


@transaction.atomic
def submit_assessment(
    *, user, assessment: Assessment, comment: str = "", expected_version=None, now=None
) -> Assessment:
    """Capture every platform value as it is now, then hand the assessment to its reviewers:
    refused after the deadline (unless extended), with data or required evidence missing.
    `now` (code only, e.g. the demo replaying history) is when the submission happens."""
    require(user, Action.REPORT, assessment)
    hold(assessment, expected_version)
    if assessment.status not in SELF_EDITABLE:
        raise ValidationError(_("The self-assessment has been submitted."))
    check_deadline(assessment, Kind.SELF, now)
    year = assessment.campaign.year
    for score in assessment.scores.select_related("indicator"):
        if score.indicator.value_source:
            score.value, score.value_note = capture(score.indicator, assessment.organisation, year)
            # No value captured: the points entered by hand stay, or it is missing.
            if score.indicator.method == Method.BANDED and score.value is not None:
                score.self_points = method_points(score.indicator, value=score.value)
            score.save()
    check_complete(assessment)
    approvals.submit(
        target=assessment, organisation=assessment.organisation, user=user,
        title=Message(gettext_noop("Self-assessment: %(a)s"), a=assessment), comment=comment,
        chain=APPROVAL_CHAIN,
    )  # fmt: skip
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save(update_fields=["status", "updated_at"])
    return refresh_totals(assessment)


@transaction.atomic
def adjust_score(
    *, user, score: Score, points, reason: str, expected_version=None, now=None
) -> Score:
    """The supervisor changes one indicator's points; the reason is required and audited.
    Refused after the review deadline unless extended."""
    assessment = score.assessment
    require(user, Action.APPROVE, assessment.campaign)
    hold(score, expected_version)
    require_unlocked(assessment)
    check_deadline(assessment, Kind.REVIEW, now)
    if assessment.status not in (AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED):
        raise ValidationError(_("Only a submitted assessment is reviewed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the points change.")})
    score.reviewed_points = _check_points(score, points)
    score.review_reason = reason.strip()
    score.save(update_fields=["reviewed_points", "review_reason"])
    refresh_totals(assessment)
    return score


def pending_request(assessment: Assessment):
    request = approval_of(assessment)
    if request is None or request.status != ApprovalStatus.PENDING:
        raise ValidationError(_("The assessment is not waiting for review."))
    return request


def review(
    *, user, assessment: Assessment, approve: bool, comment: str = "", now=None
) -> Assessment:
    """Approve (at the current level of the chain) or return for more evidence (once);
    refused after the review deadline unless extended."""
    check_deadline(assessment, Kind.REVIEW, now)
    if not approve and assessment.times_returned >= 1:
        raise ValidationError(_("An assessment is returned only once."))
    with as_of(now):
        approvals.decide(request=pending_request(assessment), user=user, approve=approve,
                         comment=comment)  # fmt: skip
    assessment.refresh_from_db()
    return assessment


def on_approval_finished(assessment: Assessment, outcome: str) -> None:
    """Receiver side of the approval flow (see receivers.py), inside the decision's transaction
    (the review deadline was checked before the decision, at every level)."""
    if outcome == ApprovalStatus.APPROVED:
        assessment.status = AssessmentStatus.REVIEWED
    elif outcome == ApprovalStatus.RETURNED:
        if assessment.times_returned >= 1:
            raise ValidationError(_("An assessment is returned only once."))
        assessment.times_returned += 1
        assessment.status = AssessmentStatus.RETURNED
    assessment.save(update_fields=["status", "times_returned", "updated_at"])


@transaction.atomic
def finalise_campaign(*, user, campaign: Campaign) -> Campaign:
    """Rate every reviewed assessment (rank within the campaign for top-share bands); results
    recorded from outside keep their rating. Every target must be reviewed or recorded."""
    require(user, Action.MANAGE, campaign)
    if campaign.status in (CampaignStatus.FINAL, CampaignStatus.PUBLISHED):
        raise ValidationError(_("The campaign is already finalised."))
    assessments = list(campaign.assessments.select_related("organisation"))
    waiting = [a for a in assessments
               if a.status not in (AssessmentStatus.REVIEWED, AssessmentStatus.FINAL)]  # fmt: skip
    if waiting:
        names = "、".join(str(a.organisation) for a in waiting)
        raise ValidationError(_("Not yet reviewed: %(names)s.") % {"names": names})
    ranked = sorted(assessments, key=lambda a: a.score or 0, reverse=True)
    for position, assessment in enumerate(ranked, start=1):
        if assessment.status == AssessmentStatus.REVIEWED:
            band = rating_for(campaign.rule_set, assessment.score or Decimal(0), rank=position,
                              count=len(ranked), vetoes=assessment.vetoes)  # fmt: skip
            assessment.rating = band.code
            assessment.status = AssessmentStatus.FINAL
            assessment.save(update_fields=["rating", "status", "updated_at"])
    campaign.status = CampaignStatus.FINAL
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def publish_campaign(*, user, campaign: Campaign) -> Campaign:
    require(user, Action.MANAGE, campaign)
    if campaign.status != CampaignStatus.FINAL:
        raise ValidationError(_("Finalise the campaign before publishing it."))
    for assessment in campaign.assessments.all():
        assessment.status = AssessmentStatus.PUBLISHED
        assessment.save(update_fields=["status", "updated_at"])
    campaign.status = CampaignStatus.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["status", "published_at"])
    return campaign


def set_vetoes(*, user, assessment: Assessment, codes: list[str]) -> Assessment:
    """The supervisor records veto items found (一票否决); they cap the rating at finalising."""
    require(user, Action.APPROVE, assessment.campaign)
    require_unlocked(assessment)
    known = set(assessment.campaign.rule_set.vetoes.values_list("code", flat=True))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ValidationError({"vetoes": _("Unknown veto items: %(codes)s.")
                               % {"codes": ", ".join(unknown)}})  # fmt: skip
    assessment.vetoes = sorted(set(codes))
    assessment.save(update_fields=["vetoes", "updated_at"])
    return assessment
