"""Whole read pages kept under the database's data version, so none can be stale.

A main page costs 10–20 ORM queries of Python to build; the same user asking for the same URL
with nothing written since gets the same bytes. `cached_page` (a view decorator) keeps a
page's response under a key of everything it is drawn from:
- the data version (core/models/data_version.py): changed by the database's own triggers on
  every committed write to a business table, whoever writes — service, bulk `update()`, raw
  SQL, an import, another program — so after any write every key is new;
- the user's id, administrator role and grants of every action (the scope resolver is
  pluggable and may read outside the database), so two users never share an entry;
- the language, scheme, host, URL path and query string, the table cookies (page size and
  columns), today's date (overdue is a matter of the date), the code stamp and URL prefix.
What differs between two requests with the same key is cut out: the CSRF tokens are stored as
a placeholder and a fresh token is put in on each read; a request with messages to show, an
htmx request, anything but a GET of a 200 HTML page that sets no cookie is neither served
from nor stored in the cache. Reading the version is one query; reading or storing an entry
touches no database (the "pages" cache is process memory by default; a database cache is
refused). Inside a transaction nothing is read from or kept in the cache (on PostgreSQL not
even in a transaction begun outside Django that has written), so what a transaction sees
before its commit is never kept.
"""

from __future__ import annotations

import hashlib
import re
from functools import wraps

from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connections
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language

from .figure_cache import code_stamp
from .scoping import all_grants

PLACEHOLDER = b"\x00csrf-token\x00"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TABLE_COOKIE = "tbl-"
VERSION_SQL = {
    "sqlite": "SELECT value FROM core_dataversion WHERE id = 1",
    # a transaction that has written (an xid assigned) is not committed: keep nothing it sees
    "postgresql": (
        "SELECT value FROM core_dataversion WHERE id = 1 AND txid_current_if_assigned() IS NULL"
    ),
}
SKIPPED_HEADERS = {"content-type", "content-length", "set-cookie"}


def data_version(using: str = "default") -> int | None:
    """The current data version, or None when the cache may not be used: inside a transaction
    (it may have written, and may roll back; a server's GET runs in autocommit), another
    database, the row missing after a flush, a PostgreSQL transaction that has written."""
    connection = connections[using]
    sql = VERSION_SQL.get(connection.vendor)
    if sql is None or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else None


def _store():
    try:
        store = caches["pages"]
    except InvalidCacheBackendError:  # a settings file without the pages cache
        store = caches["default"]
    return None if isinstance(store, BaseDatabaseCache) else store  # reading writes nothing


def grants_key(user) -> tuple:
    """Every action's granted paths of `user`, as a key (sorted tuples)."""
    return tuple(sorted((action, tuple(paths)) for action, paths in all_grants(user).items()))


_grants = grants_key


def page_key(request, user, kind: str) -> str | None:
    """The entry's key for this request, or None when the cache may not be used."""
    if user is None or not user.is_authenticated:
        return None
    version = data_version()
    if version is None:
        return None
    cookies = sorted((k, v) for k, v in request.COOKIES.items() if k.startswith(TABLE_COOKIE))
    parts = (
        kind, version, code_stamp(), get_script_prefix(), user.pk,
        getattr(user, "admin_role", ""), _grants(user), get_language(), request.scheme,
        request.get_host(), request.get_full_path(), cookies,
        timezone.localdate().isoformat(),
    )  # fmt: skip
    return f"page:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def _usable(request) -> bool:
    if request.method != "GET" or request.headers.get("HX-Request"):
        return False
    shown = getattr(request, "_messages", None)
    return not (shown is not None and len(shown))  # messages to show: the page is this once


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and not response.has_header("Content-Disposition")
    )


def _kept(request, response) -> dict | None:
    """What is stored: the body with its CSRF tokens cut out, the type and the view's headers."""
    content = response.content
    secret = request.META.get("CSRF_COOKIE")
    tokens = set(TOKEN.findall(content))
    for token in tokens:
        content = content.replace(token, PLACEHOLDER)
    if secret and secret.encode() in content:  # an unmasked secret we could not cut out
        return None
    headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
    return {
        "content": content,
        "type": response["Content-Type"],
        "headers": headers,
        "token": bool(tokens),
    }


def _served(request, kept: dict) -> HttpResponse:
    content = kept["content"]
    if kept["token"]:  # a fresh token of this request's CSRF secret (as rendering would give)
        content = content.replace(PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, content_type=kept["type"])
    for name, value in kept["headers"]:
        response[name] = value
    return response


def cached_page(view):
    """Serves a GET of `view` from the page cache when nothing was written since the same user
    read the same URL (see the module's docstring); otherwise runs the view and keeps its page.
    For class-based views: `@method_decorator(cached_page, name="dispatch")`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        store = _store()
        key = None
        if store is not None and _usable(request):
            key = page_key(request, getattr(request, "user", None), "html")
        if key is not None:
            kept = store.get(key)
            if kept is not None:
                return _served(request, kept)
        response = view(request, *args, **kwargs)
        if key is not None and response.status_code == 200:
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            if _storable(request, response):
                kept = _kept(request, response)
                if kept is not None:
                    store.set(key, kept)
        return response

    return wrapper


def cached_data(request, build):
    """The API's version of `cached_page`: keeps a list's serialized data (before rendering,
    so every format and `Accept` gets the same data) under the same kind of key. `request` is
    DRF's (authenticated by session or token); `build()` returns the view's Response."""
    from rest_framework.response import Response

    store = _store()
    key = None
    if store is not None and request.method == "GET":
        key = page_key(request._request, request.user, "api")
    if key is not None:
        data = store.get(key)
        if data is not None:
            return Response(data)
    response = build()
    if key is not None and response.status_code == 200 and not response.cookies:
        store.set(key, response.data)
    return response
