"""Money units on entry and display (元, 千元, 万元, 百万元, 亿元: listed companies report in 千元
or 百万元, SASAC in 万元 or 亿元); values are stored in 元 as Decimal."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

FACTORS = {
    "元": Decimal(1),
    "千元": Decimal(1_000),
    "万元": Decimal(10_000),
    "百万元": Decimal(1_000_000),
    "亿元": Decimal(100_000_000),
}
UNITS = tuple(FACTORS)
# How each unit is written for the reader (English pages: "100m yuan"); unknown ones as given.
LABELS = {
    "元": pgettext_lazy("unit", "元"),
    "千元": pgettext_lazy("unit", "千元"),
    "万元": pgettext_lazy("unit", "万元"),
    "百万元": pgettext_lazy("unit", "百万元"),
    "亿元": pgettext_lazy("unit", "亿元"),
    "万元/人": pgettext_lazy("unit", "万元/人"),
    "人": pgettext_lazy("unit", "人"),
}
STORE_PLACES = Decimal("0.01")


def normalise(value: Decimal, unit: str) -> Decimal:
    """An amount entered in `unit`, in 元 (two decimals)."""
    if unit not in FACTORS:
        raise ValueError(
            _("Unknown unit %(unit)s; use one of %(units)s.")
            % {"unit": unit, "units": "、".join(UNITS)}
        )
    return (Decimal(value) * FACTORS[unit]).quantize(STORE_PLACES)


def in_unit(value: Decimal | None, unit: str, places: int = 2) -> Decimal | None:
    """An amount in 元, expressed in `unit`."""
    if value is None:
        return None
    return (value / FACTORS[unit]).quantize(Decimal(1).scaleb(-places))


def period_months(period: str) -> int:
    """Months a year-to-date statement covers: Y 12, Q2 6, M05 5."""
    if period == "Y":
        return 12
    if len(period) == 2 and period[0] == "Q" and period[1] in "1234":
        return int(period[1]) * 3
    if (
        len(period) == 3
        and period[0] == "M"
        and period[1:].isdigit()
        and 1 <= int(period[1:]) <= 12
    ):
        return int(period[1:])
    raise ValueError(_("Unknown period %(period)s; use Y, Q1–Q4 or M01–M12.") % {"period": period})


PERIODS = ("Y", "Q1", "Q2", "Q3", "Q4", *(f"M{m:02d}" for m in range(1, 13)))


def period_label(period: str) -> str:
    """Y → 全年; Q2 → 1–6月累计; M05 → 1–5月累计 (statements are year-to-date)."""
    months = period_months(period)
    if months == 12 and period == "Y":
        return str(_("Full year"))
    return str(_("Months 1–%(m)s, year to date") % {"m": months})


def unit_label(unit: str) -> str:
    """A unit as the active language writes it (亿元 → "100m yuan" in English): the shared
    reading of every app's units; LABELS above only marks the money units for translation."""
    from reformtrack.core.templatetags.amounts import unit_label as in_language

    return in_language(unit)
