"""Pure scoring rules: which indicators apply to an enterprise, the points a method gives,
the score out of 100 and the rating a score (with rank and veto items) reaches."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from reformtrack.orgs.models import Designation

from .choices import Method
from .models import Indicator, RatingBand, RuleSet

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def designations_of(organisation, year: int) -> set[str]:
    day = dt.date(year, 12, 31)
    rows = Designation.objects.filter(organisation=organisation).current(on=day)
    return set(rows.values_list("kind__code", flat=True))


def matches(applies_to: dict, organisation, designations: set[str]) -> bool:
    """Every key given must match (the programme libraries' rule)."""
    if applies_to.get("kinds") and organisation.kind not in applies_to["kinds"]:
        return False
    if applies_to.get("levels") and organisation.level not in applies_to["levels"]:
        return False
    wanted = applies_to.get("designations") or []
    return not wanted or bool(designations.intersection(wanted))


def applicable_indicators(rule_set: RuleSet, organisation, year: int) -> list[Indicator]:
    held = designations_of(organisation, year)
    indicators = rule_set.indicators.select_related("dimension").order_by(
        "dimension__order", "order"
    )
    return [i for i in indicators if matches(i.applies_to, organisation, held)]


def method_points(indicator: Indicator, *, checked=(), value=None, yes=None) -> Decimal | None:
    """Points the scoring method gives: checklist items met, the band a value falls in,
    yes/no; None for a manual indicator (the assessor enters points)."""
    if indicator.method == Method.CHECKLIST:
        items = indicator.items
        return sum((Decimal(str(items[i]["points"])) for i in checked if 0 <= i < len(items)),
                   Decimal(0))  # fmt: skip
    if indicator.method == Method.BANDED:
        if value is None:
            return Decimal(0)
        reached = [Decimal(str(b["points"])) for b in indicator.items
                   if Decimal(value) >= Decimal(str(b["at_least"]))]  # fmt: skip
        return max(reached, default=Decimal(0))
    if indicator.method == Method.YES_NO and yes is not None:
        return indicator.max_points if yes else Decimal(0)
    return None


def percent_score(points: Decimal, maximum: Decimal) -> Decimal:
    if not maximum:
        return Decimal(0)
    return (points / maximum * HUNDRED).quantize(CENT)


def rating_for(
    rule_set: RuleSet, score: Decimal, *, rank: int = 1, count: int = 1, vetoes=()
) -> RatingBand:
    """The best band whose minimum the score reaches and whose top share (if any) the rank is
    within; a veto item caps the band at its `cap`."""
    bands = list(rule_set.bands.order_by("rank"))
    floor = 1
    caps = {v.cap for v in rule_set.vetoes.filter(code__in=list(vetoes))}
    if caps:
        floor = max(b.rank for b in bands if b.code in caps)
    for band in bands:
        if band.rank < floor or score < band.min_score:
            continue
        if band.top_share is not None and rank > math.ceil(count * band.top_share / HUNDRED):
            continue
        return band
    return bands[-1]


def band_by_name(rule_set: RuleSet, name: str) -> RatingBand | None:
    """A band named by its code or its Chinese or English label (as results arrive)."""
    text = (name or "").strip()
    for band in rule_set.bands.all():
        if (
            text.upper() == band.code
            or text == band.label_zh
            or text.lower() == band.label_en.lower()
        ):
            return band
    return None
