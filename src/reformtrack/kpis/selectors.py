"""Reads of the KPI engine, always scoped. Other apps (assessments, contracts) read KPIs by
code through `kpi_value`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reformtrack.core.compiled_sql import instances as compiled_instances
from reformtrack.core.compiled_sql import rows as compiled_rows
from reformtrack.core.i18n import enumeration, localized
from reformtrack.core.scoping import Action

from .checks import Outcome, check, describe
from .engine import KpiResult, compute, kpiset_for
from .models import Indicator, KpiTarget, Statement, StatementLine, StatementRevision
from .peers import peers, rank_of  # noqa: F401  (re-exported; peers.py explains its scope rule)
from .units import PERIODS, period_label


def kpi_value(*, organisation, year: int, code: str) -> Decimal | None:
    """KPI `code` (e.g. "ROE") of an organisation for a year, or None if not computable."""
    found = compute(organisation, year=year).by_code().get(code)
    return found.value if found else None


def statements_for(user, action: str = Action.VIEW):
    return Statement.objects.visible_to(user, action).select_related("organisation")


def targets_for(user, action: str = Action.VIEW):
    return KpiTarget.objects.visible_to(user, action).select_related("organisation")


def history_for(user, organisation, limit: int | None = 50) -> tuple[list, int]:
    """(entries and corrections of an organisation's statements, newest first, with line names
    and whether the line counts people; how many there are in all). `limit` None: all."""
    lines = {line.code: line for line in StatementLine.objects.all()}
    revisions = (
        StatementRevision.objects.visible_to(user)
        .filter(statement__organisation=organisation)
        .select_related("statement", "by")
    )
    total = revisions.count()
    rows = list(revisions if limit is None else revisions[:limit])
    for row in rows:
        line = lines.get(row.line)
        row.line_name = line.name if line else row.line
        row.is_count = line is not None and line.kind == "count"
    return rows, total


def periods_of(organisation, year: int) -> list[tuple[str, str]]:
    """The periods an organisation has statements for in a year, as (code, label)."""
    build = lambda: Statement.objects.filter(  # noqa: E731 - SQL compiled once per key
        organisation=organisation, year=year
    ).values_list("period")
    found = {period for (period,) in compiled_rows(("kpi-periods", organisation.pk, year), build)}
    order = {p: i for i, p in enumerate(PERIODS)}
    return [(p, period_label(p)) for p in sorted(found, key=lambda p: order.get(p, 99))]


def kpi_outcome(*, organisation, year: int, code: str) -> Outcome:
    """The check of KPI `code` against the organisation's target for the year (full year)."""
    value = kpi_value(organisation=organisation, year=year, code=code)
    target = KpiTarget.objects.filter(organisation=organisation, year=year, code=code).first()
    indicator = Indicator.objects.filter(code=code, kpiset=kpiset_for(year)).first()
    return check(value, target, direction=indicator.direction if indicator else "")


def target_notes(targets, names: dict[str, str], shapes=()) -> list[dict]:
    """Targets grouped by their note ("按目标模式推导：一增一稳四提升"), with the indicators by
    name and a target shape's name in the reader's language: {origin, text, indicators}."""
    shape_names = {s["name_zh"]: localized(s["name_zh"], s.get("name_en", "")) for s in shapes}
    groups: dict[tuple, list] = {}
    for target in targets.order_by("note", "code"):
        if target.note:
            text = shape_names.get(target.note, target.note)
            groups.setdefault((target.get_origin_display(), text), []).append(target.code)
    return [
        {"origin": origin, "text": text, "indicators": enumeration(names.get(c, c) for c in codes)}
        for (origin, text), codes in groups.items()
    ]


def organisation_names(codes: list[str]) -> str:
    """The organisations of `codes`, by name, listed as the active language lists them."""
    from reformtrack.orgs.models import Organisation

    if not codes:  # a statement of its own: no organisation to name
        return enumeration([])
    # compiled once per list of codes, run fresh (core.compiled_sql)
    found = compiled_instances(
        Organisation, ("kpi-aggregated-names", tuple(codes)),
        lambda: Organisation.objects.filter(code__in=codes),
    )  # fmt: skip
    by_code = {o.code: o.name for o in found}
    return enumeration(by_code.get(code, code) for code in codes)


def latest_year(organisation) -> int | None:
    """The latest year with a statement in the organisation's subtree (SQL compiled once per
    path: every KPI page without a year asks)."""

    def build():  # the queryset is built only when compiled
        statements = Statement.objects.filter(organisation__path__prefix=organisation.path)
        return statements.order_by("-year").values_list("year")[:1]

    found = compiled_rows(("kpi-latest-year", organisation.path), build)
    return found[0][0] if found else None


@dataclass
class Row:
    code: str
    name: str
    unit: str
    value: Decimal | None
    reason: str
    last_year: Decimal | None
    target: str
    outcome: Outcome
    to_confirm: bool
    inputs: dict


def overview(
    organisation, *, year: int, period: str = "Y", known: dict | None = None
) -> tuple[KpiResult, list[Row]]:
    """The year's KPIs with last year's full-year value, the target and its check. A
    year-to-date period is shown annualised and checked at that pace. `known`, when given,
    receives the full-year results worked out here, by year, for `trend` to reuse."""
    ytd = period != "Y"
    result = compute(organisation, year=year, period=period, annualised=ytd)
    previous_year = compute(organisation, year=year - 1, kpiset=result.kpiset)
    if known is not None:
        known[year - 1] = previous_year
        if not ytd:
            known[year] = result
    last = previous_year.by_code()
    # the year's targets: SQL decided by the organisation and year, compiled once, run fresh
    found = compiled_instances(
        KpiTarget, ("kpi-year-targets", organisation.pk, year),
        lambda: KpiTarget.objects.filter(organisation=organisation, year=year),
    )  # fmt: skip
    targets = {t.code: t for t in found}
    rows = []
    for v in result.values:
        target = targets.get(v.code)
        previous = last.get(v.code)
        rows.append(
            Row(
                code=v.code, name=v.name, unit=v.unit, value=v.value, reason=v.reason,
                last_year=previous.value if previous else None, target=describe(target),
                outcome=check(v.value, target, year_to_date=ytd, direction=v.direction),
                to_confirm=v.to_confirm,
                inputs=v.inputs,
            )
        )  # fmt: skip
    return result, rows


def dupont(organisation, *, year: int, lines: dict | None = None) -> dict | None:
    """Return on net assets = net margin × asset turnover × equity multiplier (full year).
    `lines`: the year's full-year statement lines when the caller has read them already."""
    from .engine import statement_lines

    if lines is None:
        lines, _statement, _basis, _used = statement_lines(organisation, year, "Y")
    needed = ("net_profit", "revenue", "total_assets", "equity_open", "equity_close")
    if any(lines.get(k) in (None, Decimal(0)) for k in needed if k != "net_profit"):
        return None
    if lines.get("net_profit") is None:
        return None
    equity = (lines["equity_open"] + lines["equity_close"]) / 2
    margin = lines["net_profit"] / lines["revenue"]
    turnover = lines["revenue"] / lines["total_assets"]
    leverage = lines["total_assets"] / equity
    q = Decimal("0.01")
    return {
        "margin": (margin * 100).quantize(q),
        "turnover": turnover.quantize(Decimal("0.001")),
        "leverage": leverage.quantize(Decimal("0.001")),
        "roe": (margin * turnover * leverage * 100).quantize(q),
    }


def trend(organisation, *, years: list[int], known: dict | None = None) -> dict[str, list]:
    """Full-year values per indicator code over `years`, all by the formulas of the last year's
    KPI set (like with like): {code: [(year, value), …]}. `known`: full-year results already
    worked out (by `overview`), used where they were computed by that same set."""
    from .engine import kpiset_for

    known = known or {}
    latest = known.get(years[-1])
    kpiset = latest.kpiset if latest is not None and latest.kpiset else kpiset_for(years[-1])
    series: dict[str, list] = {}
    names: dict[str, tuple] = {}
    for year in years:
        found = known.get(year)
        same = (
            found is not None and found.kpiset is not None and kpiset is not None
            and found.kpiset.pk == kpiset.pk and found.period == "Y" and not found.annualised
        )  # fmt: skip
        result = found if same else compute(organisation, year=year, kpiset=kpiset)
        for v in result.values:
            series.setdefault(v.code, []).append((year, v.value))
            names[v.code] = (v.name, v.unit)
    return {"series": series, "names": names}
