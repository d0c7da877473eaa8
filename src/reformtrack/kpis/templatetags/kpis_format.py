"""How KPI pages write numbers, units and formulas: thousands separators, units in the reader's
language, gaps of a percentage in percentage points, formulas with line names."""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.translation import pgettext_lazy

from reformtrack.core.compiled_sql import instances
from reformtrack.core.templatetags.amounts import grouped, money_text, unit_label, with_unit

from ..models import StatementLine
from ..units import UNITS

register = template.Library()

POINTS = pgettext_lazy("unit", "percentage points")
TOKEN = re.compile(r"[a-z_][a-z0-9_]*|\d+(?:\.\d+)?|\S")
SIGNS = {"*": "×", "/": "÷", "avg": pgettext_lazy("formula", "average")}


@register.filter
def number(value) -> str:
    """1251.74 → 1,251.74 (the decimals kept as stored); None → — (core's `amounts`)."""
    return grouped(value)


@register.filter
def number_whole(value) -> str:
    """215600.00 people → 215,600."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).normalize():,f}"


@register.filter
def unit(value: str) -> str:
    return unit_label(value)


@register.simple_tag
def money_units() -> tuple[str, ...]:
    """The units a statement file may name, as the file writes them (元, 千元, …)."""
    return UNITS


@register.filter
def gap(value, unit_of: str) -> str:
    """A miss in the indicator's unit; a miss of a percentage is in percentage points."""
    if value is None:
        return ""
    if unit_of == "%":
        return f"{grouped(value, 2)} {POINTS}"
    return with_unit(grouped(value, 2), unit_of)


def _lines(context) -> dict[str, StatementLine]:
    cache = context.render_context
    if "kpis_lines" not in cache:
        every = instances(StatementLine, ("statement-lines",), StatementLine.objects.all)
        cache["kpis_lines"] = {line.code: line for line in every}  # SQL compiled once
    return cache["kpis_lines"]


@register.simple_tag(takes_context=True)
def formula_text(context, formula: str) -> str:
    """The formula with line names and signs people write: net_profit / avg(equity_open,
    equity_close) * 100 → 净利润 ÷ 平均(所有者权益（期初）, 所有者权益（期末）) × 100."""
    cache = context.render_context
    if "kpis_line_names" not in cache:  # each line's name, worked out once a page
        cache["kpis_line_names"] = {code: line.name for code, line in _lines(context).items()}
    names = cache["kpis_line_names"]
    words = []
    for token in TOKEN.findall(formula):
        if token in names:
            words.append(names[token])
        elif token in SIGNS:
            words.append(str(SIGNS[token]))
        elif token[0].isdigit():
            words.append(f"{Decimal(token):,}")
        else:
            words.append(token)
    text = " ".join(words)
    return (
        text.replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",")
        .replace(f"{SIGNS['avg']} (", f"{SIGNS['avg']}(")
    )


@register.simple_tag(takes_context=True)
def line_input(context, code: str, value) -> str:
    """净利润 = 27,830,000,000.00 元; 平均从业人员 = 215,600 人 (lines read once a page)."""
    line = _lines(context).get(code)
    name = line.name if line else code
    if value is None:
        return f"{name} = —"
    if line is not None and line.kind == "count":
        return f"{name} = {with_unit(number_whole(value), '人')}"
    return f"{name} = {money_text(value)}"
