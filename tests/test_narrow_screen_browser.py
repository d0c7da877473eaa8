"""On a phone-width screen (390 px) the pages fit: the top bar wraps onto two lines and a wide
table scrolls inside its own box and an open menu lists its pages inside the bar, so the page
never scrolls sideways (the crawl found the top bar alone 652 px wide, the organisation list
934 px, the last menu 19 px past the edge)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import signed_in_page
from .conftest import CHROMIUM

PAGES = ["/", "/programmes/", "/programmes/MINI/ledger/", "/programmes/MINI/dashboard/",
         "/orgs/", "/kpis/", "/inbox/"]  # fmt: skip


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_pages_fit_a_phone_screen(live_server, people, programme):
    with signed_in_page(live_server, "/", "office_a") as (page, seen):
        page.set_viewport_size({"width": 390, "height": 844})
        wide = {}
        for path in PAGES:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[path] = width
        assert wide == {}
        menus = page.locator("header .mainnav details.menu > summary")
        assert menus.count() >= 2
        for i in range(menus.count()):  # an open menu lists its pages inside the bar
            menus.nth(i).click()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, i
            menus.nth(i).click()
        page.goto(live_server.url + "/programmes/MINI/ledger/")  # its table scrolls in its box
        assert page.locator("table").first.evaluate("t => getComputedStyle(t).overflowX") == "auto"
        page.set_viewport_size({"width": 1280, "height": 900})  # a desktop keeps its layout
        page.goto(live_server.url + "/programmes/MINI/ledger/")
        assert page.locator("table").first.evaluate("t => getComputedStyle(t).display") == "table"
    assert seen.off_host() == []
    assert seen.console == []
