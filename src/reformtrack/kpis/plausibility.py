"""Warnings on entered statements that are allowed but probably wrong: a balance sheet that
does not balance, a line that moved by a factor near 10,000 against last year (万元 typed as
元, or the other way). They never refuse a statement; they are shown to whoever enters it."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .models import StatementLine, StatementValue
from .units import FACTORS, in_unit

BALANCE_TOLERANCE = Decimal("0.001")  # of total assets
SLIP_LOW, SLIP_HIGH = Decimal(5_000), Decimal(20_000)


def _names() -> dict[str, str]:
    return {line.code: line.name for line in StatementLine.objects.all()}


def _amount(value: Decimal, unit: str) -> str:
    return f"{in_unit(value, unit):,f} {unit}"


def balance_warning(lines: dict[str, Decimal], unit: str) -> str:
    """Assets against liabilities plus closing equity, when all three are entered."""
    assets, debts = lines.get("total_assets"), lines.get("total_liabilities")
    equity = lines.get("equity_close")
    if None in (assets, debts, equity) or assets == 0:
        return ""
    gap = assets - debts - equity
    if abs(gap) <= abs(assets) * BALANCE_TOLERANCE:
        return ""
    return _(
        "Total assets (%(assets)s) differ from total liabilities plus closing equity "
        "(%(sum)s) by %(gap)s."
    ) % {
        "assets": _amount(assets, unit),
        "sum": _amount(debts + equity, unit),
        "gap": _amount(gap, unit),
    }


def unit_slip_warnings(statement, lines: dict[str, Decimal]) -> list[str]:
    """Lines off from the same period of last year by a factor between 5,000 and 20,000."""
    last = dict(
        StatementValue.objects.filter(
            statement__organisation_id=statement.organisation_id,
            statement__year=statement.year - 1,
            statement__period=statement.period,
            statement__basis=statement.basis,
        ).values_list("line", "value")  # fmt: skip
    )
    names = None
    found = []
    for code, value in lines.items():
        before = last.get(code)
        if not before or not value:
            continue
        ratio = abs(value / before)
        if ratio < 1:
            ratio = 1 / ratio
        if SLIP_LOW <= ratio <= SLIP_HIGH:
            names = _names() if names is None else names
            found.append(
                _(
                    "%(line)s is %(ratio)s times last year's value: was it entered in the "
                    "wrong unit (yuan for 10,000 yuan, or the reverse)?"
                )
                % {"line": names.get(code, code), "ratio": f"{ratio:,.0f}"}
            )
    return found


def statement_warnings(statement, unit: str = "万元") -> list[str]:
    """Every warning on a saved statement, amounts shown in `unit`."""
    lines = statement.lines()
    unit = unit if unit in FACTORS else "万元"
    warnings = [w for w in [balance_warning(lines, unit)] if w]
    return warnings + unit_slip_warnings(statement, lines)
