"""The contract-rules library kind (`kind: contractrules`): scoring rules, grades with their
performance-pay coefficient, the pay split and exit triggers, all kept as data."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from reformtrack.core.libraries.schema import CODE_PATTERN, LibraryDocument, Strict

SHARE = {"ge": 0, "le": 5, "max_digits": 6, "decimal_places": 4}


class ScoringRule(Strict):
    """Linear between baseline (`floor` of the weight) and target (the full weight); above the
    target towards the challenge value up to `cap`; below the baseline zero or `penalty`."""

    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str = Field(min_length=1, max_length=100)
    name_en: str = Field(min_length=1, max_length=100)
    direction: Literal["higher", "lower"] = "higher"
    floor: Decimal = Field(default=Decimal("0.6"), **SHARE)
    cap: Decimal = Field(default=Decimal(1), **SHARE)
    below: Literal["zero", "penalty"] = "zero"
    penalty: Decimal = Field(default=Decimal(0), **SHARE)
    veto: bool = False

    @model_validator(mode="after")
    def consistent(self):
        if not self.veto and (self.floor > 1 or self.cap < 1):
            raise ValueError(f"{self.code}: floor must be at most 1 and cap at least 1")
        return self


class Grade(Strict):
    code: str = Field(pattern=CODE_PATTERN, max_length=10)
    label_zh: str = Field(min_length=1, max_length=40)
    label_en: str = Field(min_length=1, max_length=40)
    min_score: Decimal = Field(ge=0, le=200)
    coefficient: Decimal = Field(**SHARE)


class PaySplit(Strict):
    base: Decimal = Field(**SHARE)
    performance: Decimal = Field(**SHARE)
    tenure: Decimal = Field(**SHARE)

    @model_validator(mode="after")
    def whole(self):
        if self.base + self.performance + self.tenure != 1:
            raise ValueError("base, performance and tenure shares add up to 1")
        return self


class ExitTrigger(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    kind: Literal["score_below", "lowest_grade", "key_completion_below"]
    value: Decimal | None = None
    text_zh: str = Field(min_length=1, max_length=200)
    text_en: str = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def has_value(self):
        if self.kind != "lowest_grade" and self.value is None:
            raise ValueError(f"{self.code}: a {self.kind} trigger needs a value")
        return self


class IncentiveCap(Strict):
    """The most a medium/long-term incentive plan of a kind may pay, in % of its base."""

    kind: Literal["share_incentive", "dividend_rights", "excess_profit", "co_investment"]
    cap: Decimal = Field(gt=0, le=100)
    base_zh: str = Field(min_length=1, max_length=60)
    base_en: str = Field(min_length=1, max_length=60)


class TenureGrade(Strict):
    """A grade band of the tenure result and the share of the annual pay over the tenure paid
    as the tenure incentive (任期激励) at that grade."""

    code: str = Field(pattern=CODE_PATTERN, max_length=10)
    label_zh: str = Field(min_length=1, max_length=40)
    label_en: str = Field(min_length=1, max_length=40)
    min_score: Decimal = Field(ge=0, le=200)
    incentive_share: Decimal = Field(**SHARE)


class TenureRules(Strict):
    """Tenure (three-year) scoring: the weights of the mean approved annual score and of the
    tenure contract's own indicators, grade bands, and the cap of the tenure incentive as a
    share of the annual pay (base + performance) over the tenure."""

    annual_weight: Decimal = Field(ge=0, le=1, max_digits=6, decimal_places=4)
    indicator_weight: Decimal = Field(ge=0, le=1, max_digits=6, decimal_places=4)
    grades: list[TenureGrade] = Field(min_length=2)
    incentive_cap: Decimal = Field(ge=0, le=1, max_digits=6, decimal_places=4)
    cap_zh: str = Field(default="", max_length=200)
    cap_en: str = Field(default="", max_length=200)

    @model_validator(mode="after")
    def consistent(self):
        if self.annual_weight + self.indicator_weight != 1:
            raise ValueError("tenure: annual_weight and indicator_weight add up to 1")
        scores = [grade.min_score for grade in self.grades]
        if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            raise ValueError("tenure grades go from the best down, min_score strictly falling")
        if scores[-1] != 0:
            raise ValueError("the last tenure grade starts at 0")
        if len({g.code for g in self.grades}) != len(self.grades):
            raise ValueError("a tenure grade code appears twice")
        return self

    def grade_for(self, score: Decimal) -> TenureGrade:
        return next((g for g in self.grades if score >= g.min_score), self.grades[-1])


class ContractRulesSpec(Strict):
    scoring: list[ScoringRule] = Field(min_length=1)
    grades: list[Grade] = Field(min_length=2)
    pay_split: PaySplit
    exits: list[ExitTrigger] = []
    incentive_caps: list[IncentiveCap] = []
    tenure: TenureRules | None = None

    def cap_for(self, kind: str) -> IncentiveCap | None:
        return next((c for c in self.incentive_caps if c.kind == kind), None)

    @model_validator(mode="after")
    def consistent(self):
        scores = [grade.min_score for grade in self.grades]
        if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            raise ValueError("grades go from the best down, min_score strictly falling")
        if scores[-1] != 0:
            raise ValueError("the last grade starts at 0, so every score has a grade")
        for kind, codes in (
            ("scoring rule", [r.code for r in self.scoring]),
            ("grade", [g.code for g in self.grades]),
            ("exit trigger", [e.code for e in self.exits]),
        ):
            if len(set(codes)) != len(codes):
                raise ValueError(f"a {kind} code appears twice")
        return self

    def rule(self, code: str) -> ScoringRule | None:
        return next((r for r in self.scoring if r.code == code), None)

    def grade_for(self, score: Decimal) -> Grade:
        """The best grade whose threshold the score reaches; a negative score (penalties) the
        lowest."""
        return next((g for g in self.grades if score >= g.min_score), self.grades[-1])


class ContractRulesLibrary(LibraryDocument):
    contractrules: ContractRulesSpec


def install(document: ContractRulesLibrary, library, user) -> None:
    """Nothing to copy: the validated document is kept whole in `Library.content`."""


def load_rules(code: str) -> ContractRulesSpec:
    """The rules of the loaded library `code`; LookupError if no such library is loaded."""
    from reformtrack.core.models import Library

    library = Library.objects.filter(code=code, kind="contractrules").first()
    if library is None:
        raise LookupError(code)
    return ContractRulesLibrary.model_validate(library.content).contractrules
