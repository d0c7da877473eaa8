"""Plotly figures of the dashboard, built server-side and handed to the page as JSON.

Only shaping here: the figures come from the dashboard selectors (`selectors/dashboard.py`);
the page reads them from `json_script` elements and `static/reformtrack/charts.js` draws them
with the plotly.js of the plotly wheel (served as `vendor/plotly.min.js`, no CDN).
Clickable points carry the URL to open in `customdata[0]`.

No <b>/<i>/<span style> markup in any text: plotly.js turns it into inline style attributes,
which the CSP (style-src 'self') refuses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import fields, is_dataclass
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

from django.db.models import Model
from django.utils.html import json_script
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reformtrack.core.figure_cache import remembered

from .choices import BASIS_LABELS, Signal, TargetBasis, TargetMeasure
from .selectors.dashboard import Dashboard
from .selectors.rollup import Trajectory

if TYPE_CHECKING:  # plotly loads when a chart is drawn, not when the views are imported
    import plotly.graph_objects as go

COLOURS = {
    Signal.GREEN: "#2f855a",
    Signal.AMBER: "#b7791f",
    Signal.RED: "#c53030",
    Signal.NONE: "#66788a",
}
TARGET_COLOUR = "#1f2933"
FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'
# Red → amber → green, as the signals.
HEAT_SCALE = [[0.0, "#c53030"], [0.5, "#ecc94b"], [1.0, "#2f855a"]]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def measure_label(trajectory: Trajectory | None) -> str:
    """What the headline figure counts, e.g. "Main tasks · Task completion rate"."""
    if trajectory is None:
        return str(BASIS_LABELS[TargetBasis.COUNT.value])
    return f"{TargetMeasure(trajectory.measure).label} · {BASIS_LABELS[str(trajectory.basis)]}"


def _layout(**extra) -> dict:
    layout = {
        "template": "none",
        "font": {"family": FONT, "size": 13, "color": "#1f2933"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
        "height": 360,
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    return layout


def _as_data(fig: go.Figure) -> dict:
    """Plain JSON-able data (plotly's encoder turns dates and numbers into JSON values)."""
    return json.loads(fig.to_json())


def empty_figure(message: str | None = None, *, height: int = 160) -> dict:
    """No frame and no axes, only a sentence saying there is nothing to draw yet."""
    return {
        "data": [],
        "layout": _layout(
            height=height,
            xaxis={"visible": False},
            yaxis={"visible": False},
            annotations=[
                {
                    "text": message or _("No data to show yet."),
                    "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5,
                    "showarrow": False, "font": {"size": 15, "color": COLOURS[Signal.NONE]},
                }
            ],
            meta={"empty": True},
        ),
    }  # fmt: skip


def zero_and_missing(labels: list[str], values: list[float | None]) -> list:
    """Marker traces that keep a 0% bar visible (a thin dash at the baseline, the bar's own
    label says 0%) and show a missing value as missing (a "—" at the baseline, in the
    legend as "No data"), never as a bar of 0."""
    import plotly.graph_objects as go

    traces = []
    zeros = [label for label, value in zip(labels, values, strict=True) if value == 0]
    if zeros:
        traces.append(
            go.Scatter(
                x=zeros, y=[0] * len(zeros), mode="markers", name="0%", showlegend=False,
                marker={"symbol": "line-ew-open", "size": 28, "line": {"width": 3,
                        "color": COLOURS[Signal.RED]}},
                hoverinfo="skip", cliponaxis=False, meta="marker",
            )
        )  # fmt: skip
    missing = [label for label, value in zip(labels, values, strict=True) if value is None]
    if missing:
        traces.append(
            go.Scatter(
                x=missing, y=[0] * len(missing), mode="text", text=["—"] * len(missing),
                textposition="top center", name="— " + _("No data"), showlegend=True,
                hovertemplate="%{x}: " + _("No data") + "<extra></extra>", cliponaxis=False,
                meta="marker",
            )
        )  # fmt: skip
    return traces


def row_label(row) -> str:
    name = str(row.organisation)
    return _("%(name)s (own tasks)") % {"name": name} if row.own else name


def completion_bar(board: Dashboard) -> dict:
    """Completion by child (the headline measure), coloured by signal, with today's target."""
    import plotly.graph_objects as go

    rows = board.children
    summary = board.summary
    if not rows:
        return empty_figure(_("No organisations with tasks to show yet."))
    labels = [row_label(r) for r in rows]
    values = [_num(r.headline) for r in rows]
    extra = zero_and_missing(labels, values)
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            text=["" if v is None else _pct(r.headline) for r, v in zip(rows, values, strict=True)],
            textposition="outside",
            cliponaxis=False,
            marker={"color": [COLOURS.get(r.signal, COLOURS[Signal.NONE]) for r in rows]},
            customdata=[
                [r.url, _pct(r.headline), _pct(r.tally.rate), _pct(r.tally.progress)] for r in rows
            ],
            hovertemplate=(
                "%{x}<br>"
                + measure_label(summary.trajectory)
                + ": %{customdata[1]}<br>"
                + _("Task completion rate")
                + ": %{customdata[2]}<br>"
                + _("Overall progress")
                + ": %{customdata[3]}<extra></extra>"
            ),
            name=measure_label(summary.trajectory),
            showlegend=False,
        ),
        layout=_layout(
            yaxis={
                "range": [0, 105],
                "rangemode": "tozero",
                "ticksuffix": "%",
                "title": {"text": measure_label(summary.trajectory)},
                "gridcolor": "#d9e2ec",
            },
            xaxis={"type": "category", "automargin": True},
            showlegend=any(t.showlegend for t in extra),
            legend={"orientation": "h", "y": -0.25},
        ),
    )
    for trace in extra:
        fig.add_trace(trace)
    if summary.expected is not None:
        # The label sits in the right margin, beside the line: never on a bar, never clipped.
        fig.add_hline(
            y=float(summary.expected),
            line={"color": TARGET_COLOUR, "dash": "dash", "width": 2},
        )
        fig.add_annotation(
            xref="paper",
            x=1,
            xanchor="left",
            y=float(summary.expected),
            yanchor="middle",
            text=_("Target today<br>%(percent)s%%") % {"percent": summary.expected},
            showarrow=False,
            align="left",
        )
        fig.update_layout(margin={"r": 110})
    return _as_data(fig)


def _cell_text(tally) -> str:
    """ "67%<br>2/3" on a cell; an em dash where the organisation has no task in the area."""
    if tally is None or tally.rate is None:
        return "—"
    return f"{tally.rate:.0f}%<br>{tally.done}/{tally.tasks}"


def area_heatmap(board: Dashboard) -> dict:
    """Children × reform areas: task completion rate (任务完成率) of each cell; a click opens
    the ledger of that organisation and area."""
    import plotly.graph_objects as go

    heat = board.heatmap
    if not heat.rows or not heat.areas:
        return empty_figure(_("No tasks by area to show yet."))
    z, text, custom = [], [], []
    urls = heat.urls or [[row.url] * len(heat.areas) for row in heat.rows]
    for cells, row_urls in zip(heat.cells, urls, strict=True):
        z.append([None if c is None else _num(c.rate) for c in cells])
        text.append([_cell_text(c) for c in cells])
        custom.append(
            [
                [url, "" if c is None else f"{c.done}/{c.tasks}"]
                for c, url in zip(cells, row_urls, strict=True)
            ]
        )
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[area.name for area in heat.areas],
            y=[row_label(r) for r in heat.rows],
            text=text,
            texttemplate="%{text}",
            customdata=custom,
            zmin=0,
            zmax=100,
            colorscale=HEAT_SCALE,
            showscale=False,
            xgap=2,
            ygap=2,
            hoverongaps=False,
            hovertemplate=(
                "%{y} · %{x}<br>"
                + _("Task completion rate")
                + ": %{z:.1f}% (%{customdata[1]})<extra></extra>"
            ),
        ),
        layout=_layout(
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
            xaxis={"automargin": True, "type": "category", "side": "bottom"},
            height=max(240, 60 + 46 * len(heat.rows)),
        ),
    )
    return _as_data(fig)


def trend(board: Dashboard) -> dict:
    """Closed periods and today against the target trajectory."""
    import plotly.graph_objects as go

    summary = board.summary
    points = board.trend
    if not points:
        return empty_figure(_("No periods to show yet."))
    end = summary.programme.period_end
    # After the programme's end, today's point stands at the end date (its hover names today):
    # the axis covers the programme, not the years since.
    shown = [min(p.day, end) if p.current else p.day for p in points]
    days = [d.isoformat() for d in shown]
    label = measure_label(summary.trajectory)
    traces = [
        go.Scatter(
            x=days,
            y=[_num(p.headline) for p in points],
            mode="lines+markers",
            name=label,
            line={"color": "#1a56a8", "width": 3},
            marker={
                "size": [12 if p.current else 7 for p in points],
                "symbol": ["diamond" if p.current else "circle" for p in points],
            },
            customdata=[p.day.isoformat() for p in points],
            hovertemplate="%{customdata}: %{y:.1f}%<extra>" + label + "</extra>",
        ),
        go.Scatter(
            x=days,
            y=[_num(p.progress) for p in points],
            mode="lines+markers",
            name=_("Overall progress"),
            line={"color": "#805ad5", "dash": "dot"},
            customdata=[p.day.isoformat() for p in points],
            hovertemplate="%{customdata}: %{y:.1f}%<extra>" + _("Overall progress") + "</extra>",
        ),
    ]
    if board.target_line:
        traces.append(
            go.Scatter(
                x=[day.isoformat() for day, _p in board.target_line],
                y=[float(p) for _d, p in board.target_line],
                mode="lines",
                name=_("Target trajectory"),
                line={"color": TARGET_COLOUR, "dash": "dash"},
                hovertemplate="%{x}: %{y:.1f}%<extra>" + _("Target") + "</extra>",
            )
        )
    first = min([summary.programme.period_start, *shown])
    last = max([end, *shown])
    pad = dt.timedelta(days=max(15, (last - first).days // 40))
    today = min(summary.today, end).isoformat()
    today_label = (
        _("Today")
        if summary.today <= end
        else _("Today (%(day)s)") % {"day": summary.today.isoformat()}
    )
    fig = go.Figure(
        traces,
        layout=_layout(
            yaxis={"range": [0, 105], "ticksuffix": "%", "gridcolor": "#d9e2ec"},
            xaxis={
                "type": "date",
                "gridcolor": "#d9e2ec",
                "tickformat": "%Y-%m",  # plotly's month names are English only
                "range": [(first - pad).isoformat(), (last + pad).isoformat()],
            },
            legend={"orientation": "h", "y": -0.2},
            shapes=[
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": today,
                    "x1": today,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#66788a", "width": 1, "dash": "dot"},
                }
            ],
            annotations=[
                {
                    "x": today,
                    "xref": "x",
                    "y": 1,
                    "yref": "paper",
                    "text": today_label,
                    "xanchor": "right" if summary.today > end else "center",
                    "showarrow": False,
                    "yanchor": "bottom",
                }
            ],
        ),
    )
    return _as_data(fig)


def dashboard_figures(board: Dashboard) -> dict[str, dict]:
    """The dashboard's three figures, kept by what they are drawn from in the cache all
    server processes share (core/figure_cache.py): building a plotly figure costs more than
    the queries behind it, and the data changes far less often than the page is read. Any
    change to the figures' inputs (or the language) is a new key; the figures are drawn from
    the board alone, which holds only what its reader may see."""
    return dashboard_charts(board)[0]


def dashboard_charts(board: Dashboard, digest: str = "") -> tuple[dict[str, dict], dict[str, str]]:
    """(the figures, each as the page's `<script type="application/json" id="fig-KEY">`
    element): the element is written once with the figure, not on every page. `digest`:
    `figures_digest(board)` when the caller has it already."""

    def build():
        figures = {
            "completion": completion_bar(board),
            "heatmap": area_heatmap(board),
            "trend": trend(board),
        }
        scripts = {key: str(json_script(figure, f"fig-{key}")) for key, figure in figures.items()}
        return figures, scripts

    return remembered(f"dashboard-charts:{digest or figures_digest(board)}", build)


def figures_digest(board: Dashboard) -> str:
    """A digest of everything the figures read: their dataclasses field by field, each model
    instance by all its column values, and the active language. The field names of each class
    are looked up once per process (the walk ran `fields()` on every node of every request)."""
    return digest_of(
        (get_language(), board.summary, board.children, board.heatmap)
        + (board.trend, board.target_line)
    )


def board_digest(board: Dashboard, figures: str = "") -> str:
    """A digest of everything the dashboard's tables show (headline, children, coverage,
    overdue tasks with their organisation and area) besides the figures' inputs (`figures`:
    `figures_digest(board)`): the key of the tables' HTML in the shared cache."""
    overdue = board.overdue
    if not hasattr(overdue, "digest_value"):  # whole rows, not the rows as read
        overdue = [(t, t.organisation, t.area) for t in overdue]
    figures = figures or figures_digest(board)
    return digest_of((figures, board.coverage, overdue, board.ancestors))


def digest_of(value) -> str:
    """A digest of `value`: dataclasses field by field, model instances by all their column
    values, lists and tuples item by item, what has a `digest_value()` (rows as read, e.g.
    `selectors.joined_rows.JoinedRows`) by it, anything else by its repr. Plain values (numbers,
    text, dates, None) are taken as they are, without a call for each (a board is ~1,000 of
    them); each class's fields are read by one getter made once per process."""
    parts: list = []
    append, extend = parts.append, parts.extend
    scalars, known = _SCALARS, _FIELD_NAMES

    def walk(value) -> None:
        kind = type(value)
        how = known.get(kind) or _field_names(kind)
        if how is _DIGESTED:
            append(kind.__name__)
            append(value.digest_value())  # plain values: their repr, in one go
        elif how is _PLAIN:
            if isinstance(value, list | tuple):
                append(len(value))
                for item in value:
                    if type(item) in scalars:
                        append(item)
                    else:
                        walk(item)
            else:
                append(value)
        elif how[0]:  # a model: its label and every column value
            append(value._meta.label)
            extend(how[1](value))
        else:  # a dataclass: its name, then each field
            append(kind.__name__)
            for item in how[1](value):
                if type(item) in scalars:
                    append(item)
                else:
                    walk(item)

    walk(value)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


_PLAIN = ("<neither a dataclass nor a model>",)  # compared by identity
_DIGESTED = ("<digested by its digest_value()>",)
_SCALARS = frozenset({int, float, str, bool, Decimal, dt.date, dt.datetime, type(None)})
_FIELD_NAMES: dict[type, tuple] = {}


def _field_names(kind: type) -> tuple:
    """How `digest_of` reads a kind: _DIGESTED, _PLAIN, or (is a model, a getter of the
    dataclass's fields or the model's column attributes, as a tuple)."""
    if hasattr(kind, "digest_value"):
        how = _DIGESTED
    elif is_dataclass(kind):
        how = (False, _getter(tuple(item.name for item in fields(kind))))
    elif issubclass(kind, Model):
        how = (True, _getter(tuple(f.attname for f in kind._meta.concrete_fields)))
    else:
        how = _PLAIN
    _FIELD_NAMES[kind] = how
    return how


def _getter(names: tuple[str, ...]):
    """A function giving the attributes `names` of an object as a tuple."""
    if len(names) == 1:
        return lambda value, get=attrgetter(names[0]): (get(value),)
    return attrgetter(*names) if names else lambda value: ()
