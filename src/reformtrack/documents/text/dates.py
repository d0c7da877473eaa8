"""Dates in Chinese, English and Hebrew text by small rules (month names are data)."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from ..lexicons import metadata

ISO = re.compile(
    r"(?<!\d)(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?!\d)"
    r"|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?=\d{1,2}月)"  # glued to the next line: 2016-06-015月27日
)
DAY_FIRST = re.compile(r"(?<![\d-])(\d{1,2})-(\d{1,2})\s*/\s*(\d{4})(?!\d)")  # 09-17 / 2025
COMPACT = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(\d{2})(\d{2})(?!\d)")


MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                       "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}  # fmt: skip
US_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")  # 08/28/2017


def _english_months() -> dict[str, int]:
    return {**metadata()["english_months"], **MONTH_ABBREVIATIONS}


@cache
def _month_patterns():
    meta = metadata()
    he = "|".join(meta["hebrew_months"])
    en = "|".join(sorted(_english_months(), key=len, reverse=True))
    return (
        re.compile(rf"(\d{{1,2}})\s+ב?({he})\s+(\d{{4}})"),
        re.compile(rf"(?i)\b((?:{en})\.?)\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"),
        re.compile(rf"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?((?:{en})\.?),?\s+(\d{{4}})"),
    )


def _date(y, m, d) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """(position, date) of every full date in the text, in order."""
    meta = metadata()
    found = []
    for m in ISO.finditer(text):
        if (value := _date(*[g for g in m.groups() if g is not None])) is not None:
            found.append((m.start(), value))
    for m in DAY_FIRST.finditer(text):
        if (value := _date(m.group(3), m.group(1), m.group(2))) is not None:
            found.append((m.start(), value))
    he, en_md, en_dm = _month_patterns()
    for m in he.finditer(text):
        value = _date(m.group(3), meta["hebrew_months"][m.group(2)], m.group(1))
        if value:
            found.append((m.start(), value))
    months = _english_months()
    for m in en_md.finditer(text):
        value = _date(m.group(3), months[m.group(1).lower().rstrip(".")], m.group(2))
        if value:
            found.append((m.start(), value))
    for m in en_dm.finditer(text):
        value = _date(m.group(3), months[m.group(2).lower().rstrip(".")], m.group(1))
        if value:
            found.append((m.start(), value))
    for m in US_NUMERIC.finditer(text):
        if (value := _date(m.group(3), m.group(1), m.group(2))) is not None:
            found.append((m.start(), value))
    for m in ROC.finditer(text):  # 中華民國112年5月12日: the Republic's years count from 1912
        if (value := _date(int(m.group(1)) + 1911, m.group(2), m.group(3))) is not None:
            found.append((m.start(), value))
    for m in HANZI_DATE.finditer(text):  # 二〇二三年五月十二日 (a notice's signature)
        parts = [_hanzi_number(g) for g in m.groups()]
        if None not in parts and (value := _date(*parts)) is not None:
            found.append((m.start(), value))
    return sorted(found)


ROC = re.compile(
    r"(?:中華民國|中华民国|民國|民国)\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
HANZI_DATE = re.compile(
    r"([〇○零Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
    r"\s*([一二三四五六七八九十]{1,4})\s*日"
)


def _hanzi_number(text: str) -> int | None:
    """二〇二三 → 2023 (digit by digit); 十二 → 12, 二十一 → 21, 三十 → 30 (a month or day)."""
    if "十" not in text:
        digits = [_DIGITS.get(c) for c in text]
        return None if None in digits else int("".join(map(str, digits)))
    tens, _, ones = text.partition("十")
    high = _DIGITS.get(tens, None) if tens else 1
    low = _DIGITS.get(ones, None) if ones else 0
    return None if high is None or low is None else high * 10 + low


def first_date(text: str) -> dt.date | None:
    dates = find_dates(text)
    return dates[0][1] if dates else None


YEAR = re.compile(r"(?<![\d.])(19[5-9]\d|20\d{2})(?:年|-\d{2}\b|\)|）|\s|,|，|$)")


RANGE = re.compile(r"(?<!\d)(20\d{2})\s*[-–—~至]\s*((?:20)?\d{2})(?!\d)")


def reference_year(text: str, year: int) -> int:
    """The year "this year" means: the text's publication year if it has one, else the latest
    year it names up to `year` (an undated 2022 article is not about the year it was read)."""
    from .metadata import dated

    if dated(text):  # extract_metadata(text).published_on is not None
        return year
    named = [int(m.group(1)) for m in YEAR.finditer(text) if int(m.group(1)) <= year]
    named += [  # a range names its end: (2020-22), 2020—2022年
        int(m.group(1)[:2] + m.group(2)[-2:])
        for m in RANGE.finditer(text)
        if int(m.group(1)[:2] + m.group(2)[-2:]) <= year
    ]
    return max(named) if named else year
