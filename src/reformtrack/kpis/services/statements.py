"""Entering statements: one service for the form, the Excel import, the API and documents.

Amounts arrive in a stated unit (元/千元/万元/百万元/亿元) and are stored in 元; counts
(employees) as they are. A line whose value changes keeps its old value in
`StatementRevision`, with who, when, what was typed and the source."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action, can
from reformtrack.core.services.versioning import check_version

from ..choices import Basis, LineKind
from ..models import Statement, StatementLine, StatementRevision, StatementValue
from ..units import FACTORS, normalise, period_months

# A line stored in 元 fits the database column (22 digits, 2 decimals): 10^20 元 at most.
LARGEST = Decimal(10) ** 20


def line_specs() -> dict[str, StatementLine]:
    return {line.code: line for line in StatementLine.objects.all()}


def _shown(value: Decimal) -> str:
    """A number as a person would write it back: -5, 12.5, 1.00E+20."""
    if abs(value) >= 10**15:
        return f"{value:.2E}"
    return f"{value.normalize():f}"


def _line_error(spec: StatementLine, raw, unit: str) -> tuple[Decimal | None, str]:
    """(the value, "") or (None, why it is refused), the why naming the line."""
    if isinstance(raw, str) and raw.strip().endswith(("%", "％")):
        return None, _("%(line)s: %(value)s is a percentage, not an amount.") % {
            "line": spec.name, "value": raw.strip(),
        }  # fmt: skip
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        return None, _("%(line)s: %(value)s is not a number.") % {"line": spec.name, "value": raw}
    raw = _shown(value)
    if value < 0 and not spec.signed:
        return None, _("%(line)s cannot be negative (%(value)s).") % {
            "line": spec.name, "value": raw,
        }  # fmt: skip
    if spec.kind == LineKind.COUNT:
        if value != value.to_integral_value():
            return None, _("%(line)s is a number of people: %(value)s is not whole.") % {
                "line": spec.name, "value": raw,
            }  # fmt: skip
        return value, ""
    if unit in FACTORS and abs(value * FACTORS[unit]) >= LARGEST:
        return None, _("%(line)s: %(value)s %(unit)s is too large to be an amount.") % {
            "line": spec.name, "value": raw, "unit": unit,
        }  # fmt: skip
    return value, ""


def _as_entered(raw, unit: str) -> str:
    """What the user typed, digits kept as typed (12.3456 亿元 stays 12.3456 亿元)."""
    return f"{str(raw).strip()} {unit}".strip()[:60]


def check_statement(year, period, basis, unit, lines, specs=None) -> dict[str, Decimal]:
    """The lines as Decimals, or ValidationError keyed by field (year, period, basis, unit or
    the line's code), every message naming what it is about. Writes nothing."""
    specs = line_specs() if specs is None else specs
    errors = {}
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        errors["year"] = _("%(year)s is not a year between 1990 and 2100.") % {"year": year}
    try:
        period_months(period)
    except ValueError as exc:
        errors["period"] = str(exc)
    if basis not in Basis.values:
        errors["basis"] = _("Unknown basis %(basis)s; use consolidated or single.") % {
            "basis": basis
        }
    if unit not in FACTORS:
        errors["unit"] = _("Unknown unit %(unit)s; use one of %(units)s.") % {
            "unit": unit,
            "units": "、".join(FACTORS),
        }
    clean: dict[str, Decimal] = {}
    for code, raw in lines.items():
        if code not in specs:
            errors[code] = _("Unknown statement line %(line)s.") % {"line": code}
            continue
        value, problem = _line_error(specs[code], raw, unit)
        if problem:
            errors[code] = problem
        else:
            clean[code] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def record_statement(
    *, user, organisation, year: int, period: str, basis: str, lines: dict[str, Decimal],
    unit: str, source: str = "", expected_version: int | None = None,
) -> Statement:  # fmt: skip
    """Create the statement or correct its lines; an unchanged line writes nothing, a changed
    one keeps its old value in the history. `user` None is the operator (commands, demo).
    `expected_version` is the version the user saw (0: none yet); a stale one is refused."""
    if user is not None and not can(user, Action.CHANGE, organisation):
        raise PermissionDenied(_("You may not enter statements here."))
    specs = line_specs()
    known = {code: spec.kind for code, spec in specs.items()}
    clean = check_statement(year, period, basis, unit, lines, specs)
    actor = user if user is not None and user.is_authenticated else None
    statement, _created = Statement.objects.select_for_update().get_or_create(
        organisation=organisation, year=year, period=period, basis=basis,
        defaults={"source": source[:300], "updated_by": actor},
    )  # fmt: skip
    if not _created:
        check_version(statement, expected_version)
    current = {v.line: v for v in statement.values.all()}
    changed = False
    for code, entered in clean.items():
        stored = entered if known[code] == LineKind.COUNT else normalise(entered, unit)
        row = current.get(code)
        if row is not None and row.value == stored:
            continue
        StatementRevision.objects.create(
            statement=statement, line=code, old_value=row.value if row else None,
            new_value=stored, by=actor, source=source[:300],
            entered=_as_entered(lines[code], "" if known[code] == LineKind.COUNT else unit),
        )  # fmt: skip
        if row is None:
            StatementValue.objects.create(statement=statement, line=code, value=stored)
        else:
            row.value = stored
            row.save(update_fields=["value"])
        changed = True
    if changed or (source and source != statement.source):
        statement.source = source[:300] or statement.source
        statement.updated_by = actor
        statement.save()
    return statement
