"""The rule-set library kind (`kind: ruleset`): its schema and how a validated file becomes a
rule set with dimensions, indicators, rating bands and veto items."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from reformtrack.core.libraries.schema import CODE_PATTERN, LibraryDocument, Strict
from reformtrack.programs.library import AppliesTo

from .choices import Method, Origin, ValueSource

ITEM_CODE = r"^[A-Z0-9][A-Z0-9_.-]{0,39}$"
POINTS = {"ge": 0, "max_digits": 6, "decimal_places": 2}


class ChecklistItem(Strict):
    """One item of a checklist indicator, or one band of a banded one (`at_least`)."""

    text_zh: str = ""
    text_en: str = ""
    at_least: Decimal | None = None
    points: Decimal = Field(**POINTS)


class ValueSpec(Strict):
    source: ValueSource
    code: str = Field(min_length=1, max_length=60)


class IndicatorSpec(Strict):
    code: str = Field(pattern=ITEM_CODE)
    title_zh: str = Field(min_length=1, max_length=300)
    title_en: str = Field(min_length=1, max_length=300)
    max_points: Decimal = Field(gt=0, max_digits=6, decimal_places=2)
    method: Method
    items: list[ChecklistItem] = []
    guidance_zh: str = ""
    guidance_en: str = ""
    evidence_zh: str = ""
    evidence_en: str = ""
    value: ValueSpec | None = None
    applies_to: AppliesTo = AppliesTo()
    origin: Origin = Origin.ILLUSTRATIVE

    @model_validator(mode="after")
    def items_fit_method(self):
        if self.method in (Method.CHECKLIST, Method.BANDED) and not self.items:
            raise ValueError(f"{self.code}: a {self.method} indicator needs `items`")
        if self.method == Method.CHECKLIST and sum(i.points for i in self.items) > self.max_points:
            raise ValueError(f"{self.code}: checklist points add up to more than max_points")
        if self.method == Method.BANDED:
            if any(i.at_least is None for i in self.items):
                raise ValueError(f"{self.code}: every band of a banded indicator needs at_least")
            if any(i.points > self.max_points for i in self.items):
                raise ValueError(f"{self.code}: a band gives more than max_points")
        if self.method == Method.BANDED and self.value is None:
            raise ValueError(f"{self.code}: a banded indicator reads a `value`")
        return self


class DimensionSpec(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    origin: Origin = Origin.ILLUSTRATIVE
    indicators: list[IndicatorSpec] = Field(min_length=1)


class BandSpec(Strict):
    code: str = Field(pattern=CODE_PATTERN, max_length=20)
    label_zh: str = Field(min_length=1, max_length=40)
    label_en: str = Field(min_length=1, max_length=40)
    min_score: Decimal = Field(ge=0, le=100)
    top_share: Decimal | None = Field(default=None, gt=0, le=100)


class VetoSpec(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    text_zh: str = Field(min_length=1, max_length=300)
    text_en: str = Field(min_length=1, max_length=300)
    cap: str


class RuleSetSpec(Strict):
    applies_to: AppliesTo = AppliesTo()
    bands: list[BandSpec] = Field(min_length=2)
    vetoes: list[VetoSpec] = []
    dimensions: list[DimensionSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def consistent(self):
        scores = [band.min_score for band in self.bands]
        if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            raise ValueError("bands go from the best rating down, min_score strictly falling")
        if self.bands[-1].min_score != 0:
            raise ValueError("the last band starts at 0, so every score has a rating")
        codes = {band.code for band in self.bands}
        for veto in self.vetoes:
            if veto.cap not in codes:
                raise ValueError(f"veto {veto.code}: cap {veto.cap} is not a band code")
        for kind, values in (
            ("band", [b.code for b in self.bands]),
            ("dimension", [d.code for d in self.dimensions]),
            ("indicator", [i.code for d in self.dimensions for i in d.indicators]),
            ("veto", [v.code for v in self.vetoes]),
        ):
            if len(set(values)) != len(values):
                raise ValueError(f"a {kind} code appears twice")
        return self


class RuleSetLibrary(LibraryDocument):
    ruleset: RuleSetSpec


def install(document: RuleSetLibrary, library, user) -> None:
    from .services.rulesets import install_rule_set

    install_rule_set(document=document, library=library)
