"""PDF from a Django HTML template through WeasyPrint, fetching nothing but our static files.

WeasyPrint (2 s to import) loads on the first PDF, not with the module."""

from __future__ import annotations

import mimetypes
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.utils import translation

TEMPLATE_DIR = Path(__file__).parent / "templates"
BASE_URL = "https://reformtrack.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


@cache
def engine() -> Engine:
    """The project's template engine plus this package's `reports/base.html`."""
    dirs = [TEMPLATE_DIR, *settings.TEMPLATES[0].get("DIRS", [])]
    return Engine(dirs=[str(d) for d in dirs], app_dirs=True, libraries=get_installed_libraries())


@cache
def static_only_fetcher():
    """A fetcher class serving `data:` URIs and our own static files; every other URL is
    refused (no network). Built on first use, so WeasyPrint loads only for a PDF."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(STATIC_PREFIX):
                name = url[len(STATIC_PREFIX) :].split("?")[0]
                found = finders.find(name) if ".." not in name else None
                if found:
                    mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
                    body = Path(found).read_bytes()
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
            raise URLFetchingError(f"refused: {url}")

    return StaticOnlyFetcher


def render_html(template_name: str, context: dict) -> str:
    with translation.override(context.get("language", settings.LANGUAGE_CODE)):
        return engine().get_template(template_name).render(Context(context))


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` (usually extending "reports/base.html") to PDF bytes."""
    from weasyprint import HTML

    html = render_html(template_name, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher()()).write_pdf()


def __getattr__(name: str):
    if name == "StaticOnlyFetcher":  # the class, built (and WeasyPrint loaded) on first use
        return static_only_fetcher()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
