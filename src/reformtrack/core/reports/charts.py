"""Bar and radar charts drawn by hand: SVG for PDFs (WeasyPrint draws it), PNG for Word
(Pillow, with the CJK font). No plotting library, nothing fetched."""

from __future__ import annotations

import io
import math
from functools import cache
from html import escape
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PALETTE = ["#2f6db5", "#d9822b", "#3a9b5c", "#a23b72", "#6b6b6b"]


def _bar_geometry(values, width, bar_h, label_w):
    top = max([float(v) for v in values] + [1.0])
    plot_w = width - label_w - 60
    return top, plot_w


def bar_chart_svg(labels: list[str], values: list, *, width: int = 520, unit: str = "") -> str:
    """Horizontal bars, one per label, value printed at the end of each bar."""
    bar_h, gap, label_w = 18, 8, 150
    top, plot_w = _bar_geometry(values, width, bar_h, label_w)
    height = len(labels) * (bar_h + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="WenQuanYi Micro Hei" font-size="11">'
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * (bar_h + gap)
        w = plot_w * float(value) / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(str(label))}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">'
            f"{escape(str(value))}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _radar_points(values, maxima, cx, cy, r):
    n = len(values)
    points = []
    for i, (value, top) in enumerate(zip(values, maxima, strict=True)):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        share = float(value) / float(top) if top else 0.0
        share = max(0.0, min(1.0, share))
        points.append((cx + r * share * math.cos(angle), cy + r * share * math.sin(angle)))
    return points


def radar_chart_svg(axes: list[str], series: dict[str, list], maxima: list, *, size: int = 420):
    """One polygon per series (name → values), each axis scaled to its maximum."""
    cx = cy = size / 2
    r = size / 2 - 80
    n = len(axes)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size + 24}" '
        f'viewBox="0 0 {size} {size + 24}" font-family="WenQuanYi Micro Hei" font-size="10">'
    ]
    for ring in (0.25, 0.5, 0.75, 1.0):
        ring_points = _radar_points([ring] * n, [1] * n, cx, cy, r)
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring_points)
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ccc"/>')
    for i, label in enumerate(axes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        x, y = cx + (r + 12) * math.cos(angle), cy + (r + 12) * math.sin(angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if x > cx else "end")
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{cx + r * math.cos(angle):.1f}" '
            f'y2="{cy + r * math.sin(angle):.1f}" stroke="#ccc"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">{escape(label)}</text>'
        )
    for k, (name, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in _radar_points(values, maxima, cx, cy, r))
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.18" stroke="{colour}" '
            f'stroke-width="2"/>'
            f'<rect x="{10 + k * 150}" y="{size + 8}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{24 + k * 150}" y="{size + 17}">{escape(name)}</text>'
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


def bar_chart_png(labels: list[str], values: list, *, width: int = 1040, unit: str = "") -> bytes:
    """The PNG twin of `bar_chart_svg`, drawn at twice the size for print."""
    bar_h, gap, label_w = 36, 16, 300
    top, plot_w = _bar_geometry(values, width, bar_h, label_w)
    height = len(labels) * (bar_h + gap) + gap
    image = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(22)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * (bar_h + gap)
        w = plot_w * float(value) / top
        draw.text((label_w - 12, y + bar_h / 2), str(label), fill="black", font=font, anchor="rm")
        draw.rectangle([label_w, y, label_w + w, y + bar_h], fill=PALETTE[0])
        draw.text((label_w + w + 8, y + bar_h / 2), f"{value}{unit}", fill="black", font=font,
                  anchor="lm")  # fmt: skip
    return _png(image)


def radar_chart_png(axes: list[str], series: dict[str, list], maxima: list, *, size: int = 840):
    """The PNG twin of `radar_chart_svg`."""
    cx = cy = size / 2
    r = size / 2 - 170
    n = len(axes)
    image = PILImage.new("RGB", (size, size + 50), "white")
    draw = ImageDraw.Draw(image, "RGBA")
    font = _font(20)
    for ring in (0.25, 0.5, 0.75, 1.0):
        draw.polygon(_radar_points([ring] * n, [1] * n, cx, cy, r), outline="#cccccc")
    for i, label in enumerate(axes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        end = (cx + r * math.cos(angle), cy + r * math.sin(angle))
        draw.line([(cx, cy), end], fill="#cccccc")
        x, y = cx + (r + 20) * math.cos(angle), cy + (r + 20) * math.sin(angle)
        anchor = "mm" if abs(math.cos(angle)) < 0.3 else ("lm" if x > cx else "rm")
        draw.text((x, y), label, fill="black", font=font, anchor=anchor)
    for k, (name, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        draw.polygon(_radar_points(values, maxima, cx, cy, r), fill=(*rgb, 46), outline=colour,
                     width=3)  # fmt: skip
        draw.rectangle([20 + k * 300, size + 12, 40 + k * 300, size + 32], fill=colour)
        draw.text((50 + k * 300, size + 22), name, fill="black", font=font, anchor="lm")
    return _png(image)
