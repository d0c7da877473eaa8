"""People with their full titles. Chinese: a name the recogniser tags (text.ner; with jieba, a
name must start with a surname), its title the whole clause before it when that clause ends
in a title word (国务院国资委党委书记、主任张玉卓: the title keeps every part, 副主任 stays 副主任),
or a title word right after it; bylines and credits (记者许晟, 作者：杨松楠, 责任编辑：刘亮).
English: "Name Surname, deputy director of …," "Chairman Name Surname", "(Reporter Name)".
A name with no title anywhere in the text is not reported (习近平新时代…思想 is no mention)."""

from __future__ import annotations

import re
from functools import cache

from ..lexicons import metadata
from . import ner
from .entities import Item, search_text

TITLE_END = re.compile(
    r"(?:长|书记|主任|委员|董事|经理|主席|总裁|总监|专务|发言人|记者|编辑|作者|干部|巡视员|会计师|工程师|"
    r"总师|监事|研究员|教授|主编|通讯员|负责人|参事|顾问|局长|处长|特派员|代表|总理|省长|市长|成员|"
    r"师|官|院士|专家|学者|博士|同志)$"
)
TITLE_AFTER = re.compile(
    r"(?:总书记|党委书记|书记|董事长|总经理|主任|部长|省长|市长|主席|总理|会长|院长|总裁|局长)"
)
CLAUSE = re.compile(r"[，,。；;：:！？!?\n（(“”\"「」》《]|\s{2,}")
LEAD = re.compile(  # words before a title in its clause, in the first part (before any 、)
    r"^[^、]*?(?:邀请|请|由|陪同|听取|随同|会上|会议上|期间|仪式上|\d{1,2}日(?:上午|下午|晚上)?|"
    r"(?:上午|下午|晚上|近日|日前|当天|今天|昨天)(?=[\u4e00-\u9fff]))"
)
FUNCTION_WORD = re.compile(r"^(?:据|受|应|随|在|与|同|向|对|和|及|为|由|请|从|以|将|经)(?!理|济)")
NOT_TITLE = re.compile(r"^(?:等|和|及|与)")
BYLINE = re.compile(
    r"(?P<title>记者|作者|责任编辑|编辑|通讯员|撰稿|摄影|校对|(?<![\u4e00-\u9fff])文(?=\s*[/／]))"
    r"\s*[:：/／]?\s*"
    r"(?P<name>[\u4e00-\u9fff]{2,3}?)"
    r"(?=[\s)）|，,。]|$|来源|编辑|责任|摄影|日期|时间|发布|浏览|出品)"
)
MORE_NAMES = re.compile(
    r"[ 　、]+(?P<name>[\u4e00-\u9fff]{2,3}?)(?=[\s)）|，,。、]|$|来源|编辑|责任|摄影|通讯员)"
)
SPEAKS = re.compile(r"表示|指出|强调|说|出席|主持|介绍|讲话|致辞|参加|会见|调研|带队|率队|一行")
MAX_TITLE = 48


@cache
def _surnames() -> tuple[set, tuple]:
    surnames = metadata()["surnames_zh"]
    return set(surnames["single"].replace(" ", "")), tuple(surnames["compound"])


def _plausible(name: str) -> bool:
    single, compound = _surnames()
    return 2 <= len(name) <= 4 and (name[0] in single or name.startswith(compound))


def _title_before(probe: str, start: int, since: int = 0) -> str:
    """The clause before a name when it ends with a title word ('' otherwise); it starts
    after `since`, the end of the name before it (…副主任翁杰明、中国宝武董事长陈德荣)."""
    left = probe[max(0, since, start - 120) : start]
    clause = CLAUSE.split(left)[-1]
    clause = FUNCTION_WORD.sub("", LEAD.sub("", clause).strip().lstrip("、"))
    if len(clause) > MAX_TITLE:  # keep whole parts: cut at the first 、 inside the limit
        cut = clause.find("、", len(clause) - MAX_TITLE)
        clause = clause[cut + 1 :] if cut >= 0 else ""
    if not clause or NOT_TITLE.match(clause) or not TITLE_END.search(clause):
        return ""
    return clause


def _chinese(text: str, probe: str) -> list[Item]:
    items, titled = [], {}
    spans: list[tuple[int, int]] = []
    for m in BYLINE.finditer(probe):
        title = "作者" if m.group("title") == "文" else m.group("title")
        start, end = m.span("name")
        while _plausible(probe[start:end]):  # (记者 王璐 刘亮): every name after the label
            name = probe[start:end]
            spans.append((start, end))
            items.append(_item(text, start, end, name, title, "byline"))
            titled[name] = True
            more = MORE_NAMES.match(probe, end)
            if not more:
                break
            start, end = more.span("name")
    toks = ner.tokens(text)
    engine = ner.engine()
    since = 0
    for tok in toks:
        if tok.tag != "PER" or any(s <= tok.start < e for s, e in spans):
            continue
        name = tok.text
        if not re.fullmatch(r"[\u4e00-\u9fff·]{2,6}", name):
            continue
        if engine != "lac" and not _plausible(name):
            continue
        title = _title_before(probe, tok.start, since)
        since = tok.end
        after = TITLE_AFTER.match(probe, tok.end)
        if after and not SPEAKS.match(probe, after.end()):
            after = None  # 习近平总书记重要指示: a reference, not a participant
        if not title and after:
            title = after.group()
        if not title and name not in titled:
            continue
        titled[name] = True
        items.append(_item(text, tok.start, tok.end, name, title, "recogniser"))
    first: dict[str, str] = {}  # a person's title as first written, on every mention
    for i in sorted(items, key=lambda i: i.start):
        if not first.get(i.value["name"]):
            first[i.value["name"]] = i.value.get("title", "")
    for i in items:
        if first.get(i.value["name"]):
            i.value["title"] = first[i.value["name"]]
    return [i for i in items if titled.get(i.value["name"])]


def _item(text: str, start: int, end: int, name: str, title: str, method: str) -> Item:
    value = {"name": name, "title": title} if title else {"name": name}
    return Item("person", text[start:end], start, end, method, value)


EN_NAME = r"[A-Z][a-z]+(?:[- ][A-Z][a-z]+){1,2}"
EN_TITLE_WORD = (
    r"(?:(?:a|an|the) )?(?:[A-Z][A-Za-z]+(?:'s)? )?"  # a spokesperson, SASAC('s) deputy director
    r"(?:(?:deputy|vice|executive|general|chief|former|party|CPC|senior)[- ])*"
    r"(?:director|chairman|chairwoman|president|secretary|minister|head|spokesperson|"
    r"spokesman|spokeswoman|governor|mayor|manager|general manager|member|researcher|"
    r"professor|reporter|editor|chief executive|CEO|analyst|economist|expert|official|dean|"
    r"fellow|premier|chief|secretary-general|commissioner)"
)
EN_AFTER = re.compile(
    rf"\b(?P<name>{EN_NAME}), (?P<title>(?i:{EN_TITLE_WORD})\b[^.;:\n]{{0,140}}?)"
    r"(?=, | said| stated| told|\)|\.)"
)
EN_BEFORE = re.compile(
    rf"\b(?P<title>(?:(?:[A-Z]{{2,}}|Party|CPC) )?"
    rf"(?i:Reporter|Correspondent|Chairman|Chairwoman|President|Director|Secretary|"
    rf"Vice[- ]Chairman|Deputy Director|Minister|Governor|Mayor|General Manager|Premier|"
    rf"Vice[- ]Premier|Professor))"
    rf" (?P<name>{EN_NAME})\b"
)
EN_BYLINE = re.compile(
    rf"\b(?P<title>Editor|Writer|Reporter|Author|Correspondent)\s*:\s*(?P<name>{EN_NAME})\b"
)
EN_STOP = re.compile(r"^(?:The|This|That|State|China|Chinese|Central|In|On|At|By)\b")


def _english(text: str) -> list[Item]:
    items = []
    for m in EN_AFTER.finditer(text):
        name = m.group("name")
        if EN_STOP.match(name) or not m.group("name")[0].isupper():
            continue
        title = re.sub(r"^(?:a|an|the) ", "", m.group("title").strip(), flags=re.I)
        items.append(Item("person", name, m.start("name"), m.end("name"), "title-rule",
                          {"name": name, "title": title}))  # fmt: skip
    for m in EN_BYLINE.finditer(text):  # Editor: Wang Lei
        items.append(Item("person", m.group("name"), m.start("name"), m.end("name"), "byline",
                          {"name": m.group("name"), "title": m.group("title")}))  # fmt: skip
    for m in EN_BEFORE.finditer(text):
        name = m.group("name")
        if EN_STOP.match(name):
            continue
        items.append(Item("person", name, m.start("name"), m.end("name"), "title-rule",
                          {"name": name, "title": m.group("title")}))  # fmt: skip
    return items


def people(text: str) -> list[Item]:
    probe = search_text(text)
    items = _chinese(text, probe) + _english(text)
    return sorted(items, key=lambda i: i.start)
