"""Checking a KPI value against its target: met / not met for a full year, on track / at risk
for a year-to-date value (compared at its annualised pace), with the amount missed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .choices import Check, Comparison


@dataclass(frozen=True)
class Outcome:
    status: str
    gap: Decimal | None = None  # how far from the target (positive: short by), in the unit

    @property
    def label(self) -> str:
        return str(Check(self.status).label)


def shortfall(value: Decimal, target, direction: str = "") -> Decimal:
    """How much `value` misses the target by (0 when it meets it). Outside a band on the
    indicator's good side (a debt ratio below "stable") is no miss."""
    goal = target.value
    if target.comparison == Comparison.GREATER:
        return Decimal(0) if value > goal else goal - value
    if target.comparison == Comparison.AT_LEAST:
        return max(Decimal(0), goal - value)
    if target.comparison == Comparison.AT_MOST:
        return max(Decimal(0), value - goal)
    band = target.band or Decimal(0)
    if direction == "lower":
        return max(Decimal(0), value - goal - band)
    if direction == "higher":
        return max(Decimal(0), goal - band - value)
    return max(Decimal(0), abs(value - goal) - band)


def is_met(value: Decimal, target, direction: str = "") -> bool:
    if target.comparison == Comparison.GREATER:
        return value > target.value
    return shortfall(value, target, direction) == 0


def check(
    value: Decimal | None, target, *, year_to_date: bool = False, direction: str = ""
) -> Outcome:
    """`direction` (higher/lower is better) lets a band be beaten on the good side."""
    if target is None:
        return Outcome(Check.NO_TARGET)
    if value is None:
        return Outcome(Check.NOT_COMPUTABLE)
    met = is_met(value, target, direction)
    gap = None if met else shortfall(value, target, direction)
    if year_to_date:
        return Outcome(Check.ON_TRACK if met else Check.AT_RISK, gap)
    return Outcome(Check.MET if met else Check.NOT_MET, gap)


def describe(target) -> str:
    """The target as people write it: > 12.3, ≤ 65, 58.4 ± 1."""
    if target is None:
        return ""
    signs = {Comparison.GREATER: ">", Comparison.AT_LEAST: "≥", Comparison.AT_MOST: "≤"}
    value = target.value.normalize()
    if target.comparison == Comparison.BAND:
        return f"{value:f} ± {(target.band or Decimal(0)).normalize():f}"
    return f"{signs[target.comparison]} {value:f}"
