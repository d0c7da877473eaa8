"""Writes of the contracts app: the roster, contracts, actual values, scoring and approvals.

Every write needs the `pay` action on the member's organisation (pay and personal data are the
reform office's, HR's and the supervisor's, not contributors'); `user=None` is the system (demo,
commands). Contracts and results count only once approved through the chain, decided by holders
of `approve` (HR prepares, it does not approve)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.scoping import can
from reformtrack.core.services import approvals
from reformtrack.core.services.versioning import hold
from reformtrack.core.templatetags.amounts import money_text
from reformtrack.orgs.roles import PAY

from . import scoring
from .choices import LeaveReason, Selection, Source, Status
from .models import (
    AnnualContract,
    AnnualResult,
    ContractIndicator,
    Member,
    TenureContract,
    Workforce,
)
from .rules import load_rules

CHAIN = "contract"  # settings.APPROVAL_CHAINS may name it; otherwise the default chain
EDITABLE = (Status.DRAFT, Status.RETURNED)


def _allowed(user, organisation) -> None:
    if user is not None and not can(user, PAY, organisation):
        raise PermissionDenied(_("You may not manage the managers of this organisation."))


def _rules(code: str):
    try:
        return load_rules(code)
    except LookupError:
        raise ValidationError(
            {"rules": _("No contract rules library %(code)s is loaded.") % {"code": code}}
        ) from None


# --- the roster -------------------------------------------------------------------------------


@transaction.atomic
def save_member(
    *, user, organisation, name: str, post: str, appointed_on: dt.date, selection: str,
    tenure_start: dt.date, tenure_end: dt.date, is_active: bool = True,
    left_on: dt.date | None = None, leave_reason: str = "", leave_note: str = "",
    account=..., member: Member | None = None, version=None,
) -> Member:  # fmt: skip
    """Add a manager, or change one (carrying the version read; a stale one is refused).
    Leaving the post names the date and why; `account` links the member's own user account
    (left as it is when not given)."""
    _allowed(user, organisation)
    if member is not None:
        _allowed(user, member.organisation)
        hold(member, version)
    errors = {}
    if leave_reason and leave_reason not in LeaveReason.values:
        errors["leave_reason"] = _("Choose a reason from the list.")
    if not is_active and (left_on is None or not leave_reason):
        errors["leave_reason"] = _("A manager out of post names the date and why.")
    if left_on is not None and left_on < appointed_on:
        errors["left_on"] = _("The post is left after the appointment.")
    if account not in (..., None):
        taken = Member.objects.filter(user=account).exclude(pk=getattr(member, "pk", None))
        if taken.exists() or getattr(account, "is_administrator", False):
            errors["user"] = _("This user account is linked to another manager or may not be.")
    if selection not in Selection.values:
        errors["selection"] = _("Choose appointed, market-based selection or professional manager.")
    if tenure_end <= tenure_start:
        errors["tenure_end"] = _("The tenure ends after it starts.")
    if not name.strip():
        errors["name"] = _("This field is required.")
    if not post.strip():
        errors["post"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    member = member or Member()
    member.organisation = organisation
    member.name, member.post = name.strip(), post.strip()
    member.appointed_on, member.selection = appointed_on, selection
    member.tenure_start, member.tenure_end, member.is_active = tenure_start, tenure_end, is_active
    member.left_on = None if is_active and not left_on else left_on
    member.leave_reason = "" if is_active and not left_on else leave_reason
    member.leave_note = (leave_note or "").strip()[:300]
    if account is not ...:
        member.user = account
    member.save()
    return member


# --- contracts --------------------------------------------------------------------------------


@transaction.atomic
def create_tenure(
    *, user, member: Member, start: dt.date, end: dt.date, rules: str = "CONTRACT-RULES"
) -> TenureContract:
    _allowed(user, member.organisation)
    _rules(rules)
    if end <= start:
        raise ValidationError({"end": _("The tenure ends after it starts.")})
    return TenureContract.objects.create(member=member, start=start, end=end, rules=rules)


def _check_indicators(rules, indicators: list[dict], organisation) -> None:
    errors = []
    weights = Decimal(0)
    codes = set()
    for number, item in enumerate(indicators, start=1):
        code = item.get("code", "")
        where = _("Indicator %(n)s (%(code)s)") % {"n": number, "code": code}
        rule = rules.rule(item.get("rule", ""))
        if rule is None:
            errors.append(
                f"{where}: " + _("unknown scoring rule %(rule)s.") % {"rule": item.get("rule")}
            )
        elif not rule.veto:
            weights += Decimal(item.get("weight") or 0)
        if code in codes:
            errors.append(f"{where}: " + _("the code appears twice."))
        codes.add(code)
        source = item.get("source")
        if source == Source.KPI and not item.get("kpi_code"):
            errors.append(f"{where}: " + _("a KPI indicator names its KPI code."))
        if source == Source.LEDGER:
            task = item.get("task")
            if task is None or not task.org_path.startswith(organisation.path):
                errors.append(
                    f"{where}: " + _("a ledger indicator names a task of this organisation.")
                )
        if source not in Source.values:
            errors.append(f"{where}: " + _("the source is a KPI, a ledger task or a free target."))
    if indicators and weights != 100:
        errors.append(
            _("The weights of the scored indicators add up to %(sum)s, not 100.") % {"sum": weights}
        )
    if not indicators:
        errors.append(_("An annual contract has at least one indicator."))
    if errors:
        raise ValidationError({"indicators": errors})


@transaction.atomic
def create_annual(
    *, user, tenure: TenureContract, year: int, pay_standard: Decimal, indicators: list[dict]
) -> AnnualContract:
    """An annual contract under a tenure, with its indicators (dicts of ContractIndicator
    fields); weights of the scored indicators add up to 100, rules come from the library."""
    organisation = tenure.member.organisation
    _allowed(user, organisation)
    if not tenure.start.year <= year <= tenure.end.year:
        raise ValidationError({"year": _("The year lies outside the tenure.")})
    if Decimal(pay_standard) <= 0:
        raise ValidationError({"pay_standard": _("The pay standard is more than zero.")})
    _check_indicators(_rules(tenure.rules), indicators, organisation)
    contract = AnnualContract.objects.create(tenure=tenure, year=year, pay_standard=pay_standard)
    for order, item in enumerate(indicators):
        ContractIndicator.objects.create(contract=contract, order=order, **item)
    return contract


def _editable(contract) -> None:
    if contract.status not in EDITABLE:
        raise ValidationError(
            {"status": _("A signed or waiting contract is not edited; a returned one is.")}
        )


@transaction.atomic
def update_tenure(*, user, tenure: TenureContract, version, start: dt.date, end: dt.date):
    """Change a draft or returned tenure contract (version checked)."""
    _allowed(user, tenure.organisation)
    hold(tenure, version)
    _editable(tenure)
    if end <= start:
        raise ValidationError({"end": _("The tenure ends after it starts.")})
    tenure.start, tenure.end = start, end
    tenure.save()
    return tenure


@transaction.atomic
def update_annual(
    *, user, contract: AnnualContract, version, pay_standard: Decimal, indicators: list[dict]
) -> AnnualContract:
    """Change a draft or returned annual contract: its pay standard and its indicators (all
    replaced, checked like a new contract). The version read must still be current."""
    organisation = contract.organisation
    _allowed(user, organisation)
    hold(contract, version)
    _editable(contract)
    if Decimal(pay_standard) <= 0:
        raise ValidationError({"pay_standard": _("The pay standard is more than zero.")})
    _check_indicators(_rules(contract.tenure.rules), indicators, organisation)
    contract.indicators.all().delete()
    for order, item in enumerate(indicators):
        ContractIndicator.objects.create(contract=contract, order=order, **item)
    contract.pay_standard = pay_standard
    contract.save()
    return contract


@transaction.atomic
def save_workforce(
    *, user, organisation, year: int, headcount: int, market_exits: int, hires: int,
    open_hires: int, source: str = "", version=0,
) -> Workforce:  # fmt: skip
    """Staff figures of an organisation and year: create (version 0) or correct (the version
    read). Exits and open hires cannot exceed the headcount and the hires."""
    _allowed(user, organisation)
    row = Workforce.objects.select_for_update().filter(organisation=organisation, year=year).first()
    if row is not None:
        hold(row, version)
    elif version not in (0, None, "", "0"):
        raise ValidationError({"version": _("These figures were removed; reload the page.")})
    errors = {}
    if not 1990 <= int(year) <= 2100:
        errors["year"] = _("A year between 1990 and 2100.")
    if market_exits > headcount:
        errors["market_exits"] = _("More exits than the average headcount.")
    if open_hires > hires:
        errors["open_hires"] = _("More open hires than new hires.")
    if errors:
        raise ValidationError(errors)
    row = row or Workforce(organisation=organisation, year=year)
    row.headcount, row.market_exits, row.hires = headcount, market_exits, hires
    row.open_hires, row.source = open_hires, (source or "").strip()[:300]
    row.save()
    return row


@transaction.atomic
def submit_contract(*, user, contract, version=None, comment: str = ""):
    """Send a tenure or annual contract for signing through the approval chain."""
    _allowed(user, contract.organisation)
    hold(contract, version)
    if contract.status not in EDITABLE:
        raise ValidationError({"status": _("This contract is already signed or waiting.")})
    contract.status = Status.PENDING
    contract.save(update_fields=["status"])
    return approvals.submit(
        target=contract, organisation=contract.organisation, user=user, chain=CHAIN, comment=comment
    )


# --- year end ---------------------------------------------------------------------------------


def _open_for_actuals(contract: AnnualContract) -> None:
    if contract.status != Status.APPROVED:
        raise ValidationError(
            {"status": _("Actual values are entered once the contract is signed.")}
        )
    result = AnnualResult.objects.filter(contract=contract).first()
    if result is not None and result.status not in EDITABLE:
        raise ValidationError(
            {"status": _("The year's result is approved or waiting for approval.")}
        )


@transaction.atomic
def record_actuals(*, user, contract: AnnualContract, values: dict, version=None) -> int:
    """Enter actual values {code: (actual, evidence)}; an entered value names its evidence."""
    _allowed(user, contract.organisation)
    hold(contract, version)
    _open_for_actuals(contract)
    write_indicator_actuals(contract.indicators.all(), values)
    contract.save()  # a new version: what was scored has changed
    return len(values)


def write_indicator_actuals(indicators, values: dict) -> None:
    """{code: (actual, evidence)} onto a contract's indicator rows (annual or tenure): an
    unknown code or a value without its evidence refuses the whole entry, naming the code."""
    rows = {row.code: row for row in indicators}
    errors = {}
    for code, (actual, evidence) in values.items():
        if code not in rows:
            errors[code] = _("No indicator %(code)s in this contract.") % {"code": code}
        elif actual is not None and not (evidence or "").strip():
            errors[code] = _("Name the evidence of the value entered for %(code)s.") % {
                "code": code
            }
    if errors:
        raise ValidationError(errors)
    for code, (actual, evidence) in values.items():
        row = rows[code]
        row.actual = None if actual is None else Decimal(actual)
        row.evidence = (evidence or "").strip()[:300]
        row.save(update_fields=["actual", "evidence"])


def _pulled(row: ContractIndicator, contract: AnnualContract) -> Decimal | None:
    if row.source == Source.KPI:
        from reformtrack.kpis.selectors import kpi_value

        return kpi_value(organisation=contract.organisation, year=contract.year, code=row.kpi_code)
    if row.source == Source.LEDGER and row.task is not None:
        return row.task.percent
    return None


@transaction.atomic
def pull_actuals(*, user, contract: AnnualContract) -> dict[str, Decimal | None]:
    """Actual values of KPI and ledger indicators from the KPI engine and the ledger."""
    _allowed(user, contract.organisation)
    hold(contract)
    _open_for_actuals(contract)
    pulled = {}
    for row in contract.indicators.select_related("task"):
        if row.source == Source.FREE:
            continue
        value = _pulled(row, contract)
        pulled[row.code] = value
        if value is not None:
            row.actual = value
            row.evidence = (
                _("KPI %(code)s of %(year)s") % {"code": row.kpi_code, "year": contract.year}
                if row.source == Source.KPI
                else _("Ledger task %(code)s") % {"code": row.task.code}
            )[:300]
            row.save(update_fields=["actual", "evidence"])
    contract.save()
    return pulled


def outcome_of(contract: AnnualContract) -> scoring.Outcome:
    rules = load_rules(contract.tenure.rules)
    lines = [
        scoring.Line(
            code=row.code,
            weight=row.weight,
            baseline=row.baseline,
            target=row.target,
            challenge=row.challenge,
            actual=row.actual,
            rule=row.rule,
            is_key=row.is_key,
        )  # fmt: skip
        for row in contract.indicators.all()
    ]
    return scoring.score(rules, lines)


@transaction.atomic
def score_contract(*, user, contract: AnnualContract) -> AnnualResult:
    """Score the year by the rules: score, grade, coefficient, pay split and exit triggers.
    Every indicator needs its actual value first; the result waits for approval."""
    _allowed(user, contract.organisation)
    hold(contract)
    _open_for_actuals(contract)
    outcome = outcome_of(contract)
    if outcome.missing:
        raise ValidationError(
            {
                "indicators": _("No actual value yet for %(codes)s.")
                % {"codes": ", ".join(outcome.missing)}
            }
        )
    pay = scoring.pay(_rules(contract.tenure.rules), contract.pay_standard, outcome.coefficient)
    result = AnnualResult.objects.select_for_update().filter(contract=contract).first()
    result = result or AnnualResult(contract=contract)
    result.score, result.grade, result.grade_label = (
        outcome.score,
        outcome.grade,
        outcome.grade_label,
    )
    result.coefficient, result.key_completion = outcome.coefficient, outcome.key_completion
    result.base_pay, result.performance_pay = pay["base"], pay["performance"]
    result.tenure_incentive = pay["tenure"]
    result.points = {code: str(value) for code, value in outcome.points.items()}
    result.exits = outcome.exits + [
        {
            "code": f"VETO:{code}",
            "text_zh": f"否决项 {code} 未达标",
            "text_en": f"Veto item {code} missed",
        }
        for code in outcome.vetoed
    ]
    result.status = Status.DRAFT
    result.save()
    return result


@transaction.atomic
def submit_result(*, user, result: AnnualResult, version=None, comment: str = ""):
    """Send the year's result for approval; it counts (pay, exit) once approved."""
    _allowed(user, result.organisation)
    hold(result, version)
    if result.status not in EDITABLE:
        raise ValidationError({"status": _("This result is already approved or waiting.")})
    result.status = Status.PENDING
    result.save(update_fields=["status"])
    return approvals.submit(
        target=result, organisation=result.organisation, user=user, chain=CHAIN, comment=comment
    )


def on_approval_finished(target, outcome: str) -> None:
    """A contract is signed or a result approved when its approval ends; returned otherwise."""
    from .models import TenureResult

    if not isinstance(target, TenureContract | AnnualContract | AnnualResult | TenureResult):
        return
    target = type(target).objects.select_for_update().get(pk=target.pk)
    target.status = Status.APPROVED if outcome == Status.APPROVED else Status.RETURNED
    target.save(update_fields=["status"])


# --- medium- and long-term incentives -------------------------------------------------------


def plan_check(plan) -> dict:
    """What the cap of the plan's kind allows (base × cap %), and whether what was paid stays
    within it and within what the conditions allowed."""
    from decimal import ROUND_HALF_UP

    cap = load_rules(plan.rules).cap_for(plan.kind)
    limit = (
        (plan.base_amount * cap.cap / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if cap
        else None
    )
    return {
        "cap_percent": cap.cap if cap else None, "cap_amount": limit,
        "within_cap": limit is None or plan.paid <= limit,
        "within_conditions": plan.paid <= plan.allowed,
    }  # fmt: skip


@transaction.atomic
def save_plan(*, user, organisation, plan=None, version=None, **fields):
    """Register or change an incentive plan; a payment above its cap or above what its
    conditions allowed is refused, naming the limit."""
    from .models import IncentivePlan

    _allowed(user, organisation)
    if plan is not None:
        _allowed(user, plan.organisation)
        hold(plan, version)
    plan = plan or IncentivePlan()
    plan.organisation = organisation
    for name, value in fields.items():
        setattr(plan, name, value)
    _rules(plan.rules)
    check = plan_check(plan)
    errors = {}
    if not check["within_cap"]:
        errors["paid"] = _(
            "More than the cap of %(percent)s%% of the base: at most %(amount)s."
        ) % {"percent": check["cap_percent"], "amount": money_text(check["cap_amount"])}
    elif not check["within_conditions"]:
        errors["paid"] = _("More than the conditions allowed (%(amount)s).") % {
            "amount": money_text(plan.allowed)
        }
    if errors:
        raise ValidationError(errors)
    plan.save()
    return plan
