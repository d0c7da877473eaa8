"""Counting ledger rows: the Tally of a set of tasks and the aggregate expressions behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from .choices import TargetBasis, TargetMeasure, TaskStatus

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class Tally:
    """Counts of one subtree (or area); rates are percentages with one decimal."""

    tasks: int = 0
    done: int = 0
    main_tasks: int = 0
    main_done: int = 0
    weight: Decimal = ZERO
    weight_done: Decimal = ZERO
    progress_sum: Decimal = ZERO  # Σ weight × percent
    overdue: int = 0

    @property
    def rate(self):
        """任务完成率: share of tasks closed."""
        return _rate(self.done, self.tasks)

    @property
    def main_rate(self):
        return _rate(self.main_done, self.main_tasks)

    @property
    def weight_rate(self):
        return _rate(self.weight_done, self.weight)

    @property
    def progress(self):
        """Overall progress weighted by partial completion (不同于任务完成率)."""
        if not self.weight:
            return None
        return (self.progress_sum / self.weight).quantize(Decimal("0.1"))

    def rate_for(self, measure: str, basis: str):
        if basis == TargetBasis.WEIGHT:
            return self.weight_rate
        return self.main_rate if measure == TargetMeasure.MAIN else self.rate

    @classmethod
    def of(cls, row) -> Tally:
        """The counts of anything carrying the Tally fields (a stored `LedgerTally` row)."""
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})

    def negated(self) -> Tally:
        return Tally(**{name: -getattr(self, name) for name in self.__dataclass_fields__})

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data.pop("progress_sum")
        data.update(
            rate=self.rate,
            main_rate=self.main_rate,
            weight_rate=self.weight_rate,
            progress=self.progress,
        )
        return data


TALLY_FIELDS = list(Tally.__dataclass_fields__)
TALLY_DECIMALS = {
    n for n, f in Tally.__dataclass_fields__.items() if isinstance(f.default, Decimal)
}


def done_q(as_of: dt.date | None = None) -> Q:
    """Done; as of a past day, done by then (by the completion date)."""
    done = Q(status=TaskStatus.DONE)
    if as_of is not None:
        done &= Q(completed_on__isnull=True) | Q(completed_on__lte=as_of)
    return done


def overdue_q(today: dt.date | None, as_of: dt.date | None = None) -> Q:
    """Reported (or marked) overdue; with a day, also open past the deadline by then."""
    if today is None:  # tallies: open tasks past their deadline are marked overdue daily
        return Q(status=TaskStatus.OVERDUE)
    if as_of is None:
        open_ = ~Q(status__in=[TaskStatus.DONE, TaskStatus.PAUSED])
        return Q(status=TaskStatus.OVERDUE) | (open_ & Q(deadline__lt=today))
    return ~done_q(as_of) & ~Q(status=TaskStatus.PAUSED) & Q(deadline__lt=as_of)


def aggregates(today: dt.date | None, as_of: dt.date | None = None) -> dict:
    """The roll-up's aggregate expressions, named `t_<Tally field>` (no clash with columns).

    With `as_of` (closing a past period late) a task counts as done if it was completed by
    then; the partial progress of tasks finished later is not known and counts as none.
    """
    done = done_q(as_of)
    money = DecimalField(max_digits=20, decimal_places=4)
    return {
        "t_tasks": Count("id"),
        "t_done": Count("id", filter=done),
        "t_main_tasks": Count("id", filter=Q(is_main=True)),
        "t_main_done": Count("id", filter=done & Q(is_main=True)),
        "t_weight": Coalesce(Sum("weight"), Value(ZERO), output_field=money),
        "t_weight_done": Coalesce(Sum("weight", filter=done), Value(ZERO), output_field=money),
        "t_progress_sum": Coalesce(
            Sum(
                F("weight") * F("percent"),
                filter=None if as_of is None else done | ~Q(status=TaskStatus.DONE),
                output_field=money,
            ),
            Value(ZERO),
            output_field=money,
        ),
        "t_overdue": Count("id", filter=overdue_q(today, as_of)),
    }


def tally_of(row: dict) -> Tally:
    return Tally(
        **{
            name: Decimal(row[f"t_{name}"]) if name in TALLY_DECIMALS else row[f"t_{name}"]
            for name in Tally.__dataclass_fields__
        }
    )
