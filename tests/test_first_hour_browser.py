"""The first hour of a new reform office, in Chromium, in each language: sign in, find a task by
search, report its progress with two evidence files in one upload (with the progress bar),
export the filtered ledger (the workbook holds just the rows shown), read the weekly brief.

Every page on the way: no debug page, no traceback, nothing in the other language outside data
(the rule of test_one_language), no console error (strict CSP) and nothing fetched off-site."""

from __future__ import annotations

import datetime as dt
import importlib
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reformtrack.documents import briefs

from .browser import signed_in_page
from .conftest import PASSWORD
from .test_one_language import Data, data_texts, foreign_text

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
DEBUG_MARKS = ("Traceback", "DEBUG = True", "Request Method:", "Exception Value", "URLconf")


def open_task():
    """A Haohua task of the Three-Year Action with no report yet: what the office reports on."""
    from reformtrack.programs.models import LedgerTask

    return (
        LedgerTask.objects.filter(programme__code="TYA", organisation__code="HAOHUA")
        .exclude(reports__isnull=False)
        .order_by("code")
        .first()
    )


class Checked:
    """Each page the user reaches is checked the same way."""

    def __init__(self, page, language: str):
        self.page, self.language = page, language
        self.problems: list[str] = []

    def __call__(self, what: str) -> None:
        html = self.page.content()
        self.data = Data(data_texts())  # what the user wrote on the way is data too
        for mark in DEBUG_MARKS:
            if mark in html:
                self.problems.append(f"{what}: debug page or traceback ({mark})")
        bad = foreign_text(html, self.language, self.data)
        if bad:
            self.problems.append(f"{what} ({self.page.url}): other language: {bad[:5]}")


def designation_kinds() -> None:
    """The kinds the orgs migrations write: a live server's flush after an earlier browser test
    takes them with it, and the demo needs them."""
    from django.apps import apps

    from reformtrack.orgs.models import DesignationKind

    if DesignationKind.objects.filter(code="SCI_TECH_DEMO").exists():
        return
    for name in ("0002_designation_kinds", "0003_benchmarks"):
        module = importlib.import_module(f"reformtrack.orgs.migrations.{name}")
        module.add_kinds(apps, None)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_new_reform_office_through_its_first_hour(live_server, language, tmp_path):
    designation_kinds()
    call_command("demo", "--only", "orgs", "--only", "programs", "--only", "documents",
                 stdout=io.StringIO())  # fmt: skip
    task = open_task()
    assert task is not None
    office = get_user_model().objects.get(username="haohua_office")
    office.set_password(PASSWORD)  # the helper signs in with the tests' password
    office.save()
    # The office's own weekly brief of the demo week, in the reader's language.
    briefs.build_brief(
        user=office, week=dt.date(2021, 8, 2), language="en" if language == "en" else "zh-Hans"
    )
    from reformtrack.programs.models import EvidenceVersion, LedgerTask

    first = tmp_path / "董事会决议.pdf"
    first.write_bytes(PDF)
    second = tmp_path / "工作台账.et"
    second.write_bytes(OLE2)

    with signed_in_page(live_server, "/", "haohua_office") as (page, seen):
        check = Checked(page, language)
        if language == "en":
            with page.expect_navigation():
                page.locator("form.lang button[value=en]").click()
        assert page.locator("html").get_attribute("lang") == ("en" if language == "en" else "zh-CN")
        check("home")
        # The top menu fits one line at 1280 px.
        bar = page.locator("header.topbar").bounding_box()
        assert bar["height"] < 70, bar

        # Find the task: the programmes through the menu, the ledger, a search.
        menu = page.locator("nav.mainnav details.menu", has=page.locator("a[href='/programmes/']"))
        menu.locator("summary").click()
        with page.expect_navigation():
            menu.locator("a[href='/programmes/']").click()
        check("programmes")
        page.goto(f"{live_server.url}/programmes/TYA/ledger/")
        check("ledger")
        page.locator("[data-testid=ledger-filters] input[name=q]").fill(task.code)
        with page.expect_navigation():
            page.locator("[data-testid=ledger-filters] button.primary").click()
        check("ledger filtered")
        shown = page.locator("table tbody tr").count()
        assert shown == 1 and task.code in page.locator("table tbody").inner_text()

        # Export what is shown: the workbook holds just the filtered rows.
        with page.expect_download() as download:
            page.locator("[data-testid=export-xlsx]").first.click()
        assert download.value.suggested_filename.endswith(".xlsx")
        book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
        rows = [r for r in book.active.iter_rows(values_only=True) if any(r)]
        codes = [cell for row in rows for cell in row if cell == task.code]
        assert codes == [task.code], rows[:5]
        expected = LedgerTask.objects.filter(programme__code="TYA", code__icontains=task.code)
        assert len(rows) - 1 == expected.count() == shown, rows[:3]

        # Report progress with two evidence files in one upload.
        with page.expect_navigation():
            page.locator(f"table tbody a[href='{task.get_absolute_url()}']").first.click()
        check("task")
        with page.expect_navigation():
            page.locator(f"a[href='/tasks/{task.pk}/report/']").click()
        check("report form")
        period = page.locator("#id_period option").first.get_attribute("value")
        page.locator("#id_period").select_option(period)
        page.locator("#id_status").select_option("in_progress")
        page.locator("#id_percent").fill("40")
        page.locator("#id_narrative").fill("董事会已组建，决议附后")
        page.locator("#id_evidence").set_input_files([str(first), str(second)])
        sent = []
        page.on("request", lambda r: sent.append((r.method, r.resource_type, r.url)))
        page.locator("form[data-upload-progress] button[name=submit]").click()
        page.wait_for_url("**/reports/*/")
        # Sent by uploads.js (XMLHttpRequest, whose upload events drive the progress bar).
        report_url = f"{live_server.url}/tasks/{task.pk}/report/"
        assert ("POST", "xhr", report_url) in sent, sent
        check("report")
        names = page.locator("#evidence").inner_text()
        assert "董事会决议.pdf" in names and "工作台账.et" in names
        assert EvidenceVersion.objects.filter(evidence__task=task).count() == 2

        # The inbox shows the approval titles in the reader's language.
        page.goto(f"{live_server.url}/inbox/")
        check("inbox")

        # Read the weekly brief.
        page.goto(f"{live_server.url}/documents/briefs/")
        check("briefs")
        with page.expect_navigation():
            page.locator("main a[href^='/documents/briefs/']").first.click()
        check("brief")
        assert page.locator("h1").count() == 1

        assert not check.problems, "\n".join(check.problems)
        assert not seen.console, seen.console
        assert not seen.off_host(), seen.off_host()
