"""Facts by rule: ratings given to enterprises, percentages and counts with what they count,
money with its unit (normalised to yuan), targets with deadlines. Spans are in the text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache

from ..lexicons import metadata
from .entities import Item, search_text
from .numbers import CN_NUMERAL, parse_number

SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?|(?<=\.)\S[^.\n]*")
CLAUSE_BREAK = re.compile(r"[，,；;：:。\n]")
PERCENT = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?)\s*(?:%|％|\s?percent)|百分之(?P<cn>[{CN_NUMERAL}\d.]+)"
)
TARGET_MARK = re.compile(r"以上|more than|over|at least|不低于|超过|力争|确保|完成|ensur")
NOUN_STOP = re.compile(r"[进入推实完建开参作分为在已对与和进進實開參為對與]")


def sentences(text: str):
    """(start, end) of each sentence; a period not followed by space also ends one."""
    start = 0
    for m in re.finditer(r"[。！？!?\n]|\.(?=\S|$)|\.\s", text):
        end = m.end()
        if text[start:end].strip():
            yield start, end
        start = end
    if text[start:].strip():
        yield start, len(text)


def _sentence_of(spans, pos):
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return 0, len(spans[-1][1]) if spans else 0


def _subject(text: str, start: int, end: int, s_start: int) -> str:
    """What a number counts: the clause around it, with the one before if it is short."""
    before = text[s_start:start]
    parts = CLAUSE_BREAK.split(before)
    clause = parts[-1]
    if len(re.sub(r"\W", "", clause)) < 6 and len(parts) > 1:
        clause = parts[-2] + "，" + clause
    after = CLAUSE_BREAK.split(text[end : end + 60])[0]
    return (clause + text[start:end] + after).strip()[:160]


@cache
def _rating_pattern():
    meta = metadata()
    labels = {alias: level for level, aliases in meta["ratings"].items() for alias in aliases}
    verbs = "|".join(sorted(map(re.escape, meta["rating_verbs"]), key=len, reverse=True))
    label_alt = "|".join(sorted(map(re.escape, labels), key=len, reverse=True))
    return re.compile(rf"(?:{verbs})\s*[\"“”'「]?\s*(?P<label>{label_alt})(?![\w])"), labels


def ratings(text: str, orgs: list[Item]) -> list[Item]:
    pattern, labels = _rating_pattern()
    spans = list(sentences(text))
    items, previous_end = [], 0
    for m in pattern.finditer(text):
        s_start, s_end = _sentence_of(spans, m.start())
        window_start = max(s_start, previous_end)
        previous_end = m.end()
        sentence = text[s_start:s_end]
        year = re.search(r"(?:בשנת|in|年度?)\s*(\d{4})|(\d{4})\s*年", sentence)
        year_value = int(next(g for g in year.groups() if g)) if year else None
        level = labels[m.group("label")]
        for org in orgs:
            if window_start <= org.start < m.start():
                items.append(
                    Item(
                        "rating",
                        text[org.start : m.end()],
                        org.start,
                        m.end(),
                        "rating-rule",
                        {"organisation": org.value["code"], "rating": level, "year": year_value},
                    )
                )
    return items


def _deadline(window: str, year: int) -> dt.date | None:
    """The deadline phrase nearest the end of the window (the one that governs the figure)."""
    found = []
    for m in re.finditer(r"(?:(\d{4})年)?(?:今年|年)底", window):
        found.append((m.start(), dt.date(int(m.group(1) or year), 12, 31)))
    for m in re.finditer(r"(\d{1,2})月底", window):
        month = int(m.group(1))
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        found.append((m.start(), following - dt.timedelta(days=1)))
    for m in re.finditer("明年上半年", window):
        found.append((m.start(), dt.date(year + 1, 6, 30)))
    for m in re.finditer(r"(?i)by the end of (?:this year|the year|(\d{4}))", window):
        found.append((m.start(), dt.date(int(m.group(1) or year), 12, 31)))
    return max(found)[1] if found else None


def _target_deadline(probe: str, start: int, end: int, s_start: int, s_end: int, year: int):
    before = _deadline(probe[max(s_start, start - 40) : start], year)
    return before or _deadline(probe[end : min(s_end, end + 60)], year)


def percentages(text: str, *, year: int) -> list[Item]:
    spans = list(sentences(text))
    items = []
    for m in PERCENT.finditer(text):
        value = parse_number(m.group("num") or m.group("cn"))
        if value is None:
            continue
        s_start, s_end = _sentence_of(spans, m.start())
        near = text[max(s_start, m.start() - 25) : min(s_end, m.end() + 6)]
        probe = search_text(text)
        deadline = _target_deadline(probe, m.start(), m.end(), s_start, s_end, year)
        if deadline and TARGET_MARK.search(search_text(near)):
            items.append(
                Item(
                    "target",
                    text[m.start() : m.end()],
                    m.start(),
                    m.end(),
                    "target-rule",
                    {
                        "percent": str(value),
                        "deadline": deadline.isoformat(),
                        "what": _subject(text, m.start(), m.end(), s_start),
                    },
                )
            )
            continue
        items.append(
            Item(
                "percent",
                text[m.start() : m.end()],
                m.start(),
                m.end(),
                "number-rule",
                {"percent": str(value), "what": _subject(text, m.start(), m.end(), s_start)},
            )
        )
    return items


@cache
def _money_pattern():
    units = metadata()["money_units"]
    alt = "|".join(sorted(map(re.escape, units), key=len, reverse=True))
    return re.compile(rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*(?P<unit>{alt})"), units


def money(text: str) -> list[Item]:
    pattern, units = _money_pattern()
    probe = search_text(text)
    spans = list(sentences(text))
    items = []
    for m in pattern.finditer(probe):
        number = parse_number(m.group("num"))
        unit = units[m.group("unit")]
        yuan = (number * Decimal(unit["factor"])).quantize(Decimal(1))
        s_start, _ = _sentence_of(spans, m.start())
        items.append(
            Item(
                "money",
                text[m.start() : m.end()],
                m.start(),
                m.end(),
                "number-rule",
                {
                    "amount": str(number),
                    "unit": m.group("unit"),
                    "currency": unit["currency"],
                    "value": str(yuan),
                    "what": _subject(text, m.start(), m.end(), s_start),
                },
            )
        )
    return items


@cache
def _count_pattern():
    meta = metadata()
    zh_units = "".join(meta["count_units"])
    nouns = "|".join(sorted(map(re.escape, meta["count_nouns_en"]), key=len, reverse=True))
    he = "|".join(sorted(map(re.escape, meta["count_nouns_he"]), key=len, reverse=True))
    return re.compile(
        rf"(?<![\d.])(?P<num>\d+)\s*(?P<unit>[{zh_units}])(?P<noun>[\u4e00-\u9fff“”]{{2,12}})"
        rf"|(?<![\d.])(?P<num_en>\d+) (?P<noun_en>{nouns})\b"
        rf"|(?<![\d.])(?P<num_he>\d+) (?P<noun_he>{he})(?![\u05d0-\u05ea])"
    )


def counts(text: str) -> list[Item]:
    spans = list(sentences(text))
    items = []
    for m in _count_pattern().finditer(search_text(text)):
        number = m.group("num") or m.group("num_en") or m.group("num_he")
        noun = m.group("noun_en") or m.group("noun_he") or NOUN_STOP.split(m.group("noun"))[0]
        s_start, _ = _sentence_of(spans, m.start())
        items.append(
            Item(
                "count",
                text[m.start() : m.end()],
                m.start(),
                m.end(),
                "number-rule",
                {
                    "count": int(number),
                    "unit": m.group("unit") or "",
                    "noun": noun,
                    "what": _subject(text, m.start(), m.end(), s_start),
                },
            )
        )
    return items
