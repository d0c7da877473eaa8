"""The cuts (words and tags) of the pieces of text read lately, for a recogniser whose cut of a
piece depends on its characters only: copies of one story share most of their sentences, and a
sentence read again costs nothing. Kept as word lengths and shared tags (~1 kB a piece), the
least recently read going first. `cache_stats` counts the pieces found and the pieces cut, for
the benchmark to report."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable

Cut = list[tuple[str, str]]
cache_stats = {"found": 0, "run": 0}


class KeptCuts:
    """One recogniser's kept cuts; `size` pieces at most (0 keeps nothing)."""

    def __init__(self, size: int):
        self.size = size
        self._kept: OrderedDict[str, tuple[tuple[int, ...], tuple[str, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def cuts(self, pieces: list[str], cut: Callable[[list[str]], list[Cut]]) -> list[Cut]:
        """[(word, tag), …] of each piece: kept ones as kept, the others from `cut(missing)`
        (a piece twice in `pieces` is cut once)."""
        words: dict[str, Cut] = {}
        missing = []
        with self._lock:
            for piece in pieces:
                if piece in words:
                    continue
                found = self._kept.get(piece)
                if found is None:
                    missing.append(piece)
                    words[piece] = []
                else:
                    self._kept.move_to_end(piece)
                    words[piece] = _words(piece, *found)
        cache_stats["found"] += len(pieces) - len(missing)
        cache_stats["run"] += len(missing)
        fresh = cut(missing) if missing else []
        with self._lock:
            for piece, done in zip(missing, fresh, strict=True):
                words[piece] = done
                self._kept[piece] = (
                    tuple(len(w) for w, _t in done),
                    tuple(sys.intern(t) for _w, t in done),
                )
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return [list(words[piece]) for piece in pieces]


def _words(piece: str, lengths: tuple[int, ...], tags: tuple[str, ...]) -> Cut:
    out, start = [], 0
    for length, tag in zip(lengths, tags, strict=True):
        out.append((piece[start : start + length], tag))
        start += length
    return out
