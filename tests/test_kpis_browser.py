"""The KPI page in a real Chromium: the trend charts draw offline under the strict CSP."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from . import test_kpis_engine
from .browser import signed_in_page
from .conftest import CHROMIUM
from .test_dashboard import FINDERS
from .test_kpis_engine import YEAR_LINES, enter

kpisets = test_kpis_engine.kpisets  # the shipped libraries, loaded


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_kpi_trends_draw_offline(live_server, kpisets, people, tree, settings):
    settings.STATICFILES_FINDERS = FINDERS
    from playwright.sync_api import expect

    for year, profit in ((2022, 70), (2023, 80), (2024, 90)):
        enter(tree["GROUP-A"], year, dict(YEAR_LINES, total_profit=profit))
    url = reverse("kpis:overview", args=[tree["GROUP-A"].pk]) + "?year=2024"
    with signed_in_page(live_server, url, "viewer_a") as (page, seen):
        expect(page.locator("#chart-TOTAL_PROFIT .main-svg").first).to_be_attached()
        expect(page.locator("#chart-TOTAL_PROFIT")).to_have_attribute("data-drawn", "true")
        expect(page.locator('[data-testid="dupont"]')).to_contain_text("权益乘数")
        Path("/tmp/reformtrack-shots").mkdir(exist_ok=True)
        page.screenshot(path="/tmp/reformtrack-shots/kpis.png", full_page=True)
        # the KPI list in English at 1280 px: a table of long names scrolls inside its card
        page.context.add_cookies(
            [{"name": "django_language", "value": "en", "url": live_server.url}]
        )
        page.goto(live_server.url + reverse("kpis:home"))
        expect(page.locator('[data-testid="summary"]').first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert seen.console == []
    assert seen.off_host() == []
