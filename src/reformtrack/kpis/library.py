"""Two library kinds: `statementlines` (the lines statements carry) and `kpiset` (a versioned
KPI set: formulas over those lines, with years, directions, precision, sources and target
shapes). A formula naming a line that no loaded statement-lines library defines is refused
with the formula's line number."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from reformtrack.core.libraries.schema import CODE_PATTERN, LibraryDocument, Strict

from . import formulas
from .choices import Direction, LineKind, LineNature
from .models import Indicator, KpiSet, StatementLine

LINE_CODE = r"^[a-z][a-z0-9_]{0,39}$"


class LineSpec(Strict):
    code: str = Field(pattern=LINE_CODE)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    kind: LineKind = LineKind.MONEY
    nature: LineNature
    signed: bool = False  # may be negative (profit, cash flow, equity); else >= 0
    source: str = ""


class StatementLinesLibrary(LibraryDocument):
    lines: list[LineSpec] = Field(min_length=1)


def known_lines() -> set[str]:
    return set(StatementLine.objects.values_list("code", flat=True))


class IndicatorSpec(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    formula: str = Field(min_length=1, max_length=500)
    unit: str = Field(min_length=1, max_length=20)
    direction: Direction
    precision: int = Field(default=2, ge=0, le=6)
    source: str = ""
    to_confirm: bool = False

    @field_validator("formula")
    @classmethod
    def valid_formula(cls, formula: str) -> str:
        try:
            formulas.check(formula, known_lines())
        except formulas.FormulaError as exc:
            raise ValueError(str(exc)) from None
        return formula


class ShapeRule(Strict):
    indicator: str = Field(pattern=CODE_PATTERN)
    rule: Literal["increase", "stable", "improve", "at_most", "at_least"]
    band: Decimal | None = None  # ± for "stable", in the indicator's unit
    value: Decimal | None = None  # for at_most / at_least


class TargetShape(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    source: str = ""
    years: list[int] = []  # the years it was announced for; empty: every year of the set
    rules: list[ShapeRule] = Field(min_length=1)


class KpiSetSpec(Strict):
    year_from: int = Field(ge=2000, le=2100)
    year_to: int | None = Field(default=None, ge=2000, le=2100)
    indicators: list[IndicatorSpec] = Field(min_length=1)
    target_shapes: list[TargetShape] = []

    @model_validator(mode="after")
    def consistent(self):
        if self.year_to is not None and self.year_to < self.year_from:
            raise ValueError("year_to must not come before year_from")
        codes = [i.code for i in self.indicators]
        if len(codes) != len(set(codes)):
            raise ValueError("an indicator code appears twice")
        for shape in self.target_shapes:
            outside = [y for y in shape.years if not self.covers(y)]
            if outside:
                raise ValueError(f"shape {shape.code}: the set does not cover {outside}")
            for rule in shape.rules:
                if rule.indicator not in codes:
                    raise ValueError(f"shape {shape.code}: unknown indicator {rule.indicator}")
        return self

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)


class KpiSetLibrary(LibraryDocument):
    kpiset: KpiSetSpec


def install_lines(document: StatementLinesLibrary, library, user) -> None:
    for order, spec in enumerate(document.lines):
        StatementLine.objects.update_or_create(
            code=spec.code,
            defaults={**spec.model_dump(exclude={"code"}), "order": order},
        )


def install_kpiset(document: KpiSetLibrary, library, user) -> None:
    header, spec = document.library, document.kpiset
    kpiset, _created = KpiSet.objects.update_or_create(
        code=header.code,
        defaults={
            "library": library, "version": header.version, "name_zh": header.name_zh,
            "name_en": header.name_en, "year_from": spec.year_from, "year_to": spec.year_to,
            "source": header.source, "provenance": header.provenance,
            "target_shapes": [s.model_dump(mode="json") for s in spec.target_shapes],
        },
    )  # fmt: skip
    kpiset.indicators.exclude(code__in=[i.code for i in spec.indicators]).delete()
    for order, item in enumerate(spec.indicators):
        Indicator.objects.update_or_create(
            kpiset=kpiset, code=item.code,
            defaults={**item.model_dump(exclude={"code"}), "order": order},
        )  # fmt: skip
