"""Programme names as written: Chinese names with or without quotes inside (对标“世界一流”),
English names in any case with hyphens or spaces and a parenthesis between words
("Three-year (2020-22) action plan", "mixed-ownership reform"); a year's target shape
(一利稳定增长，五率持续优化) names that year's programme (metadata `target_shapes`), and
一利五率 takes the year its sentence names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ..lexicons import metadata, programme_names
from . import alternation
from .entities import Item, search_text

QUOTE = "[“”\"「」‘’'《》]?"
GAP = r"[\s\-‐–—]+(?:\([^)]{1,12}\)[\s\-]*)?"  # three-year (2020-22) action


def _pattern(name: str) -> str:
    if re.search(r"[A-Za-z]", name) and not re.search(r"[\u4e00-\u9fff]", name):
        words = [re.escape(w) for w in re.split(r"[\s\-‐–—]+", name) if w]
        return r"(?<![A-Za-z])" + GAP.join(words) + r"(?![A-Za-z])"
    return QUOTE.join(re.escape(ch) for ch in name)


QUOTES = re.compile(QUOTE[:-1])  # the quote marks a Chinese name may hold between characters
# Characters outside ASCII that match an ASCII letter when case is ignored (İ ı ſ K).
FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def _needles(name: str) -> tuple[bool, tuple[str, ...]]:
    """What a text must contain (lower-cased) for the name's pattern to match in it: every word
    of an English name; a Chinese name without its quote marks in the text without them."""
    if re.search(r"[A-Za-z]", name) and not re.search(r"[\u4e00-\u9fff]", name):
        return False, tuple(w.lower() for w in re.split(r"[\s\-‐–—]+", name) if w)
    return True, (QUOTES.sub("", name).lower(),)


@cache
def _entries() -> tuple[tuple[str, ...], tuple[tuple[bool, tuple[str, ...]], ...], tuple]:
    """(pattern, needles, (code, programme)) of every name, longest first."""
    entries = [(p.code, p.programme, n) for p in programme_names() for n in p.names]
    entries.sort(key=lambda e: len(e[2]), reverse=True)
    parts = tuple(_pattern(name) for _c, _p, name in entries)
    needles = tuple(_needles(name) for _c, _p, name in entries)
    return parts, needles, tuple((c, p) for c, p, _n in entries)


def _present(probe: str) -> tuple[int, ...]:
    """The places (in `_entries`) of the names the text may contain."""
    needles = _entries()[1]
    if FOLDS_TO_ASCII.search(probe):
        present = tuple(range(len(needles)))
    else:
        folded = probe.lower()
        bare = QUOTES.sub("", folded)
        chinese_words, english_words = _needle_words()
        found = {w for w in chinese_words if w in bare}  # each word looked for once
        if LATIN.search(folded):  # else only the English words without a letter can be in it
            found |= {("en", w) for w in english_words if w in folded}
        else:
            found |= {("en", w) for w in english_words if not LATIN.search(w) and w in folded}
        present = tuple(i for i, keys in enumerate(_entry_keys()) if found.issuperset(keys))
    return present


@cache
def _branch(place: int) -> re.Pattern:
    """A name's pattern compiled alone, when a text first may hold it (`alternation.finditer`
    reads the alternation of a text's names from them: none compiled per set of names)."""
    return re.compile(_entries()[0][place], re.IGNORECASE)


def _named(probe: str) -> Iterator[tuple[int, re.Match]]:
    """(place in `_entries`, match) of the alternation of the names the text may contain, in
    the longest-first order (a name whose words are absent matches nowhere, so the matches are
    those of every name)."""
    present = _present(probe)
    for i, m in alternation.finditer([_branch(i) for i in present], probe):
        yield present[i], m


LATIN = re.compile("[a-z]")


@cache
def _entry_keys() -> tuple[frozenset, ...]:
    """What each name needs found (`_present`'s keys: a word, ("en", word) for English)."""
    return tuple(
        frozenset(w if chinese else ("en", w) for w in words) for chinese, words in _entries()[1]
    )


@cache
def _needle_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The distinct needles of the Chinese (and Hebrew) names and of the English names."""
    needles = _entries()[1]
    chinese = {w for is_chinese, words in needles if is_chinese for w in words}
    english = {w for is_chinese, words in needles if not is_chinese for w in words}
    return tuple(sorted(chinese)), tuple(sorted(english))


@cache
def _shapes() -> tuple[tuple[re.Pattern, str, int], ...]:
    return tuple(
        (re.compile(s["pattern"]), s["code"], int(s["year"]))
        for s in metadata().get("target_shapes", [])
    )


def _sentence_year(probe: str, start: int) -> int | None:
    left = re.split(r"[。！？\n]", probe[:start])[-1]
    years = re.findall(r"(20\d{2})年", left)
    return int(years[-1]) if years else None


# English paraphrases of the three-year action and the deepening-and-upgrading action, counted
# in a sentence about state-owned enterprise reform ("3-year SOE reform", "a three-year project
# to reform its state-owned enterprises", "a campaign to deepen and upgrade SOE reform").
EN_PARAPHRASES = (
    (re.compile(r"(?i)\b(?:three|3)[- ]year (?:\(20\d\d[-–]\d\d\) )?(?:SOE |state-owned "
                r"enterprise )?(?:action plans?|actions?|projects?|plans?|programmes?|programs?|"
                r"reforms?)\b"), "TYA"),
    (re.compile(r"(?i)\bdeepen(?:ing)? and upgrad(?:e|ing)\b"), "DUA"),
)  # fmt: skip
# A province's or a city's form of the benchmarking action, by its shape: 对标(世界)一流 or 对标
# (管理) then a short name ending in 提升行动/工程/计划 (对标一流质效提升工程, 对标管理提升计划).
ZH_SHAPES = (
    (re.compile(r"对标(?:世界)?一流[\u4e00-\u9fff]{0,6}?提升(?:行动|工程|计划)|"
                r"对标(?:管理)?提升(?:行动|工程|计划)"), "WCB"),
)  # fmt: skip
SOE_REFORM = re.compile(r"(?i)\bSOEs?\b|state-owned (?:enterprise|firm|compan)")


PARAPHRASE_WORDS = ("year", "upgrad")  # what a match of each of EN_PARAPHRASES holds, any case


def _paraphrases(probe: str, taken: list[tuple[int, int]]) -> list[Item]:
    items = []
    lowered = probe.lower()  # no character but İ, ı, ſ and K folds into these words' letters
    for (pattern, code), word in zip(EN_PARAPHRASES, PARAPHRASE_WORDS, strict=True):
        for m in pattern.finditer(probe) if word in lowered else ():
            end = probe.find("\n", m.end())
            line = probe[probe.rfind("\n", 0, m.start()) + 1 : len(probe) if end < 0 else end]
            if any(a < m.end() and m.start() < b for a, b in taken) or not SOE_REFORM.search(line):
                continue
            value = {"code": code, "programme": code}
            items.append(Item("programme", probe[m.start() : m.end()], m.start(), m.end(),
                              "paraphrase", value))  # fmt: skip
            taken.append(m.span())
    return items


def programmes(text: str) -> list[Item]:
    probe = search_text(text)
    codes = _entries()[2]
    items = []
    for shape, code, year in _shapes():
        for m in shape.finditer(probe):
            value = {"code": code, "programme": "", "year": year}
            items.append(Item("programme", text[m.start() : m.end()], m.start(), m.end(),
                              "target-shape", value))  # fmt: skip
    taken = [(i.start, i.end) for i in items]
    for place, m in _named(probe):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        code, programme = codes[place]
        value = {"code": code, "programme": programme}
        if code == "OPFR" and (year := _sentence_year(probe, m.start())):
            value["year"] = year
        items.append(Item("programme", text[m.start() : m.end()], m.start(), m.end(),
                          "dictionary", value))  # fmt: skip
    taken = [(i.start, i.end) for i in items]
    for shape, code in ZH_SHAPES if "对标" in probe else ():
        for m in shape.finditer(probe):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                value = {"code": code, "programme": code}
                items.append(Item("programme", text[m.start() : m.end()], m.start(), m.end(),
                                  "shape", value))  # fmt: skip
    if re.search(r"[A-Za-z]{4}", probe):
        items += _paraphrases(probe, [(i.start, i.end) for i in items])
    return sorted(items, key=lambda i: i.start)
