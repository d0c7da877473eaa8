"""Charts that read right (issue 17, item 4): a 0% bar is visible and labelled, bars start at
zero, KPI trends are not cut off and carry their targets, a missing value is shown as missing
(never as 0) and a chart with no data says so instead of drawing an empty frame."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from reformtrack.core.reports.charts import bar_chart_png, bar_chart_svg, radar_chart_svg
from reformtrack.kpis.charts import trend_figure
from reformtrack.kpis.services import derive_targets
from reformtrack.programs.charts import zero_and_missing

from . import test_kpis_engine
from .test_dashboard import dashboard_url, progress  # noqa: F401 - the dashboard's fixture
from .test_kpis_engine import YEAR_LINES, enter

kpisets = test_kpis_engine.kpisets


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_zero_bar_is_visible_labelled_and_the_target_drawn(client_for, people, progress):  # noqa: F811
    figures = client_for(people["supervisor_admin"]).get(dashboard_url()).context["figures"]
    bar = figures["completion"]
    bars = bar["data"][0]
    assert bars["y"] == [66.7, 0.0]
    assert bars["text"] == ["66.7%", "0.0%"] and bars["textposition"] == "outside"
    marks = [t for t in bar["data"][1:] if t["marker"]["symbol"] == "line-ew-open"]
    assert len(marks) == 1 and marks[0]["y"] == [0] and marks[0]["x"] == [bars["x"][1]]
    assert bar["layout"]["yaxis"]["range"][0] == 0  # bars start at zero
    assert [s["y0"] for s in bar["layout"]["shapes"]] == [95.0]  # the target line
    trend = figures["trend"]
    assert any(t["name"] == "Target trajectory" for t in trend["data"])
    assert trend["layout"]["yaxis"]["range"][0] == 0


def test_a_missing_value_is_a_dash_in_the_legend_never_a_zero():
    traces = zero_and_missing(["A", "B", "C"], [None, 0.0, 40.0])
    zero, missing = traces[0].to_plotly_json(), traces[1].to_plotly_json()
    assert list(zero["x"]) == ["B"]
    assert list(missing["x"]) == ["A"] and list(missing["text"]) == ["—"]
    assert missing["showlegend"] and missing["name"] == "— No data"


def test_kpi_trend_has_target_line_and_room_for_every_value(kpisets, tree, people, client_for):
    org = tree["GROUP-A"]
    enter(org, 2023)
    enter(org, 2024, dict(YEAR_LINES, total_profit=90))
    derive_targets(user=None, organisation=org, year=2024, shape="YLWD")
    page = client_for(people["viewer"]).get(reverse("kpis:overview", args=[org.pk]) + "?year=2024")
    figures = page.context["figures"]
    figure = figures["fig-TOTAL_PROFIT"]
    line, target = figure["data"][0], figure["data"][1]
    assert target["name"] == "Target" and target["line"]["dash"] == "dash"
    assert target["x"] == ["2024"]
    low, high = figure["layout"]["yaxis"]["range"]
    shown = [v for v in line["y"] if v is not None] + target["y"]
    assert low <= min(shown) and high > max(shown)  # nothing cut off, some room above
    assert low <= 0  # from zero
    # 2022 has no statement: a gap marked "—" in the legend, not a 0.
    assert line["y"][0] is None
    missing = [t for t in figure["data"] if t.get("name") == "— No data"]
    assert missing and missing[0]["x"] == ["2022"]
    assert json.dumps(figure)  # plain JSON for the page


def test_kpi_trend_without_any_value_says_so():
    trend = {"series": {"X": [(2022, None), (2023, None)]}, "names": {"X": ("Margin", "%")}}
    figure = trend_figure(trend, "X", "Margin (%)")
    assert figure["data"] == []
    assert figure["layout"]["annotations"][0]["text"] == "No values for these years yet."
    assert figure["layout"]["xaxis"]["visible"] is False


def test_report_bars_show_zero_and_missing_and_empty():
    svg = bar_chart_svg(["A", "B", "C"], [Decimal("0"), Decimal("50"), None], unit="%")
    assert 'width="2.0"' in svg and ">0%</text>" in svg  # a thin mark and its label
    assert ">—</text>" in svg and "— No data" in svg  # missing: a dash and a note
    assert svg.count("<rect") == 2  # no bar drawn for the missing value
    assert "No data to show." in bar_chart_svg([], [])
    assert bar_chart_png(["A", "B"], [0, None]).startswith(b"\x89PNG")


def test_radar_leaves_a_gap_for_a_missing_dimension():
    svg = radar_chart_svg(
        ["Governance", "Innovation", "Efficiency"],
        {"Enterprise": [Decimal("50"), None, Decimal("80")]},
        [100, 100, 100],
    )
    assert "Enterprise (— No data: Innovation)" in svg
    assert "No data to show." in radar_chart_svg([], {}, [])


def test_kpi_trend_axis_names_its_unit_in_the_readers_language():
    from django.utils import translation

    trend = {"series": {"X": [(2024, Decimal("1.5"))]}, "names": {"X": ("Total profit", "亿元")}}
    with translation.override("en"):
        english = trend_figure(trend, "X", "Total profit (100m yuan)")
    with translation.override("zh-hans"):
        chinese = trend_figure(trend, "X", "利润总额（亿元）")
    assert english["layout"]["yaxis"]["title"]["text"] == "100m yuan"
    assert chinese["layout"]["yaxis"]["title"]["text"] == "亿元"
