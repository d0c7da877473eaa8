"""A document's own metadata: title, publication date (the page's, not a crawl or CMS date),
source, author, issuing authority, document number and official links."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache

from ..lexicons import metadata as lexicon
from .dates import find_dates, first_date

URL = re.compile(r"https?://[^\s<>\"'）)，。]+")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[〔\[（(]\d{4}[〕\]）)]\s*\d+|第\s*\d+)\s*[号號]")
PERIOD = re.compile(
    r"(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})\s*[-—–~至]\s*(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})"
)
HEADER_LINES = 12
# What follows the issuer in every document number: a number's first match starts at most eight
# characters before this pattern's first match (scanning the text for it alone is fast).
DOC_NUMBER_TAIL = re.compile(r"(?:[〔\[（(]\d{4}[〕\]）)]\s*\d+|第\s*\d+)\s*[号號]")


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


@cache
def _label_openings(kind: str) -> re.Pattern:
    """What every label of that kind starts with as written (its words may be spaced apart;
    a label opening with a space opens with "", found anywhere)."""
    openings = sorted({label.split(" ")[0] for label in lexicon()["labels"][kind]})
    return re.compile("|".join(map(re.escape, openings)))


def _label_matches(text: str, kind: str):
    """`_label(kind).finditer(text)`, tried only where a match can start: at a label's opening
    or the character before it (the whitespace alternative), in order."""
    pattern, openings = _label(kind), _label_openings(kind)
    at, tried = 0, -1
    while (opening := openings.search(text, at)) is not None:
        found = None
        for start in (opening.start() - 1, opening.start()):
            if start > tried and start >= at:
                tried = start
                if found := pattern.match(text, start):
                    break
        if found is None:
            at = opening.start() + 1
            continue
        yield found
        at = max(found.end(), found.start() + 1)
        tried = at - 1


def labelled(text: str, kind: str) -> list[tuple[int, str]]:
    """(position, value) for every `label: value` of that kind; an empty value is skipped."""
    out = []
    for m in _label_matches(text, kind):
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


def _published(
    text: str, address: str = ""
) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """The page's date: a labelled or header date line, else a photo caption's, a notice's
    signature, a first sentence's announced event, else the page address's (its URL); then a
    news agency's dateline earlier than that date is the article's own."""
    page, start, end = _own_date(text)
    if (printed := _edition(text)) is not None:
        page = printed  # the paper's own edition over a re-post's or a scraper's date line
    elif page is not None and page == _scraped_on(text):
        # a scraper's stamp only bounds the date: the dispatch's, else the first sentence's day
        return _dispatch(text, page) or _first_day(text, page) or page, start, end
    if page is None:
        page = address_date(address) or address_date(_address_line(text.split("\n")))
    return _dispatch(text, page) or page, start, end


# A scraper's line: its "source" is a code holding the day it copied the page (发布时间:
# 2024-11-30 08:09:12 来源: sp20241130).
SCRAPER_LINE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:来源|來源)\s*[:：]\s*[A-Za-z]{1,4}"
    r"(\d{4})(\d{2})(\d{2})\s*$",
    re.MULTILINE,
)
MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")


def _scraped_on(text: str) -> dt.date | None:
    """The day of a scraper's line among the first lines, when its code repeats that day."""
    head = "\n".join(text.split("\n", HEADER_LINES)[:HEADER_LINES])
    if "来源" not in head and "來源" not in head:
        return None
    for m in SCRAPER_LINE.finditer(head):
        if m.group(1, 2, 3) == m.group(4, 5, 6):
            return dt.date(*map(int, m.group(1, 2, 3)))
    return None


def _first_day(text: str, stamp: dt.date) -> dt.date | None:
    """The month and day the first sentence of the body names (9月25日，共有…签约), in the
    stamp's year (the year before when later than the stamp)."""
    lines = [x for x in text.split("\n") if x.strip()]
    body = next((x for x in lines[:HEADER_LINES] if re.search(r"[。；]", x)), "")
    first = re.split(r"[。！？]", body, maxsplit=1)[0]
    if (m := MONTH_DAY.search(first)) is None:
        return None
    for year in (stamp.year, stamp.year - 1):
        try:
            day = dt.date(year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
        if day <= stamp:
            return day
    return None


# A newspaper's edition cited in the text: 《人民日报》（2024年01月03日 第 01 版）, 人民日报
# 2024年1月3日 第4版, （2024年01月03日04版）. The article's date is the edition's.
EDITION = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:第\s*)?\d{1,2}\s*版(?![本权])"
)


def _edition(text: str) -> dt.date | None:
    """The date of the one edition the text cites (两版 of different days: none)."""
    if "版" not in text:
        return None
    days = set()
    for m in EDITION.finditer(text):
        try:
            days.add(dt.date(*map(int, m.groups())))
        except ValueError:
            continue
    return days.pop() if len(days) == 1 else None


def dated(text: str) -> bool:
    """Whether the text dates itself (`extract_metadata(text).published_on` is set): the rules
    ask it of every document (`dates.reference_year`), after the metadata has read it."""
    if _own_date(text)[0] is not None:
        return True
    return address_date(_address_line(text.split("\n"))) is not None


@lru_cache(maxsize=8)  # the metadata and the facts' reference year read the same text
def _own_date(text: str) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """The date the text itself gives (before the page address and the dispatch), and the
    period of a digest: (date, period start, period end)."""
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
    offset, seen = 0, 0
    for line in lines:
        if seen >= HEADER_DATE_LINES:
            break
        if not line.strip():
            offset += len(line) + 1
            continue
        seen += 1
        if _file_photo(line):  # an old photo's date is not the story's
            offset += len(line) + 1
            continue
        if seen <= 5 and re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", line):
            pass  # a date line of its own
        elif PERIOD.search(line):  # a digest's period: its end is the date (above)
            offset += len(line) + 1
            continue
        elif (len(line.strip()) > HEADER_LINE or re.search(r"[。；]", line)) and not (
            STAMP.match(line)
        ):
            # a sentence of the body: its dates are events, not the page's, except a time
            # stamp (2023-05-12 10:30), an agency's dateline or a photo caption's date
            if (found := _stamped(line)) is not None:
                candidates.append((offset + found[0], found[1]))
            offset += len(line) + 1
            continue
        if found := find_dates(line):  # an impossible date (2024-02-30) is no date
            candidates.append((offset + found[0][0], found[0][1]))
        offset += len(line) + 1
    page = min(candidates)[1] if candidates else None
    if page is None:
        page = _captioned(lines) or _signed(lines) or _footer_stamp(lines) or _announced(text)
    return page, start, end


def _footer_stamp(lines: list[str]) -> dt.date | None:
    """A page's time stamp among its last three lines (发布时间：2023-05-12 10:30, 2023年05月12日
    10:30 来源：…): the page's date, written under the article."""
    for line in [x for x in lines if x.strip()][-3:]:
        if (":" in line or "：" in line) and (m := TIMED.search(line)):
            return first_date(m.group())
        if CREDIT_LINE.fullmatch(line.strip()) and (day := first_date(line)) is not None:
            return day  # (Xinhua News Agency July 22, 2007), （来源：人民日报 2023年5月12日）
    return None


CREDIT_LINE = re.compile(r"[(（][^()（）]{4,60}[)）]")  # a short parenthesised line: a credit


HEADER_DATE_LINES = 6  # non-empty lines
STAMP = re.compile(r"^\W{0,2}\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}")  # (2023-02-06 16:24:56)正文…
TIMED = re.compile(  # a date with its time of day is a page's stamp, not an event
    r"(?<!\d)\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?\s*\d{1,2}[:：]\d{2}"
)
HEADER_LINE = 80  # longer lines are body text
DATELINE = re.compile(r"(?:[\u4e00-\u9fff]{2,4})(\d{1,2})月(\d{1,2})日(?:电|訊|讯|電)")
DATELINE_ENDS = ("日电", "日訊", "日讯", "日電")
EVENT = re.compile(r"举行|召开|举办|发布|印发|公布|召集|舉行|召開|舉辦|發布|公佈")
# A photo caption ends with its credit: (Xinhua/Li Xin), (Photo by …), （新华社记者 李鑫 摄）.
CREDIT = re.compile(  # also [Photo/China Daily], [Photo by …], 【…摄】
    r"[(（\[【]\s*(?:[A-Z][\w .]{1,30}/[A-Z][\w .\-]{1,30}|Photo(?:\s+by|:|/)[^)）\]】]{1,40}"
    r"|[^()（）\[\]【】]{0,20}摄(?:影)?)\s*[)）\]】]\s*$"
)
META_LINE = re.compile(
    r"来源|作者|浏览|阅读|字号|点击|编辑|分享|打印|來源|瀏覽|(?i:source|updated|author|"
    r"editor|published|posted)\s*[:：]|\s[|｜]\s"
)
FULL_DATELINE = re.compile(  # 新华社北京2023年5月12日电: an agency's dateline with its year
    r"^\W{0,3}[\u4e00-\u9fff]{2,8}?(\d{4})年(\d{1,2})月(\d{1,2})日(?:电|訊|讯|電)"
)
URL_LINE = re.compile(  # 原文链接：https://…, Source: http://…, or an address alone on its line
    r"^\W{0,3}(?:[\w\u4e00-\u9fff ]{1,12}[:：]\s*)?(https?://[^\s<>\"'）)，。]+)\s*$"
)
FILE_PHOTO = re.compile(r"(?i)file photo|资料(?:图|照)片|資料(?:圖|照)片")


@cache
def _english_dateline() -> re.Pattern:
    """The opening of an English dispatch: BEIJING, May 12, 2023 (Xinhua) -- / BEIJING, Dec.
    15 (Xinhua) -- / China News Agency, Beijing, December 24 (Reporter …) / Zhongxin Finance,
    June 17. A place or agency, a comma, the month and day (the year optional)."""
    from .dates import _english_months

    months = "|".join(sorted(_english_months(), key=len, reverse=True))
    return re.compile(
        rf"^\W{{0,3}}(?:[A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*){{0,4}},\s*){{1,2}}"
        rf"((?i:{months})\.?)\s+(\d{{1,2}})(?:,\s*(\d{{4}}))?"
        rf"\s*(?:\([^)]{{1,40}}\)\s*)?(?:--|—|–|-|\.|,|:)"
    )


def _stamped(line: str) -> tuple[int, dt.date] | None:
    """A long header line's own date: a time-stamped one, an English dispatch's opening with
    its year, or the date of a photo caption (the line ends with the credit)."""
    if (":" in line or "：" in line) and (m := TIMED.search(line)):  # a time holds a colon
        return (m.start(), first_date(m.group()))
    if _meta_line(line) and not re.search(r"[。！？]|\.\s", line) and (dates := find_dates(line)):
        return dates[
            0
        ]  # 来源：… 2023-05-12 作者：… 字号：大 中 小 | 打印 | 关闭: a page's furniture
    if (m := FULL_DATELINE.match(line)) and (day := first_date(m.group())) is not None:
        return (m.start(1), day)
    if (m := _english_dateline().match(line)) and m.group(3):
        day = first_date(f"{m.group(1)} {m.group(2)}, {m.group(3)}")
        if day is not None:
            return (m.start(1), day)
    if _credited(line) and not _file_photo(line) and (found := find_dates(line)):
        return found[-1]
    return None


META_WORDS = ("来源", "作者", "浏览", "阅读", "字号", "点击", "编辑", "分享", "打印")
META_WORDS += ("來源", "瀏覽")  # META_LINE's words, its English ones aside


def _meta_line(line: str) -> bool:
    """`META_LINE.search(line)`, not tried on a line without its words, a colon (its English
    labels end with one) or a bar."""
    if not (any(w in line for w in META_WORDS) or any(c in line for c in ":：|｜")):
        return False
    return META_LINE.search(line) is not None


def _file_photo(line: str) -> bool:
    """`FILE_PHOTO.search(line)`, not tried on a line without 资料/資料 or "photo" in any case
    (no character outside ASCII folds into p, h, o or t)."""
    if not ("资料" in line or "資料" in line or "photo" in line.lower()):
        return False
    return FILE_PHOTO.search(line) is not None


def _credited(line: str) -> bool:
    """`CREDIT.search(line)`, not tried on a line without the closing bracket a credit ends with."""
    return any(b in line for b in ")）]】") and CREDIT.search(line) is not None


def _captioned(lines: list[str]) -> dt.date | None:
    """A photo caption's date anywhere in the text (a line ending with its credit, not a file
    photo): the photo was taken for the story, so the story is of that day."""
    for line in lines:
        if _credited(line) and not _file_photo(line) and (found := find_dates(line)):
            return found[-1][1]
    return None


# A page address's date: /2023/0512/, t20230512_, /2023-05/12/, /2023-05-12-, /202305/12/,
# /2020/1/3/, ?issue=20230512 (the path and query, never the host).
ADDRESS_DATES = (
    re.compile(r"(?<![\d])((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"(?<=/)((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?=/)"),
    # a day glued to an id after letters: /IG2023122600019397.shtml
    re.compile(r"(?<=[A-Za-z])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=\d{4,12}\b)"),
)


def _address_line(lines: list[str]) -> str:
    """The page's address written in the text: a line that is only a URL (perhaps labelled,
    原文链接：…) among the first and last lines; a link inside a sentence is another page."""
    kept = [x for x in lines if x.strip()]
    for line in kept[:HEADER_DATE_LINES] + kept[-4:]:
        if m := URL_LINE.match(line.strip()):
            return m.group(1)
    return ""


def address_date(address: str) -> dt.date | None:
    """The date a page's address (URL) carries, if any: news sites file pages by day."""
    m = re.match(r"(?i)^\s*(?:https?://)?[^/\s]+(/\S*)?", address or "")
    path = m.group(1) if m and m.group(1) else ""
    for pattern in ADDRESS_DATES:
        for found in pattern.finditer(path):
            try:
                day = dt.date(*map(int, found.groups()))
            except ValueError:
                continue
            if dt.date(1990, 1, 1) <= day <= dt.date.today():
                return day
    return None


def _dispatch(text: str, page: dt.date | None) -> dt.date | None:
    """A news agency's dateline (新华社北京7月22日电) in the first lines: the article's own date.
    Its year is the page's when the page dates itself within a year after it (a re-post or a
    scraper's date), else none is known and the page's date stands."""
    if page is None:
        return None
    head = [line for line in text.split("\n") if line.strip()][:HEADER_LINES]
    joined = "\n".join(head)  # a dateline ends with 日电 (日讯, 日訊, 日電): searched only then
    if any(end in joined for end in DATELINE_ENDS) and (m := DATELINE.search(joined)):
        month, date = int(m.group(1)), int(m.group(2))
    elif (m := next(filter(None, map(_english_dateline().match, head)), None)) and not m.group(3):
        from .dates import _english_months

        month, date = _english_months()[m.group(1).lower().rstrip(".")], int(m.group(2))
    else:
        return None
    for year in (page.year, page.year - 1):
        try:
            day = dt.date(year, month, date)
        except ValueError:
            return None
        if day <= page:
            return day if (page - day).days > 3 else None
    return None


def _signed(lines: list[str]) -> dt.date | None:
    """A notice's date under its signature: a line that is a date alone, among the last three."""
    for line in reversed([x for x in lines if x.strip()][-3:]):
        if re.fullmatch(r"\s*\S{4,5}\s*年\s*\S{1,3}\s*月\s*\S{1,4}\s*日\s*", line):
            return first_date(line)  # 2023年5月12日, 二〇二三年五月十二日
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


def extract_metadata(text: str, address: str = "") -> Metadata:
    """`address`: the page's URL when the text was fetched from one (its date is the last
    resort: the text's own date wins)."""
    lines = text.split("\n")
    meta = Metadata(title=_title(lines))
    meta.published_on, meta.period_start, meta.period_end = _published(text, address)
    for kind in ("source", "author", "authority", "number"):
        found = labelled(text, kind)
        if found:
            value = found[0][1][:200]
            setattr(meta, "doc_number" if kind == "number" else kind, value)
    if not meta.doc_number and (m := _doc_number(text)):
        meta.doc_number = m.group()
    meta.links = list(dict.fromkeys(URL.findall(text)))[:20]
    return meta


def _doc_number(text: str) -> re.Match | None:
    """`DOC_NUMBER.search(text)`, started where a number can first start."""
    if (tail := DOC_NUMBER_TAIL.search(text)) is None:
        return None
    return DOC_NUMBER.search(text, max(0, tail.start() - 8))
