"""Figures of the KPI page as plotly JSON, drawn by the shared charts.js (plotly.js offline).

A trend reads right: its y-range covers every value and target with some room (never cut
off), each year's target is drawn as a dashed line, a missing year is a gap marked "—" (in
the legend as "No data"), never a 0, and an indicator without any value says so."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .units import unit_label

FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'
LINE_COLOUR = "#1a56a8"
TARGET_COLOUR = "#1f2933"
MUTED = "#66788a"


def targets_of(organisation, years: list[int]) -> dict[str, dict[int, Decimal]]:
    """The organisation's targets over `years` by indicator code (one query for the page)."""
    from reformtrack.core.compiled_sql import values

    from .models import KpiTarget

    found: dict[str, dict[int, Decimal]] = {}
    # its SQL is decided by the organisation and the years: compiled once, run fresh (the
    # queryset is built only to compile it)
    key = ("kpi-targets", organisation.pk, tuple(years))
    build = lambda: KpiTarget.objects.filter(  # noqa: E731
        organisation=organisation, year__in=years
    ).values_list("code", "year", "value")
    for code, year, value in values(key, build):
        found.setdefault(code, {})[year] = value
    return found


def y_range(values: list[float]) -> list[float] | None:
    """From zero (or below, for negative values) to past the highest value, with room."""
    if not values:
        return None
    low, high = min([0.0, *values]), max([0.0, *values])
    pad = (high - low) * 0.12 or max(abs(high), 1.0) * 0.12
    return [low - pad if low < 0 else 0.0, high + pad]


def _layout(title: str, unit: str, **extra) -> dict:
    layout = {
        "template": "none", "height": 260, "font": {"family": FONT, "size": 12},
        "margin": {"l": 50, "r": 10, "t": 30, "b": 40}, "title": {"text": title},
        "yaxis": {"title": {"text": unit}, "zeroline": True}, "xaxis": {"type": "category"},
    }  # fmt: skip
    layout.update(extra)
    return layout


def trend_figure(
    trend: dict, code: str, title: str, targets: dict | None = None, years: list | None = None
) -> dict:
    """`years`: the whole axis; a year without a value stays on it, as a gap."""
    found = {year: v for year, v in trend["series"].get(code, [])}
    name, unit = trend["names"].get(code, (code, ""))
    unit = unit_label(unit)  # the axis in the reader's language, as the title (亿元 → 100m yuan)
    axis = list(years) if years else list(found)
    years = [str(year) for year in axis]
    values = [None if found.get(y) is None else float(found[y]) for y in axis]
    goal = {str(y): float(v) for y, v in (targets or {}).items() if str(y) in years}
    if all(v is None for v in values):
        return {
            "data": [],
            "layout": _layout(
                title, unit, xaxis={"visible": False}, yaxis={"visible": False},
                annotations=[{
                    "text": _("No values for these years yet."), "xref": "paper",
                    "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
                    "font": {"color": MUTED, "size": 13},
                }],
                meta={"empty": True},
            ),
        }  # fmt: skip
    data = [
        {
            "type": "scatter", "mode": "lines+markers+text", "name": name, "x": years,
            "y": values, "connectgaps": False, "line": {"color": LINE_COLOUR},
            "text": ["" if v is None else f"{v:g}" for v in values],
            "textposition": "top center", "cliponaxis": False,
        }
    ]  # fmt: skip
    if goal:
        data.append(
            {
                "type": "scatter", "mode": "lines+markers", "name": _("Target"),
                "x": [y for y in years if y in goal], "y": [goal[y] for y in years if y in goal],
                "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 2},
                "marker": {"symbol": "line-ew-open", "size": 14},
            }
        )  # fmt: skip
    missing = [y for y, v in zip(years, values, strict=True) if v is None]
    known = [v for v in values if v is not None] + list(goal.values())
    bounds = y_range(known)
    if missing:
        data.append(
            {
                "type": "scatter", "mode": "text", "name": "— " + _("No data"), "x": missing,
                "y": [bounds[0] if bounds else 0] * len(missing), "text": ["—"] * len(missing),
                "textposition": "top center", "hoverinfo": "skip", "showlegend": True,
                "meta": "marker",
            }
        )  # fmt: skip
    yaxis = {"title": {"text": unit}, "zeroline": True, "range": bounds}
    return {
        "data": data,
        "layout": _layout(
            title, unit, yaxis=yaxis, showlegend=len(data) > 1,
            legend={"orientation": "h", "y": -0.25},
        ),
    }  # fmt: skip
