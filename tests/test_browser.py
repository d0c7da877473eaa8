"""A real Chromium (Playwright, sync API) against pytest-django's live server.

Sign-in in both languages, the administrator's second factor, the htmx tree browser, and two
screenshots for a human look (written to /tmp/reformtrack-shots/, outside the repository).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are
# still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/reformtrack-shots")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def chromium():
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


class Recorder:
    """Every request, response status and console message of one page."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.htmx_requests: list[str] = []
        self.statuses: dict[str, int] = {}
        self.console: list[str] = []
        page.on("request", self._on_request)
        page.on("response", lambda r: self.statuses.__setitem__(r.url, r.status))
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    def _on_console(self, message):
        url = (message.location or {}).get("url", "")
        self.console.append(f"{message.type}: {message.text} ({url})")

    def _on_request(self, request):
        self.requests.append(request.url)
        if request.headers.get("hx-request") == "true":
            self.htmx_requests.append(request.url)

    def off_host(self) -> list[str]:
        return [
            u for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob", "about")
            and urlsplit(u).hostname not in LOCAL_HOSTS
        ]  # fmt: skip

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "CSP" in m]

    def errors(self) -> list[str]:
        return [m for m in self.console if m.startswith(("error", "pageerror"))]


@pytest.fixture
def page(chromium):
    """A fresh browser profile whose user prefers Simplified Chinese."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.recorder = Recorder(page)
    yield page
    context.close()


def sign_in(page, base: str, username: str, password: str = PASSWORD, path: str = "/"):
    """Opens `path` (which sends to the sign-in page) and signs in through the real form."""
    page.goto(base + path)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form button.primary").click()


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{int(totp.token()):0{device.digits}d}"


def test_sign_in_in_chinese_then_english(live_server, page, tree, make_user):
    make_user("demo_office", role="reform_office", org=tree["GROUP-A"])
    base = live_server.url
    page.goto(base + "/accounts/login/")

    # Simplified Chinese by default.
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    expect(page.locator("label[for=id_username]")).to_have_text("用户名")
    expect(page.locator("label[for=id_username]")).to_be_visible()

    # The language switch (a POST form) turns the page to English.
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("label[for=id_username]")).to_have_text("Username")

    page.locator("#id_username").fill("demo_office")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button.primary").click()
    assert urlsplit(page.url).path == "/"
    expect(page.locator("main")).to_contain_text("Group A")
    expect(page.locator("main")).to_contain_text("GROUP-A")
    expect(page.locator(f"main a[href='/orgs/{tree['GROUP-A'].pk}/']")).to_be_visible()

    rec = page.recorder
    assert rec.requests, "the recorder saw the page's requests"
    assert rec.off_host() == []
    # The stylesheet and htmx came from the app itself (served under the live server).
    static = {u: s for u, s in rec.statuses.items() if "/static/" in u}
    assert any(u.endswith("app.css") for u in static), static
    assert any("htmx" in u for u in static), static
    assert set(static.values()) == {200}, static
    assert rec.csp_violations() == []
    assert rec.errors() == []


def test_audit_admin_passes_the_second_factor(live_server, page, people):
    audit = people["audit"]
    base = live_server.url
    sign_in(page, base, audit.username, path="/audit/")

    expect(page).to_have_url(re.compile(r"/accounts/otp/\?next=(%2F|/)audit(%2F|/)"))
    expect(page.locator("#id_token")).to_be_visible()
    assert page.locator(".qr svg").count() == 0  # enrolled already: no QR code

    page.locator("#id_token").fill(current_code(audit))
    with page.expect_navigation():
        page.locator("form button.primary").click()

    assert urlsplit(page.url).path == "/audit/"
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("table.table")).to_be_visible()
    # Their own sign-in is already in the log.
    expect(page.locator("table.table")).to_contain_text(audit.username)
    assert page.recorder.off_host() == []
    assert page.recorder.csp_violations() == []


def test_tree_browser_loads_children_with_htmx(live_server, page, tree, make_user):
    make_user("sup_tree", role="supervisor_admin", org=tree["SASAC"])
    base = live_server.url
    sign_in(page, base, "sup_tree", path="/orgs/tree/")
    expect(page).to_have_url(re.compile(r"/orgs/tree/$"))

    tree_list = page.get_by_test_id("tree")
    expect(tree_list).to_contain_text("国资委")
    assert tree_list.get_by_text("甲集团").count() == 0  # children not loaded yet

    root = tree_list.locator("details").filter(has_text="国资委").first
    # Click the disclosure triangle at the summary's left edge, not the link to the page.
    root.locator("summary").first.click(position={"x": 4, "y": 8})
    expect(tree_list.get_by_text("甲集团")).to_be_visible()
    expect(tree_list.get_by_text("乙集团")).to_be_visible()
    assert urlsplit(page.url).path == "/orgs/tree/"  # no navigation: htmx swapped the list
    children_url = f"/orgs/{tree['SASAC'].pk}/children/"
    assert any(urlsplit(u).path == children_url for u in page.recorder.htmx_requests)

    # One level deeper, loaded on demand too.
    group = tree_list.locator("details").filter(has_text="甲集团").last
    group.locator("summary").first.click(position={"x": 4, "y": 8})
    expect(tree_list.get_by_text("甲子公司")).to_be_visible()
    assert page.recorder.csp_violations() == []
    assert page.recorder.errors() == []


def test_home_and_organisation_pages_render_in_chinese(live_server, page, tree, make_user):
    make_user("viewer_shot", role="viewer", org=tree["GROUP-A"])
    base = live_server.url
    sign_in(page, base, "viewer_shot")
    SHOTS.mkdir(parents=True, exist_ok=True)

    assert urlsplit(page.url).path == "/"
    expect(page.locator("main")).to_contain_text("甲集团")
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)

    with page.expect_navigation():
        page.locator(f"main a[href='/orgs/{tree['GROUP-A'].pk}/']").click()
    expect(page.locator("h1")).to_contain_text("甲集团")
    expect(page.locator("main")).to_contain_text("甲子公司")  # its child
    page.screenshot(path=str(SHOTS / "org_detail.png"), full_page=True)

    # The stylesheet applied: the top bar is laid out as a flex row, not unstyled HTML.
    display = page.locator("header.topbar").evaluate("e => getComputedStyle(e).display")
    assert display == "flex"
    assert page.recorder.off_host() == []
    assert page.recorder.csp_violations() == []
    assert page.recorder.errors() == []
    # A business user's page links to none of the administrators' pages.
    assert page.locator("a[href='/audit/'], a[href='/people/']").count() == 0
