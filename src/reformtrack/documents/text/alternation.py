"""The matches of an alternation `a|b|c` found from its branches compiled one by one: each
branch is compiled once per process, where a text's own alternation (of the names it may hold)
cost 3–8 ms to compile for every new set of names."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Sequence


def finditer(branches: Sequence[re.Pattern], text: str) -> Iterator[tuple[int, re.Match]]:
    """(branch index, match) of `re.compile("|".join(branches)).finditer(text)`, for branches
    that never match empty and hold no back-references: the alternation matches at the
    leftmost place any branch matches, with the first branch matching there, and goes on from
    its end. A branch's leftmost match from a place stays its leftmost from any later place up
    to its start (a lookbehind sees the text before a search's start either way)."""
    heads = []
    for i, branch in enumerate(branches):
        if (m := branch.search(text)) is not None:
            heads.append((m.start(), i, m))
    heapq.heapify(heads)
    at = 0
    while heads:
        start, i, m = heads[0]
        if start < at:  # overlapped by the last match: its next match from there
            if (m := branches[i].search(text, at)) is not None:
                heapq.heapreplace(heads, (m.start(), i, m))
            else:
                heapq.heappop(heads)
            continue
        yield i, m
        at = max(m.end(), start + 1)
