"""Restoring a spun copy from the clean copy of its cluster: the two are aligned sentence by
sentence and each word that differs is put back as the clean copy writes it. No learned pair
or n-gram judgement is needed, so swaps never learned and copies too short to be found spun
are restored as well. Only Chinese words swapped for Chinese words are restored: a figure, a
Latin name or text that one copy adds or drops is the copy's own and is left."""

from __future__ import annotations

import difflib
import re

from .spun_learn import HAN, Repair, word_changes

SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;\n]*|[。！？；!?;\n]+")
MAX_WORD = 8  # characters of a restored word (a longer differing stretch is a rewrite)
MAX_CHUNK = 4000  # characters of an unpaired run of sentences diffed as one (bounded work)


def _sentences(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in SENTENCE.finditer(text)]


def _chunks(spun: str, clean: str):
    """(start in spun, spun piece, clean piece) of the sentences that differ: equal sentences
    are skipped, differing runs of as many sentences paired one to one, other runs whole."""
    ours, theirs = _sentences(spun), _sentences(clean)
    matcher = difflib.SequenceMatcher(
        None, [s for _a, s in ours], [s for _a, s in theirs], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            continue  # equal, or sentences only one copy has
        if i2 - i1 == j2 - j1:
            for (start, mine), (_b, other) in zip(ours[i1:i2], theirs[j1:j2], strict=True):
                yield start, mine, other
            continue
        mine = "".join(s for _a, s in ours[i1:i2])
        other = "".join(s for _a, s in theirs[j1:j2])
        if len(mine) + len(other) <= MAX_CHUNK:
            yield ours[i1][0], mine, other


def _word_swaps(spun: str, clean: str) -> list[tuple[int, int, str]]:
    """(start, end, clean word) in `spun` of each Chinese word the clean piece writes
    otherwise, widened to the clean piece's words (jieba)."""
    return [
        (start, end, word)
        for start, end, before, word in word_changes(clean, spun)
        if HAN.match(word) and HAN.match(before) and len(word) <= MAX_WORD
    ]


def restore(spun: str, clean: str) -> Repair:
    """`spun` with each Chinese word that differs from `clean` (a copy of the same story)
    written as `clean` writes it; each change with its place in the restored text."""
    swaps = []
    for offset, mine, other in _chunks(spun, clean):
        swaps += [(offset + a, offset + b, w) for a, b, w in _word_swaps(mine, other)]
    out, changes, last, position = [], [], 0, 0
    for start, end, word in sorted(swaps):
        if start < last:
            continue
        out.append(spun[last:start])
        position += start - last
        changes.append({"before": spun[start:end], "after": word, "start": position,
                        "end": position + len(word), "sibling": True})  # fmt: skip
        out.append(word)
        position += len(word)
        last = end
    out.append(spun[last:])
    return Repair(bool(changes), "".join(out), changes)


def merge(middle: str, first: list[dict], second: list[dict]) -> list[dict]:
    """Changes text0 → text2 from `first` (text0 → `middle`) and `second` (`middle` → text2),
    each placed in text2: where second changes overlap first ones they become one change
    (before as text0 read, after as text2 reads), and one that ends where it began is gone."""
    spans, shift = [], 0  # the second changes' spans in `middle`
    for c in sorted(second, key=lambda c: c["start"]):
        a = c["start"] - shift
        spans.append((a, a + len(c["before"]), c))
        shift += len(c["after"]) - len(c["before"])
    firsts = sorted(first, key=lambda c: c["start"])
    # groups of overlapping changes: [start, end in middle, second changes, first changes]
    groups: list[list] = []
    for a, b, c in spans:
        groups.append([a, b, [(a, b, c)], []])
    alone = []
    for e in firsts:
        hit = [g for g in groups if g[0] < e["end"] and e["start"] < g[1]]
        if not hit:
            alone.append(e)
            continue
        g = hit[0]
        for other in hit[1:]:  # a first change across two second ones joins them
            g[2] += other[2]
            g[3] += other[3]
            groups.remove(other)
        g[0], g[1] = (
            min(g[0], e["start"], *(h[0] for h in hit)),
            max(g[1], e["end"], *(h[1] for h in hit)),
        )
        g[3].append(e)
    out = []
    for e in alone:
        moved = sum(len(c["after"]) - len(c["before"]) for x, _y, c in spans if x < e["start"])
        out.append({**e, "start": e["start"] + moved, "end": e["end"] + moved})
    for a, b, seconds, group_firsts in groups:
        after, last = [], a
        for x, y, c in sorted(seconds, key=lambda t: t[0]):
            after.append(middle[last:x] + c["after"])
            last = y
        after.append(middle[last:b])
        before, last = [], a
        for e in sorted(group_firsts, key=lambda x: x["start"]):
            before.append(middle[last : e["start"]] + e["before"])
            last = e["end"]
        before.append(middle[last:b])
        before_text, after_text = "".join(before), "".join(after)
        if before_text == after_text:
            continue  # a first change the second undid
        moved = sum(len(c["after"]) - len(c["before"]) for x, _y, c in spans if x < a)
        out.append({**seconds[0][2], "before": before_text, "after": after_text,
                    "start": a + moved, "end": a + moved + len(after_text)})  # fmt: skip
    return sorted(out, key=lambda c: c["start"])


READ_CHARS = 20000  # characters of each copy read to tell which one reads cleaner


def reads_clean(text: str, model) -> float:
    """The n-gram model's log10 score per character of `text` (its first READ_CHARS): a
    spinner's synonyms make a copy read worse than its clean copy."""
    head = text[:READ_CHARS]
    return model.score(head) / max(1, len(head))


def reads_cleaner(text: str, other: str, model) -> bool:
    """Whether `other` reads cleaner than `text` where the two differ: the n-gram model reads
    the words restored from `other` likelier in their context, summed over the changes
    (judged only where they differ, so a copy's length or its other text does not count)."""
    gain, shift = 0.0, 0
    for change in restore(text, other).changes:
        start = change["start"] - shift
        gain += model.gain(text, start, start + len(change["before"]), change["after"])
        shift += len(change["after"]) - len(change["before"])
    return gain > 0


def restores_from(
    copy_flagged: bool,
    copy_text: str,
    other_flagged: bool,
    other_text: str,
    model,
    *,
    other_is_best: bool = False,
    copy_is_best: bool = False,
) -> bool:
    """Whether a copy is restored from another copy of its story: the other is not found
    spun and comes first where copies are ranked (not found spun, the cluster's best, then
    reading cleaner where they differ); equal texts restore nothing."""
    if other_flagged or copy_text == other_text:
        return False
    ours = (copy_flagged, not copy_is_best)
    theirs = (other_flagged, not other_is_best)
    if theirs != ours:
        return theirs < ours
    return reads_cleaner(copy_text, other_text, model)


def restoration(text: str, changes: list[dict], flagged: bool, sibling: str, model):
    """A copy (`text`, its stored repairs `changes`, found spun or not) restored from the
    clean copy `sibling`: a Repair with every change from the text before repair, or None
    where nothing differs or — for a copy not found spun — where the restored text would not
    read cleaner (two editors' wordings, not a spinner's)."""
    restored = restore(text, sibling)
    if not restored.changes:
        return None
    if not flagged and not reads_cleaner(text, sibling, model):
        return None
    return Repair(True, restored.text, merge(text, changes, restored.changes))
