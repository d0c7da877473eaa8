"""The one way the tests drive Debian's Chromium: a page signed in on the live server, with
every request and console error recorded, for the offline (nothing fetched from outside) and
strict-CSP (no console error) checks each browser test ends with."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def console_errors(message) -> list[str]:
    """Errors, CSP violations included."""
    return [message.text] if message.type == "error" else []


@dataclass
class Seen:
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def off_host(self) -> list[str]:
        """Requests that left the server: an air-gapped intranet would break on each."""
        return [
            u for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob", "about")
            and urlsplit(u).hostname not in LOCAL_HOSTS
        ]  # fmt: skip


@contextmanager
def signed_in_page(live_server, path: str, username: str):
    """(page, seen): Chromium in Chinese at 1280×900 on `path`, signed in as `username`."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    seen = Seen()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("request", lambda r: seen.requests.append(r.url))
        page.on("console", lambda m: seen.console.extend(console_errors(m)))
        page.on("pageerror", lambda e: seen.console.append(f"pageerror: {e}"))
        page.goto(live_server.url + path)
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("form button.primary").click()
        try:
            yield page, seen
        finally:
            context.close()
            browser.close()
