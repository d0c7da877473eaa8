"""Final results that arrive from outside the self-assessment: an outside evaluator's Excel
sheet, a rating found in the news. One service records them, checked the same way."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action

from ..choices import AssessmentStatus, CampaignStatus
from ..models import Assessment, Campaign
from ..scoring import band_by_name, rating_for
from .common import require


def _score(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValidationError({"score": _("%(v)s is not a number.") % {"v": value}}) from exc
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"score": _("A score lies between 0 and 100.")})
    return score


@transaction.atomic
def record_result(
    *, user, campaign: Campaign, organisation, rating, score=None, note: str = "", source: str = ""
) -> Assessment:
    """Set an enterprise's final rating (code, 标杆 or "benchmark") and score in a campaign.

    A rating alone is accepted; a score alone is rated by the bands; both must agree with the
    bands. Results of a published campaign are locked: recording the same rating again is a
    no-op, a different one is refused. `source` keeps where the result came from (a URL)."""
    require(user, Action.APPROVE, campaign)
    rule_set = campaign.rule_set
    score = _score(score)
    band = band_by_name(rule_set, rating) if rating not in (None, "") else None
    if rating not in (None, "") and band is None:
        labels = "、".join(b.label_zh for b in rule_set.bands.all())
        raise ValidationError({"rating": _("Unknown rating %(r)s; one of %(labels)s.")
                               % {"r": rating, "labels": labels}})  # fmt: skip
    if band is None and score is None:
        raise ValidationError({"rating": _("Give a rating, a score or both.")})
    if score is not None:
        by_score = rating_for(rule_set, score)
        if band is None:
            band = by_score
        elif not (band.min_score <= score and (band.rank == 1 or score < _ceiling(band))):
            raise ValidationError({"score": _("Score %(s)s does not fall in the band of %(r)s.")
                                   % {"s": score, "r": band.label}})  # fmt: skip
    if not organisation.path.startswith(campaign.organisation.path):
        raise ValidationError(
            {
                "organisation": _("%(org)s is outside the campaign's subtree.")
                % {"org": organisation}
            }
        )
    assessment = Assessment.objects.filter(campaign=campaign, organisation=organisation).first()
    published = assessment is not None and assessment.status == AssessmentStatus.PUBLISHED
    if campaign.status == CampaignStatus.PUBLISHED or published:
        if (
            assessment
            and assessment.rating == band.code
            and (score is None or score == assessment.score)
        ):
            return assessment
        raise ValidationError(_("Published results are locked."))
    if assessment is None:
        assessment = Assessment(campaign=campaign, organisation=organisation)
    assessment.rating = band.code
    if score is not None:
        assessment.score = score
    assessment.status = AssessmentStatus.FINAL
    assessment.note = note or assessment.note
    assessment.source = source or assessment.source
    assessment.save()
    return assessment


def _ceiling(band) -> Decimal:
    """The minimum score of the band just above (its scores stop below it)."""
    better = band.rule_set.bands.filter(rank=band.rank - 1).first()
    return better.min_score if better else Decimal(101)
