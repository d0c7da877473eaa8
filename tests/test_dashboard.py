"""The supervisor's dashboard: figures that match the ledger, signals against the targets,
click-through down the tree, scoping, the organisation page's summary, plotly.js served from
the plotly wheel, and a real Chromium drawing the charts offline under the CSP."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedStaticFilesStorage

from reformtrack.core.libraries import install_library
from reformtrack.orgs import services as org_services
from reformtrack.programs.models import Programme
from reformtrack.programs.selectors import dashboard as selectors
from reformtrack.programs.selectors.rollup import subtree_tally
from reformtrack.programs.services import tasks
from reformtrack.programs.services.periods import close_period
from reformtrack.programs.services.programmes import launch_programme
from reformtrack.programs.services.tallies import mark_overdue
from reformtrack.programs.staticfinders import STATIC_NAME, PlotlyFinder

from .browser import signed_in_page
from .conftest import CHROMIUM, DATA

FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "reformtrack.programs.staticfinders.PlotlyFinder",
]
TODAY = dt.date(2026, 1, 15)  # past every target step of MINI: 95% of main tasks expected


def dashboard_url(code="MINI", org=None) -> str:
    url = reverse("programs:dashboard", args=[code])
    return url if org is None else f"{url}?org={org.pk}"


def ledger_url(org, code="MINI") -> str:
    return f"{reverse('programs:ledger', args=[code])}?org={org.pk}"


def done(task):
    return tasks.seed_progress_as_system(task=task, status="done")


@pytest.fixture
def progress(programme, task_of):
    """Two tasks done and one half-way: 任务完成率 and overall progress differ."""
    done(task_of("M-1", "A-SUB"))
    done(task_of("M-2", "GROUP-A"))
    tasks.seed_progress_as_system(task=task_of("M-1", "A-SUB2"), status="in_progress", percent=50)
    mark_overdue(programme, TODAY)  # the daily job: every deadline of MINI has passed
    return programme


def figure(response, name: str) -> str:
    """The text of a headline figure (`<dd data-value=NAME>`), first token only."""
    html = response.content.decode()
    match = re.search(rf'<dd data-value="{name}">([^<\s]+)', html)
    assert match, f"no figure {name}"
    return match.group(1)


# --- Figures ------------------------------------------------------------------------------


def test_headline_figures_match_the_ledger(client_for, people, progress, tree):
    response = client_for(people["supervisor_admin"]).get(dashboard_url())
    assert response.status_code == 200
    total = subtree_tally(None, progress, tree["SASAC"])
    assert (total.tasks, total.done, total.main_tasks, total.main_done) == (7, 2, 5, 2)
    # 任务完成率 (share closed) and overall progress (partial progress counts) both shown.
    assert figure(response, "rate") == "28.6%"
    assert figure(response, "main_rate") == "40.0%"
    assert figure(response, "weight_rate") == "28.6%"
    assert figure(response, "progress") == "35.7%"
    # Every deadline of MINI is past: every open task is overdue.
    assert figure(response, "overdue") == "5"
    board = response.context["board"]
    assert board.summary.total == total
    assert [(r.organisation.code, r.tally.tasks, r.tally.done) for r in board.children] == [
        ("GROUP-A", 4, 2),
        ("GROUP-B", 3, 0),
    ]
    assert [(c.code, c.applicable, c.done, c.rate) for c in board.coverage] == [
        ("M-1", 3, 1, Decimal("33.3"))
    ]
    assert "33.3%" in response.content.decode()


def test_children_table_and_heat_map(progress, tree):
    board = selectors.dashboard(None, progress, tree["GROUP-A"], TODAY)
    rows = board.children
    # GROUP-A's own tasks first, then its child A-SUB (whose subtree holds A-SUB2).
    assert [(r.organisation.code, r.own, r.tally.tasks, r.tally.done) for r in rows] == [
        ("GROUP-A", True, 2, 1),
        ("A-SUB", False, 2, 1),
    ]
    assert rows[1].tally.progress == Decimal("75.0")
    heat = board.heatmap
    assert [a.code for a in heat.areas] == ["A1"]
    assert [[c.rate for c in cells] for cells in heat.cells] == [
        [Decimal("50.0")],
        [Decimal("50.0")],
    ]


def test_overdue_list_is_the_overdue_count(progress, tree):
    board = selectors.dashboard(None, progress, tree["SASAC"], TODAY)
    assert len(board.overdue) == board.summary.total.overdue == 5
    assert [t.deadline for t in board.overdue] == sorted(t.deadline for t in board.overdue)
    # Given more time, a task is no longer late: it leaves the list and the count.
    late = board.overdue[0]
    tasks.seed_progress_as_system(task=late, deadline=dt.date(2030, 6, 30), status="in_progress")
    board = selectors.dashboard(None, progress, tree["SASAC"], TODAY)
    assert late not in board.overdue and board.summary.total.overdue == 4


# --- Signals against the target trajectory --------------------------------------------------


def test_red_amber_green_against_the_target(client_for, people, programme, tree, task_of, settings):
    group_a, group_b = tree["GROUP-A"], tree["GROUP-B"]
    # Main tasks of group A: M-1 at A-SUB and A-SUB2, M-2 at GROUP-A; 2 of 3 done = 66.7%.
    done(task_of("M-1", "A-SUB"))
    done(task_of("M-2", "GROUP-A"))
    summary = selectors.dashboard(None, programme, group_a, TODAY).summary
    assert summary.expected == Decimal("95.0")
    assert summary.headline == Decimal("66.7")
    assert summary.signal == "red"  # 28 points behind, the margin is 10
    settings.REFORMTRACK_AMBER_MARGIN = 30
    assert selectors.dashboard(None, programme, group_a, TODAY).summary.signal == "amber"
    settings.REFORMTRACK_AMBER_MARGIN = 10
    done(task_of("M-1", "A-SUB2"))
    board = selectors.dashboard(None, programme, tree["SASAC"], TODAY)
    assert {r.organisation.code: r.signal for r in board.children} == {
        "GROUP-A": "green",
        "GROUP-B": "red",
    }
    # Before the programme starts nothing is expected: any progress is on track.
    early = selectors.dashboard(None, programme, group_b, dt.date(2019, 12, 1)).summary
    assert early.expected == Decimal("0.0") and early.signal == "green"

    html = client_for(people["supervisor_admin"]).get(dashboard_url()).content.decode()
    assert re.search(r'<tr data-org="GROUP-A">.*?rag-green', html, re.S)
    assert re.search(r'<tr data-org="GROUP-B">.*?rag-red', html, re.S)
    assert "95.0%" in html  # the target expected today


# --- Click-through ----------------------------------------------------------------------------


def test_click_through_group_subsidiary_ledger_and_tasks(client_for, people, progress, tree):
    client = client_for(people["supervisor_admin"])
    sasac = client.get(dashboard_url()).content.decode()
    assert f'href="{dashboard_url(org=tree["GROUP-A"])}"' in sasac
    assert f'href="{dashboard_url(org=tree["GROUP-B"])}"' in sasac

    group_a = client.get(dashboard_url(org=tree["GROUP-A"]))
    html = group_a.content.decode()
    # A-SUB has a subsidiary below it: its dashboard; breadcrumb back to the supervisor.
    assert f'href="{dashboard_url(org=tree["A-SUB"])}"' in html
    assert f'<nav class="crumbs"><a href="{dashboard_url(org=tree["SASAC"])}">' in html

    a_sub = client.get(dashboard_url(org=tree["A-SUB"])).content.decode()
    # A-SUB2 is a leaf: its row opens the ledger filtered to it.
    assert re.search(
        rf'<tr data-org="A-SUB2">\s*<td><a href="{re.escape(ledger_url(tree["A-SUB2"]))}"', a_sub
    )
    # Overdue tasks open the task page.
    for task in group_a.context["board"].overdue:
        assert f'href="{reverse("programs:task", args=[task.pk])}"' in html

    # A heat-map cell opens the ledger of that organisation and area.
    area = progress.areas.get(code="A1")
    cells = group_a.context["figures"]["heatmap"]["data"][0]["customdata"]
    assert cells == [
        [[f"{ledger_url(tree['GROUP-A'])}&area={area.pk}", "1/2"]],
        [[f"{ledger_url(tree['A-SUB'])}&area={area.pk}", "1/2"]],
    ]
    # The bars carry the same URLs as the table for charts.js to follow.
    bars = group_a.context["figures"]["completion"]["data"][0]
    assert [c[0] for c in bars["customdata"]] == [
        ledger_url(tree["GROUP-A"]),
        dashboard_url(org=tree["A-SUB"]),
    ]


def test_charts_are_plotly_json(client_for, people, progress, tree):
    response = client_for(people["supervisor_admin"]).get(dashboard_url())
    figures = response.context["figures"]
    bar, heat, trend = figures["completion"], figures["heatmap"], figures["trend"]
    assert bar["data"][0]["type"] == "bar"
    assert bar["data"][0]["y"] == [66.7, 0.0]  # main tasks done, the headline measure
    assert [s["y0"] for s in bar["layout"]["shapes"]] == [95.0]  # target today
    assert heat["data"][0]["type"] == "heatmap"
    assert heat["data"][0]["z"] == [[50.0], [0.0]]
    # No closed period yet: the trend is today's value, against the trajectory's corners.
    actual, _progress, target = trend["data"]
    assert actual["y"] == [40.0]
    assert target["x"] == ["2020-01-01", "2021-12-31", "2022-06-30", "2022-12-31"]
    assert target["y"] == [0.0, 70.0, 95.0, 95.0]
    html = response.content.decode()
    for name in ("fig-completion", "fig-heatmap", "fig-trend"):
        assert f'<script id="{name}" type="application/json">' in html
    assert "/static/vendor/plotly.min.js" in html and "/static/reformtrack/charts.js" in html
    assert "<script>" not in html  # nothing inline: the CSP allows scripts from 'self' only


def test_trend_reads_closed_periods(client_for, people, programme, tree, task_of):
    done(task_of("M-2", "GROUP-A"))
    close_period(user=people["supervisor_admin"], programme=programme, day=dt.date(2021, 6, 30))
    board = selectors.dashboard(None, programme, tree["GROUP-A"], TODAY)
    # Closing late counts tasks by their completion date (today): nothing done by June 2021.
    assert [(p.day, p.headline, p.current) for p in board.trend] == [
        (dt.date(2021, 6, 30), Decimal("0.0"), False),
        (TODAY, Decimal("33.3"), True),
    ]
    response = client_for(people["reform_office"]).get(dashboard_url())
    assert response.context["figures"]["trend"]["data"][0]["x"][0] == "2021-06-30"


# --- Scope ------------------------------------------------------------------------------------


def test_group_b_cannot_see_group_a(client_for, people, programme, tree):
    client = client_for(people["outsider"])
    assert client.get(dashboard_url(org=tree["GROUP-A"])).status_code == 404
    assert client.get(dashboard_url(org=tree["A-SUB"])).status_code == 404
    assert client.get(dashboard_url(org=tree["SASAC"])).status_code == 404
    assert client.get(dashboard_url() + "?org=nonsense").status_code == 404
    assert client.get(dashboard_url("NOPE")).status_code == 404
    # Without ?org= the dashboard opens on the user's own group, and counts only its tasks.
    response = client.get(dashboard_url())
    assert response.status_code == 200
    assert response.context["root"] == tree["GROUP-B"]
    assert figure(response, "rate") == "0.0%"
    html = response.content.decode()
    assert "甲集团" not in html and "A-SUB" not in html


def test_every_business_role_reads_it_administrators_do_not(client, client_for, people, programme):
    response = client.get(dashboard_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))
    for who in ("supervisor_admin", "reform_office", "contributor", "viewer"):
        assert client_for(people[who]).get(dashboard_url()).status_code == 200, who
    for who in ("system", "security", "audit"):
        assert client_for(people[who]).get(dashboard_url()).status_code == 403, who


def test_programme_picker_when_several_are_launched(client_for, people, programme, tree):
    text = (DATA / "mini-programme.yaml").read_text(encoding="utf-8")
    install_library(text.replace("code: MINI", "code: MINI2").replace("小程序", "第二方案"))
    other = Programme.objects.get(code="MINI2")
    launch_programme(user=None, programme=other, organisation=tree["GROUP-A"])
    office_a = client_for(people["reform_office"]).get(dashboard_url()).content.decode()
    assert 'data-testid="programme-picker"' in office_a
    assert f'href="{dashboard_url("MINI2", tree["GROUP-A"])}"' in office_a
    # Group B has no MINI2 rows: no picker; MINI2's dashboard there has nothing to count.
    office_b = client_for(people["outsider"])
    assert 'data-testid="programme-picker"' not in office_b.get(dashboard_url()).content.decode()
    empty = office_b.get(dashboard_url("MINI2"))
    assert empty.status_code == 200
    assert figure(empty, "rate") == "—" and figure(empty, "overdue") == "0"


def test_query_count_does_not_grow_with_the_tree(client_for, people, progress, tree):
    client = client_for(people["supervisor_admin"])
    client.get(dashboard_url())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(dashboard_url()).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for n in range(5):
        org_services.create_organisation(
            user=None, parent=tree["GROUP-B"], code=f"B-NEW{n}", name_zh=f"新{n}", kind="subsidiary"
        )
    launch_programme(user=None, programme=progress, organisation=tree["SASAC"])
    assert subtree_tally(None, progress, tree["SASAC"]).tasks == 12
    assert queries() == before <= 24


# --- The organisation page ---------------------------------------------------------------


def test_organisation_page_summarises_each_programme(client_for, people, progress, tree):
    client = client_for(people["reform_office"])
    html = client.get(reverse("orgs:organisation", args=[tree["A-SUB"].pk])).content.decode()
    assert 'data-testid="programme-rollups"' in html
    assert f'href="{dashboard_url(org=tree["A-SUB"])}"' in html
    # A-SUB's subtree: M-1 at A-SUB (done) and at A-SUB2 (half-way).
    assert "50.0%" in html and "75.0%" in html
    sup = client_for(people["supervisor_admin"])
    html = sup.get(reverse("orgs:organisation", args=[tree["SASAC"].pk])).content.decode()
    assert f'href="{dashboard_url(org=tree["SASAC"])}"' in html
    assert "28.6%" in html and "35.7%" in html  # 任务完成率 and overall progress, both


def test_organisation_page_without_programmes(client_for, people, tree):
    html = (
        client_for(people["reform_office"])
        .get(reverse("orgs:organisation", args=[tree["GROUP-A"].pk]))
        .content.decode()
    )
    assert 'data-testid="programme-rollups"' not in html


# --- plotly.js from the plotly wheel ----------------------------------------------------


class GzipOnlyStorage(CompressedStaticFilesStorage):
    """The product's storage without brotli, which takes most of a minute over plotly.min.js."""

    def create_compressor(self, **kwargs):
        return Compressor(**{**kwargs, "use_brotli": False})


def test_plotly_finder_serves_the_wheels_plotly_js(settings, tmp_path):
    settings.STATICFILES_FINDERS = FINDERS
    found = finders.find(STATIC_NAME)
    assert found and Path(found).name == "plotly.min.js" and "plotly" in Path(found).parts
    assert finders.find("vendor/other.js") is None
    assert PlotlyFinder().check() == []
    listed = [(path, storage.prefix) for path, storage in PlotlyFinder().list(None)]
    assert listed == [("plotly.min.js", "vendor")]
    assert list(PlotlyFinder().list(["*.js"])) == []
    # collectstatic (WhiteNoise's compressing storage) puts it under vendor/; the finder alone,
    # so that the test does not compress every app's static files.
    settings.STATICFILES_FINDERS = ["reformtrack.programs.staticfinders.PlotlyFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{__name__}.GzipOnlyStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())
    copied = tmp_path / "static" / "vendor" / "plotly.min.js"
    assert copied.stat().st_size == Path(found).stat().st_size
    assert (tmp_path / "static" / "vendor" / "plotly.min.js.gz").exists()


# --- A real browser -----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_dashboard_draws_offline_in_chromium(live_server, people, progress, tree, settings):
    settings.STATICFILES_FINDERS = FINDERS
    from playwright.sync_api import expect

    with signed_in_page(live_server, dashboard_url(), "sup") as (page, seen):
        assert urlsplit(page.url).path == dashboard_url()
        for chart in ("completion", "heatmap", "trend"):
            expect(page.locator(f"#chart-{chart} .main-svg").first).to_be_attached()
            expect(page.locator(f"#chart-{chart}")).to_have_attribute("data-drawn", "true")
        assert page.locator("#chart-completion .bars .point").count() == 2
        Path("/tmp/reformtrack-shots").mkdir(exist_ok=True)
        page.screenshot(path="/tmp/reformtrack-shots/dashboard.png", full_page=True)
        # Clicking group A's bar opens group A's dashboard.
        bar = page.locator("#chart-completion .bars .point path").first
        bar.scroll_into_view_if_needed()  # the chart sits below the fold, as a user scrolls to it
        box = bar.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(200)  # plotly finds the hovered bar, then takes the click
        with page.expect_navigation():
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert urlsplit(page.url).query == f"org={tree['GROUP-A'].pk}"
        expect(page.locator("#chart-completion .main-svg").first).to_be_attached()
    assert seen.off_host() == []
    assert any(u.endswith("/static/vendor/plotly.min.js") for u in seen.requests)
    assert seen.console == []


# --- Chart details (UI review P2-28, P3-13) ----------------------------------------------------


def test_heat_map_cells_without_tasks_show_a_dash(programme, progress, tree):
    """A cell whose organisation has no task in the area reads "—", never a bare "%"."""
    from reformtrack.programs.charts import area_heatmap
    from reformtrack.programs.models import Area

    spare = Area.objects.create(
        programme=programme, code="A2", name_zh="第二领域", name_en="Area two",
        origin="illustrative", position=2,
    )  # fmt: skip
    tasks.add_task(
        user=None, programme=programme, area=spare, organisation=tree["GROUP-A"],
        code="X-1", title="只在甲集团", deadline=dt.date(2022, 6, 30),
    )  # fmt: skip
    board = selectors.dashboard(None, programme, tree["SASAC"], TODAY)
    heat = area_heatmap(board)["data"][0]
    assert heat["texttemplate"] == "%{text}"
    by_row = dict(zip(heat["y"], heat["text"], strict=True))
    assert by_row["甲集团"] == ["50%<br>2/4", "0%<br>0/1"]
    assert by_row["乙集团"][1] == "—"
    assert all(cell.strip() != "%" for row in heat["text"] for cell in row)


def test_trend_axis_ends_with_the_programme(programme, progress, tree):
    """Today (2026) is long after MINI's end (2022-12-31): the axis stops at the end and
    today's value stands there, its hover naming today."""
    from reformtrack.programs.charts import trend

    board = selectors.dashboard(None, programme, tree["SASAC"], TODAY)
    fig = trend(board)
    lo, hi = fig["layout"]["xaxis"]["range"]
    assert lo < "2020-01-01" and "2022-12-31" < hi < "2023-03-01"
    actual = fig["data"][0]
    assert actual["x"] == ["2022-12-31"] and actual["customdata"] == [TODAY.isoformat()]
    assert fig["layout"]["shapes"][0]["x0"] == "2022-12-31"
    assert TODAY.isoformat() in fig["layout"]["annotations"][0]["text"]


def test_target_label_sits_in_the_margin_and_english_uses_one_term(
    client_for, people, progress, settings
):
    response = client_for(people["supervisor_admin"]).get(
        dashboard_url(), HTTP_ACCEPT_LANGUAGE="en"
    )
    bar = response.context["figures"]["completion"]
    (note,) = [a for a in bar["layout"]["annotations"] if "Target today" in a["text"]]
    assert note["xref"] == "paper" and note["x"] == 1 and note["xanchor"] == "left"
    assert bar["layout"]["margin"]["r"] >= 100
    html = response.content.decode()
    assert "Task completion rate" in html
    assert "Share of tasks done" not in html
