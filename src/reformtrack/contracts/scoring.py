"""Scoring an annual contract by its rules: points per indicator, score, grade, coefficient, pay
split and exit triggers. Pure functions over Decimals, so the rules can be tested alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .rules import ContractRulesSpec, ScoringRule

CENT = Decimal("0.01")
ZERO = Decimal(0)


def _q(value: Decimal, quantum: Decimal = CENT) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    """One indicator as scored: its weight and values (`actual` None = not yet known)."""

    code: str
    weight: Decimal
    baseline: Decimal | None
    target: Decimal
    challenge: Decimal | None
    actual: Decimal | None
    rule: str
    is_key: bool = False


@dataclass
class Outcome:
    score: Decimal
    grade: str
    grade_label: str
    coefficient: Decimal
    points: dict[str, Decimal]
    key_completion: Decimal | None
    vetoed: list[str] = field(default_factory=list)
    exits: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def ratio(rule: ScoringRule, line: Line) -> Decimal:
    """Share of the weight earned: `floor` at the baseline, 1 at the target, up to `cap` at the
    challenge value; below the baseline 0 or minus `penalty`. Lower-is-better mirrors it."""
    sign = 1 if rule.direction == "higher" else -1
    actual, target = sign * line.actual, sign * line.target
    if rule.veto:
        return Decimal(1) if actual >= target else ZERO
    if actual >= target:
        if line.challenge is None or sign * line.challenge <= target:
            return Decimal(1)
        challenge = sign * line.challenge
        extra = (actual - target) / (challenge - target) * (rule.cap - 1)
        return min(Decimal(1) + extra, rule.cap)
    baseline = sign * line.baseline if line.baseline is not None else None
    if baseline is None or baseline >= target:
        return ZERO if rule.below == "zero" else -rule.penalty
    if actual < baseline:
        return ZERO if rule.below == "zero" else -rule.penalty
    return rule.floor + (actual - baseline) / (target - baseline) * (1 - rule.floor)


def completion(rule: ScoringRule, line: Line) -> Decimal | None:
    """Completion (%) of a target: actual / target (target / actual when lower is better)."""
    if line.actual is None:
        return None
    num, den = (
        (line.actual, line.target) if rule.direction == "higher" else (line.target, line.actual)
    )
    if den <= 0:
        return None
    return _q(num / den * 100)


def score(rules: ContractRulesSpec, lines: list[Line]) -> Outcome:
    """The year's score (sum of points; an indicator without an actual earns nothing and is
    listed as missing), its grade (a failed veto gives the lowest), coefficient and exits."""
    points, vetoed, missing, completions = {}, [], [], []
    for line in lines:
        rule = rules.rule(line.rule)
        if rule is None:
            raise LookupError(line.rule)
        if line.actual is None:
            missing.append(line.code)
            points[line.code] = ZERO
            continue
        share = ratio(rule, line)
        if rule.veto:
            points[line.code] = ZERO
            if share == 0:
                vetoed.append(line.code)
            continue
        points[line.code] = _q(line.weight * share)
        if line.is_key:
            done = completion(rule, line)
            if done is not None:
                completions.append(done)
    total = _q(sum(points.values(), ZERO))
    grade = rules.grades[-1] if vetoed else rules.grade_for(total)
    key = min(completions) if completions else None
    outcome = Outcome(
        score=total, grade=grade.code, grade_label=grade.label_zh, coefficient=grade.coefficient,
        points=points, key_completion=key, vetoed=vetoed, missing=missing,
    )  # fmt: skip
    outcome.exits = exits(rules, outcome)
    return outcome


def exits(rules: ContractRulesSpec, outcome: Outcome) -> list[dict]:
    """Exit triggers met, each with its code and why (in both languages)."""
    found = []
    lowest = rules.grades[-1].code
    for trigger in rules.exits:
        hit = (
            (trigger.kind == "score_below" and outcome.score < trigger.value)
            or (trigger.kind == "lowest_grade" and outcome.grade == lowest)
            or (
                trigger.kind == "key_completion_below"
                and outcome.key_completion is not None
                and outcome.key_completion < trigger.value
            )
        )
        if hit:
            found.append(
                {"code": trigger.code, "text_zh": trigger.text_zh, "text_en": trigger.text_en}
            )
    return found


def pay(rules: ContractRulesSpec, standard: Decimal, coefficient: Decimal) -> dict[str, Decimal]:
    """The pay split of an annual pay standard: base (fixed share), performance and tenure
    incentive (their shares times the grade's coefficient); the tenure part is accrued."""
    split = rules.pay_split
    base = _q(standard * split.base)
    performance = _q(standard * split.performance * coefficient)
    tenure = _q(standard * split.tenure * coefficient)
    return {"base": base, "performance": performance, "tenure": tenure,
            "total": base + performance + tenure}  # fmt: skip


@dataclass
class TenureOutcome:
    annual_score: Decimal
    indicator_score: Decimal | None
    score: Decimal
    grade: str
    grade_label: str
    incentive_share: Decimal
    annual_pay: Decimal
    incentive: Decimal
    capped: bool
    points: dict[str, Decimal]
    missing: list[str] = field(default_factory=list)


def score_tenure(
    rules: ContractRulesSpec, annual_scores: list[Decimal], lines: list[Line], annual_pay: Decimal
) -> TenureOutcome:
    """The tenure's score: the mean annual score times `annual_weight` plus the tenure
    indicators' points times `indicator_weight` (no tenure indicators: the mean alone); its
    grade band and the tenure incentive, a share of the annual pay over the tenure by grade,
    capped at `incentive_cap` of it."""
    tenure = rules.tenure
    if tenure is None:
        raise LookupError("tenure")
    mean = _q(sum(annual_scores, ZERO) / len(annual_scores)) if annual_scores else ZERO
    indicators = score(rules, lines) if lines else None
    if indicators is None:
        total = mean
    else:
        total = _q(mean * tenure.annual_weight + indicators.score * tenure.indicator_weight)
    grade = tenure.grades[-1] if indicators and indicators.vetoed else tenure.grade_for(total)
    wanted = _q(annual_pay * grade.incentive_share)
    ceiling = _q(annual_pay * tenure.incentive_cap)
    return TenureOutcome(
        annual_score=mean, indicator_score=indicators.score if indicators else None,
        score=total, grade=grade.code, grade_label=grade.label_zh,
        incentive_share=grade.incentive_share, annual_pay=_q(annual_pay),
        incentive=min(wanted, ceiling), capped=wanted > ceiling,
        points=indicators.points if indicators else {},
        missing=indicators.missing if indicators else [],
    )  # fmt: skip
