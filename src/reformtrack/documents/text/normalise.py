"""Repairs of noisy copies that change no meaning: invisible characters, Hebrew points, full-
width letters and digits, repeated punctuation, pinyin injected after characters
(`國務(wù)院`), anti-copy junk strings inside sentences, and scraper lines around the page.

Returns the text and a count of each kind of repair, so a clean text is known to be untouched.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ..lexicons import metadata

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
HEBREW_POINTS = re.compile("[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")
FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
HALF_PUNCT = re.compile(rf"(?<=[{CJK}”」）》\u3001\u3002\uff0c])([,;:!?])")
TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
REPEATED = re.compile(r"([，。；：！？、,;!?])\1+")
PINYIN = re.compile(  # one reading or several (電(dian)(dian)力)
    rf"(?<=[{CJK}])(?:[（(]([a-zü\u0101\u00e1\u01ce\u00e0\u0113\u00e9\u011b\u00e8\u012b\u00ed"
    rf"\u01d0\u00ec\u014d\u00f3\u01d2\u00f2\u016b\u00fa\u01d4\u00f9\u01d6\u01d8\u01da\u01dc]"
    rf"{{1,6}}[1-5]?)[）)])+"
)
# Random-looking: lower and upper case letters and digits mixed, wedged between characters.
JUNK = re.compile(
    rf"(?<=[{CJK}，。])(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*\d)"
    rf"[A-Za-z0-9]{{5,16}}(?=[{CJK}，。])"
)
MEASURE = re.compile(r"\d+(?:\.\d+)?[A-Za-z]{1,5}|[A-Z]{1,4}\d+")  # 40MPa, 500kV, GB50016
# Navigation parts are short names: no markup, no sentence punctuation (a sentence quoting
# "<script>" is text, not a breadcrumb).
BREADCRUMB = re.compile(
    r"^\s*(?P<site>[^>›»<。，；\n]{1,40}?)\s*(?:[>›»]\s*[^>›»<。，；\n]{1,40}){2,}$"
)
BLANKS = re.compile(r"\n{3,}")


def _junk(m: re.Match) -> str:
    """An anti-copy string goes; a figure with its unit (冶金40MPa超高压) is a real term."""
    return m.group() if MEASURE.fullmatch(m.group()) else ""


@cache
def scraper_patterns() -> list[re.Pattern]:
    return [re.compile(p) for p in metadata()["scraper_lines"]]


@cache
def _scraper_line() -> re.Pattern | None:
    """The scraper patterns as one alternation (a line searched once, not once a pattern): each
    a group of its own, a leading (?i) scoped to it; None when a pattern could read otherwise
    joined (a back-reference, another inline flag)."""
    branches = []
    for p in metadata()["scraper_lines"]:
        flags, body = ("i", p[4:]) if p.startswith("(?i)") else ("", p)
        if "(?" in body.replace("(?:", "") or re.search(r"\\[1-9]", body):
            return None
        branches.append(f"(?{flags}:{body})")
    return re.compile("|".join(branches)) if branches else None


def is_scraper_line(line: str) -> bool:
    stripped = line.strip()
    joined = _scraper_line()
    if joined is not None:
        return joined.search(stripped) is not None
    return any(p.search(stripped) for p in scraper_patterns())


def _sub(pattern: re.Pattern, repl, text: str, counts: Counter, kind: str) -> str:
    text, n = pattern.subn(repl, text)
    if n:
        counts[kind] += n
    return text


def normalise(text: str) -> tuple[str, dict[str, int]]:
    counts: Counter = Counter()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _sub(INVISIBLE, "", text, counts, "invisible")
    text = _sub(HEBREW_POINTS, "", text, counts, "hebrew_points")
    text = _sub(FULLWIDTH_ALNUM, lambda m: chr(ord(m.group()) - 0xFEE0), text, counts, "width")
    text = _sub(re.compile("\u3000"), " ", text, counts, "width")
    if "(" in text or "（" in text:  # a reading is in brackets: no bracket, nothing to find
        text = _sub(PINYIN, "", text, counts, "pinyin")
    text = _sub(REPEATED, r"\1", text, counts, "repeated_punctuation")
    if any(c in text for c in TO_FULL):  # only these are made full-width
        text = _sub(HALF_PUNCT, lambda m: TO_FULL[m.group(1)], text, counts, "width")
    text = _sub(REPEATED, r"\1", text, counts, "repeated_punctuation")
    before = text
    text = JUNK.sub(_junk, text)
    if text != before:
        counts["junk"] += sum(not MEASURE.fullmatch(m.group()) for m in JUNK.finditer(before))
    lines, sites = [], set()
    for line in text.split("\n"):
        if m := BREADCRUMB.match(line):  # 网站名 > 专题 > 正文: navigation, and its site's name
            sites.add(m.group("site").strip())
    for line in text.split("\n"):
        if is_scraper_line(line) or BREADCRUMB.match(line) or line.strip() in sites:
            counts["scraper_line"] += 1
            continue
        stripped = line.rstrip()
        if stripped != line and stripped.strip():
            counts["whitespace"] += 1
        lines.append(stripped if stripped.strip() else "")
    text = "\n".join(lines)
    text = BLANKS.sub("\n\n", text).strip("\n")
    return text, dict(counts)
