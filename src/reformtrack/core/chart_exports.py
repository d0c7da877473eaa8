"""Export the data of a chart: the figure the page draws, as a table (CSV or Excel).

A plotly figure becomes one row per category (x) and one column per series; a heat map one
row per y and one column per x. A missing value is an empty cell, never 0. Traces that only
mark something on the drawing (a 0 mark, a "no data" dash: meta "marker") are left out."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .exporters import bytes_response, csv_response, xlsx_bytes

FORMATS = ("csv", "xlsx")


def _series(trace) -> bool:
    return trace.get("meta") != "marker" and trace.get("mode") != "text"


def figure_table(figure: dict, first: str = "") -> tuple[list[str], list[list]]:
    """(header, rows) of the figure's data."""
    traces = [t for t in figure.get("data", []) if _series(t)]
    heat = [t for t in traces if t.get("type") == "heatmap"]
    if heat:
        trace = heat[0]
        header = [first or "", *[str(x) for x in trace.get("x", [])]]
        rows = [
            [str(y), *row] for y, row in zip(trace.get("y", []), trace.get("z", []), strict=False)
        ]
        return header, rows
    keys: list = []
    for trace in traces:
        for x in trace.get("x", []) or []:
            if x not in keys:
                keys.append(x)
    header = [first or _("Label"), *[str(t.get("name") or "") for t in traces]]
    columns = [dict(zip(t.get("x", []) or [], t.get("y", []) or [], strict=False)) for t in traces]
    rows = [[str(x), *[column.get(x) for column in columns]] for x in keys]
    return header, rows


def table_response(fmt: str, name: str, title, header, rows):
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return bytes_response(filename, xlsx_bytes(str(title), header, rows))


def figure_response(figure: dict, fmt: str, *, name: str, title, first: str = ""):
    header, rows = figure_table(figure, first)
    return table_response(fmt, name, title, header, rows)


def requested(request, figures: dict) -> tuple[str, str] | None:
    """(figure key, format) when the request asks for a chart's data (`?chart=KEY&export=`)."""
    key, fmt = request.GET.get("chart", ""), request.GET.get("export", "")
    if key in figures and fmt in FORMATS:
        return key, fmt
    return None
