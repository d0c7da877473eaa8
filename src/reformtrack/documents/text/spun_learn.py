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
# Optionally (log10) the neighbours must call for the clean word beyond the words alone; off:
# on the small library it cost most restores for few false edits saved (bench_spun --context).
CONTEXT_MARGIN = None
FLAG_AT = 4  # distinct learned swaps confirmed in a text that make it spun
# ... and of the learned pairs' words in the text, at least this share in their spun form: a
# spinner replaces a word everywhere, while a clean article that happens to use 晋升 or 财产
# still writes 提升, 资产, 目标 … far more often (a long clean digest: 14 against 1,720).
SPUN_SHARE = 0.5
# In a text found spun, a learned form is undone where the clean word reads at least this much
# likelier (log10) in context: the document-level finding is the evidence, so the bar is lower.
SPUN_MARGIN = 0.0
# A spun word at least this common in general Chinese (jieba's dictionary frequencies)
# against the word it replaced is an ordinary word (目的, 严重, 希望): repaired in a text found
# spun, but no evidence that a text is spun.
ORDINARY_RATIO = 0.3


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
        start = i1 - left
        c, s = clean[start : i2 + right], spun[j1 - left : j2 + right]
        if len(c) == len(s):  # several swapped words side by side: one swap per word
            words = [(a - start, b - start) for a, b in spans if start <= a and b <= start + len(c)]
            pieces = [(s[a:b], c[a:b]) for a, b in words if s[a:b] != c[a:b]]
        else:
            pieces = [(s, c)]
        for s_word, c_word in pieces:
            if len(c_word) < 2 and len(s_word) < 2:
                continue
            if (
                HAN.match(c_word)
                and HAN.match(s_word)
                and max(len(c_word), len(s_word)) <= MAX_FORM
            ):
                found[Swap(s_word, c_word)] += 1
    return found


def _core(a: str, b: str) -> tuple[str, str]:
    """The differing middle of two forms (加深晋升 / 深化晋升 → 加深 / 深化)."""
    while a and b and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    return a, b


def ordinary(swap: Swap) -> bool:
    """Is the spun word itself a common word (no sign of spinning on its own)?"""
    from .segment import _jieba

    jieba = _jieba()
    jieba.initialize()
    freq = jieba.dt.FREQ
    spun, clean = _core(swap.spun, swap.clean)
    return freq.get(spun, 0) >= ORDINARY_RATIO * max(1, freq.get(clean, 0))


@dataclass
class Repair:
    spun: bool
    text: str
    changes: list[dict] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


def repair(
    text: str,
    swaps: list[Swap],
    model: CharModel,
    *,
    margin: float = MARGIN,
    context_margin: float | None = CONTEXT_MARGIN,
    flag_at: int = FLAG_AT,
    spun_share: float = SPUN_SHARE,
    spun_margin: float = SPUN_MARGIN,
    already_spun: bool = False,
) -> Repair:
    """Undo learned swaps in a text found spun: `flag_at` distinct swaps the model confirms by
    `margin` (or the table's detection), with the spun forms at least `spun_share` of the
    learned pairs' words in the text. There each form is undone where the clean word reads
    better in context by `spun_margin`; at each place the longest learned form wins."""
    by_spun: dict[str, list[str]] = {}
    for swap in swaps:
        by_spun.setdefault(swap.spun, []).append(swap.clean)
    lengths = sorted({len(form) for form in by_spun}, reverse=True)
    found, i = [], 0  # (start, end, form, clean, gain) at every learned spun form
    while i < len(text) and lengths:
        for length in lengths:
            form = text[i : i + length]
            if form not in by_spun:
                continue
            gain, clean = max((model.gain(text, i, i + length, c), c) for c in by_spun[form])
            if (
                context_margin is not None
                and gain > spun_margin
                and model.context_gain(text, i, i + length, clean) <= context_margin
            ):
                gain = spun_margin
            found.append((i, i + length, form, clean, gain))
            i += length
            break
        else:
            i += 1
    evidence = sorted({form for _s, _e, form, clean, gain in found
                       if gain > margin and not ordinary(Swap(form, clean))})  # fmt: skip
    clean_uses = sum(text.count(c) for c in {c for forms in by_spun.values() for c in forms})
    share = len(found) / (len(found) + clean_uses) if found else 0.0
    spun = already_spun or (len(evidence) >= flag_at and share >= spun_share)
    if not spun:
        return Repair(False, text, [], evidence)
    out, changes, last, position = [], [], 0, 0
    for start, end, form, clean, gain in found:
        if gain <= spun_margin:
            continue
        out.append(text[last:start])
        position += start - last
        changes.append({"before": form, "after": clean, "start": position,
                        "end": position + len(clean), "learned": True})  # fmt: skip
        out.append(clean)
        position += len(clean)
        last = end
    out.append(text[last:])
    return Repair(True, "".join(out), changes, evidence)
