"""A document's own metadata: title, publication date (the page's, not a crawl or CMS date),
source, author, issuing authority, document number and official links."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from functools import cache

from ..lexicons import metadata as lexicon
from .dates import COMPACT, find_dates, first_date

URL = re.compile(r"https?://[^\s<>\"'）)，。]+")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[〔\[（(]\d{4}[〕\]）)]\s*\d+|第\s*\d+)\s*[号號]")
PERIOD = re.compile(
    r"(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})\s*[-—–~至]\s*(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})"
)
HEADER_LINES = 12


@dataclass
class Metadata:
    title: str = ""
    published_on: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    source: str = ""
    source_inferred: bool = False  # not stated in the text: inferred from the names in it
    source_basis: str = ""  # how it was inferred: "executive" or "most-named"
    author: str = ""
    authority: str = ""
    doc_number: str = ""
    links: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@cache
def _label(kind: str) -> re.Pattern:
    labels = sorted(lexicon()["labels"][kind], key=len, reverse=True)
    alternatives = "|".join(re.escape(label).replace(r"\ ", r"\s*") for label in labels)
    return re.compile(rf"(?:^|\s|\b)(?:{alternatives})\s*[:：]?\s*(.*)$", re.MULTILINE)


def labelled(text: str, kind: str) -> list[tuple[int, str]]:
    """(position, value) for every `label: value` of that kind; an empty value is skipped."""
    out = []
    for m in _label(kind).finditer(text):
        value = m.group(1).strip()
        # "Source:     Date: 2024-03-15": a label followed by another label has no value.
        value = re.split(r"\s{2,}|\s+(?=[\w ]{1,25}[:：])", value)[0].strip()
        if value and not re.match(r"^[\w ]{1,12}[:：]", value):
            out.append((m.start(1), value))
    return out


def _title(lines: list[str]) -> str:
    for line in lines[:HEADER_LINES]:
        s = line.strip()
        if len(s) < 12 or re.match(r"^[\d\s.\-/:：]+$", s) or re.search(r"[:：]\s*\S", s[:8]):
            continue
        if len(s) > 120:  # no title line: the first sentence of the body, without its date
            s = re.sub(r"^\d{1,2}月\d{1,2}日[，,]?", "", s)
            s = re.split(r"[，。,.]", s)[0]
            return s[:60]
        return s
    return ""


def _published(text: str) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    lines = text.split("\n")
    header = "\n".join(lines[:HEADER_LINES])
    candidates = []
    for pos, value in labelled(text, "date"):
        if (day := first_date(value)) is not None:
            candidates.append((pos, day))
    start = end = None
    if m := PERIOD.search(header):
        g = m.groups()
        start, end = dt.date(*map(int, g[:3])), dt.date(*map(int, g[3:]))
        candidates.append((m.start(), end))
    elif m := COMPACT.search(header):
        pass
    offset = 0
    for line_no, line in enumerate(lines[:HEADER_DATE_LINES]):
        if line_no < 5 and re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", line):
            pass  # a date line of its own
        elif PERIOD.search(line):  # a digest's period: its end is the date (above)
            offset += len(line) + 1
            continue
        elif (len(line.strip()) > HEADER_LINE or re.search(r"[。；]", line)) and not (
            STAMP.match(line)
        ):
            offset += len(line) + 1
            continue  # a sentence of the body: its dates are events, not the page's
        if found := find_dates(line):  # an impossible date (2024-02-30) is no date
            candidates.append((offset + found[0][0], found[0][1]))
        offset += len(line) + 1
    if not candidates:
        day = _signed(lines) or _announced(text)
        return _dispatch(text, day) or day, start, end
    first = min(candidates)[1]
    return _dispatch(text, first) or first, start, end


HEADER_DATE_LINES = 6
STAMP = re.compile(r"^\W{0,2}\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}")  # (2023-02-06 16:24:56)正文…
HEADER_LINE = 80  # longer lines are body text
DATELINE = re.compile(r"(?:[\u4e00-\u9fff]{2,4})(\d{1,2})月(\d{1,2})日(?:电|訊|讯|電)")
EVENT = re.compile(r"举行|召开|举办|发布|印发|公布|召集|舉行|召開|舉辦|發布|公佈")


def _dispatch(text: str, page: dt.date | None) -> dt.date | None:
    """A news agency's dateline (新华社北京7月22日电) in the first lines: the article's own date.
    Its year is the page's when the page dates itself within a year after it (a re-post or a
    scraper's date), else none is known and the page's date stands."""
    m = DATELINE.search("\n".join(text.split("\n")[:HEADER_LINES]))
    if not m or page is None:
        return None
    for year in (page.year, page.year - 1):
        try:
            day = dt.date(year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
        if day <= page:
            return day if (page - day).days > 3 else None
    return None


def _signed(lines: list[str]) -> dt.date | None:
    """A notice's date under its signature: a line that is a date alone, among the last three."""
    for line in reversed([x for x in lines if x.strip()][-3:]):
        if re.fullmatch(r"\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*", line):
            return first_date(line)
    return None


def _announced(text: str) -> dt.date | None:
    """A full date in the first sentence when the same clause says what happened on it
    (国务院新闻办公室于2018年7月12日…举行新闻发布会); a date before a comma is history."""
    first = re.split(r"[。！？\n]", text.strip(), maxsplit=1)[0]
    for pos, day in find_dates(first):
        clause = re.split(r"[，,；;]", first[pos:], maxsplit=1)[0]
        if EVENT.search(clause[:60]):
            return day
    return None


def extract_metadata(text: str) -> Metadata:
    lines = text.split("\n")
    meta = Metadata(title=_title(lines))
    meta.published_on, meta.period_start, meta.period_end = _published(text)
    for kind in ("source", "author", "authority", "number"):
        found = labelled(text, kind)
        if found:
            value = found[0][1][:200]
            setattr(meta, "doc_number" if kind == "number" else kind, value)
    if not meta.doc_number and (m := DOC_NUMBER.search(text)):
        meta.doc_number = m.group()
    meta.links = list(dict.fromkeys(URL.findall(text)))[:20]
    return meta
