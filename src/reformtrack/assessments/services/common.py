"""Checks shared by the assessment services."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reformtrack.core.scoping import can, require  # noqa: F401  (require: re-exported to the services)

from ..models import Assessment
from ..scoring import percent_score


def require_unlocked(assessment: Assessment) -> None:
    if assessment.locked:
        raise ValidationError(_("Final and published results are locked."))


def totals(assessment: Assessment, *, reviewed: bool = True) -> tuple[Decimal, Decimal]:
    """(points, maximum) over the assessment's indicators: reviewed points where set."""
    points = maximum = Decimal(0)
    for score in assessment.scores.select_related("indicator"):
        maximum += score.indicator.max_points
        points += score.points if reviewed else (score.self_points or Decimal(0))
    return points, maximum


def refresh_totals(assessment: Assessment) -> Assessment:
    self_points, maximum = totals(assessment, reviewed=False)
    points, _maximum = totals(assessment)
    assessment.self_score = percent_score(self_points, maximum)
    assessment.score = percent_score(points, maximum)
    assessment.save(update_fields=["self_score", "score", "updated_at"])
    return assessment
