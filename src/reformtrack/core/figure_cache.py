"""Figures kept by a digest of what they are drawn from, shared by every server process.

A chart (a plotly figure as JSON-able data) costs more to build than the queries behind it,
and a server runs several worker processes, so a cache inside one process is cold in the
others. `remembered(digest, build)` looks in this process's last few figures, then in the
"figures" cache (settings.CACHES: files under the data folder by default, shared by all
workers, offline), and only then builds and stores. The key is a digest of every input of
the figure (and whatever scopes it), so nothing needs invalidating: changed data is a new key,
and two readers share a figure only when it is drawn from exactly the same data.
Reading never touches the database; storing writes one file."""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from threading import Lock

from django.core.cache import InvalidCacheBackendError, caches
from django.urls import get_script_prefix

LOCAL = 64  # figures this process keeps in memory, most recently used
SKIPPED = {"static", "libraries", "__pycache__", "migrations", "tests"}  # draw no figure
_local: OrderedDict[str, object] = OrderedDict()
_lock = Lock()


def _shared():
    try:
        return caches["figures"]
    except InvalidCacheBackendError:  # a settings file without the figures cache
        return caches["default"]


@cache
def code_stamp() -> str:
    """A digest of the product's code, templates and translations as installed (each file's
    name, size and time): a new version draws its figures afresh rather than reading what
    the previous version drew from the same data."""
    package = Path(__file__).resolve().parents[1]
    found = []
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED)
        for name in sorted(files):
            if name.endswith((".py", ".html", ".mo")):
                stat = os.stat(os.path.join(folder, name))
                found.append((folder, name, stat.st_size, stat.st_mtime_ns))
    return hashlib.sha256(repr(found).encode()).hexdigest()[:16]


def remembered[T](digest: str, build: Callable[[], T]) -> T:
    """The figure stored under `digest`, built (and stored) if no process has it yet. The
    key also holds the code's stamp and the URL prefix (links drawn into the figure)."""
    digest = f"{code_stamp()}:{get_script_prefix()}:{digest}"
    with _lock:
        if digest in _local:
            _local.move_to_end(digest)
            return _local[digest]  # type: ignore[return-value]
    shared = _shared()
    key = f"figure:{digest}"
    found = shared.get(key)
    if found is None:
        found = build()
        shared.set(key, found)
    with _lock:
        _local[digest] = found
        while len(_local) > LOCAL:
            _local.popitem(last=False)
    return found


def forget_local() -> None:
    """Empties this process's memory of figures (tests: read what another worker stored)."""
    with _lock:
        _local.clear()
