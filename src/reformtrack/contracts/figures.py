"""Three-systems reform measured (三项制度改革: managers up and down, staff in and out, pay up and
down) for a subtree and a run of years, from rows the user may read with `pay`: everything is
loaded once and counted in Python (pay amounts are encrypted, so SQL cannot sum them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from reformtrack.core.scoping import Action
from reformtrack.orgs.roles import PAY

from .choices import DOWN, Selection, Status
from .models import Workforce
from .selectors import members_for, results_for, tenures_for

CENT = Decimal("0.01")
COVERAGE_TITLE = "任期制和契约化"  # the ledger's coverage task of tenure contracts
PRODUCTIVITY = "LABOUR_PRODUCTIVITY"  # 全员劳动生产率 in the KPI sets


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class PostSpread:
    post: str
    top: str
    bottom: str
    spread: Decimal | None


@dataclass
class YearFigures:
    year: int
    managers: int = 0
    under_contract: int = 0
    contract_share: Decimal | None = None
    market_share: Decimal | None = None
    down: list = field(default_factory=list)  # (member, reason label, note)
    left: list = field(default_factory=list)
    headcount: int | None = None
    market_exits: int | None = None
    exit_rate: Decimal | None = None
    hires: int | None = None
    open_hires: int | None = None
    open_share: Decimal | None = None
    pay_spread: Decimal | None = None
    post_spreads: list[PostSpread] = field(default_factory=list)
    productivity: Decimal | None = None
    productivity_unit: str = ""  # the KPI set's unit of it (万元/人), for pages
    coverage_task: object = None  # the ledger's coverage task, when the organisation has one


def _in(path: str, organisation) -> bool:
    return path.startswith(organisation.path)


def _post_spreads(results) -> tuple[list[PostSpread], Decimal | None]:
    """Per post with two or more approved results: pay of the best-scored / the worst-scored."""
    by_post: dict[str, list] = {}
    for r in results:
        by_post.setdefault(r.contract.tenure.member.post, []).append(r)
    spreads = []
    for post, rows in sorted(by_post.items()):
        if len(rows) < 2:
            continue
        rows.sort(key=lambda r: r.score, reverse=True)
        top, bottom = rows[0], rows[-1]
        low = bottom.total_pay
        spread = (top.total_pay / low).quantize(CENT) if low > 0 else None
        spreads.append(
            PostSpread(
                post, top.contract.tenure.member.name, bottom.contract.tenure.member.name, spread
            )  # fmt: skip
        )
    pays = [r.total_pay for r in results]
    overall = (max(pays) / min(pays)).quantize(CENT) if pays and min(pays) > 0 else None
    return spreads, overall


@dataclass
class Coverage:
    """The ledger's coverage tasks of tenure contracts in the subtree: how many, their mean
    percent complete, and the code of the first (e.g. TYA-4-01-…)."""

    code: str
    tasks: int
    percent: Decimal


def _coverage_task(user, organisation) -> Coverage | None:
    from reformtrack.programs.choices import TaskKind
    from reformtrack.programs.models import LedgerTask

    tasks = list(
        LedgerTask.objects.visible_to(user, Action.VIEW)
        .filter(
            org_path__startswith=organisation.path,
            kind=TaskKind.COVERAGE,
            title__contains=COVERAGE_TITLE,
        )  # fmt: skip
        .order_by("org_path", "code")
        .values_list("code", "percent")
    )
    if not tasks:
        return None
    mean = sum((p or Decimal(0)) for _c, p in tasks) / len(tasks)
    return Coverage(tasks[0][0], len(tasks), mean.quantize(CENT, rounding=ROUND_HALF_UP))


def _productivity(organisation, year: int) -> tuple[Decimal | None, str]:
    """全员劳动生产率 of the year's KPI set and its unit there (万元/人), or (None, "")."""
    from reformtrack.kpis.selectors import compute

    try:
        found = compute(organisation, year=year).by_code().get(PRODUCTIVITY)
    except LookupError:
        return None, ""
    return (found.value, found.unit) if found else (None, "")


def three_systems(user, *, organisation, years: list[int]) -> list[YearFigures]:
    """The figures of each year for the subtree of `organisation`."""
    from reformtrack.contracts.choices import LeaveReason

    members = [m for m in members_for(user) if _in(m.organisation.path, organisation)]
    tenures = [
        t
        for t in tenures_for(user).filter(status=Status.APPROVED)
        if _in(t.member.organisation.path, organisation)
    ]
    results = [
        r
        for r in results_for(user)
        .filter(status=Status.APPROVED, contract__year__in=years)
        .select_related("contract__tenure__member")
        if _in(r.contract.tenure.member.organisation.path, organisation)
    ]
    staff = Workforce.objects.visible_to(user, PAY).filter(
        organisation__path__startswith=organisation.path, year__in=years
    )
    task = _coverage_task(user, organisation)
    labels = dict(LeaveReason.choices)
    out = []
    for year in years:
        f = YearFigures(year=year, coverage_task=task)
        active = [
            m
            for m in members
            if m.appointed_on.year <= year and (m.left_on is None or m.left_on.year >= year)
            and m.tenure_start.year <= year <= m.tenure_end.year
        ]  # fmt: skip
        signed = {t.member_id for t in tenures if t.start.year <= year <= t.end.year}
        f.managers = len(active)
        f.under_contract = len([m for m in active if m.pk in signed])
        f.contract_share = share(f.under_contract, f.managers)
        f.market_share = share(
            len([m for m in active if m.selection != Selection.APPOINTED]), f.managers
        )
        for m in members:
            if m.left_on is not None and m.left_on.year == year:
                row = (m, labels.get(m.leave_reason, m.leave_reason or "—"), m.leave_note)
                f.left.append(row)
                if m.leave_reason in DOWN:
                    f.down.append(row)
        rows = [w for w in staff if w.year == year]
        if rows:
            f.headcount = sum(w.headcount for w in rows)
            f.market_exits = sum(w.market_exits for w in rows)
            f.hires = sum(w.hires for w in rows)
            f.open_hires = sum(w.open_hires for w in rows)
            f.exit_rate = share(f.market_exits, f.headcount)
            f.open_share = share(f.open_hires, f.hires)
        f.post_spreads, f.pay_spread = _post_spreads(
            [r for r in results if r.contract.year == year]
        )
        f.productivity, f.productivity_unit = _productivity(organisation, year)
        out.append(f)
    return out


def figures_rows(figures: list[YearFigures]) -> list[list]:
    """One row per year for the Excel export (header: `FIGURE_COLUMNS`)."""

    def names(rows):
        return "；".join(f"{m.name}（{reason}）" for m, reason, _note in rows)

    return [
        [
            f.year,
            f.managers,
            f.under_contract,
            f.contract_share,
            f.coverage_task.percent if f.coverage_task else None,
            f.market_share,
            len(f.down),
            names(f.down),
            f.headcount,
            f.market_exits,
            f.exit_rate,
            f.hires,
            f.open_hires,
            f.open_share,
            f.pay_spread,
            "；".join(f"{s.post} {s.spread}" for s in f.post_spreads),
            f.productivity,
        ]  # fmt: skip
        for f in figures
    ]
