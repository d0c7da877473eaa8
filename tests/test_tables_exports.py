"""Actions shown only where allowed, and every chart's data exportable (issue 17, items 3, 4)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reformtrack.kpis.services import derive_targets

from . import test_kpis_engine
from .test_dashboard import dashboard_url, progress  # noqa: F401 - the dashboard's fixture
from .test_kpis_engine import YEAR_LINES, enter

kpisets = test_kpis_engine.kpisets


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_import_button_is_hidden_from_a_viewer(kpisets, tree, people, client_for):
    viewer = client_for(people["viewer"])
    page = viewer.get(reverse("kpis:home")).content.decode()
    assert "导入报表" not in page and reverse("kpis:import") not in page
    assert viewer.get(reverse("kpis:import")).status_code == 403  # the page it would lead to
    overview = viewer.get(reverse("kpis:overview", args=[tree["GROUP-A"].pk])).content.decode()
    assert reverse("kpis:statement-entry", args=[tree["GROUP-A"].pk]) not in overview
    office = client_for(people["reform_office"])
    assert "导入报表" in office.get(reverse("kpis:home")).content.decode()
    overview = office.get(reverse("kpis:overview", args=[tree["GROUP-A"].pk])).content.decode()
    assert reverse("kpis:statement-entry", args=[tree["GROUP-A"].pk]) in overview


def test_ledger_import_is_hidden_from_a_viewer(people, client_for, programme):
    page = client_for(people["viewer"]).get("/programmes/MINI/ledger/").content.decode()
    assert reverse("programs:ledger-import", args=["MINI"]) not in page


def test_dashboard_chart_data_exports_as_shown(client_for, people, progress, tree):  # noqa: F811
    client = client_for(people["supervisor_admin"])
    page = client.get(dashboard_url()).content.decode()
    assert 'data-testid="chart-export-completion"' in page
    rows = csv_rows(client.get(dashboard_url() + "?chart=completion&export=csv"))
    figure = client.get(dashboard_url()).context["figures"]["completion"]
    assert rows[0][0] == "单位" and len(rows[0]) == 2  # the bar series, not the 0 marks
    assert [r[0] for r in rows[1:]] == figure["data"][0]["x"]
    assert [float(r[1]) for r in rows[1:]] == figure["data"][0]["y"]
    book = load_workbook(
        io.BytesIO(client.get(dashboard_url() + "?chart=heatmap&export=xlsx").content)
    )
    sheet = [[c.value for c in row] for row in book.active.iter_rows()]
    heat = client.get(dashboard_url()).context["figures"]["heatmap"]["data"][0]
    assert sheet[0][1:] == heat["x"] and [r[0] for r in sheet[1:]] == heat["y"]
    # Out of scope stays out of scope: group B's office cannot read group A's chart data.
    other = client_for(people["outsider"])
    url = dashboard_url(org=tree["GROUP-A"]) + "&chart=completion&export=csv"
    assert other.get(url).status_code == 404


def test_kpi_trend_data_exports_with_target_and_gap(kpisets, tree, people, client_for):
    org = tree["GROUP-A"]
    enter(org, 2023)
    enter(org, 2024, dict(YEAR_LINES, total_profit=90))
    derive_targets(user=None, organisation=org, year=2024, shape="YLWD")
    url = reverse("kpis:overview", args=[org.pk]) + "?year=2024"
    client = client_for(people["viewer"])
    assert 'data-testid="chart-export-fig-TOTAL_PROFIT"' in client.get(url).content.decode()
    rows = csv_rows(client.get(url + "&chart=fig-TOTAL_PROFIT&export=csv"))
    assert rows[0][0] == "年度" and rows[0][2] == "目标"
    assert [r[0] for r in rows[1:]] == ["2022", "2023", "2024"]
    assert rows[1][1] == ""  # 2022 has no value: an empty cell, not 0
    assert rows[3][2] != ""  # 2024's target
    book = client.get(url + "&chart=fig-TOTAL_PROFIT&export=xlsx")
    assert book.status_code == 200 and xlsx_rows(book)[0] == rows[0]
    # A chart named with a unit of 万元/人: Excel forbids "/" in a sheet's name (it failed).
    labour = client.get(url + "&chart=fig-LABOUR_PRODUCTIVITY&export=xlsx")
    assert labour.status_code == 200
    sheet = load_workbook(io.BytesIO(labour.content)).active.title
    assert "/" not in sheet and len(sheet) <= 31


def test_kpi_home_and_peers_export_only_what_the_user_sees(kpisets, tree, people, client_for):
    for code in ("GROUP-A", "GROUP-B"):
        enter(tree[code], 2024)
    client = client_for(people["reform_office"])  # group A's office
    rows = csv_rows(client.get(reverse("kpis:home") + "?export=csv"))
    assert rows[0][:6] == ["指标体系", "单位", "年度", "指标名称", "数值", "计量单位"]
    names = {r[1] for r in rows[1:]}
    assert tree["GROUP-A"].name in names and tree["GROUP-B"].name not in names
    url = reverse("kpis:peers", args=[tree["GROUP-A"].pk]) + "?year=2024"
    assert 'data-testid="peers-export"' in client.get(url).content.decode()
    peers = csv_rows(client.get(url + "&export=csv"))
    shown = {r[3] for r in peers[1:]}
    assert tree["GROUP-A"].name in shown and tree["GROUP-B"].name not in shown


def xlsx_rows(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_kpi_home_and_peers_download_as_excel_in_the_readers_language(
    kpisets, tree, people, client_for
):
    """The Excel download of a KPI table (its column names are translated labels) opens with
    the header the CSV has, in Chinese and in English."""
    enter(tree["GROUP-A"], 2024)
    client = client_for(people["reform_office"])
    home = reverse("kpis:home")
    response = client.get(home + "?export=xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0] == csv_rows(client.get(home + "?export=csv"))[0]
    assert rows[0][:2] == ["指标体系", "单位"] and len(rows) > 1
    peers = reverse("kpis:peers", args=[tree["GROUP-A"].pk]) + "?year=2024&export=xlsx"
    assert client.get(peers).status_code == 200
    english = client_for(people["reform_office"])
    english.cookies["django_language"] = "en"
    assert xlsx_rows(english.get(home + "?export=xlsx"))[0][:2] == ["KPI set", "Organisation"]


def test_inbox_lists_export_as_shown(people, client_for, programme, task_of):
    from reformtrack.programs.services.plan_changes import request_plan_change

    task = task_of("M-1", "A-SUB")
    request_plan_change(user=people["contributor"], task=task, reason="更多时间", owner="张三")
    mine = csv_rows(
        client_for(people["contributor"]).get("/inbox/export/?list=submitted&export=csv")
    )
    assert mine[0] == ["事项", "状态", "当前审批单位"]
    assert len(mine) == 2 and task.code in mine[1][0]
    waiting = {
        who: csv_rows(client_for(people[who]).get("/inbox/export/?list=waiting&export=csv"))
        for who in ("reform_office", "supervisor_admin", "outsider")
    }
    assert any(len(rows) == 2 for rows in waiting.values())  # someone decides it
    assert len(waiting["outsider"]) == 1  # group B's office: the header only
    assert (
        client_for(people["viewer"]).get("/inbox/export/?list=nope&export=csv").status_code == 404
    )
