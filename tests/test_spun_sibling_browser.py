"""In Chromium, a spun copy's page shows it restored from the clean copy of its story: the
link to that copy and each restored word marked, offline and with no console error."""

from pathlib import Path

import pytest

from reformtrack.documents import services

from .browser import signed_in_page
from .conftest import CHROMIUM
from .test_spun_sibling import spin, story


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_a_spun_copy_page_shows_its_restoration_in_chromium(live_server, people):
    from playwright.sync_api import expect

    office = people["reform_office"]
    clean, _created = services.ingest(user=office, data=story().encode(), filename="clean.txt")
    spun, _created = services.ingest(user=office, data=spin(story()).encode(), filename="s.txt")
    with signed_in_page(live_server, spun.get_absolute_url(), "office_a") as (page, seen):
        source = page.get_by_test_id("restored-from")
        expect(source).to_be_visible()
        expect(source.locator("a")).to_have_attribute("href", clean.get_absolute_url())
        restored = page.get_by_test_id("repairs").locator('mark[title="鞭策 → 推进"]')
        assert restored.count() > 0
        expect(restored.first).to_have_text("推进")
    assert seen.off_host() == []
    assert seen.console == []
