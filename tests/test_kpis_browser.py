"""The KPI page in a real Chromium: the trend charts draw offline under the strict CSP."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from . import test_kpis_engine
from .conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD
from .test_dashboard import FINDERS, LOCAL_HOSTS, console_errors
from .test_kpis_engine import YEAR_LINES, enter

kpisets = test_kpis_engine.kpisets  # the shipped libraries, loaded


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_kpi_trends_draw_offline(live_server, kpisets, people, tree, settings):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.STATICFILES_FINDERS = FINDERS
    from playwright.sync_api import expect, sync_playwright

    for year, profit in ((2022, 70), (2023, 80), (2024, 90)):
        enter(tree["GROUP-A"], year, dict(YEAR_LINES, total_profit=profit))
    url = reverse("kpis:overview", args=[tree["GROUP-A"].pk]) + "?year=2024"
    requests: list[str] = []
    console: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: console.extend(console_errors(m)))
        page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
        page.goto(live_server.url + url)
        page.locator("#id_username").fill("viewer_a")
        page.locator("#id_password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("form button.primary").click()
        expect(page.locator("#chart-TOTAL_PROFIT .main-svg").first).to_be_attached()
        expect(page.locator("#chart-TOTAL_PROFIT")).to_have_attribute("data-drawn", "true")
        expect(page.locator('[data-testid="dupont"]')).to_contain_text("权益乘数")
        Path("/tmp/reformtrack-shots").mkdir(exist_ok=True)
        page.screenshot(path="/tmp/reformtrack-shots/kpis.png", full_page=True)
        context.close()
        browser.close()
    assert console == []
    off_host = [
        u for u in requests
        if urlsplit(u).scheme not in ("data", "blob", "about")
        and urlsplit(u).hostname not in LOCAL_HOSTS
    ]  # fmt: skip
    assert off_host == []
