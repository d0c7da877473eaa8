"""Trend chart of the three-systems shares as server-side SVG (no script, no inline style:
presentation attributes only, so the CSP allows it and it prints)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 220, 40, 330, 12, 28
SERIES = (
    ("contract_share", "#2b6cb0"),
    ("market_share", "#2f855a"),
    ("exit_rate", "#c53030"),
    ("open_share", "#b7791f"),
)


def _labels() -> dict[str, str]:
    return {
        "contract_share": _("Share under tenure contracts (%)"),
        "market_share": _("Selected on the market or professional managers (%)"),
        "exit_rate": _("Market-based exit rate (%)"),
        "open_share": _("Open recruitment share (%)"),
    }


def trend_svg(figures) -> str:
    """Shares (0–100%) of each year as lines with a legend; years without a value are gaps."""
    years = [f.year for f in figures]
    if not years:
        return ""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(years) - 1, 1)

    def x(i):
        return LEFT + i * step

    def y(value):
        return TOP + plot_h - float(value) / 100 * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart" data-testid="trend" aria-label="{escape(_("Three-systems trend"))}">'
    ]
    for tick in (0, 50, 100):
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#d9e2ec"/><text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" font-size="11" '
            f'text-anchor="end">{tick}%</text>'
        )
    for i, year in enumerate(years):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" font-size="11" text-anchor="middle">'
            f"{year}</text>"
        )
    labels = _labels()
    for n, (name, colour) in enumerate(SERIES):
        points = [
            (x(i), y(getattr(f, name)))
            for i, f in enumerate(figures)
            if getattr(f, name) is not None
        ]
        if points:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            parts.extend(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>' for px, py in points
            )
        ly = TOP + 14 + n * 18
        parts.append(
            f'<rect x="{WIDTH - RIGHT + 10}" y="{ly - 9}" width="10" height="10" '
            f'fill="{colour}"/><text x="{WIDTH - RIGHT + 24}" y="{ly}" font-size="11">'
            f"{escape(labels[name])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (built from numbers and escaped labels)
