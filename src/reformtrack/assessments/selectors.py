"""Reads of the assessments app, always through the scoping layer: campaigns, assessments,
running totals, gap lists, campaign results and year-over-year movement."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404

from reformtrack.core.scoping import Action

from .choices import AssessmentStatus, CampaignStatus
from .models import Assessment, Campaign, EvidenceFile, RuleSet, Score
from .scoring import percent_score, rating_for
from .services.common import totals

RATED = (AssessmentStatus.FINAL, AssessmentStatus.PUBLISHED)


def campaigns_for(user, action: str = Action.VIEW):
    return Campaign.objects.visible_to(user, action).select_related("rule_set", "organisation")


def campaign_by_code(user, code: str, action: str = Action.VIEW) -> Campaign:
    return get_object_or_404(campaigns_for(user, action), code=code)


def rule_sets_for(user):
    return RuleSet.objects.visible_to(user)


def assessments_for(user, action: str = Action.VIEW):
    return Assessment.objects.visible_to(user, action).select_related(
        "campaign", "campaign__rule_set", "organisation"
    )


def assessment_detail(user, pk: int, action: str = Action.VIEW) -> Assessment:
    return get_object_or_404(assessments_for(user, action), pk=pk)


def scores_for(user, action: str = Action.VIEW):
    return Score.objects.visible_to(user, action).select_related("indicator", "assessment")


def campaign_assessments(user, campaign: Campaign):
    """The campaign's assessments the user may see (a target sees its own only)."""
    return assessments_for(user).filter(campaign=campaign).order_by("organisation__path")


FILE_PREFIX = re.compile(r"^[\w.-]+(?:/[\w.-]+)+\s*[：:]\s*")


def source_text(source: str) -> str:
    """Where a result came from, without an internal file path in front ("seeds/000：…")."""
    return FILE_PREFIX.sub("", (source or "").strip())


@dataclass
class Running:
    points: Decimal
    maximum: Decimal
    score: Decimal
    rating: object  # RatingBand


def running_total(assessment: Assessment, *, reviewed: bool = False) -> Running:
    """The self-assessed (or reviewed) total so far and the rating it would reach."""
    points, maximum = totals(assessment, reviewed=reviewed)
    score = percent_score(points, maximum)
    band = rating_for(assessment.campaign.rule_set, score, vetoes=assessment.vetoes)
    return Running(points, maximum, score, band)


@dataclass
class Gap:
    score: Score
    points: Decimal
    maximum: Decimal
    lost: Decimal
    median: Decimal | None
    below_median: bool
    self_points: Decimal | None
    difference: Decimal | None  # reviewed − self-assessed
    rectification: object


def peer_medians(campaign: Campaign) -> dict[int, Decimal]:
    """Median points per indicator over every assessment of the campaign (read for the
    comparison only; no enterprise's single score leaves this function)."""
    by_indicator: dict[int, list[Decimal]] = {}
    for score in Score.objects.filter(assessment__campaign=campaign):
        by_indicator.setdefault(score.indicator_id, []).append(score.points)
    return {key: Decimal(statistics.median(vals)) for key, vals in by_indicator.items()}


def gaps(assessment: Assessment) -> list[Gap]:
    """Indicators below their maximum, most points lost first, with the campaign median."""
    medians = peer_medians(assessment.campaign)
    links = {r.indicator_id: r for r in assessment.rectifications.select_related("task")}
    found = []
    for score in assessment.scores.select_related("indicator", "indicator__dimension"):
        points, maximum = score.points, score.indicator.max_points
        if points >= maximum:
            continue
        median = medians.get(score.indicator_id)
        difference = None
        if score.reviewed_points is not None and score.self_points is not None:
            difference = score.reviewed_points - score.self_points
        found.append(Gap(score, points, maximum, maximum - points, median,
                         median is not None and points < median, score.self_points, difference,
                         links.get(score.indicator_id)))  # fmt: skip
    return sorted(found, key=lambda g: (-g.lost, g.score.indicator.code))


@dataclass
class ResultRow:
    rank: int
    assessment: Assessment
    name: str
    score: Decimal | None
    rating: str
    rating_label: str
    previous: str  # last year's rating label in the same rule set, or ""
    movement: int | None  # band ranks gained (+) or lost (−) since last year


def results(campaign: Campaign, assessments) -> list[ResultRow]:
    """Ranking by score (rated assessments), with last year's rating in the same rule set."""
    bands = {b.code: b for b in campaign.rule_set.bands.all()}
    rows = [a for a in assessments if a.status in RATED or campaign.status in RATED]
    rows.sort(key=lambda a: (-(a.score or 0), bands[a.rating].rank if a.rating in bands else 99))
    last_year = Assessment.objects.filter(
        campaign__rule_set=campaign.rule_set, campaign__year=campaign.year - 1,
        campaign__status=CampaignStatus.PUBLISHED,
        organisation__in=[a.organisation_id for a in rows],
    )  # fmt: skip
    previous = {a.organisation_id: a for a in last_year}
    out = []
    for position, assessment in enumerate(rows, start=1):
        band = bands.get(assessment.rating)
        before = previous.get(assessment.organisation_id)
        before_band = bands.get(before.rating) if before else None
        movement = before_band.rank - band.rank if band and before_band else None
        out.append(ResultRow(position, assessment, assessment.organisation.name, assessment.score,
                             assessment.rating, band.label if band else "",
                             before_band.label if before_band else "", movement))  # fmt: skip
    return out


def distribution(campaign: Campaign, rows: list[ResultRow]) -> list[tuple[str, int]]:
    """(rating label, number of enterprises) for every band, best first."""
    counts = {}
    for row in rows:
        counts[row.rating] = counts.get(row.rating, 0) + 1
    return [(b.label, counts.get(b.code, 0)) for b in campaign.rule_set.bands.order_by("rank")]


def dimension_profile(assessment: Assessment) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    """Per dimension: (name, enterprise %, campaign median %, maximum points) for the radar."""
    campaign = assessment.campaign
    per_assessment: dict[int, dict[int, list[Decimal]]] = {}
    names, maxima = {}, {}
    scores = Score.objects.filter(assessment__campaign=campaign).select_related(
        "indicator__dimension"
    )
    for score in scores:
        dim = score.indicator.dimension
        names[dim.pk] = (dim.order, dim.name)
        slot = per_assessment.setdefault(score.assessment_id, {}).setdefault(dim.pk, [0, 0])
        slot[0] += score.points
        slot[1] += score.indicator.max_points
    profile = []
    for dim_pk, (_order, name) in sorted(names.items(), key=lambda item: item[1][0]):
        shares = [percent_score(*d[dim_pk]) for d in per_assessment.values() if dim_pk in d]
        own = per_assessment.get(assessment.pk, {}).get(dim_pk)
        if own is None:
            continue
        maxima[dim_pk] = own[1]
        profile.append((name, percent_score(*own), Decimal(statistics.median(shares)), own[1]))
    return profile


def rating_history(organisation, rule_set_code: str | None = None) -> list[Assessment]:
    """Published ratings of an enterprise, oldest first (year-over-year movement)."""
    rows = Assessment.objects.filter(organisation=organisation,
                                     status=AssessmentStatus.PUBLISHED)  # fmt: skip
    if rule_set_code:
        rows = rows.filter(campaign__rule_set__code=rule_set_code)
    return list(rows.select_related("campaign").order_by("campaign__year"))


def evidence_file(user, pk: int) -> EvidenceFile:
    """One evidence file the user may see (the enterprise's subtree or its supervisors)."""
    return get_object_or_404(EvidenceFile.objects.visible_to(user, Action.VIEW), pk=pk)


def evidence_by_score(assessment: Assessment) -> dict[int, list[EvidenceFile]]:
    """Score pk → its evidence files, latest version of each title first, older ones after."""
    found: dict[int, list[EvidenceFile]] = {}
    files = EvidenceFile.objects.filter(score__assessment=assessment).order_by("title", "-number")
    for item in files:
        found.setdefault(item.score_id, []).append(item)
    return found
