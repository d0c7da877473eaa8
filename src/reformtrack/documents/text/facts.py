"""Facts by rule: ratings given to enterprises, percentages and counts with what they count,
money with its unit (normalised to yuan), targets with deadlines. Spans are in the text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache, lru_cache

from ..lexicons import metadata
from . import quantities
from .dates import reference_year
from .entities import Item, search_text
from .numbers import CN_NUMERAL, cn_integer, parse_number

SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?|(?<=\.)\S[^.\n]*")
CLAUSE_BREAK = re.compile(r"[，,；;：:。\n]")
FRACTION = r"|(?P<whole>[二两三四五六七八九十])分之(?P<part>[一二三四五六七八九])"
PERCENT = re.compile(  # 5个百分点 and 0.4 percentage points are points, 八成 is 80%, 半数 50%
    # (四分之一 is 25%: a fraction)
    rf"(?P<pp>\d+(?:\.\d+)?)\s*(?:多|余)?\s*(?:个?百分点|\s?percentage points?)"
    rf"|(?P<num>\d+(?:\.\d+)?)\s*(?:%|％|[\s-]?per\s?cent)|百分之(?P<cn>[{CN_NUMERAL}\d.]+)"
    r"|(?P<tenths>[一二三四五六七八九1-9])成(?=以上|左右|多|的|[，,。、；\s]|$)|(?P<half>半数|过半|一半)"
    rf"{FRACTION}"
)
TENTHS = "一二三四五六七八九"
COMPLETE = re.compile(
    r"全面完成|全部完成|完成全部|全面收官|(?i:fully (?:completed?|achieved)|"
    r"(?:be|been) (?:finished|completed) (?:in|by|before))"
)
TARGET_MARK = re.compile(r"以上|more than|over|at least|不低于|超过|力争|确保|完成|ensur")
NOUN_RUN = re.compile(r"[\u4e00-\u9fff]{0,12}")  # the words after a count, matched in place
NOUN_STOP = re.compile(r"[进入推实完建开参作分为在已对与和进進實開參為對與]")


ABBREVIATION = re.compile(r"\b(?:Co|Ltd|Corp|Inc|Mr|Mrs|Ms|Dr|No|St|Jr|vs)\.$")
# A line break ends a sentence, but not one after a listing mark (a page wrapped mid-list:
# 国家电网公司、中国海洋石油总公司、\n中国远洋运输…分列榜单的第四到十位).
SENTENCE_END = re.compile(r"[。！？!?]|(?<![、，,])\n|(?<!\d)\.(?=\S|$)|\.(?!\d)(?=\S|$)|\.\s")
CONTINUES = re.compile(r"\.\s*[a-z,]")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a period not followed by space also ends one, unless it
    is a decimal point (1.09万亿元、同比增长11.4% is one sentence)."""
    return list(_sentence_spans(text))


@lru_cache(maxsize=8)  # five rules split the same text in turn
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        at = m.start()
        # "… Co., Ltd. have become": an abbreviation, not the end. Looked for in the few
        # characters before the period only (the longest is four letters), not the whole text.
        if (
            text[at] == "."  # CONTINUES opens with one
            and CONTINUES.match(text, at)
            and ABBREVIATION.search(text, max(0, at - 5), at + 1)
        ):
            continue
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return tuple(spans)


def _sentence_of(spans, pos):
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return 0, len(spans[-1][1]) if spans else 0


NON_WORD = re.compile(r"\W")


def _subject(text: str, start: int, end: int, s_start: int) -> str:
    """What a number counts: the clause around it, with the one before if it is short."""
    before = text[s_start:start]
    parts = CLAUSE_BREAK.split(before)
    clause = parts[-1]
    if len(NON_WORD.sub("", clause)) < 6 and len(parts) > 1:
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
                items.append(_rating(text, org, m.end(), level, year_value))
    seen = {(i.start, i.value["rating"]) for i in items}
    graded = [i for i in _graded(text, orgs, spans) if (i.start, i.value["rating"]) not in seen]
    seen |= {(i.start, i.value["rating"]) for i in graded}
    listed = [
        i for i in _on_the_list(text, orgs, spans) if (i.start, i.value["rating"]) not in seen
    ]
    return sorted(items + graded + listed, key=lambda i: i.start)


GRADE_LIST = re.compile(  # the list a text is about: "the list of A-level enterprises", A级名单
    r"(?i:list of (?P<a>[ABCD])[- ](?:level|rated|rating|class)|(?<![A-Za-z])(?P<b>[ABCD])"
    r"[- ](?:level|rating) (?:\w+ )?list)|(?P<c>[ABCD])[级級][^，,。；;\s]{0,6}?名[单單]"
)
GRADE_LIST_WORDS = ("l", "L", "名单", "名單")  # one is in every match of GRADE_LIST ((?i:list))
ON_THE_LIST = re.compile(
    r"(?i:\b(?:in|on|to|into|onto|from) the list\b|\bthe list (?:are|is|include)"
    r"|\blisted\b|\bmade the list\b)|名[单單]中|入选|入選|上榜|榜[单單]|位列|入围|入圍"
)


@lru_cache(maxsize=8)  # _graded and _on_the_list read the same text
def _grade_lists(probe: str) -> list[tuple[str, int]]:
    """(grade, start) of each mention of a grade's list (A级企业名单, the list of A-level …)."""
    if not any(word in probe for word in GRADE_LIST_WORDS):
        return []
    return [
        (next(g for g in m.groups() if g).upper(), m.start()) for m in GRADE_LIST.finditer(probe)
    ]


def _on_the_list(text: str, orgs: list[Item], spans) -> list[Item]:
    """A text about one grade's list (the list of A-level enterprises): the organisations of a
    later sentence that puts them on "the list" (named to the list, notable companies in the
    list are …) have that grade, unless the sentence itself grades, denies or issues it."""
    probe = search_text(text)
    found = _grade_lists(probe)
    if len({level for level, _ in found}) != 1:
        return []
    (level, first), items = found[0], []
    for s_start, s_end in spans:
        sentence = probe[s_start:s_end]
        if s_start < first or not ON_THE_LIST.search(sentence) or GRADE.search(sentence):
            continue
        if NEGATED.search(sentence):
            continue
        year = re.search(r"(\d{4})\s*年度?|in (\d{4})", sentence)
        year_value = int(year.group(1) or year.group(2)) if year else None
        for org in orgs:
            if s_start <= org.start < s_end and not ISSUES.match(probe, org.end):
                items.append(_rating(text, org, org.end, level, year_value))
    return items


def _rating(text: str, org: Item, end: int, level: str, year: int | None) -> Item:
    value = {"organisation": org.value.get("code", ""), "rating": level, "year": year}
    if not value["organisation"]:  # a recognised name, no code in the tree
        value["name"] = org.value.get("name", org.text)
    return Item("rating", text[org.start : end], org.start, end, "rating-rule", value)


GRADE = re.compile(
    r"(?<![A-Za-z\d])(?P<g>[ABCD])\s*[级級](?!别)"
    r"|(?<![A-Za-z])(?P<g2>[ABCD])[- ](?:level|grade|rating|class)\b"
    r"|\b(?:[Gg]rade|rated|graded|rating of|rated as|graded as|rated with an?|[Cc]lass) "
    r"[\"“‘']?(?P<g3>[ABCD])\b"
    # obtained an 'A', received a B: a grade given, not a share class (an A-share listing)
    r"|\b(?:received|obtained|got|earned|given|won|awarded|achieved|secured|scored) an? "
    r"[\"“‘']?(?P<g6>[ABCD])[\"”’']?(?![\w-])"
    r"|[\"“‘'](?P<g5>[ABCD])[\"”’'][- ]?(?:rated|level|grade|rating|class)\b"  # “A” rated SOEs
    r"|\brated (?:as )?(?P<g4>a)(?=[,.;])"  # a machine translation's "were rated a,"
)
WORD_GRADE = re.compile(  # 结果为优秀, 评估等级为良好: a copula before the label, a stop after it
    r"(?:为|為|是|获|獲|评|評|达到|as)\s*[\"“「]?(?P<label>优秀|良好|合格|不合格|标杆|優秀|標杆)"
    r"[\"”」]?(?=级|級|等级|企业|單位|单位|[，,。、；;]|$)"
)
GRADE_HINT = re.compile("[ABCDgrc]")  # every match of GRADE holds one (A级, grade, rated, class)
WORD_GRADE_LABELS = ("优秀", "良好", "合格", "标杆", "優秀", "標杆")  # WORD_GRADE's labels hold one
ASSESSED = re.compile(  # a grade counts in a sentence about an assessment (not 5A级景区)
    r"考核|评价|評價|评估|評估|评级|評級|评定|评选|评为|評為|获评|獲評|等级|等級|结果|結果|"
    r"(?i:rated|rating|graded|assess|evaluat|appraisal|performance review)"
    r"|(?<![A-Za-z])[ABCD]-(?:level|rating)\b"
)
NEGATED = re.compile(r"未|没有|沒有|不|\bnot\b|\bfailed\b")
ISSUES = re.compile(
    r"\s*(?:\d{1,2}日|[昨今近]日|日前)?\s*(?:公布|发布|發布|印发|通报|宣布|召开|組織|组织|对|向|开展)"
    r"|\)?\s*(?:\([^)]{1,12}\)\s*)?(?:has |have |had |on \w+ )?(?:released|announced|published|"
    r"issued|graded|adopted|said|unveiled|says|releases|announces)\b"
)
LISTED = re.compile(
    r"包括|如下|名单|名單|的有|分别[是为]|分別[是為]|依次[是为為]|[：:]"
    r"|including|include|in addition to|such as|namely"
)
# A grade naming a group (A级企业占总数的…, 40家A级企业包括…, A级企业前10名) grades nobody
# before it; one after a verb (被评为A级企业, 进入A级企业行列) does.
GRADE_AS_NOUN = re.compile(r"\s*(?:企业|企業|央企|中央企业|中央企業|单位|單位)")
GRADING_VERB = re.compile(
    r"(?:为|為|获|獲|评|評|是|进入|進入|列入|达到|達到|入选|入選)[^，,。；;]{0,12}$"
)
AMONG_GRADE = re.compile(r"\s*(?:Among|Of) the [\"“]?[ABCD]\b")  # a sentence opening with a grade
AMONG_THEM = re.compile(r"\s*(?:其中|(?i:among them|of them|of these))")


def _grade(m: re.Match) -> str:
    return next(g for g in m.group("g", "g2", "g3", "g4", "g5", "g6") if g).upper()


def _graded(text: str, orgs: list[Item], spans) -> list[Item]:
    """Ratings by the shape of the sentence, whatever the verb (评出, 结果为A级, 评估等级为…):
    a grade that no negation in its clause denies goes to the organisations named before it
    in its sentence (since the previous grade), or after it when a list follows (包括：…),
    but not to the body that issues the list (国资委20日公布…A级企业名单)."""
    probe = search_text(text)
    meta_labels = {a: level for level, aliases in metadata()["ratings"].items() for a in aliases}
    items = []
    # A sentence is searched for the grades the text can hold at all, and for its assessment
    # words only when it has a grade (a sentence without one gives nothing).
    lettered = GRADE_HINT.search(probe) is not None
    worded = any(label in probe for label in WORD_GRADE_LABELS)
    if not (lettered or worded):
        return items
    # In a text about a grade's list every grade is an assessment's (新进入A级的有…).
    about_list = bool(_grade_lists(probe))
    carry = None  # the grade the previous sentence gave, for "其中…" / "Among them …"
    for s_start, s_end in spans:
        sentence = probe[s_start:s_end]
        hinted = lettered and GRADE_HINT.search(probe, s_start, s_end) is not None
        grades = [(m.start() + s_start, m.end() + s_start, _grade(m))
                  for m in GRADE.finditer(sentence)] if hinted else []  # fmt: skip
        grades = [g for g in grades if not _names_a_group(probe, s_start, *g[:2])]
        grades += [(m.start("label") + s_start, m.end("label") + s_start,
                    meta_labels.get(m.group("label"), m.group("label")))
                   for m in WORD_GRADE.finditer(sentence)] if worded else []  # fmt: skip
        grades.sort()
        if not grades and carry and AMONG_THEM.match(probe, s_start):
            items += _among_them(text, probe, orgs, s_start, s_end, *carry)
        carry = None
        if not grades or not (about_list or ASSESSED.search(sentence)):
            continue
        inside = [o for o in orgs if s_start <= o.start < s_end]
        year = re.search(r"(\d{4})\s*年度?|in (\d{4})", sentence)
        year_value = int(year.group(1) or year.group(2)) if year else None
        previous, given = s_start, set()
        for start, end, level in grades:
            clause = re.split(r"[，,；;]", probe[previous:start])[-1]
            window_start, previous = previous, end
            if NEGATED.search(clause):
                given.add(None)
                continue
            for org in inside:
                if ISSUES.match(probe, org.end):
                    continue
                before = window_start <= org.start < start
                listed = org.start >= end and (
                    LISTED.search(probe[end : org.start]) or AMONG_GRADE.match(probe, s_start)
                )  # Among the A-level enterprises … are China Mobile and State Grid
                between = any(end <= g < org.start for g, _e, _l in grades)
                if (before or listed) and not between:
                    items.append(_rating(text, org, max(end, org.end), level, year_value))
                    given.add(level)
        if len(given) == 1 and None not in given:
            carry = (given.pop(), year_value)
    return items


def _names_a_group(probe: str, s_start: int, start: int, end: int) -> bool:
    """A Chinese grade naming a group (A级企业占…), not given to anyone: no grading verb just
    before it."""
    if probe[end - 1] not in "级級" or not GRADE_AS_NOUN.match(probe, end):
        return False
    return GRADING_VERB.search(probe, max(s_start, start - 14), start) is None


def _among_them(text, probe, orgs, s_start, s_end, level, year) -> list[Item]:
    """The organisations of a sentence opening "其中" / "Among them" (up to its first ；) after
    a sentence that gave one grade: part of the graded set (其中，华电集团、…为新进入企业)."""
    stop = re.search(r"[；;]", probe[s_start:s_end])
    end = s_start + stop.start() if stop else s_end
    if NEGATED.search(probe, s_start, end):
        return []
    return [
        _rating(text, org, org.end, level, year)
        for org in orgs
        if s_start <= org.start < end and not ISSUES.match(probe, org.end)
    ]


def _deadline(window: str, year: int) -> dt.date | None:
    """The deadline phrase nearest the end of the window (the one that governs the figure)."""
    found = []
    # Each phrase is searched only in a window holding its words (底, 明年上半年, end of,
    # first half; a character folding into ASCII keeps the English ones searched).
    chinese = "底" in window
    folded = window.lower()
    odd = FOLDS_TO_ASCII.search(window) is not None
    for m in YEAR_END.finditer(window) if chinese else ():  # 去年底: achieved
        found.append((m.start(), dt.date(int(m.group(1) or year), 12, 31)))
    for m in MONTH_END.finditer(window) if chinese else ():
        month = int(m.group(1))
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        found.append((m.start(), following - dt.timedelta(days=1)))
    for m in NEXT_HALF.finditer(window) if "明年上半年" in window else ():
        found.append((m.start(), dt.date(year + 1, 6, 30)))
    for m in EN_YEAR_END.finditer(window) if odd or "end of" in folded else ():
        found.append((m.start(), dt.date(int(m.group(1) or year), 12, 31)))
    for m in EN_FIRST_HALF.finditer(window) if odd or "first half" in folded else ():
        found.append((m.start(), dt.date(int(m.group(1) or year), 6, 30)))
    for m in YEAR_AIM.finditer(window) if "年" in window else ():  # 2024年是…之年，要力争…
        found.append((m.start(), dt.date(int(m.group(1)), 12, 31)))
    return max(found)[1] if found else None


YEAR_END = re.compile(r"(?<!去)(?:(\d{4})年)?(?:今年|年)底")
MONTH_END = re.compile(r"(\d{1,2})月底")
NEXT_HALF = re.compile("明年上半年")
YEAR_AIM = re.compile(  # the year a share is aimed at: 2024年是…之年，要力争…
    r"(\d{4})年(?:是[^，,。；;]{0,30}之年[，,]?)?(?:要|将|將|力争|力爭|确保|確保)"
)
EN_YEAR_END = re.compile(r"(?i)by the end of (?:this year|the year|(\d{4}))")
EN_FIRST_HALF = re.compile(r"(?i)(?:in |by the end of )?the first half(?: of (\d{4}))?")


def _target_deadline(probe: str, start: int, end: int, s_start: int, s_end: int, year: int):
    before = _deadline(probe[max(s_start, start - 40) : start], year)
    return before or _deadline(probe[end : min(s_end, end + 60)], year)


# Where a match of PERCENT can open: at a digit, or at the words of its other forms (百分之,
# 八成, 半数, 过半, 一半), which `re` scans for quickly as plain words.
PERCENT_OPENING = re.compile(
    "|".join([r"\d", "百分之", *(f"{n}成" for n in TENTHS), "半数", "过半", "一半"])
    + "|[二两三四五六七八九十]分之"
)
# For a text without 分之 (most): the pattern and its openings without the fraction (every
# fraction and 百分之 hold 分之), a faster scan with the same matches.
PERCENT_NO_FRACTION = (
    re.compile(PERCENT.pattern.replace(FRACTION, "")),
    re.compile("|".join([r"\d", *(f"{n}成" for n in TENTHS), "半数", "过半", "一半"])),
)


def percentages(text: str, *, year: int) -> list[Item]:
    """`year`: the publication year, which relative deadlines (年底前) count from; a text with
    no date of its own counts from the latest year it names (not from today)."""
    year = reference_year(text, year)
    spans = list(sentences(text))
    items = []
    probe = search_text(text)
    pattern, openings = (PERCENT, PERCENT_OPENING) if "分之" in probe else PERCENT_NO_FRACTION
    for m in _matches_from(pattern, openings, probe):
        if tenths := m.group("tenths"):  # 八成, 7成
            value = Decimal(10 * (int(tenths) if tenths.isdigit() else TENTHS.index(tenths) + 1))
        elif m.group("half"):
            value = Decimal(50)
        elif m.groupdict().get("whole"):  # 四分之一: 25, 三分之二: 66.67 (not in the lighter scan)
            whole, part = cn_integer(m.group("whole")), cn_integer(m.group("part"))
            if part >= whole:
                continue
            value = (Decimal(100 * part) / whole).quantize(Decimal("0.01")).normalize()
        else:
            value = parse_number(m.group("pp") or m.group("num") or m.group("cn"))
        if value is None:
            continue
        if m.group("pp"):
            s_start, _ = _sentence_of(spans, m.start())
            what = _subject(text, m.start(), m.end(), s_start)
            value = {"percent": str(value), "unit": "pp", "what": what}
            items.append(Item("percent", text[m.start() : m.end()], m.start(), m.end(),
                              "number-rule", value))  # fmt: skip
            continue
        s_start, s_end = _sentence_of(spans, m.start())
        near = text[max(s_start, m.start() - 25) : min(s_end, m.end() + 6)]
        deadline = _target_deadline(probe, m.start(), m.end(), s_start, s_end, year)
        if deadline and TARGET_MARK.search(search_text(near)) and not _achieved(probe, m, s_start):
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
    return items + _completions(text, probe, spans, year)


# A share already reached by a date is a figure, not a target: 截至6月底已完成90%, 累计完成,
# "had completed over 95 percent by the end of June", "has been completed".
ACHIEVED = re.compile(
    r"截至|截止|已经|已(?!于|於)|累计|累計|(?i:\bas of\b|\bhad\b|\b(?:have|has) (?:been )?"
    r"(?:completed|finished|achieved|fulfilled)\b|\b(?:were|was) (?:completed|finished|achieved)\b)"
)


def _achieved(probe: str, m: re.Match, s_start: int) -> bool:
    """Whether the clause of the figure, with the one before it, says it is already reached."""
    before = CLAUSE_BREAK.split(probe[s_start : m.start()])
    after = CLAUSE_BREAK.split(probe[m.end() : m.end() + 40])[0]
    return ACHIEVED.search("，".join(before[-2:]) + m.group() + after) is not None


def _completions(text: str, probe: str, spans, year: int) -> list[Item]:
    """ "…年底前全面完成" / "fully achieved by the end of this year": a target of 100%."""
    items = []
    for m in COMPLETE.finditer(probe):
        s_start, s_end = _sentence_of(spans, m.start())
        deadline = _target_deadline(probe, m.start(), m.end(), s_start, s_end, year)
        if _achieved(probe, m, s_start):
            continue  # 截至6月底已全面完成, had been completed by the end of June: done
        if deadline is None:
            before = probe[max(s_start, m.start() - 40) : m.start()]
            deadline = _deadline(re.sub(r"[…]+", "", before).replace("年底前", "年底"), year)
        if deadline is None:
            continue
        what = _subject(text, m.start(), m.end(), s_start)
        value = {"percent": "100", "deadline": deadline.isoformat(), "what": what}
        items.append(Item("target", text[m.start() : m.end()], m.start(), m.end(), "target-rule",
                          value))  # fmt: skip
    return items


@cache
def _money_pattern():
    """Figures grouped by a space (6 000亿元) are tried after the plain ones (where those fail:
    the same matches, a faster scan). English words match in lower case or capitalised
    (2.5 trillion Yuan, billion U.S. Dollars)."""
    units = metadata()["money_units"]
    alt = "|".join(sorted((_either_case(re.escape(u)) for u in units), key=len, reverse=True))
    scale = _either_case("trillion|billion|million|tn|bn|mn")
    currency = _either_case(r"yuan|renminbi|U\.S\. dollars|US dollars|dollars")
    return re.compile(
        rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|{SPACED_ZH})\s*(?P<approx>多|余)?\s*"
        rf"(?P<unit>{alt}|{BARE}|[Yy]uan\b)"
        r"|(?P<cur>RMB|CNY|US\$|\$|¥)\s?(?P<num_en>\d+(?:,\d{3})*(?:\.\d+)?)"
        rf"\s?(?P<scale>{scale})\b"
        rf"|(?P<num2>\d+(?:,\d{{3}})*(?:\.\d+)?)[\s-]?(?P<scale2>{scale})[\s-]?"  # 4-trillion-yuan
        rf"(?P<cur2>{currency}|RMB|CNY|USD)\b"
    ), units


@cache
def _units_by_case() -> dict[str, str]:
    return {unit.lower(): unit for unit in metadata()["money_units"]}


def _either_case(words: str) -> str:
    """A pattern's lower-case words, each also capitalised (yuan → [yY]uan)."""
    return re.sub(r"\b([a-z])", lambda m: f"[{m.group(1)}{m.group(1).upper()}]", words)


# 6 000亿元: thousands grouped by a space, before a Chinese unit only (not "in 2019 300 …").
SPACED_ZH = rf"{quantities.SPACED}(?=\s*(?:多|余)?\s*[万萬亿億兆元])"
BARE = r"万亿|亿(?=[，,。、；;）)\s]|的|投资|资金|$)"  # 9000多亿, without 元: yuan
EN_SCALE = {"trillion": 10**12, "billion": 10**9, "million": 10**6, "tn": 10**12, "bn": 10**9,
            "mn": 10**6}  # fmt: skip
EN_UNITS = {"yuan": {"factor": 1, "currency": "CNY"}}  # a share price: 7.60 yuan


MONEY_OPENING = re.compile(r"[\dRCU$¥]")  # what a match of the money pattern opens with
DIGITS = re.compile(r"\d+")


def _matches_from(pattern: re.Pattern, openings: re.Pattern, probe: str):
    r"""`pattern.finditer(probe)`, tried only where `openings` finds a match can open: a run of
    digits that gives no match from its first digit gives none from a later one (the
    pattern's `\d+` can start at the first and reach the same place), so the rest of the run
    is skipped."""
    at = 0
    while (opening := openings.search(probe, at)) is not None:
        if (m := pattern.match(probe, opening.start())) is not None:
            yield m
            at = max(m.end(), m.start() + 1)
            continue
        run = DIGITS.match(probe, opening.start())
        at = run.end() if run else opening.start() + 1


PER_HEAD_BEFORE = re.compile(r"(?:人均|每人|每人每年|每年每人)(?:的|为|為|达到|达|约|超过|超)?\s*$")


def _per_person(probe: str, start: int, end: int) -> bool:
    """An amount per person: 人均 or 每人 just before it, or /人 just after (万元/人)."""
    if probe.startswith(("/人", "／人"), end):
        return True
    before = probe[max(0, start - 8) : start]  # 人均 and 每人 hold 人
    return "人" in before and PER_HEAD_BEFORE.search(before) is not None


# 超百亿元, 两千亿元, 上千亿元: a Chinese numeral before a unit of money (not 数百亿元, 几千万元:
# no figure). Searched only in a text holding such a unit after such a numeral.
CN_MONEY = re.compile(
    r"(?<![数數几幾一二两兩三四五六七八九十百千万萬亿億\d])(?P<num>[一二两兩三四五六七八九十百千]{1,4})"
    r"(?P<approx>多|余)?(?P<unit>万亿元|亿元|万元|亿美元|万美元)"
)
CN_MONEY_HINT = re.compile(r"[十百千](?:多|余)?(?:万亿元|亿元|万元|亿美元|万美元)")


def _money_matches(pattern: re.Pattern, probe: str):
    """The money pattern's matches from where they can open, then those with a Chinese numeral
    (a figure in digits before either is not read twice: 5百亿 does not occur)."""
    found = list(_matches_from(pattern, MONEY_OPENING, probe))
    if ("亿" in probe or "万" in probe) and CN_MONEY_HINT.search(probe):
        found += [m for m in CN_MONEY.finditer(probe) if cn_integer(m.group("num")) >= 10]
        found.sort(key=lambda m: m.start())
    return found


def money(text: str) -> list[Item]:
    probe = search_text(text)
    pattern, units = _money_pattern()
    spans = list(sentences(text))
    items = []
    for m in _money_matches(pattern, probe):
        g = m.groupdict()  # a Chinese numeral's match has no currency groups
        if g.get("cur") or g.get("cur2"):  # RMB 10.8 billion, ($275.8 billion), 5bn RMB
            number = parse_number(m.group("num_en") or m.group("num2"))
            cur = m.group("cur") or m.group("cur2")
            currency = "CNY" if cur.lower() in ("rmb", "cny", "¥", "yuan", "renminbi") else "USD"
            scale = (m.group("scale") or m.group("scale2")).lower()
            unit = {"factor": EN_SCALE[scale], "currency": currency}
            unit_text = f"{scale} {currency}"
        else:
            number = parse_number(quantities.GROUP_SPACE.sub("", m.group("num")))
            if number is None:  # 百亿元, 两千亿元: a Chinese numeral
                number = Decimal(cn_integer(m.group("num")))
            unit_text = m.group("unit")
            if unit_text not in units:  # 2.5 trillion Yuan, billion U.S. Dollars: as listed
                unit_text = _units_by_case().get(unit_text.lower(), unit_text)
            unit = (units.get(unit_text) or EN_UNITS.get(unit_text.lower())
                    or units[unit_text + "元"])  # fmt: skip
        if not (g.get("cur") or g.get("cur2")) and _per_person(probe, m.start(), m.end()):
            unit_text += "/人"  # 人均81.2万元, 59.4万元/人: per head, not a sum
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
                    "unit": unit_text,
                    "currency": unit["currency"],
                    "value": str(yuan),
                    "what": _subject(text, m.start(), m.end(), s_start),
                },
            )
        )
    return items


@cache
def _hebrew_count_pattern() -> tuple[re.Pattern, re.Pattern]:
    """The pattern, and the first characters of its nouns (a text without one is not searched:
    every match holds a noun)."""
    nouns = metadata()["count_nouns_he"]
    he = "|".join(sorted(map(re.escape, nouns), key=len, reverse=True))
    pattern = re.compile(rf"(?<![\d.])(?P<num>\d+) (?P<noun>{he})(?![\u05d0-\u05ea])")
    firsts = "".join(sorted({n[0] for n in nouns if n}))
    openings = re.compile(f"[{re.escape(firsts)}]" if all(nouns) and firsts else "")
    return pattern, openings


def counts(text: str) -> list[Item]:
    """Counts in Chinese and English (text.quantities) and Hebrew (a number before a noun of
    the lexicon)."""
    spans = list(sentences(text))
    probe = search_text(text)
    found = []
    for start, end, value, unit, approx in quantities.zh_counts(probe):
        noun = NOUN_STOP.split(NOUN_RUN.match(probe, end).group())[0]
        found.append((start, end, value, unit, noun, approx))
    for start, end, value, noun, approx in quantities.en_counts(text):
        found.append((start, end, value, "", noun, approx))
    pattern, openings = _hebrew_count_pattern()
    for m in pattern.finditer(text) if openings.search(text) else ():
        found.append((m.start(), m.end(), int(m.group("num")), "", m.group("noun"), False))
    items = []
    for start, end, value, unit, noun, approx in sorted(found):
        s_start, _ = _sentence_of(spans, start)
        data = {"count": value, "unit": unit, "noun": noun}
        if approx:
            data["approx"] = True
        data["what"] = _subject(text, start, end, s_start)
        items.append(Item("count", text[start:end], start, end, "number-rule", data))
    return items


ENGLISH_MULTIPLES = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                     "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_EN_MULTIPLE = r"\d+(?:\.\d+)?|" + "|".join(ENGLISH_MULTIPLES)
_MULTIPLE_ZH = (  # 增长1.4倍, 是去年的两倍
    r"(?<![\d.])(?P<zh>\d+(?:\.\d+)?)\s*倍(?!数)"
    r"|(?<![\d.一二两兩三四五六七八九十点點])(?P<cn>[一二两兩三四五六七八九十]{1,3}(?:[点點][一二三四五六七八九])?)倍(?!数)"
)
# the branches with 倍 alone: what MULTIPLE finds in a text holding no 番, fold or times
MULTIPLE_ZH = re.compile(_MULTIPLE_ZH)
MULTIPLE = re.compile(  # 增长1.4倍, 是去年的两倍; increased 1.4 times, 3 times that of, 3-fold
    _MULTIPLE_ZH
    + r"|(?i:\b(?:increased|grew|rose|expanded|jumped|surged|up)(?: by)? )(?P<en>\d+(?:\.\d+)?)"
    r" times\b"
    rf"|(?i:\b(?P<than>{_EN_MULTIPLE}) times (?=(?:as (?:much|many|large|high|big)|that of|"
    r"(?:higher|larger|bigger|greater|more) than|the (?:level|size|amount|figure)\b)))"
    rf"|(?<![\d.])(?P<fold>{_EN_MULTIPLE})-?fold\b"
    r"|翻了?(?P<fan>[一两兩二三])番"  # 翻一番 doubles, 翻两番 quadruples
)


def multiples(text: str) -> list[Item]:
    """Multiples (x倍, 两倍, "increased 1.4 times", "three times that of", 3-fold) with what
    they multiply; not 数倍 (several times) or "met three times" (a frequency)."""
    probe = search_text(text)
    items = []
    if not _may_multiply(probe):
        return items
    spans = list(sentences(text))
    # the other branches need 番, fold or times: with none of them only 倍's can match
    pattern = MULTIPLE if "番" in probe or _may_multiply(probe.replace("倍", "")) else MULTIPLE_ZH
    for m in pattern.finditer(probe):
        found = m.groupdict()
        group = next(g for g in ("zh", "cn", "en", "than", "fold", "fan") if found.get(g))
        start, end = m.start(group), m.start() + len(m.group().rstrip())
        written = m.group(group)
        number = ENGLISH_MULTIPLES.get(written.lower()) or parse_number(written)
        if group == "fan":
            start, number = m.start(), 2 ** int(parse_number(written) or 0)
        if number is None or number == 0:
            continue
        s_start, _ = _sentence_of(spans, start)
        value = {
            "value": f"{Decimal(number).normalize():f}",
            "what": _subject(text, start, end, s_start),
        }
        items.append(Item("multiple", text[start:end], start, end, "number-rule", value))
    return items


# Characters outside ASCII that match an ASCII letter when case is ignored (İ ı ſ K).
FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def _may_multiply(probe: str) -> bool:
    """Whether MULTIPLE can match: each of its forms holds 倍, 番, fold or times (any case)."""
    if "倍" in probe or "番" in probe or "fold" in probe:
        return True
    return "times" in probe.lower() or FOLDS_TO_ASCII.search(probe) is not None
