"""Spun-text detection and repair: synonym swaps from the substitution table (data) and those
learned from clean/spun copies and accepted by a reviewer, read in context — protected phrases
are never touched, weak swaps only inside a document that strong swaps already show to be spun
and only where the clean library's n-gram model reads the clean word at least as well (工业企业
stays 工业企业), learned swaps only where it reads the clean word much better. Every change is
kept with its place in the repaired text."""

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


ORDINARY_AT = 3  # a weak spun form seen this often in the clean library is an ordinary word


@cache
def _ordinary() -> frozenset[str]:
    """Weak spun forms the table marks as ordinary official words (工业, 效果, 使命)."""
    import yaml

    from ..lexicons import LEXICON_DIR

    data = yaml.safe_load((LEXICON_DIR / "spun-zh.yaml").read_text(encoding="utf-8"))
    return frozenset(data.get("ordinary", []))


def _ordinary_here(model, text: str, start: int, end: int, clean: str) -> bool:
    """A weak swap's form that clean official prose also uses (marked in the table, or seen
    in the clean library) is repaired only where the library attests the clean word in this
    context (产业+链, 取得+成果) and not the spun one, and the n-gram model agrees."""
    counts = getattr(model, "counts", {})
    form = text[start:end]
    if form not in _ordinary() and counts.get(form, 0) < ORDINARY_AT:
        return False
    before, after = text[start - 1 : start], text[end : end + 1]

    def attested(word: str) -> int:
        return counts.get(before + word, 0) + counts.get(word + after, 0)

    confirmed = attested(clean) > 0 and attested(form) == 0
    return not (confirmed and model.gain(text, start, end, clean) > 0)


def _library(model, learned, threshold):
    """The library's n-gram model, accepted swaps and calibrated threshold where not given."""
    if model is None or learned is None:
        from ..spun_learning import current
        from ..spun_learning import threshold as calibrated

        library_model, accepted = current()
        if threshold is None and model is None and learned is None:
            threshold = calibrated()
        model = library_model if model is None else model
        learned = accepted if learned is None else learned
    if threshold is None:
        from .spun_learn import DOC_THRESHOLD

        threshold = DOC_THRESHOLD
    return model, learned, threshold


def detect_and_repair(
    text: str, *, original: str | None = None, model=None, learned=None, threshold=None
) -> SpunResult:
    """Flag `text` (already normalised, Simplified Chinese) as spun and repair it if so.
    `model`, `learned`, `threshold`: the n-gram model, learned swaps and the document
    threshold (default: the library's, calibrated on its clean texts)."""
    model, learned, threshold = _library(model, learned, threshold)
    table = _table_repair(text, original=original, model=model)
    from .spun_learn import repair

    more = repair(table.text, learned, model, threshold=threshold, already_spun=table.spun)
    if not more.spun:
        return table
    changes = list(table.changes)
    for change in more.changes:  # positions of the table's changes after a learned one move
        shift = len(change["after"]) - len(change["before"])
        for earlier in changes:
            if earlier["start"] >= change["start"] and shift:
                earlier["start"] += shift
                earlier["end"] += shift
    changes = sorted([*changes, *more.changes], key=lambda c: c["start"])
    confidence = table.confidence if table.spun else min(0.95, 0.2 * len(more.evidence))
    return SpunResult(True, confidence, more.text, changes, [*table.evidence, *more.evidence])


def _table_repair(text: str, *, original: str | None, model) -> SpunResult:
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
        if not by_spun[form].strong and _ordinary_here(model, text, m.start(), m.end(), clean):
            continue  # an ordinary word here (工业企业, 使命担当): left alone
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
