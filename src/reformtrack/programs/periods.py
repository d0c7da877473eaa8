"""Reporting periods: a month or a quarter, named by its last day."""

from __future__ import annotations

import calendar
import datetime as dt

from .choices import Reporting


def period_end_of(reporting: str, day: dt.date) -> dt.date:
    """The last day of the month or quarter holding `day`."""
    month = day.month
    if reporting == Reporting.QUARTER:
        month = ((month - 1) // 3 + 1) * 3
    return dt.date(day.year, month, calendar.monthrange(day.year, month)[1])


def period_label(reporting: str, period_end: dt.date) -> str:
    if reporting == Reporting.QUARTER:
        return f"{period_end.year}Q{(period_end.month - 1) // 3 + 1}"
    return f"{period_end:%Y-%m}"


def parse_period(reporting: str, text: str) -> dt.date:
    """'2024-03', '2024Q1' or a date, to the period's last day; ValueError otherwise."""
    text = text.strip().upper()
    if "Q" in text:
        year, quarter = text.split("Q")
        if quarter not in {"1", "2", "3", "4"}:
            raise ValueError(text)
        return period_end_of(Reporting.QUARTER, dt.date(int(year), int(quarter) * 3, 1))
    parts = text.split("-")
    if len(parts) == 2:
        return period_end_of(reporting, dt.date(int(parts[0]), int(parts[1]), 1))
    return period_end_of(reporting, dt.date.fromisoformat(text))
