"""Figures of the KPI page as plotly JSON, drawn by the shared charts.js (plotly.js offline)."""

from __future__ import annotations

FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'


def trend_figure(trend: dict, code: str, title: str) -> dict:
    points = trend["series"].get(code, [])
    name, unit = trend["names"].get(code, (code, ""))
    return {
        "data": [
            {
                "type": "scatter", "mode": "lines+markers", "name": name,
                "x": [str(year) for year, _v in points],
                "y": [None if v is None else float(v) for _y, v in points],
            }
        ],
        "layout": {
            "template": "none", "height": 260, "font": {"family": FONT, "size": 12},
            "margin": {"l": 50, "r": 10, "t": 30, "b": 40}, "title": {"text": title},
            "yaxis": {"title": {"text": unit}}, "xaxis": {"type": "category"},
        },
    }  # fmt: skip
