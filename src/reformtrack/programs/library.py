"""The programme library kind: its schema and how a validated file becomes a programme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from reformtrack.core.libraries.schema import CODE_PATTERN, LibraryDocument, Strict

from .choices import Direction, Origin, Reporting, TargetBasis, TargetMeasure, TaskKind

TASK_CODE = r"^[A-Z0-9][A-Z0-9_.-]{0,39}$"
KINDS = Literal["supervisor", "group", "subsidiary"]


class AppliesTo(Strict):
    kinds: list[KINDS] = []
    levels: list[int] = []
    designations: list[str] = []


class Indicator(Strict):
    unit: str = Field(min_length=1, max_length=20)
    target: Decimal
    direction: Direction = Direction.AT_LEAST


class TaskSpec(Strict):
    code: str = Field(pattern=TASK_CODE)
    title_zh: str = Field(min_length=1, max_length=300)
    title_en: str = Field(min_length=1, max_length=300)
    description_zh: str = ""
    description_en: str = ""
    kind: TaskKind
    main: bool = False
    weight: Decimal = Field(default=Decimal(1), gt=0, max_digits=8, decimal_places=2)
    deadline: dt.date
    deliverable_zh: str = Field(default="", max_length=300)
    deliverable_en: str = Field(default="", max_length=300)
    evidence_zh: str = Field(default="", max_length=300)
    evidence_en: str = Field(default="", max_length=300)
    applies_to: AppliesTo = AppliesTo()
    indicator: Indicator | None = None
    origin: Origin = Origin.ILLUSTRATIVE

    @model_validator(mode="after")
    def indicator_matches_kind(self):
        if (self.kind == TaskKind.INDICATOR) != (self.indicator is not None):
            raise ValueError("an indicator task needs `indicator`; other kinds must not have one")
        return self


class AreaSpec(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    origin: Origin = Origin.ILLUSTRATIVE
    tasks: list[TaskSpec] = Field(min_length=1)


class Step(Strict):
    due: dt.date
    percent: Decimal = Field(ge=0, le=100)
    label_zh: str = ""
    label_en: str = ""


class TargetSpec(Strict):
    measure: TargetMeasure
    basis: TargetBasis = TargetBasis.COUNT
    steps: list[Step] = Field(min_length=1)

    @field_validator("steps")
    @classmethod
    def increasing(cls, steps):
        for before, after in zip(steps, steps[1:], strict=False):
            if after.due <= before.due or after.percent < before.percent:
                raise ValueError("steps must go forward in time and never lower the percent")
        return steps


class ProgrammeSpec(Strict):
    period_start: dt.date
    period_end: dt.date
    reporting: Reporting = Reporting.MONTH
    count_only_approved: bool = True
    # On: the launching organisation's office may set progress of its own tasks directly.
    direct_entry: bool = False
    targets: list[TargetSpec] = []
    areas: list[AreaSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def consistent(self):
        if self.period_end <= self.period_start:
            raise ValueError("period_end must come after period_start")
        for kind, codes in (
            ("area", [a.code for a in self.areas]),
            ("task", [t.code for a in self.areas for t in a.tasks]),
        ):
            seen = set()
            for code in codes:
                if code in seen:
                    raise ValueError(f"{kind} code {code} appears twice")
                seen.add(code)
        for area in self.areas:
            for task in area.tasks:
                if not self.period_start <= task.deadline <= self.period_end:
                    raise ValueError(
                        f"task {task.code}: deadline {task.deadline} is outside the period"
                    )
        return self


class ProgrammeLibrary(LibraryDocument):
    programme: ProgrammeSpec


def install(document: ProgrammeLibrary, library, user) -> None:
    """Create or update the programme of a library; matched by codes, never duplicated."""
    from .services.programmes import install_programme

    install_programme(document=document, library=library, user=user)
