"""A real Chromium reads a hostile web page that was ingested: no script of it runs, nothing
is fetched from elsewhere, and the spun copy shows its repairs marked."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from reformtrack.documents import services

from .conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD

DATA = Path(__file__).parent / "data" / "documents"
HOSTILE = (
    "<html><head><script>window.pwned = 1</script></head><body>"
    '<img src="http://evil.invalid/x.png" onerror="window.pwned=2">'
    "<article><h1>国资委召开会议</h1><p>国资委召开会议，推进产业链建设工作。"
    "&lt;img src=x onerror=window.pwned=3&gt;国资委召开会议，确保改革任务落地见效。</p>"
    "<p>第二段：推动中央企业链长建设提质深化，增强产业链供应链韧性和竞争力。</p>"
    "</article></body></html>"
).encode()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_hostile_page_runs_no_script_in_chromium(live_server, people):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    hostile, _ = services.ingest(user=None, data=HOSTILE, filename="hostile.html")
    spun, _ = services.ingest(
        user=None, data=(DATA / "003_6edbb738d41674c3.txt").read_bytes(), filename="003.txt"
    )
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_context(locale="zh-CN").new_page()
        page.set_default_timeout(20_000)
        page.on("request", lambda r: requests.append(r.url))
        page.goto(live_server.url + hostile.get_absolute_url())
        page.locator("#id_username").fill("viewer_a")
        page.locator("#id_password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("form button.primary").click()
        assert "产业链" in page.locator("[data-testid=text]").inner_text()
        assert page.evaluate("window.pwned === undefined")
        page.goto(live_server.url + spun.get_absolute_url())
        marks = page.locator("[data-testid=repairs] mark.change")
        assert marks.count() > 100
        assert marks.first.get_attribute("title") == "泉源 → 来源"
        browser.close()
    hosts = {urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https")}
    assert hosts <= {"localhost", "127.0.0.1"}
