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
Shape = tuple[tuple[int, ...], tuple[str, ...]]  # word lengths, tags
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

    def shapes(self, pieces: list[str], cut: Callable[[list[str]], list[Shape]]) -> list[Shape]:
        """(word lengths, tags) of each piece: kept ones as kept, the others from
        `cut(missing)` (a piece twice in `pieces` is cut once)."""
        found: dict[str, Shape] = {}
        missing = []
        kept = self._kept
        with self._lock:
            for piece in pieces:
                if piece in found:
                    continue
                shape = kept.get(piece)
                if shape is None:
                    missing.append(piece)
                    found[piece] = _NONE
                else:
                    kept.move_to_end(piece)
                    found[piece] = shape
        cache_stats["found"] += len(pieces) - len(missing)
        cache_stats["run"] += len(missing)
        if missing:
            fresh = cut(missing)
            with self._lock:
                for piece, (lengths, tags) in zip(missing, fresh, strict=True):
                    found[piece] = kept[piece] = (lengths, tuple(map(sys.intern, tags)))
                while len(kept) > self.size:
                    kept.popitem(last=False)
        return [found[piece] for piece in pieces]


_NONE: Shape = ((), ())


def shape_of(done: Cut) -> Shape:
    """(word lengths, tags) of a cut: what is kept of it."""
    return tuple(len(w) for w, _t in done), tuple(t for _w, t in done)


def words_of(piece: str, shape: Shape) -> Cut:
    """The cut of `piece` whose shape is `shape`."""
    lengths, tags = shape
    out, start = [], 0
    for length, tag in zip(lengths, tags, strict=True):
        out.append((piece[start : start + length], tag))
        start += length
    return out
