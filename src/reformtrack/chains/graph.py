"""The chain as a server-rendered SVG: one column per stage (upstream → downstream), links as
boxes coloured by their weakest item, edges as arrows. No inline script or style, so it works
offline and under the CSP; each box links to its row in the table and has a tooltip. Edges carry
their links' codes, so static/chains/chain-graph.js can light up a link's supply path."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .choices import STAGE_ORDER, ItemStatus, Stage

BOX_W, BOX_H, COL_GAP, ROW_GAP, TOP, LEFT = 200, 44, 90, 18, 40, 40
# Worst first: a link takes the colour of its weakest item.
SEVERITY = [ItemStatus.BOTTLENECK, ItemStatus.FOREIGN, ItemStatus.SINGLE_SOURCE,
            ItemStatus.DOMESTIC]  # fmt: skip
FILL = {
    ItemStatus.BOTTLENECK: "#f8d7da", ItemStatus.FOREIGN: "#fde2c4",
    ItemStatus.SINGLE_SOURCE: "#fff3cd", ItemStatus.DOMESTIC: "#d1e7dd", None: "#eef1f4",
}  # fmt: skip


def weakest(link) -> str | None:
    statuses = {item.status for item in getattr(link, "item_list", [])}
    return next((s for s in SEVERITY if s in statuses), None)


def layout(links) -> dict[int, tuple[int, int]]:
    """Top-left corner of each link's box: column by stage, row by position."""
    rows = {stage: 0 for stage in STAGE_ORDER}
    places = {}
    for link in links:
        column = STAGE_ORDER.get(link.stage, 1)
        row = rows.setdefault(link.stage, 0)
        rows[link.stage] = row + 1
        places[link.pk] = (LEFT + column * (BOX_W + COL_GAP), TOP + row * (BOX_H + ROW_GAP))
    return places


def _short(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chain_svg(cmap) -> SafeString:
    """The SVG markup of a ChainMap (links already in stage order)."""
    label = _("Chain graph")
    places = layout(cmap.links)
    height = max((y for _x, y in places.values()), default=TOP) + BOX_H + 20
    width = LEFT * 2 + 3 * BOX_W + 2 * COL_GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chain-graph" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(label)}" data-testid="chain-graph">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#555"/></marker></defs>',
    ]
    for stage in Stage:
        x = LEFT + STAGE_ORDER[stage] * (BOX_W + COL_GAP)
        parts.append(
            f'<text x="{x + BOX_W // 2}" y="20" text-anchor="middle" font-weight="bold" '
            f'font-size="14">{escape(stage.label)}</text>'
        )
    codes = {link.pk: escape(link.code) for link in cmap.links}
    for source, target in cmap.edges:
        if source not in places or target not in places:
            continue
        (sx, sy), (tx, ty) = places[source], places[target]
        ends = f'data-source="{codes[source]}" data-target="{codes[target]}"'
        if sx == tx:  # same stage: an arc on the left, clear of the boxes between
            y1, y2 = sy + BOX_H // 2, ty + BOX_H // 2
            bend = sx - 36
            parts.append(
                f'<path class="edge" {ends} d="M {sx} {y1} C {bend} {y1}, {bend} {y2}, {tx} {y2}" '
                f'fill="none" stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>'
            )
            continue
        x1, y1, x2, y2 = sx + BOX_W, sy + BOX_H // 2, tx, ty + BOX_H // 2
        parts.append(
            f'<line class="edge" {ends} x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#555" '
            f'stroke-width="1.2" marker-end="url(#arrow)"/>'
        )
    for link in cmap.links:
        x, y = places[link.pk]
        status = weakest(link)
        tip = f"{link.code} {link.name}"
        if status:
            tip += f" · {ItemStatus(status).label}"
        parts.append(
            f'<a href="#link-{escape(link.code)}" class="node" data-link="{escape(link.code)}"'
            f' data-status="{status or ""}"><title>{escape(tip)}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="{FILL[status]}" stroke="#667"/>'
            f'<text x="{x + 8}" y="{y + 18}" font-size="11" fill="#556">{escape(link.code)}</text>'
            f'<text x="{x + 8}" y="{y + 35}" font-size="13">{escape(_short(link.name))}</text></a>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
