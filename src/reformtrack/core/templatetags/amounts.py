"""`{% load amounts %}`: amounts, ratios and units as the reader reads them. Digits are grouped
in threes and the unit is named in the reader's language: 210,000.00 元 / 210,000.00 yuan,
5 级 / 5 levels, 0.3 → 30%. One place for what every app's pages do with a number and its unit;
stored values, form inputs and exports keep plain numbers (only pages use these).

A unit is a msgid of the catalogue's "unit" context (元 → yuan, 亿元 → 100m yuan, 级 → levels),
so a unit a library or a user writes in Chinese reads in English where the catalogue names it,
and as written where it does not."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.functional import lazy
from django.utils.translation import pgettext

register = template.Library()

MONEY_UNIT = "元"  # money is stored in 元 (pay, incentive plans, statement lines)
TIGHT = frozenset({"%", "‰"})  # written against the number: 5%, not 5 %
EMPTY = "—"


def unit_label(unit: str | None) -> str:
    """A unit in the active language; one the catalogue does not name reads as written."""
    return pgettext("unit", unit) if unit else ""


def grouped(value, places: int | None = None) -> str:
    """1251.74 → 1,251.74 (the stored decimals kept, or rounded to `places`); None → —."""
    if value is None or value == "":
        return EMPTY
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{amount:,f}"


def trimmed(value) -> str:
    """A value stored with spare places, without them: 80.0000 → 80, 30.0200 → 30.02,
    12000.0000 → 12,000; None → —."""
    if value is None or value == "":
        return EMPTY
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return f"{amount.normalize():,f}"


def with_unit(text, unit: str | None) -> str:
    """A written number and its unit in the active language: 5 级, 5 levels, 65%."""
    text = str(text)
    label = unit_label(unit)
    if not label or text == EMPTY:
        return text
    return f"{text}{label}" if unit in TIGHT else f"{text} {label}"


def money_text(value, unit: str = MONEY_UNIT) -> str:
    """An amount with its unit named: 210,000.00 元 (zh), 210,000.00 yuan (en); None → —."""
    return with_unit(grouped(value), unit)


def percent_text(share) -> str:
    """A share as a percentage: 0.3000 → 30%, 0.3333 → 33.33%; None → —."""
    if share is None or share == "":
        return EMPTY
    amount = (Decimal(str(share)) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{amount.normalize():,f}%"


def _label_with_unit(label, unit: str) -> str:
    return pgettext("unit", "%(label)s (%(unit)s)") % {"label": label, "unit": unit_label(unit)}


label_with_unit = lazy(_label_with_unit, str)
label_with_unit.__doc__ = """A field's label naming its unit, read when shown (forms are built
at import): 实际兑现（元）, Paid (yuan)."""


@register.filter
def number(value) -> str:
    return grouped(value)


@register.filter(name="trimmed")
def trimmed_filter(value) -> str:
    return trimmed(value)


@register.filter
def money(value, unit: str = MONEY_UNIT) -> str:
    """`{{ pay|money }}` → 210,000.00 元; `{{ amount|money:"万元" }}` for another unit."""
    return money_text(value, unit or MONEY_UNIT)


@register.filter
def unit(value) -> str:
    return unit_label(value)


@register.filter(name="with_unit")
def with_unit_filter(text, unit: str | None) -> str:
    """`{{ target|floatformat:"-4"|with_unit:task.indicator_unit }}` → 5 级 / 5 levels."""
    return with_unit(text, unit)


@register.filter
def in_unit(label, unit: str) -> str:
    """`{% translate "annual pay standard" as label %}{{ label|in_unit:"元" }}` → 年薪基数（元）."""
    return _label_with_unit(label, unit)


@register.filter
def percent(share) -> str:
    return percent_text(share)


@register.filter
def times(value) -> str:
    """A multiple: 3.20 → 3.20×; None → —."""
    return EMPTY if value is None or value == "" else f"{grouped(value)}×"
