"""Learning spinners' synonym swaps from a clean copy and a spun copy of one story, and
repairing with what was learned: the copies are aligned character by character (difflib),
each differing stretch widened to the clean copy's words (jieba), and a learned swap is undone
in a text only where the clean-library n-gram model reads the clean word better in context."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from .ngram import CharModel

HAN = re.compile(r"^[\u4e00-\u9fff]+$")
MAX_FORM = 6  # characters of a learned form
MERGE_GAP = 1  # differing stretches this close are one swap (深化 / 加深)
MARGIN = 1.0  # log10: the clean word must read ten times likelier in context
FLAG_AT = 3  # distinct learned swaps confirmed in a text that make it spun


@dataclass(frozen=True)
class Swap:
    spun: str
    clean: str


def _word_spans(text: str) -> list[tuple[int, int]]:
    from .segment import _jieba

    return [(start, end) for _word, start, end in _jieba().tokenize(text)]


def _hunks(clean: str, spun: str) -> list[tuple[int, int, int, int]]:
    """Differing stretches (clean i1:i2, spun j1:j2), neighbours closer than MERGE_GAP merged."""
    matcher = difflib.SequenceMatcher(None, clean, spun, autojunk=False)
    hunks: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if hunks and i1 - hunks[-1][1] <= MERGE_GAP and j1 - hunks[-1][3] <= MERGE_GAP:
            hunks[-1][1], hunks[-1][3] = i2, j2
        else:
            hunks.append([i1, i2, j1, j2])
    return [tuple(h) for h in hunks]


def align(clean: str, spun: str) -> Counter:
    """Swaps (spun form → clean form) between two copies of one text, with their counts."""
    found: Counter = Counter()
    spans = _word_spans(clean)
    starts = sorted(s for s, _e in spans)
    ends = sorted(e for _s, e in spans)
    for i1, i2, j1, j2 in _hunks(clean, spun):
        if i1 == i2 or j1 == j2:
            continue  # an insertion or deletion (junk, a dropped word): no swap
        # widen to the clean copy's word boundaries; the widening is equal text on both sides
        left = i1 - max((s for s in starts if s <= i1), default=i1)
        right = min((e for e in ends if e >= i2), default=i2) - i2
        if (
            clean[i1 - left : i1] != spun[j1 - left : j1]
            or clean[i2 : i2 + right] != spun[j2 : j2 + right]
        ):
            continue
        c, s = clean[i1 - left : i2 + right], spun[j1 - left : j2 + right]
        if len(c) < 2 and len(s) < 2:
            continue
        if HAN.match(c) and HAN.match(s) and len(c) <= MAX_FORM and len(s) <= MAX_FORM:
            found[Swap(s, c)] += 1
    return found


@dataclass
class Repair:
    spun: bool
    text: str
    changes: list[dict] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


def _pattern(swaps: list[Swap]) -> re.Pattern | None:
    forms = sorted({s.spun for s in swaps}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms))) if forms else None


def repair(
    text: str,
    swaps: list[Swap],
    model: CharModel,
    *,
    margin: float = MARGIN,
    flag_at: int = FLAG_AT,
    already_spun: bool = False,
) -> Repair:
    """Undo learned swaps where the clean word reads better in context by `margin`; only in a
    text that `flag_at` distinct confirmed swaps (or the table's detection) show to be spun."""
    pattern = _pattern(swaps)
    if pattern is None:
        return Repair(already_spun, text)
    by_spun: dict[str, list[str]] = {}
    for swap in swaps:
        by_spun.setdefault(swap.spun, []).append(swap.clean)
    decided = []
    for m in pattern.finditer(text):
        gains = [(model.gain(text, m.start(), m.end(), c), c) for c in by_spun[m.group()]]
        gain, clean = max(gains)
        if gain > margin:
            decided.append((m.start(), m.end(), m.group(), clean))
    evidence = sorted({spun for _s, _e, spun, _c in decided})
    spun = already_spun or len(evidence) >= flag_at
    if not spun:
        return Repair(False, text, [], evidence)
    out, changes, last, position = [], [], 0, 0
    for start, end, form, clean in decided:
        out.append(text[last:start])
        position += start - last
        changes.append({"before": form, "after": clean, "start": position,
                        "end": position + len(clean), "learned": True})  # fmt: skip
        out.append(clean)
        position += len(clean)
        last = end
    out.append(text[last:])
    return Repair(True, "".join(out), changes, evidence)
