"""Bar and radar charts drawn by hand: SVG for PDFs (WeasyPrint draws it), PNG for Word
(Pillow, with the CJK font). No plotting library, nothing fetched.

They read right: a 0 bar is a thin mark labelled 0, a missing value (None) is "—" and named
in a note under the chart (never drawn as 0), and a chart with nothing to draw says so."""

from __future__ import annotations

import io
import math
import re
from functools import cache
from html import escape
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PALETTE = ["#2f6db5", "#d9822b", "#3a9b5c", "#a23b72", "#6b6b6b"]


def _bar_geometry(values, width, bar_h, label_w):
    top = max([float(v) for v in values if v is not None] + [1.0])
    plot_w = width - label_w - 60
    return top, plot_w


def _bar_width(value, top: float, plot_w: float, thinnest: float) -> float:
    """A bar's length; a 0 stays visible as a thin mark, a missing value has none."""
    if value is None:
        return 0.0
    return max(plot_w * max(float(value), 0.0) / top, thinnest)


def _value_text(value, unit: str) -> str:
    return "—" if value is None else f"{value}{unit}"


def missing_note() -> str:
    return "— " + _("No data")


def empty_svg(width: int = 520) -> str:
    text = escape(_("No data to show."))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="40" '
        f'viewBox="0 0 {width} 40" font-family="WenQuanYi Micro Hei" font-size="12">'
        f'<text x="{width / 2:.0f}" y="24" text-anchor="middle" fill="#66788a">{text}</text></svg>'
    )


def bar_chart_svg(labels: list[str], values: list, *, width: int = 520, unit: str = "") -> str:
    """Horizontal bars, one per label, value printed at the end of each bar."""
    if not labels:
        return empty_svg(width)
    bar_h, gap, label_w = 18, 8, 150
    top, plot_w = _bar_geometry(values, width, bar_h, label_w)
    missing = any(v is None for v in values)
    height = len(labels) * (bar_h + gap) + gap + (18 if missing else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="WenQuanYi Micro Hei" font-size="11">'
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * (bar_h + gap)
        w = _bar_width(value, top, plot_w, 2.0)
        bar = (
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}"/>'
            if value is not None
            else ""
        )
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(str(label))}</text>'
            f"{bar}"
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">'
            f"{escape(_value_text(value, unit))}</text>"
        )
    if missing:
        parts.append(
            f'<text x="{label_w}" y="{height - 5}" fill="#66788a">{escape(missing_note())}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _radar_points(values, maxima, cx, cy, r):
    """The polygon's corners; an axis without a value (None) has no corner (a gap, named in
    the legend), rather than one at the centre that would read as 0."""
    n = len(values)
    points = []
    for i, (value, top) in enumerate(zip(values, maxima, strict=True)):
        if value is None:
            continue
        angle = -math.pi / 2 + 2 * math.pi * i / n
        share = float(value) / float(top) if top else 0.0
        share = max(0.0, min(1.0, share))
        points.append((cx + r * share * math.cos(angle), cy + r * share * math.sin(angle)))
    return points


def _text_width(text: str, size: float) -> float:
    """Rough width of SVG text: CJK glyphs one em wide, others about 0.6 em."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in text)


def wrap_label(text: str, max_width: float, measure) -> list[str]:
    """Greedy line breaks so no line is wider than `max_width` (Latin words stay whole;
    closing punctuation never starts a line)."""
    tokens = re.findall(r"[A-Za-z0-9&'’.,%/-]+\s*|\s+|.", text)
    lines, line = [], ""
    for token in tokens:
        fits = measure((line + token).rstrip()) <= max_width
        if line.strip() and not fits and token.strip() and token[0] not in "）)，、。：；,.":
            carried = ""
            while line.rstrip() and line.rstrip()[-1] in "（(“《":  # an opening bracket goes along
                carried = line.rstrip()[-1] + carried
                line = line.rstrip()[:-1]
            if line.strip():
                lines.append(line.rstrip())
            line = carried + token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _radar_labels(axes, measure, max_width):
    """Per axis: (angle, wrapped lines); and the lines above and below the plot."""
    n = len(axes)
    placed, above, below = [], 1, 1
    for i, label in enumerate(axes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        lines = wrap_label(str(label), max_width, measure)
        if math.sin(angle) < -0.3:
            above = max(above, len(lines))
        elif math.sin(angle) > 0.3:
            below = max(below, len(lines))
        else:
            above = max(above, (len(lines) + 1) // 2)
            below = max(below, (len(lines) + 1) // 2)
        placed.append((angle, lines))
    return placed, above, below


def _label_top(angle: float, y: float, count: int, line_h: float) -> float:
    """The baseline-centre y of a label's first line: upward above the plot, downward below,
    centred on the side."""
    if math.sin(angle) < -0.3:
        return y - (count - 1) * line_h
    if math.sin(angle) > 0.3:
        return y + line_h * 0.6
    return y - (count - 1) * line_h / 2


def _legend_name(name, axes, values) -> str:
    """The series name, and the axes it has no value for."""
    gaps = [str(axis) for axis, value in zip(axes, values, strict=True) if value is None]
    return f"{name} ({missing_note()}: {', '.join(gaps)})" if gaps else str(name)


def radar_chart_svg(axes: list[str], series: dict[str, list], maxima: list, *, size: int = 420):
    """One polygon per series (name → values), each axis scaled to its maximum; long axis
    labels wrap inside the drawing, the legend lists one series per line below it."""
    if not axes or not series:
        return empty_svg(size)
    font, line_h, side = 10, 13, 130
    width, r = size + 2 * side - 160, size / 2 - 80
    placed, above, below = _radar_labels(axes, lambda t: _text_width(t, font), side - 20)
    cx, cy = width / 2, 16 + above * line_h + r
    legend_y = cy + r + 16 + below * line_h
    height = legend_y + 16 * len(series) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="WenQuanYi Micro Hei" '
        f'font-size="{font}">'
    ]
    n = len(axes)
    for ring in (0.25, 0.5, 0.75, 1.0):
        ring_points = _radar_points([ring] * n, [1] * n, cx, cy, r)
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring_points)
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ccc"/>')
    for angle, lines in placed:
        x, y = cx + (r + 12) * math.cos(angle), cy + (r + 12) * math.sin(angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if x > cx else "end")
        top = _label_top(angle, y, len(lines), line_h) + 4
        spans = "".join(
            f'<tspan x="{x:.1f}" y="{top + k * line_h:.1f}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{cx + r * math.cos(angle):.1f}" '
            f'y2="{cy + r * math.sin(angle):.1f}" stroke="#ccc"/>'
            f'<text text-anchor="{anchor}">{spans}</text>'
        )
    for k, (name, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in _radar_points(values, maxima, cx, cy, r))
        row = legend_y + k * 16
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.18" stroke="{colour}" '
            f'stroke-width="2"/>'
            f'<rect x="10" y="{row:.1f}" width="10" height="10" fill="{colour}"/>'
            f'<text x="24" y="{row + 9:.1f}">{escape(_legend_name(name, axes, values))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@cache
def _font(size: int):
    if FONT_FILE.exists():
        return ImageFont.truetype(str(FONT_FILE), size)
    return ImageFont.load_default()


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _empty_png(width: int) -> bytes:
    image = PILImage.new("RGB", (width, 80), "white")
    ImageDraw.Draw(image).text(
        (width / 2, 40), _("No data to show."), fill="#66788a", font=_font(22), anchor="mm"
    )
    return _png(image)


def bar_chart_png(labels: list[str], values: list, *, width: int = 1040, unit: str = "") -> bytes:
    """The PNG twin of `bar_chart_svg`, drawn at twice the size for print."""
    if not labels:
        return _empty_png(width)
    bar_h, gap, label_w = 36, 16, 300
    top, plot_w = _bar_geometry(values, width, bar_h, label_w)
    missing = any(v is None for v in values)
    height = len(labels) * (bar_h + gap) + gap + (36 if missing else 0)
    image = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(22)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * (bar_h + gap)
        w = _bar_width(value, top, plot_w, 4.0)
        draw.text((label_w - 12, y + bar_h / 2), str(label), fill="black", font=font, anchor="rm")
        if value is not None:
            draw.rectangle([label_w, y, label_w + w, y + bar_h], fill=PALETTE[0])
        draw.text((label_w + w + 8, y + bar_h / 2), _value_text(value, unit), fill="black",
                  font=font, anchor="lm")  # fmt: skip
    if missing:
        draw.text((label_w, height - 18), missing_note(), fill="#66788a", font=font, anchor="lm")
    return _png(image)


def radar_chart_png(axes: list[str], series: dict[str, list], maxima: list, *, size: int = 840):
    """The PNG twin of `radar_chart_svg` (same wrapping and legend, twice the size)."""
    if not axes or not series:
        return _empty_png(size)
    font, line_h, side = _font(20), 26, 260
    width, r = size + 2 * side - 320, size / 2 - 170
    placed, above, below = _radar_labels(axes, font.getlength, side - 40)
    cx, cy = width / 2, 32 + above * line_h + r
    legend_y = cy + r + 32 + below * line_h
    height = legend_y + 32 * len(series) + 8
    image = PILImage.new("RGB", (int(width), int(height)), "white")
    draw = ImageDraw.Draw(image, "RGBA")
    n = len(axes)
    for ring in (0.25, 0.5, 0.75, 1.0):
        draw.polygon(_radar_points([ring] * n, [1] * n, cx, cy, r), outline="#cccccc")
    for angle, lines in placed:
        end = (cx + r * math.cos(angle), cy + r * math.sin(angle))
        draw.line([(cx, cy), end], fill="#cccccc")
        x, y = cx + (r + 20) * math.cos(angle), cy + (r + 20) * math.sin(angle)
        anchor = "mm" if abs(math.cos(angle)) < 0.3 else ("lm" if x > cx else "rm")
        top = _label_top(angle, y, len(lines), line_h)
        for k, line in enumerate(lines):
            draw.text((x, top + k * line_h), line, fill="black", font=font, anchor=anchor)
    for k, (name, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        corners = _radar_points(values, maxima, cx, cy, r)
        if len(corners) >= 2:
            draw.polygon(corners, fill=(*rgb, 46), outline=colour, width=3)
        row = legend_y + k * 32
        draw.rectangle([20, row, 40, row + 20], fill=colour)
        label = _legend_name(name, axes, values)
        draw.text((50, row + 10), label, fill="black", font=font, anchor="lm")
    return _png(image)
