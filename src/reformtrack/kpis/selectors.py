"""Reads of the KPI engine other apps rely on (assessments, contracts read KPIs by code)."""

from __future__ import annotations

from decimal import Decimal


def kpi_value(*, organisation, year: int, code: str) -> Decimal | None:
    """KPI `code` (e.g. "ROE") of an organisation for a year, or None if not computable."""
    return None
