"""The KPI engine: picks the KPI set of a year, reads (or aggregates) an organisation's
statement lines, annualises year-to-date flows when asked, and evaluates each formula.

A group's KPIs come from its consolidated statement. Without one, the lines of its direct
subsidiaries (consolidated, else single) are added up first and only then divided — ratios are
never summed or averaged — and the result says so. Callers pass already-scoped organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from reformtrack.core.compiled_sql import instances
from reformtrack.core.compiled_sql import values as compiled_values
from reformtrack.core.i18n import enumeration

from . import derived, formulas
from .choices import Basis, LineNature
from .models import Indicator, KpiSet, Statement, StatementLine, StatementValue
from .units import period_label, period_months


@dataclass
class KpiValue:
    code: str
    name: str
    unit: str
    direction: str
    formula: str
    value: Decimal | None
    reason: str = ""
    inputs: dict[str, Decimal | None] = field(default_factory=dict)
    to_confirm: bool = False

    @property
    def computable(self) -> bool:
        return self.value is not None


@dataclass
class KpiResult:
    organisation: object
    year: int
    period: str
    kpiset: KpiSet | None
    values: list[KpiValue]
    basis: str = ""
    annualised: bool = False
    months: int = 12
    aggregated_from: list[str] = field(default_factory=list)
    statement: Statement | None = None
    message: str = ""
    derived: dict[str, str] = field(default_factory=dict)  # line → where its value came from
    read: dict = field(default_factory=dict)  # the lines as statement_lines() read them

    def by_code(self) -> dict[str, KpiValue]:
        return {v.code: v for v in self.values}


def kpiset_for(year: int) -> KpiSet | None:
    """The set whose years cover `year` (the latest-starting one if several do)."""
    # the sets, then the chosen set's indicators (as `prefetch_related` would keep them), by
    # SQL compiled once and run fresh (core.compiled_sql)
    for kpiset in instances(KpiSet, ("kpisets",), lambda: KpiSet.objects.order_by("-year_from")):
        if kpiset.year_from <= year and (kpiset.year_to is None or year <= kpiset.year_to):
            indicators = kpiset.indicators.all()
            indicators._result_cache = instances(
                Indicator,
                ("kpiset-indicators", kpiset.pk),
                lambda kpiset=kpiset: kpiset.indicators.all(),
            )
            indicators._prefetch_done = True
            kpiset._prefetched_objects_cache = {"indicators": indicators}
            return kpiset
    return None


def _own_lines(organisation, year: int, period: str) -> tuple[dict, Statement | None, str]:
    # both reads' SQL is decided by their keys: compiled once, run fresh (core.compiled_sql)
    key = ("kpi-statements", organisation.pk, year, period)
    statements = {
        s.basis: s
        for s in instances(
            Statement,
            key,
            lambda: Statement.objects.filter(organisation=organisation, year=year, period=period),
        )
    }
    for basis in (Basis.CONSOLIDATED, Basis.SINGLE):
        if basis in statements:  # only this statement's values, as (line, value) pairs
            statement = statements[basis]
            values = compiled_values(
                ("kpi-statement-values", statement.pk),
                lambda statement=statement: StatementValue.objects.filter(
                    statement=statement
                ).values_list("line", "value"),
            )
            return dict(values), statement, basis
    return {}, None, ""


def statement_lines(
    organisation, year: int, period: str
) -> tuple[dict, Statement | None, str, list]:
    """(lines, statement, basis, aggregated-from codes) for an organisation."""
    lines, statement, basis = _own_lines(organisation, year, period)
    if statement is not None and basis == Basis.CONSOLIDATED:
        return lines, statement, basis, []
    children = type(organisation).objects.filter(parent=organisation).order_by("path")
    total: dict[str, Decimal] = {}
    used = []
    for child in children:
        child_lines, child_statement, _basis, _agg = statement_lines(child, year, period)
        if child_statement is None and not _agg:
            continue
        used.append(child.code)
        for code, value in child_lines.items():
            total[code] = total.get(code, Decimal(0)) + value
    if used and statement is None:
        return total, None, "aggregated", used
    return lines, statement, basis, []


def _quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _reason(code: str, names: dict[str, str]) -> str:
    if code == "zero":
        return _("Not computable: a divisor is zero.")
    missing = [names.get(c, c) for c in code.removeprefix("missing:").split(",")]
    return _("Not computable: the statement lacks %(lines)s.") % {"lines": enumeration(missing)}


def line_names() -> dict[str, str]:
    """Statement line code → its name in the active language."""
    return {line.code: line.name for line in StatementLine.objects.all()}


def evaluate_set(kpiset: KpiSet, lines: dict[str, Decimal]) -> list[KpiValue]:
    values = []
    names_of: dict[str, str] | None = None
    lines = derived.with_parts_added(lines)
    evaluator = formulas.evaluator_for(lines)
    for indicator in kpiset.indicators.all():
        names = formulas.names_in(indicator.formula)
        value, reason = None, ""
        try:
            result = formulas.evaluate(indicator.formula, lines, evaluator)
            value = _quantize(result, indicator.precision)
        except formulas.NotComputable as exc:
            names_of = line_names() if names_of is None else names_of
            reason = _reason(str(exc), names_of)
        values.append(
            KpiValue(
                code=indicator.code, name=indicator.name, unit=indicator.unit,
                direction=indicator.direction, formula=indicator.formula, value=value,
                reason=reason, inputs={n: lines.get(n) for n in names},
                to_confirm=indicator.to_confirm,
            )
        )  # fmt: skip
    return values


def annualise(lines: dict[str, Decimal], months: int) -> dict[str, Decimal]:
    """Flow lines scaled to a full year (×12/months); balances unchanged."""
    flows = set(StatementLine.objects.filter(nature=LineNature.FLOW).values_list("code", flat=True))
    factor = Decimal(12) / Decimal(months)
    return {k: (v * factor if k in flows else v) for k, v in lines.items()}


def compute(
    organisation, *, year: int, period: str = "Y", annualised: bool = False, kpiset=None
) -> KpiResult:
    """The KPI set of `year` (or the `kpiset` given, to compare another year like with like)
    evaluated on the organisation's statement for `period`."""
    kpiset = kpiset or kpiset_for(year)
    period_months(period)  # an unknown period raises here
    if kpiset is None:
        message = _("No KPI set covers %(year)s.") % {"year": year}
        return KpiResult(organisation, year, period, None, [], message=message)
    lines, statement, basis, used = statement_lines(organisation, year, period)
    return _result(organisation, year, period, kpiset, lines, statement, basis, used, annualised)


def _result(
    organisation, year, period, kpiset, lines, statement, basis, used, annualised,
    closing=derived.LOOK_UP,
):  # fmt: skip
    months = period_months(period)
    if not lines:
        message = _("No statement for %(year)s (%(period)s).") % {
            "year": year,
            "period": period_label(period),
        }
        return KpiResult(organisation, year, period, kpiset, [], message=message, months=months)
    read = lines
    lines, notes = derived.complete(organisation, year, basis, lines, closing)
    scaled = annualise(lines, months) if annualised and months != 12 else lines
    return KpiResult(
        organisation, year, period, kpiset, evaluate_set(kpiset, scaled), basis=basis,
        annualised=annualised and months != 12, months=months, aggregated_from=used,
        statement=statement, derived=notes, read=read,
    )  # fmt: skip


def compute_many(organisations, *, year: int, period: str = "Y", kpiset=None) -> dict:
    """compute() for many organisations (a peer table): their consolidated statements are read
    in one go; an organisation without one goes through compute() (single or aggregated)."""
    kpiset = kpiset or kpiset_for(year)
    statements = Statement.objects.filter(
        organisation__in=organisations, year=year, period=period, basis=Basis.CONSOLIDATED
    )
    consolidated = {s.organisation_id: s for s in statements}
    lines: dict[int, dict] = {}
    values = StatementValue.objects.filter(statement__in=statements)
    for statement_id, line, value in values.values_list("statement_id", "line", "value"):
        lines.setdefault(statement_id, {})[line] = value
    closings = derived.previous_closing_equities(
        (org_id, year, Basis.CONSOLIDATED) for org_id in consolidated
    )
    results = {}
    for org in organisations:
        statement = consolidated.get(org.pk)
        if kpiset is None or statement is None:
            results[org] = compute(org, year=year, period=period, kpiset=kpiset)
            continue
        closing = closings.get((org.pk, year, Basis.CONSOLIDATED))
        results[org] = _result(org, year, period, kpiset, lines.get(statement.pk, {}), statement,
                               Basis.CONSOLIDATED, [], False, closing)  # fmt: skip
    return results


def indicator_meta(year: int) -> list[Indicator]:
    kpiset = kpiset_for(year)
    return list(kpiset.indicators.all()) if kpiset else []
