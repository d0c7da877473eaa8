"""Spun-text detection and repair: synonym swaps from the substitution table (data), read in
context — protected phrases are never touched, weak swaps only inside a document that strong
swaps already show to be spun. Every change is kept with its place in the repaired text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..lexicons import substitutions

FLAG_AT = 3  # distinct strong swaps that make a document spun


@dataclass
class SpunResult:
    spun: bool
    confidence: float
    text: str
    changes: list[dict] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@cache
def _table():
    subs, protect = substitutions()
    by_spun = {s.spun: s for s in subs}
    forms = sorted([*by_spun, *protect], key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(f) for f in forms))
    return pattern, by_spun, set(protect)


def _repeated_runs(original: str) -> int:
    return len(re.findall(r"([,，。;；])\1{2,}", original))


def detect_and_repair(text: str, *, original: str | None = None) -> SpunResult:
    """Flag `text` (already normalised, Simplified Chinese) as spun and repair it if so."""
    pattern, by_spun, protect = _table()
    matches = [m for m in pattern.finditer(text) if m.group() not in protect]
    strong = sorted({m.group() for m in matches if by_spun[m.group()].strong})
    runs = _repeated_runs(original or text)
    word_score = min(0.95, 0.2 * len(strong))
    punct_score = min(0.5, runs / 40)
    confidence = round(1 - (1 - word_score) * (1 - punct_score), 2) if strong else 0.0
    spun = len(strong) >= FLAG_AT
    if not spun:
        return SpunResult(False, confidence, text, [], strong)
    out, changes, last = [], [], 0
    position = 0
    for m in pattern.finditer(text):
        form = m.group()
        if form in protect:
            continue
        clean = by_spun[form].clean
        out.append(text[last : m.start()])
        position += m.start() - last
        changes.append(
            {
                "before": form,
                "after": clean,
                "start": position,
                "end": position + len(clean),
                "strong": by_spun[form].strong,
            }
        )
        out.append(clean)
        position += len(clean)
        last = m.end()
    out.append(text[last:])
    return SpunResult(True, confidence, "".join(out), changes, strong)


def marked_segments(text: str, changes: list[dict]) -> list[tuple[str, dict | None]]:
    """The repaired text cut into (piece, change or None) for showing each change marked."""
    pieces, last = [], 0
    for change in sorted(changes, key=lambda c: c["start"]):
        pieces.append((text[last : change["start"]], None))
        pieces.append((text[change["start"] : change["end"]], change))
        last = change["end"]
    pieces.append((text[last:], None))
    return [(p, c) for p, c in pieces if p]
