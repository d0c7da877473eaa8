"""Counts of things as written: digits with 万/亿 (8万户 = 80000, 1.3万户), approximate ones
(400余户, 6000多户, 超7.6万户, 十多个省市, 二三十项 = 20), Chinese numerals from ten up (below
ten they are mostly slogans: 三个领军), English figures and numbers in words before a plural
noun (more than 2,700 reform measures, eight key tasks, sixty enterprises). Not counts:
ordinals (第14次), durations (7个月), percentage points (5个百分点), slogans in quotes
(“11个不要搞”), years and money. `approx` marks 余/多/近/超/逾/约/over/more than."""

from __future__ import annotations

import re
from decimal import Decimal

from .numbers import cn_integer

ZH_UNITS = "家户戶个個项項名人条條篇次点所座批套件台种类位支艘辆架场份宗处只组組席例"
MULT = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CN_DIGITS = "一二三四五六七八九十百千万两"
# Thousands grouped by a space (5 000项, 3 359项, 6 000亿元): groups of three after one to three
# digits, read as one number (not "000项" and "359项").
SPACED = r"(?<!\d)\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.,])"
GROUP_SPACE = re.compile(r"[ \u00a0\u2009\u202f,]")
VAGUE_BEFORE = re.compile(r"[数數几幾好]$")
APPROX_BEFORE = re.compile(r"(?:近|超过|超|逾|约|将近|多达|大约|上)$")


def _zh_count(spaced: str) -> re.Pattern:
    return re.compile(
        rf"(?<![\dA-Za-z.第“\"「+])(?:(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?{spaced})"
        rf"(?P<mult>[万萬亿億])?|(?P<cn>[{CN_DIGITS}]{{1,5}}))(?P<approx>余|多|来)?"
        rf"(?P<unit>[{ZH_UNITS}])"
        # not a duration, a share, a figure going on; 6组10家: two counts
        r"(?!百分点|月|年|季度|小时|倍|周|岁|钟|半|整|亿|万|\+|(?<![组組])\d)"
    )


ZH_COUNT = _zh_count(f"|{SPACED}")
# The same without figures grouped by a space, for a text that has none (most: a faster scan).
ZH_COUNT_UNSPACED = _zh_count("")
SPACE_GROUPED = re.compile(r"\d[ \u00a0\u2009\u202f]\d{3}")
ENTITY_UNITS = "家户戶所座艘架辆组組"  # classifiers of bodies and things, not of slogans (个, 项)
IDIOMS = re.compile(r"千家万户|百家争鸣|千家百户|万家灯火")  # numerals in set phrases
NOT_AFTER_GE = ("月", "百分点", "小时", "工作日", "季度", "星期")  # 7个月: a duration
NOT_AFTER_POINT = re.compile(r"[，,。、\s]|$")  # 3点, (a time) — 3点要求 is a count
WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALE = {"hundred": 100, "thousand": 1000, "million": 10**6}
WORD_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    r"(?: (?:hundred|thousand))?|a dozen"
)
EN_COUNT = re.compile(
    rf"(?P<approx>\b(?i:more than|over|nearly|about|around|almost|at least|some|up to) )?"
    rf"(?<![\w.,$/:-])(?P<num>\d{{1,3}}(?:\.\d{{1,3}})? (?:million|thousand)(?= )"  # 1.2 million
    rf"|\d{{1,3}}(?:,\d{{3}})+|\d+|\b(?i:{WORD_NUMBER}))"
    r"(?P<plus>-plus|\+|[-–~]\d{1,3}(?:,\d{3})*(?![\w.,-]))?"  # 60-plus; 30-50 (the lower bound)
    # modifiers: words, grades, an acronym (2,500 central SOE subsidiaries), an opening quote
    # (345 "zombie companies"); the noun a plural or a plural without s (220,000 people)
    r"(?P<mods>(?: [\"“]?(?:[a-z]+(?:-[a-z]+)*|[A-E]-(?:level|rated|class)|Chinese|State-owned"
    r"|[A-Z]{2,6}(?![\w-])))"
    r"{0,4}?) [\"“]?(?P<noun>[a-z]+(?:-[a-z]+)*s|[A-Z]{2,}s|people|personnel|staff)\b"
)
# A figure that leaves its noun to the count before it (98 central SOEs, down from 117; 51 firms
# were rated with a B, 21 with a C and 2 with a D; cut down to just 99, below 100).
NUMBER_VERB = r"(?:to|from|at|reached|totaled|totalled|hit|was|is|were)"  # the number of … was 97
ELLIPTIC_QUALIFIER = (
    r"(?:just |only |about |nearly |almost |over |more than |less than |fewer than |under |below "
    r"|around |within |no more than |the current )?"
)
EN_ELLIPTIC = re.compile(
    r"(?:\b(?:up|down|rising|falling|grown|risen|fallen|increased|decreased|cut down|reduced"
    r"|dropped|dropping|fell|rose|declined|shrank|shrunk|cut|trimmed|slashed|regrouped|merged)"
    rf" (?:from|to|into) {ELLIPTIC_QUALIFIER}"
    r"|\b(?:goal|target|limit) of (?:below|under|above|over|at least) "
    r"|(?:, |\band )(?=\d+ (?:with|in|as|were|was|had)\b)"
    # Out of the companies evaluated, 45 were …; Of the 166 SOEs, 28 received …
    r"|\b(?:[Oo]ut of|[Aa]mong|[Oo]f) (?:the |these |all (?:the )?)(?:\d[\d,]* )?"
    r"(?:[a-z-]+ ){0,2}?(?P<among>[a-z]+s|[A-Z]{2,}s)\b[^.;:,]{0,40}, "
    r"(?=\d+ (?:were|was|are|had|have|received|got|made|won)\b)"
    r"|\b(?:workforce|staff|employees|headcount) of (?:about |almost |nearly |over |more than )?"
    # the number of … reduced to less than 100, cut the number to 157, has dropped from 157
    r"|\bthe number (?:to|from) |\binto the current "
    rf"|(?<=\bnumber of )(?=[^.;]{{3,160}}?\b{NUMBER_VERB} \D{{0,14}}\d)"
    rf"[^.;]{{3,160}}?\b{NUMBER_VERB} "
    rf"{ELLIPTIC_QUALIFIER})"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?![\d.,]*\s*(?:%|percent|per cent|yuan|dollars|billion|"
    r"million|trillion|times|years?|months?|days?|points?))(?:[-–~]\d+(?![\w.,-]))?"  # 80-100
    r"(?![\w-]|\.\d)"  # a figure may end a sentence
)
EN_NOT_NOUN = re.compile(
    r"^(?:years|months|weeks|days|hours|minutes|times|percent|points|yuan|dollars|billions|"
    r"tons|tonnes|kilometers|kilometres|meters|metres|kilowatts|megawatts|hectares|barrels|"
    r"millions|trillions|decades|quarters|sessions|was|is|has|this|its|as|plus|terms|ways"
    # verbs in the third person after a figure as subject (a reading above 50 indicates …)
    r"|indicates|means|shows|says|remains|represents|includes|accounts|makes|takes|becomes"
    r"|seems|marks|reflects|equals|stands|ranks|tops)$",
    re.I,
)
QUOTED = re.compile(r"[\"“「][^\"“”「」\n]{1,40}[\"”」]")  # slogans: “四梁八柱”, "four beams…"
BOOK_TITLE = re.compile(r"《[^《》\n]{1,80}》")  # a document's name: 《…的十条意见》
EN_SCALE_MOD = re.compile(r"\b(?:million|billion|trillion|thousand|hundred)\b")  # 16 million tons
EN_NOT_MOD = re.compile(r"\b(?:of|the|and|or|to|in|on|per|percent|from|by|for|with|at|a|an)\b")
EN_PAIRED_MOD = re.compile(  # 346,000 local and Chinese employees; 672 state-owned science and
    r"(?: [a-z]+(?:-[a-z]+)*)? [a-z]+ (?:and|or) (?:[a-z]+|[A-Z][a-z]+)"  # technology enterprises
)


def _cn_value(cn: str) -> int | None:
    """二三十 → 20 (a range: its lower bound); 十多 → 10; 三 → 3."""
    if re.fullmatch(r"[二三四五六七八九][三四五六七八九][十百千万]", cn):
        return cn_integer(cn[0] + cn[2])
    if any(c not in CN_DIGITS for c in cn):
        return None
    return cn_integer(cn)


def _word_value(words: str) -> int:
    total = 0
    if words.lower() == "a dozen":
        return 12
    for part in words.lower().replace("-", " ").split():
        if part in SCALE:
            total = (total or 1) * SCALE[part]
        else:
            total += WORDS.get(part, 0)
    return total


def _quoted(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in QUOTED.finditer(text)]


RANGE_BEFORE = re.compile(r"(?<![\d.第])(\d{1,6})\s*[-~～—–]\s*$")
RANK_UNITS = "名位"
RANK_BEFORE = re.compile(  # 前10名, 第四到十位 (not 目前3名, 此前2位)
    r"(?:(?<![目之以此当當提日年月眼空先事会會节節])前|第[^，,。；\s]{1,4}[到至~～-])$"
)
VAGUE_WORDS = ("数", "數", "几", "幾", "好")  # VAGUE_BEFORE's
APPROX_WORDS = ("近", "超过", "超", "逾", "约", "将近", "多达", "大约", "上")  # APPROX_BEFORE's


def _ends_with(probe: str, end: int, words: tuple[str, ...]) -> bool:
    """`re.search(rf"(?:{'|'.join(words)})$", probe[:end])` without copying the text before
    `end` and scanning it (`$` also matches before a last newline)."""
    if probe.endswith(words, 0, end):
        return True
    return end > 0 and probe[end - 1] == "\n" and probe.endswith(words, 0, end - 1)


# 两大煤炭生产企业, 五大发电集团: "the N big" bodies (a numeral and 大 before a body's noun).
BIG_N = re.compile(
    r"(?<![\d一二两兩三四五六七八九十第“\"「])(?P<cn>[两兩二三四五六七八九十])大"
    r"(?=[^，,。；;、\s“”\"]{0,8}?(?:企业|企業|集团|集團|公司|央企|银行|銀行)(?!之一))"
)  # not 五大发电央企之一 (one of them: a description)


BIG_NUMERALS = "两兩二三四五六七八九十"  # BIG_N's


def zh_counts(probe: str) -> list[tuple[int, int, int, str, bool]]:
    """(start, end, value, unit, approx) of each Chinese count in the Simplified copy."""
    out, quoted = [], _quoted(probe) + [m.span() for m in IDIOMS.finditer(probe)]
    quoted += [m.span() for m in BOOK_TITLE.finditer(probe)]
    pattern = ZH_COUNT if SPACE_GROUPED.search(probe) else ZH_COUNT_UNSPACED
    for m in pattern.finditer(probe):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        unit = m.group("unit")
        if unit == "点" and not m.group("approx") and NOT_AFTER_POINT.match(probe, m.end()):
            continue
        if unit in "个個" and probe.startswith(
            ("月", "百分点", "小时", "工作日", "季度", "星期"), m.end()
        ):
            continue
        if _ends_with(probe, m.start(), VAGUE_WORDS):
            continue  # 数百家, 几十个: no figure
        if unit in RANK_UNITS and RANK_BEFORE.search(probe, max(0, m.start() - 6), m.start()):
            continue  # 前10名, 第四到十位: ranks
        approx = bool(m.group("approx")) or _ends_with(probe, m.start(), APPROX_WORDS)
        start = m.start()
        before = probe[start - 1] if start > 1 else ""  # RANGE_BEFORE ends with a mark or a space
        ranged = before and (before in "-~～—–" or before.isspace())
        if (
            ranged
            and m.group("num")
            and (low := RANGE_BEFORE.search(probe, max(0, start - 8), start))
        ):
            # 1-3个, 5～10家: a range, counted by its lower bound
            lower = int(low.group(1)) * MULT.get(m.group("mult") or "", 1)
            out.append((low.start(), m.end(), lower, unit, True))
            continue
        if m.group("cn"):
            value = _cn_value(m.group("cn"))
            small = value is not None and 2 <= value < 10 and unit in ENTITY_UNITS
            if value is None or (value < 10 and not m.group("approx") and not small):
                continue  # 三个领军, 五个能力: slogans (两家央企, 三家企业 are counts)
        else:
            number = Decimal(GROUP_SPACE.sub("", m.group("num")))
            if m.group("mult"):
                number *= MULT[m.group("mult")]
            if number != number.to_integral_value():
                continue
            value = int(number)
            if value == 0:
                continue  # 0次: a page's view counter
        out.append((m.start(), m.end(), value, unit, approx))
    at = probe.find("大", 1)
    while at > 0:  # BIG_N's matches, tried only before a 大 that follows a numeral
        m = BIG_N.match(probe, at - 1) if probe[at - 1] in BIG_NUMERALS else None
        if m and not any(a <= m.start() < b for a, b in quoted):
            out.append((m.start(), m.end(), cn_integer(m.group("cn")), "", False))
        at = probe.find("大", at + 1)
    return sorted(out)


def en_counts(text: str) -> list[tuple[int, int, int, str, bool]]:
    """(start, end, value, noun, approx) of each English count, then the figures that share
    the noun of a count in their sentence or the one before (EN_ELLIPTIC)."""
    out = _en_counts(text)
    joined, ranges = _coordinated(text, out)
    out = [c for c in out if c[0] not in ranges] + joined
    return sorted(out + _elliptic(text, out))


# A figure joined to the count after it shares its noun: 10 centrally and 21 locally
# administered SOEs, three or four companies; a range (30 to 50 enterprises, between 80 and
# 100 firms, three or four levels) is counted by its lower bound.
COORDINATED = re.compile(
    rf"(?<![\w.,$/:-])(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+|\b(?i:{WORD_NUMBER}))"
    r"(?: [a-z]+ly)? (?P<joint>and|or|to) $"
)
BETWEEN = re.compile(r"\bbetween $")


def _coordinated(text: str, counts: list) -> tuple[list, set[int]]:
    """The figures joined to a count, and the starts of the counts that end a range."""
    out, ranges, taken = [], set(), {s for s, *_ in counts}
    for start, _end, _value, noun, approx in counts:
        m = COORDINATED.search(text, max(0, start - 30), start)
        if m is None or m.start() in taken:
            continue
        raw = m.group("num")
        value = int(raw.replace(",", "")) if raw[0].isdigit() else _word_value(raw)
        if value <= 0 or ("," not in raw and raw[0].isdigit() and 1900 <= value <= 2100):
            continue
        between = BETWEEN.search(text, max(0, m.start() - 8), m.start()) is not None
        if m.group("joint") != "and" or between:
            ranges.add(start)  # the upper bound of a range
        out.append((m.start(), m.end("num"), value, noun, approx))
    return out, ranges


# What every match of EN_ELLIPTIC holds (its lead words end with one of them): a text without
# any is not searched.
ELLIPTIC_WORDS = ("from ", "to ", "of ")  # into ends with to
ELLIPTIC_HINT = re.compile(r"(?:, |and )\d")  # the alternatives without those words


# No match of EN_ELLIPTIC holds a ; or a . that is no decimal point (its gaps exclude them) and
# each holds a figure: only the stretches between those marks that hold a digit are searched,
# each with the few characters after it that the figure's lookaheads read.
ELLIPTIC_STOP = re.compile(r";|\.(?!\d)")
DIGIT = re.compile(r"\d")


def _elliptic_matches(text: str):
    """`EN_ELLIPTIC.finditer(text)`, searched only in the stretches that hold a digit."""
    at = 0
    while (digit := DIGIT.search(text, at)) is not None:
        stop = ELLIPTIC_STOP.search(text, digit.end())
        end = stop.start() if stop else len(text)
        begin = max(at, _stretch_start(text, digit.start()))
        for m in EN_ELLIPTIC.finditer(text, begin, min(len(text), end + 40)):
            if m.start() >= end:
                break  # the next stretch's, found from its own start
            yield m
        at = end + 1


def _stretch_start(text: str, pos: int) -> int:
    """Where the stretch holding `pos` starts: after the last ; or non-decimal . before it."""
    start = text.rfind(";", 0, pos) + 1
    dot = text.rfind(".", start, pos)
    while dot >= start and DIGIT.match(text, dot + 1):
        dot = text.rfind(".", start, dot)
    return max(start, dot + 1)


def _elliptic(text: str, counts: list) -> list[tuple[int, int, int, str, bool]]:
    out, taken = [], {(s, e) for s, e, *_ in counts}
    if not (any(word in text for word in ELLIPTIC_WORDS) or ELLIPTIC_HINT.search(text)):
        return out
    for m in _elliptic_matches(text):
        start, raw = m.start("num"), m.group("num")
        value = int(raw.replace(",", ""))
        if (start, m.end()) in taken or ("," not in raw and 1900 <= value <= 2100) or not value:
            continue
        before = [c for c in counts if c[1] <= start and not SENTENCE_BETWEEN.search(
                  text[c[1] : start])]  # fmt: skip
        own = OWN_NOUN.search(text[max(0, m.start() - 12) : m.start()] + m.group()[:12])
        among = m.group("among")
        if not (before or own or among):
            continue
        noun = among or (before[-1][3] if before else own.group(1))
        approx = bool(re.search(r"almost|nearly|about|over|more", m.group()))
        out.append((start, m.end("num"), value, noun, approx))
        taken.add((start, m.end()))
        if own:  # the number of … reduced to 98 from 117: both figures
            for n in SECOND.finditer(text[m.end() : m.end() + 30]):
                if not 1900 <= (second := int(n.group(1).replace(",", ""))) <= 2100:
                    at = m.end() + n.start(1)
                    out.append((at, at + len(n.group(1)), second, noun, False))
    return out


SENTENCE_BETWEEN = re.compile(r"[.!?]\s+\S[^.!?]*[.!?]\s")
OWN_NOUN = re.compile(r"\b(workforce|staff|employees|headcount|number) of")
SECOND = re.compile(  # … reduced to 123, from 125; cut … to 157, down from 196
    r"^,?\s*(?:down |up )?(?:to|from) (?:between )?(\d{1,3}(?:,\d{3})+|\d+)\b"
    r"(?![\d.,]*\s*(?:%|percent|yuan|billion|million))"
)


# The characters a match of EN_COUNT is made of (its case-blind words also match İ ı ſ K): a
# match lies in one run of them holding a space, so only those runs are searched (with the
# character after each, which its closing \b reads), not the Chinese text around.
COUNT_RUN = re.compile(r"[A-Za-z\d\u0130\u0131\u017f\u212a ,.\"“+~–-]+")


def _en_count_matches(text: str):
    """`EN_COUNT.finditer(text)`, searched in the runs that can hold a match."""
    for run in COUNT_RUN.finditer(text):
        if " " in run.group():
            yield from EN_COUNT.finditer(text, run.start(), run.end() + 1)


def _en_counts(text: str) -> list[tuple[int, int, int, str, bool]]:
    out, quoted = [], _quoted(text)
    for m in _en_count_matches(text):
        noun, mods, raw = m.group("noun"), m.group("mods"), m.group("num")
        if any(a < m.start("num") < b for a, b in quoted):
            continue
        paired = EN_PAIRED_MOD.fullmatch(mods)  # 346,000 local and Chinese employees
        if EN_NOT_NOUN.match(noun) or EN_SCALE_MOD.search(mods):
            continue
        if EN_NOT_MOD.search(mods) and not paired:
            continue
        if raw[0].isdigit() and raw.endswith(("million", "thousand")):  # 1.2 million people
            figure, scale = raw.split(" ")
            value = int(Decimal(figure) * SCALE[scale])
        elif raw[0].isdigit():
            value = int(raw.replace(",", ""))
            if "," not in raw and 1900 <= value <= 2100:
                continue  # a year
        else:
            value = _word_value(raw)
        if value <= 0:
            continue
        start = m.start("num")
        plus = m.group("plus") or ""
        approx = bool(m.group("approx")) or plus[:1] in ("-", "+")  # the 60-plus central SOEs
        out.append((start, m.end(), value, noun, approx))
    return out
