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

from ..choices import Basis, LineKind
from ..models import Statement, StatementLine, StatementRevision, StatementValue
from ..units import FACTORS, normalise, period_months


def _check(year, period, basis, unit, lines, known) -> dict[str, Decimal]:
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
        if code not in known:
            errors[code] = _("Unknown statement line %(line)s.") % {"line": code}
            continue
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            errors[code] = _("%(value)s is not a number.") % {"value": raw}
            continue
        if not value.is_finite():
            errors[code] = _("%(value)s is not a number.") % {"value": raw}
            continue
        if known[code] == LineKind.COUNT and value < 0:
            errors[code] = _("A count cannot be negative.")
            continue
        clean[code] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def record_statement(
    *, user, organisation, year: int, period: str, basis: str, lines: dict[str, Decimal],
    unit: str, source: str = "",
) -> Statement:  # fmt: skip
    """Create the statement or correct its lines; an unchanged line writes nothing, a changed
    one keeps its old value in the history. `user` None is the operator (commands, demo)."""
    if user is not None and not can(user, Action.CHANGE, organisation):
        raise PermissionDenied(
            _("You may not enter statements for %(org)s.") % {"org": organisation}
        )
    known = dict(StatementLine.objects.values_list("code", "kind"))
    clean = _check(year, period, basis, unit, lines, known)
    actor = user if user is not None and user.is_authenticated else None
    statement, _created = Statement.objects.select_for_update().get_or_create(
        organisation=organisation, year=year, period=period, basis=basis,
        defaults={"source": source[:300], "updated_by": actor},
    )  # fmt: skip
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
            entered=f"{entered} {'' if known[code] == LineKind.COUNT else unit}".strip()[:60],
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
