"""An enterprise's assessment against the management benchmark enterprises (orgs' benchmarks):
their rated assessments under the same rule set and year, score and per-dimension share.

The benchmark population is fixed by a supervisor's published list, not chosen by the user, so
its statistics are read unscoped as the KPI peers are (kpis/peers.py): only benchmarks the user
may see are named with their scores, the others are counted, and the medians are withheld when
fewer than REFORMTRACK_PEER_MIN_HIDDEN values outside the user's scope stand behind them."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from reformtrack.core.scoping import Action
from reformtrack.orgs.benchmark_selectors import benchmark_enterprises

from .choices import AssessmentStatus
from .models import Assessment, Score
from .scoring import percent_score

RATED = (AssessmentStatus.FINAL, AssessmentStatus.PUBLISHED)


@dataclass
class BenchmarkComparison:
    enterprises: int  # benchmark enterprises on the lists the user may see
    count: int = 0  # of them rated under this rule set and year
    hidden: int = 0
    withheld: bool = False
    min_hidden: int = 4
    own_score: Decimal | None = None
    median: Decimal | None = None
    rows: list = field(default_factory=list)  # (assessment, name, score, rating label)
    dimensions: list = field(default_factory=list)  # (name, own %, benchmark median %)


def _shares(assessment_ids) -> dict[int, dict[int, list]]:
    """assessment → dimension → [points, maximum, (order, name)], one query."""
    found: dict[int, dict[int, list]] = {}
    scores = Score.objects.filter(assessment_id__in=assessment_ids).select_related(
        "indicator__dimension"
    )
    for score in scores:
        dim = score.indicator.dimension
        slot = found.setdefault(score.assessment_id, {}).setdefault(
            dim.pk, [Decimal(0), Decimal(0), (dim.order, dim.name)]
        )
        slot[0] += score.points
        slot[1] += score.indicator.max_points
    return found


def benchmark_comparison(user, assessment: Assessment) -> BenchmarkComparison:
    campaign = assessment.campaign
    least = getattr(settings, "REFORMTRACK_PEER_MIN_HIDDEN", 4)
    marks = benchmark_enterprises(user, exclude=assessment.organisation)
    result = BenchmarkComparison(enterprises=len(marks), min_hidden=least)
    result.own_score = assessment.score
    if not marks:
        return result
    latest: dict[int, Assessment] = {}
    rated = (
        Assessment.objects.filter(
            organisation__in=marks, campaign__rule_set=campaign.rule_set,
            campaign__year=campaign.year, status__in=RATED, score__isnull=False,
        )
        .select_related("organisation", "campaign__rule_set")
        .order_by("campaign__published_at", "pk")
    )  # fmt: skip
    for other in rated:
        latest[other.organisation_id] = other  # the most recently published per enterprise
    found = list(latest.values())
    seen = set(
        Assessment.objects.visible_to(user, Action.VIEW)
        .filter(pk__in=[a.pk for a in found])
        .values_list("pk", flat=True)
    )
    result.count = len(found)
    result.hidden = sum(1 for a in found if a.pk not in seen)
    result.withheld = 0 < result.hidden < least
    bands = {b.code: b.label for b in campaign.rule_set.bands.all()}
    result.rows = [
        (a, a.organisation.name, a.score, bands.get(a.rating, ""))
        for a in sorted(found, key=lambda a: -a.score)
        if a.pk in seen
    ]
    if not found or result.withheld:
        return result
    result.median = Decimal(statistics.median([a.score for a in found])).quantize(Decimal("0.01"))
    shares = _shares([assessment.pk, *[a.pk for a in found]])
    own = shares.get(assessment.pk, {})
    for dim_pk, (points, maximum, (_order, name)) in sorted(own.items(), key=lambda i: i[1][2]):
        others = [percent_score(*s[dim_pk][:2]) for a, s in shares.items()
                  if a != assessment.pk and dim_pk in s]  # fmt: skip
        median = Decimal(statistics.median(others)) if others else None
        result.dimensions.append((name, percent_score(points, maximum), median))
    return result
