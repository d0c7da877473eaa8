"""The table tools in a real browser (issue 17, item 3): change the page size, hide a column,
save the view, export what is shown — no console error, nothing fetched from elsewhere."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from reformtrack.core.models import SavedView

from .browser import signed_in_page
from .conftest import CHROMIUM

LEDGER = "/programmes/MINI/ledger/"


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_page_size_column_saved_view_and_export(live_server, people, programme):
    from playwright.sync_api import expect

    with signed_in_page(live_server, LEDGER, "office_a") as (page, seen):
        assert urlsplit(page.url).path == LEDGER
        header = page.locator('[data-testid="ledger"] thead')
        expect(header).to_contain_text("责任人")
        page.locator('[data-testid="table-settings"] summary').click()
        page.locator('[data-testid="per-page"]').select_option("25")
        page.locator('[data-testid="column-chooser"] input[value="owner"]').uncheck()
        with page.expect_navigation():
            page.locator('[data-testid="table-apply"]').click()
        query = parse_qs(urlsplit(page.url).query)
        assert query["per_page"] == ["25"] and "owner" not in query["cols"]
        expect(header).not_to_contain_text("责任人")
        # The choice is remembered on the next visit without any parameter.
        page.goto(live_server.url + LEDGER)
        expect(page.locator('[data-testid="per-page"]')).to_have_value("25")
        expect(header).not_to_contain_text("责任人")

        page.locator('[data-testid="saved-views"] summary').click()
        page.locator('[data-testid="saved-view-name"]').fill("我的视图")
        with page.expect_navigation():
            page.locator('[data-testid="saved-view-save"]').click()
        view = SavedView.objects.get(user=people["reform_office"], table="programs.ledger")
        assert view.per_page == 25 and "owner" not in view.columns
        page.locator('[data-testid="saved-views"] summary').click()
        expect(page.locator('[data-testid="saved-view"]')).to_have_text("我的视图")

        with page.expect_download() as download:
            page.locator('[data-testid="export-csv"]').click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert "责任人" not in rows[0] and "任务编号" in rows[0]
        shown = page.locator('[data-testid="ledger"] tbody tr').count()
        assert len(rows) - 1 == shown > 0  # one page holds them all: the same rows
    assert seen.off_host() == []
    assert seen.console == []
