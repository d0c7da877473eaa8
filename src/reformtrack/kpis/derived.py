"""Lines a statement implies without carrying them: opening equity is last year's closing, and
劳动生产总值 is the sum of its four parts when only the parts are entered. Each filled line
carries a note saying where it came from, so pages and the command line can show it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from .choices import Basis
from .models import StatementValue

LABOUR_GROSS = "labour_gross_value"
LABOUR_PARTS = ("labour_pay", "depreciation", "net_production_tax", "operating_surplus")


def previous_closing_equity(organisation, year: int, basis: str) -> Decimal | None:
    """Closing equity of the full-year statement of the year before, on the same basis."""
    row = (
        StatementValue.objects.filter(
            statement__organisation=organisation,
            statement__year=year - 1,
            statement__period="Y",
            statement__basis=basis,
            line="equity_close",
        )  # fmt: skip
        .values_list("value", flat=True)
        .first()
    )
    return row


def previous_closing_equities(keys: Iterable[tuple[int, int, str]]) -> dict[tuple, Decimal]:
    """`previous_closing_equity` for many (organisation id, year, basis) at once, in one query:
    a table of many organisations must not read one statement per row."""
    keys = set(keys)
    if not keys:
        return {}
    rows = StatementValue.objects.filter(
        statement__organisation_id__in={org for org, _, _ in keys},
        statement__year__in={year - 1 for _, year, _ in keys},
        statement__period="Y",
        line="equity_close",
    ).values_list("statement__organisation_id", "statement__year", "statement__basis", "value")
    found = {(org, year + 1, basis): value for org, year, basis, value in rows}
    return {key: found[key] for key in keys if key in found}


def with_parts_added(lines: dict) -> dict:
    """劳动生产总值 as entered, else the sum of its four parts when all four are entered."""
    if lines.get(LABOUR_GROSS) is None and all(lines.get(p) is not None for p in LABOUR_PARTS):
        return {**lines, LABOUR_GROSS: sum((lines[p] for p in LABOUR_PARTS), Decimal(0))}
    return lines


LOOK_UP = object()


def complete(
    organisation, year: int, basis: str, lines: dict, closing=LOOK_UP
) -> tuple[dict, dict[str, str]]:
    """(lines with the implied ones filled in, line code → where its value came from).
    Entered lines always win; nothing is filled from a guess. `closing` is last year's closing
    equity when the caller has read it already (None: there is none)."""
    notes: dict[str, str] = {}
    if lines.get(LABOUR_GROSS) is None and all(lines.get(p) is not None for p in LABOUR_PARTS):
        lines = with_parts_added(lines)
        notes[LABOUR_GROSS] = _("the sum of its four parts")
    if lines and lines.get("equity_open") is None and basis in Basis.values:
        if closing is LOOK_UP:
            closing = previous_closing_equity(organisation, year, basis)
        if closing is not None:
            lines = {**lines, "equity_open": closing}
            notes["equity_open"] = _("the closing equity of %(year)s") % {"year": year - 1}
    return lines, notes
