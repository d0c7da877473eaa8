"""Targets per organisation, indicator and year: entered, or derived from a target shape of the
year's KPI set (一增一稳四提升: profit up, debt ratio within ±band of last year, four rates up)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action, can
from reformtrack.core.services.versioning import check_version

from ..choices import Comparison, Direction, TargetOrigin
from ..engine import compute, kpiset_for
from ..models import KpiTarget


def _allowed(user, organisation) -> None:
    if user is not None and not can(user, Action.CHANGE, organisation):
        raise PermissionDenied(_("You may not set targets here."))


@transaction.atomic
def set_target(
    *, user, organisation, year: int, code: str, comparison: str, value: Decimal,
    band: Decimal | None = None, note: str = "", origin: str = TargetOrigin.ENTERED,
    shape: str = "", expected_version: int | None = None,
) -> KpiTarget:  # fmt: skip
    """Create or replace one target; the indicator must belong to the year's KPI set.
    `expected_version` is the target's version the user saw (0: none yet)."""
    _allowed(user, organisation)
    existing = (
        KpiTarget.objects.select_for_update()
        .filter(organisation=organisation, year=year, code=code)
        .first()
    )
    if existing is not None:
        check_version(existing, expected_version)
    kpiset = kpiset_for(year)
    if kpiset is None or not kpiset.indicators.filter(code=code).exists():
        raise ValidationError(
            {"code": _("%(code)s is not an indicator of the KPI set for %(year)s.")
             % {"code": code, "year": year}}
        )  # fmt: skip
    if comparison not in Comparison.values:
        raise ValidationError({"comparison": _("Unknown comparison.")})
    if comparison == Comparison.BAND and (band is None or band < 0):
        raise ValidationError({"band": _("A band target needs a band of zero or more.")})
    target, _created = KpiTarget.objects.update_or_create(
        organisation=organisation, year=year, code=code,
        defaults={"comparison": comparison, "value": value, "band": band, "note": note[:300],
                  "origin": origin, "shape": shape},
    )  # fmt: skip
    return target


def _rule_target(rule: dict, direction: str, last: Decimal | None):
    """(comparison, value, band) of one shape rule, or None when last year is unknown."""
    kind = rule["rule"]
    if kind in ("at_most", "at_least"):
        value = Decimal(str(rule["value"]))
        return (Comparison.AT_MOST if kind == "at_most" else Comparison.AT_LEAST), value, None
    if last is None:
        return None
    if kind == "increase":
        return Comparison.GREATER, last, None
    if kind == "stable":
        return Comparison.BAND, last, Decimal(str(rule.get("band") or 0))
    # improve
    return (Comparison.AT_MOST if direction == Direction.LOWER else Comparison.GREATER), last, None


@transaction.atomic
def derive_targets(*, user, organisation, year: int, shape: str) -> dict:
    """Targets of `year` from last year's full-year values by the named shape.
    Returns {"set": [codes], "skipped": {code: reason}}."""
    _allowed(user, organisation)
    kpiset = kpiset_for(year)
    shapes = {s["code"]: s for s in (kpiset.shapes_for(year) if kpiset else [])}
    if shape not in shapes:
        raise ValidationError(
            {"shape": _("%(shape)s is not a target shape of the KPI set for %(year)s.")
             % {"shape": shape, "year": year}}
        )  # fmt: skip
    last = compute(organisation, year=year - 1, kpiset=kpiset).by_code()  # this year's formulas
    directions = dict(kpiset.indicators.values_list("code", "direction"))
    done, skipped = [], {}
    for rule in shapes[shape]["rules"]:
        code = rule["indicator"]
        previous = last.get(code)
        found = _rule_target(rule, directions[code], previous.value if previous else None)
        if found is None:
            skipped[code] = _("No value for %(year)s to build on.") % {"year": year - 1}
            continue
        comparison, value, band = found
        set_target(
            user=user, organisation=organisation, year=year, code=code, comparison=comparison,
            value=value, band=band, origin=TargetOrigin.DERIVED, shape=shape,
            note=shapes[shape]["name_zh"],
        )  # fmt: skip
        done.append(code)
    return {"set": done, "skipped": skipped}
