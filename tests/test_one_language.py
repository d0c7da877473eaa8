"""One language per page: every HTML page of every app (the URL conf's patterns, reached by
following the links of the demo site as its users see it), rendered in Chinese and in English,
shows no text in the other language outside data.

The rule (strict but workable):
- Text is what a reader sees: text nodes and the title / placeholder / aria-label / alt
  attributes; scripts, styles and hidden inputs are not read.
- Data is exempt: text inside an element marked `lang` (another language than the page's) or
  `class="data"`, and any text stored in the database by people or imports (names, titles,
  quotes, codes, usernames). Not data: the Chinese half of a bilingual field whose English half
  is filled (the page must show the English one), units (the page must label them), and
  titles kept as a translatable message (approvals, notices).
- An empty choice reads as words ("All", "—"), never as Django's "---------".
- In an English page, a run of Han characters that is not data fails. In a Chinese page, a
  Latin word of three or more letters with a lower-case letter (an English word, not a code
  such as KEGAI or M-1) that is not data and not a product or format name fails.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"(?<![\w@./:-])[A-Za-z]*[a-z][A-Za-z]*(?![\w@/:-])")
# Names of products, formats and standards a Chinese page writes in Latin letters.
LATIN_NAMES = {
    "excel",
    "word",
    "pdf",
    "ofd",
    "wps",
    "png",
    "jpeg",
    "jpg",
    "docx",
    "xlsx",
    "csv",
    "html",
    "yaml",
    "json",
    "api",
    "token",
    "tokens",
    "otp",
    "totp",
    "uscc",
    "id",
    "url",
    "http",
    "https",
    "reformtrack",
    "openapi",
    "swagger",
    "redoc",
    "sha",
    "utf",
    "zip",
    "ole",
    "kpi",
    "kpis",
    "English",
    "et",
    "dps",
    "doc",
    "xls",
    "svg",
    "plotly",
    "gb",
    "docs",
    "mb",
    "kb",
    "bytes",
}
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SKIPPED_TAGS = {"script", "style", "template", "noscript", "code", "pre"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param"}  # fmt: skip
# Not pages: the API, files, forms answered by POST only, sign-out.
NOT_PAGES = ("/api/", "/static/", "/media/", "/i18n/", "/logout/", "/admin/")
# Files, not pages (a brief's HTML download is a document in its own language).
NOT_PAGE_NAMES = ("download", "export")
# Texts of other changes of this session that still mix languages, each with who owns it: shown
# here rather than hidden, and taken out as they are fixed (see the final report).
KNOWN: dict[str, str] = {}


def is_known(text: str) -> bool:
    text = text.strip()
    return any(
        text == known or ((len(known) > 12 or HAN.search(known)) and known in text)
        for known in KNOWN
    )


FILE_ENDINGS = (".xlsx", ".csv", ".docx", ".pdf", ".zip", ".json", ".yaml", ".png", ".svg",
                ".ofd", ".html.zip")  # fmt: skip
PER_PATTERN = 2  # pages visited per URL pattern
USERS = ["sasac_admin", "haohua_office", "sinochem_office", "auditor", "secadmin", "sysadmin"]


class VisibleText(HTMLParser):
    """(text, where) of what a reader sees outside data."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, exempt)
        self.found: list[str] = []

    def exempt(self) -> bool:
        return any(exempt for _tag, exempt in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        classes = (attrs.get("class") or "").split()
        exempt = (
            tag in SKIPPED_TAGS
            or "data" in classes
            or (tag == "input" and attrs.get("type") == "hidden")
            or (tag != "html" and lang and lang[:2] != self.language[:2])
        )
        if not (exempt or self.exempt()):
            self.found.extend(attrs[name] for name in READ_ATTRIBUTES if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.found.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, bool(exempt)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if data.strip() and not self.exempt():
            self.found.append(data)


# --- what counts as data --------------------------------------------------------------------


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def data_texts() -> list[str]:
    """Every text the database holds as data (see the module's rule)."""
    texts: list[str] = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        fields = []
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                continue
            if field.name == "unit" or field.name in ("stored_title", "title_message"):
                continue
            fields.append(field.name)
        if not fields:
            continue
        values = ["pk", *fields]
        messages = "title_message" in names
        if messages:
            values += ["stored_title", "title_message"]
        for row in model._default_manager.values(*values).iterator():
            for name in fields:
                if name.endswith("_zh") and row.get(name[:-3] + "_en"):
                    continue  # the page must show the English half
                texts.extend(_strings(row[name]))
                if name == "actor_username" and str(row[name]).startswith("system:"):
                    texts.append(row[name].removeprefix("system:"))  # 系统（root）: a login name
            if messages and not row["title_message"]:
                texts.append(row["stored_title"])  # a title written as plain text is data
    return [t for t in texts if t]


class Data:
    def __init__(self, texts: list[str]):
        self.corpus = "\n".join(texts)
        self.han = {run for text in texts for run in HAN.findall(text)}
        self.words = {w.lower() for text in texts for w in WORD.findall(text)}

    def has_han(self, run: str) -> bool:
        return run in self.han or run in self.corpus

    def has_word(self, word: str) -> bool:
        return word.lower() in self.words

    def has_prefix(self, start: str) -> bool:
        return any(word.startswith(start.lower()) for word in self.words)


COMMAND = re.compile(r"reformtrack(?: [a-z][a-z-]*)+")  # a command quoted in a sentence


def foreign_text(html: str, language: str, data: Data) -> list[str]:
    """The bits of `html` in the other language that are not data (each with its context)."""
    parser = VisibleText(language)
    parser.feed(html)
    bad = []
    latin_names = {n.lower() for n in LATIN_NAMES}
    for text in parser.found:
        if is_known(text):
            continue
        text = COMMAND.sub(" ", text)
        if "-----" in text:
            bad.append(f"an empty choice shown as dashes ← {text.strip()[:80]}")
        if language == "en":
            bad += [f"{run} ← {text.strip()[:80]}" for run in HAN.findall(text)
                    if not data.has_han(run)]  # fmt: skip
        else:
            for word in WORD.findall(text):
                if len(word) < 3 or word.lower() in latin_names:
                    continue
                cut = f"{word}…" in text  # a data text cut short: a prefix of a data word
                if not (data.has_word(word) or cut and data.has_prefix(word)):
                    bad.append(f"{word} ← {text.strip()[:80]}")
    return bad


# --- the pages ----------------------------------------------------------------------------------


def html_patterns() -> dict[str, str]:
    """url name → route of every pattern outside the API (what the crawl should reach)."""
    found: dict[str, str] = {}

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                space = entry.namespace or namespace
                walk(entry, prefix + str(entry.pattern), space)
            elif isinstance(entry, URLPattern) and entry.name:
                route = prefix + str(entry.pattern)
                if not route.startswith(("api/", "i18n/", "admin/")):
                    found[f"{namespace}:{entry.name}" if namespace else entry.name] = route

    walk(get_resolver(), "", None)
    return found


def pattern_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client: Client, language: str, broken: dict[str, int] | None = None) -> dict[str, str]:
    """path → HTML of the pages reached from the home page, PER_PATTERN per URL pattern; a
    page that fails on the server (5xx) is put in `broken` (path → status) when given."""
    seen_patterns: dict[str, int] = defaultdict(int)
    pages: dict[str, str] = {}
    queue = ["/"] + [f"/{route}" for route in html_patterns().values() if "<" not in route]
    visited = set()
    while queue:
        path = queue.pop(0)
        if path in visited or path.startswith(NOT_PAGES) or path.endswith(FILE_ENDINGS):
            continue
        visited.add(path)
        name = pattern_of(urlsplit(path).path)
        if name is None or seen_patterns[name] >= PER_PATTERN or name.endswith(NOT_PAGE_NAMES):
            continue
        seen_patterns[name] += 1
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code >= 500 and broken is not None:
            broken[path] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[path] = html
        for href in re.findall(r'href="(/[^"#]*)', html):
            href = href.replace("&amp;", "&")
            if href not in visited:
                queue.append(href)
    return pages


# The walk itself, test_every_page_is_in_one_language, runs in tests/test_full_demo.py on the
# one load of the whole demo its tests share.


# --- shipped data ------------------------------------------------------------------------------

LIBRARIES = Path(__file__).parent.parent / "src" / "reformtrack"
DEVELOPER_NOTES = re.compile(r"shared/|domain\.md|design\.md|待核|TODO|FIXME|XXX")


def test_shipped_libraries_hold_no_developer_notes():
    """Notes for developers live in YAML comments, never in text a user reads."""
    found = []
    for path in sorted(LIBRARIES.glob("**/libraries/**/*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if DEVELOPER_NOTES.search(text):
                found.append(f"{path.relative_to(LIBRARIES)}: {text[:80]}")
    assert not found, "\n".join(found)
