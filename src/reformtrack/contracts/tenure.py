"""Writes of tenure (three-year) scoring: the tenure contract's own indicators, their actual
values, the tenure result (score, grade, tenure incentive) and its approval. The same rules of
trust as the annual path: `pay` to prepare, the approval chain to count, versions checked."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.services import approvals
from reformtrack.core.services.versioning import hold

from . import scoring
from .choices import Source, Status
from .models import AnnualResult, TenureContract, TenureIndicator, TenureResult
from .services import (
    CHAIN,
    EDITABLE,
    _allowed,
    _check_indicators,
    _editable,
    _rules,
    write_indicator_actuals,
)

FIELDS = ("code", "name", "weight", "baseline", "target", "challenge", "rule", "is_key")


@transaction.atomic
def set_tenure_indicators(*, user, tenure: TenureContract, version, indicators: list[dict]):
    """Replace the tenure contract's own indicators (draft or returned tenure, version read);
    checked like annual ones (known rules, scored weights adding up to 100)."""
    _allowed(user, tenure.organisation)
    hold(tenure, version)
    _editable(tenure)
    rows = [{name: item.get(name) for name in FIELDS if name in item} for item in indicators]
    if rows:
        checked = [{**row, "source": Source.FREE} for row in rows]
        _check_indicators(_rules(tenure.rules), checked, tenure.organisation)
    tenure.indicators.all().delete()
    for order, row in enumerate(rows):
        TenureIndicator.objects.create(tenure=tenure, order=order, **row)
    tenure.save()
    return tenure


def _open(tenure: TenureContract) -> None:
    if tenure.status != Status.APPROVED:
        raise ValidationError(
            {"status": _("Tenure values are entered once the tenure contract is signed.")}
        )
    result = TenureResult.objects.filter(tenure=tenure).first()
    if result is not None and result.status not in EDITABLE:
        raise ValidationError(
            {"status": _("The tenure result is approved or waiting for approval.")}
        )


@transaction.atomic
def record_tenure_actuals(*, user, tenure: TenureContract, values: dict, version=None) -> int:
    """Enter the tenure indicators' actual values {code: (actual, evidence)} with evidence."""
    _allowed(user, tenure.organisation)
    hold(tenure, version)
    _open(tenure)
    write_indicator_actuals(tenure.indicators.all(), values)
    tenure.save()
    return len(values)


def annual_results(tenure: TenureContract) -> tuple[list[AnnualResult], list[int]]:
    """The approved annual results of the tenure's years, and the years still without one."""
    results = {
        r.contract.year: r
        for r in AnnualResult.objects.select_related("contract").filter(
            contract__tenure=tenure, status=Status.APPROVED
        )
    }
    years = range(tenure.start.year, tenure.end.year + 1)
    return [results[y] for y in years if y in results], [y for y in years if y not in results]


@transaction.atomic
def score_tenure(*, user, tenure: TenureContract) -> TenureResult:
    """Score the tenure at its end into a draft result: every year needs its approved annual
    result and every tenure indicator its actual value; it counts once approved."""
    _allowed(user, tenure.organisation)
    hold(tenure)
    _open(tenure)
    rules = _rules(tenure.rules)
    if rules.tenure is None:
        raise ValidationError({"rules": _("The contract rules have no tenure scoring.")})
    results, missing_years = annual_results(tenure)
    if missing_years:
        raise ValidationError(
            {
                "years": _("No approved annual result yet for %(years)s.")
                % {"years": ", ".join(str(y) for y in missing_years)}
            }
        )
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
        for row in tenure.indicators.all()
    ]
    annual_pay = sum((r.base_pay + r.performance_pay for r in results), Decimal(0))
    outcome = scoring.score_tenure(rules, [r.score for r in results], lines, annual_pay)
    if outcome.missing:
        raise ValidationError(
            {
                "indicators": _("No actual value yet for %(codes)s.")
                % {"codes": ", ".join(outcome.missing)}
            }
        )
    result = TenureResult.objects.select_for_update().filter(tenure=tenure).first()
    result = result or TenureResult(tenure=tenure)
    result.annual_score, result.indicator_score = outcome.annual_score, outcome.indicator_score
    result.score, result.grade, result.grade_label = (
        outcome.score,
        outcome.grade,
        outcome.grade_label,
    )
    result.incentive_share, result.annual_pay = outcome.incentive_share, outcome.annual_pay
    result.accrued = sum((r.tenure_incentive for r in results), Decimal(0))
    result.incentive, result.capped = outcome.incentive, outcome.capped
    result.years = [
        {"year": r.contract.year, "score": str(r.score), "grade": r.grade} for r in results
    ]
    result.points = {code: str(value) for code, value in outcome.points.items()}
    result.status = Status.DRAFT
    result.save()
    return result


@transaction.atomic
def submit_tenure_result(*, user, result: TenureResult, version=None, comment: str = ""):
    """Send the tenure result for approval; the score and the payout count once approved."""
    _allowed(user, result.organisation)
    hold(result, version)
    if result.status not in EDITABLE:
        raise ValidationError({"status": _("This result is already approved or waiting.")})
    result.status = Status.PENDING
    result.save(update_fields=["status"])
    return approvals.submit(
        target=result, organisation=result.organisation, user=user, chain=CHAIN, comment=comment
    )
