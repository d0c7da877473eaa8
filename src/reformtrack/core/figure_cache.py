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

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from django.core.cache import InvalidCacheBackendError, caches

LOCAL = 64  # figures this process keeps in memory, most recently used
_local: OrderedDict[str, object] = OrderedDict()
_lock = Lock()


def _shared():
    try:
        return caches["figures"]
    except InvalidCacheBackendError:  # a settings file without the figures cache
        return caches["default"]


def remembered[T](digest: str, build: Callable[[], T]) -> T:
    """The figure stored under `digest`, built (and stored) if no process has it yet."""
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
