"""People with their full titles. Chinese: a name the recogniser tags (text.ner; with jieba, a
name must start with a surname), or a surname-led name right after a title word that it missed;
its title the whole clause before it when that clause ends in a title word (国务院国资委党委书记、
主任张玉卓: every part kept, 副主任 stays 副主任; lead words, a dateline and a relative clause cut
off: 赴香港拜会…, 邀请了…, 包括…, 长期…任职的…), or a title word right after it when the person acts
(陈怀宇副省长即刻召开; not 习近平总书记重要指示); a title after a bare list of names is
everyone's (安立佳、朱明春、吕世明委员), a name after 、 shares the title before it
(副主任袁野、李镇); bylines and credits (记者许晟, 作者：杨松楠, | 编辑: | 于一麦 |).
English: "Name Surname, deputy director of …,"
(the title ends at a comma, a line's end or a verb), "the chief researcher at X, Name Surname,",
"Chairman Name Surname", "chief of the SASAC Hao Peng", "(Reporter Name)", "Web Editor: Name".
One title per person, the first written (a post over a descriptor such as 专家). A name with no
title anywhere in the text is not reported (习近平新时代…思想 is no mention)."""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from ..lexicons import metadata
from . import ner
from .entities import Item, search_text
from .people_appointments import appointments
from .titles import (
    NOT_NAME_WORDS,
    PINYIN_SURNAMES,
    PINYIN_WORD,
    WEAK_TITLE,
    name_words_ok,
    pinyin_name,
)

TITLE_END = re.compile(
    r"(?:(?<![增成生延擅助滋消见特专漫冗修拉伸细放])长|"  # 局长, 董事长; not 增长, 成长
    r"书记|主任|委员|董事|经理|主席|总裁|总监|专务|发言人|记者|编辑|作者|干部|巡视员|会计师|工程师|"
    r"总师|监事|研究员|教授|主编|通讯员|负责人|参事|顾问|局长|处长|特派员|代表|总理|省长|市长|成员|"
    r"师|官|院士|专家|学者|博士|同志|秘书|董秘|理事|创始人|合伙人|调研员|议员|大使|总工|助理|专员|主持人|"
    r"司令|常委|副总)$"
)
TITLE_AFTER = re.compile(  # 董事长, 常务副总经理, 主任助理, 总经济师 written after a name
    r"(?=[常执副总党书董主部省市州县区会院局委行秘司厅])(?:常务|执行)?副?(?:总书记|党委书记|书记|董事长|总经理|主任|部长|"
    r"省长|市长|州长|县长|区长|主席|总理|会长|"
    r"院长|总裁|局长|委员长|委员|行政长官|总经济师|总会计师|总工程师|秘书长|行长|厅长|司长)"
    r"(?:助理)?"
)
CLAUSE = re.compile(r"[，,。；;：:！？!?\n（(“”\"「」》《)）【】〔〕\[\]]|\s{2,}")
INNER = re.compile(  # an aside inside a title: CJK on both sides (not a dateline's (北京讯))
    r"(?<=[\u4e00-\u9fff])[（(](?:[^（()）\s\d，,。]|“[^”\s]{1,10}”){1,16}[)）](?=[\u4e00-\u9fff])"
)
QUOTED_BODY = re.compile(  # 省委“活动办”副主任: a body's short name in quotes, the post after it
    r"(?<=[\u4e00-\u9fff])“[\u4e00-\u9fff]{1,6}”(?=[副常执总党主书][\u4e00-\u9fff])"
)
# 长期在能源领域任职的中国工程院院士, 出席的有集团董事长: the title after 的 (有, 是); not
# 党的十七大代表, nor a body's post (中国外运总公司的副总经理)
RELATIVE = re.compile(
    r"^.*(?<!党)(?<!公司|集团|总局|中心|协会|学会)(?<![委局部院厅办行所])的(?:还有|有|是)?(?=.{2})"
)
LEAD = re.compile(  # words before a title in its clause, in the first part (before any 、)
    r"^[^、]*?(?:(?:邀请|请|由|陪同|听取|随同|拜会|拜访|会见|会晤|接见|看望|慰问|走访)(?:了|到)?|"
    r"包括|例如|比如|其中|(?:主要)?负责同志(?=[\u4e00-\u9fff]{2})|"  # …单位主要负责同志市国资委主任
    # 调研组在市国资委副主任… (not 日前在北京与行政长官: the next lead takes 在…与)
    r"[\u4e00-\u9fff]{1,4}?在(?![京港澳华川沪])(?![\u4e00-\u9fff]{1,3}?[与同])(?=[\u4e00-\u9fff]{2})|"
    r"会上|会议上|期间|仪式上|\d{1,2}日(?:电|讯)?(?:上午|下午|晚上)?|在[\u4e00-\u9fff]{1,3}?(?:与|同)|"
    r"(?:上午|下午|晚上|近日|日前|当天|今天|昨天|随后|同时|此外|另外|目前|当前|对此|为此|据悉|"
    r"今年以来|近年来|此前|会后|会前|最后|首先|接着)(?=[\u4e00-\u9fff]))"
)
JUNK_LEAD = re.compile(r"^[^\u4e00-\u9fff]*\d[^\u4e00-\u9fff]*\s")  # date 2026-03-05 国务院…
FUNCTION_WORD = re.compile(
    r"^(?:据|受|应|随|在|与|同|向|对|和|及|为|由|请|从|以|将|经|并|还|也|又|是)(?!理|济)"
)
NOT_TITLE = re.compile(r"^(?:等|和|及|与)")
BYLINE = re.compile(
    r"(?P<title>记者|作者|责任编辑|责编|编辑|通讯员|撰稿|摄影|校对|主持人|(?<![\u4e00-\u9fff])文(?=\s*[/／])|"
    r"(?:核稿|审核|审校|审签|签发|终审|监制|统筹|策划|翻译)(?=\s*[:：]))"
    r"\s*[:：/／]?\s*(?:[|｜]\s*)?"  # | 编辑: | 于一麦 |: a table's cells
    # 作者:中建七局 张文超: the writer's unit before the name
    r"(?:[\u4e00-\u9fff]{1,10}?(?:局|公司|集团|院|部|厂|社|报|台|中心|办|站|所|处|委)[ \u3000]+)?"
    r"(?P<name>[\u4e00-\u9fff]{2,3}?|[\u4e00-\u9fff] [\u4e00-\u9fff])"  # 编辑:徐 颖: one space
    r"(?=[\s)）|，,。】\]」:：]|$|来源|编辑|责任|摄影|日期|时间|发布|浏览|出品|图[/／])"
)
PAPER_LABELS = frozenset(["本报", "本刊", "本台", "本网", "特约", "见习", "实习"])
MORE_NAMES = re.compile(
    r"[ 　、]+(?P<name>[\u4e00-\u9fff]{2,3}?)(?=[\s)）|，,。、】\]」]|$|来源|编辑|责任|摄影|通讯员)"
)
SPEAKS = re.compile(  # after a title written after the name: the person acts (not 总书记重要指示)
    r"(?:近期|近日|日前|今天|今日|昨天|昨日|当天|随后|即刻|随即|亲自|专程|先后|也|还|再次|又|则|亦|并)?"
    r"(?:赴[\u4e00-\u9fff]{1,6}?|在[\u4e00-\u9fff]{1,8}?[中上时])?"  # 近期赴东北调研, 在讲话中强调
    r"(?:表示|指出|强调|说|应邀|出席|主持|介绍|讲话|致辞|参加|会见|调研|带队|率队|一行|召开|宣布|部署|"
    r"考察|视察|座谈|发言|回答|接受|认为|称|透露|坦言|提出|谈到|解读|分析|听取|签署|签订|"
    r"致辞|看望|慰问|走访|检查|指导|率领|带领|陪同|见证|汇报|传达|转达|"
    r"作(?!的)(?=了|[\u4e00-\u9fff]{0,10}?(?:报告|讲话|汇报|发言|说明|总结|部署)))"  # not 作的
)
FOLLOW = re.compile(  # what may follow a name: an act, punctuation, a preposition
    rf"(?:{SPEAKS.pattern})|[，,。、；;：:（()）\s]|$|等|在|于|对|同|率|为|到|向|就|从|同志|"
    r"(?:与|和|及)(?![，,。、；;：:！？!?\s)）]|$)|"  # a joiner joins something: 刘家和；
    r"看来|举行|会谈|签署|见证|共同|先生|女士|分别|先后|一同|一起|关于|围绕|受|代表|时(?=[，,])|"
    r"的(?=带领|率领|陪同|主持|领导|带队|指导)"
)
ANCHOR = re.compile(  # a title word a name may follow directly (董事长项小龙)
    r"(?=[长书主委董经总发院会教研工审助专顾监代司常副调巡])(?:长|书记|主任|委员|董事|经理|主席|总裁|总监|发言人|总理|院士|会计师|教授|研究员|调研员|巡视员|工程师|"
    r"经济师|审计师|助理|专员|顾问|监事|(?<![我们他她你])代表|司令|常委|副总(?![经裁会工监师]))"
    r"(?=[\u4e00-\u9fff])"
)
VERB_AFTER = re.compile(r"认为|表示|指出|强调|介绍|说")
LIST_GAP = re.compile(r" ?、 ?|、(?:[\u4e00-\u9fff]{2,3}、){1,2}")  # 廉博迅 、董硕: spaced marks
APPOINTED = re.compile(  # 傅育宁空降至华润集团担任董事长: a post taken up, written after the name
    r"[^，,。；;！？!?\n“”]{0,12}?(?:担任|出任|升任|调任|接任)"
    r"(?P<title>[^，,。；;！？!?\n的“”]{2,24}?)(?=[，,。；;！？!?\n]|$|一职|职务)"
)
ORG_AFTER = re.compile(
    r"集团|公司|控股|置业|地产|银行|证券|基金|研究院|研究会|委员会|办公室|商会|协会|股份"
)
PLACE_BODY = re.compile(r"[省市县区州旗镇乡]?(?:委(?!员)|政府|人大|政协|国资委)")
NOT_NAME_START = set("向于和从对为与同及将把被在也都还就以等是官会员处层部团办室组")  # 长官, 董事会
MAX_TITLE = 48
PART_OK = re.compile(r"(?:常委|高管|成员|[办委局部院厅会室]|公司|集团|中心)$")  # 省委常委、副省长


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
    # 香港中旅(集团)有限公司(下称“港中旅集团”)副董事长: a short aside inside a title stays in it
    masked = INNER.sub(lambda m: "丨" * len(m.group()), left)
    if "“" in masked:
        masked = QUOTED_BODY.sub(lambda m: "丨" * len(m.group()), masked)
    clause = left[len(left) - len(CLAUSE.split(masked)[-1]) :]
    clause = JUNK_LEAD.sub("", clause)
    if since > 0 and since >= start - 120 and len(clause) == len(left):
        # 马泽平代表中国建筑与南昌市副市长刘建洋: right after the name before it, an act, then
        # 与 and this person's title; the act is no title (董事长与总经理 is one)
        cut = clause.rfind("与")  # not 和: 信和置业副主席
        if cut > 0 and clause[0] != "、" and not TITLE_END.search(clause[:cut]):
            clause = clause[cut + 1 :]
    for _ in range(4):  # 日前在北京与行政长官: each lead word in turn, a function word last
        cut = LEAD.sub("", clause).strip().lstrip("、")
        cut = cut if cut != clause else FUNCTION_WORD.sub("", clause)
        if cut == clause:
            break
        clause = cut
    if TITLE_END.search(RELATIVE.sub("", clause)):
        clause = RELATIVE.sub("", clause)
    if len(clause) > MAX_TITLE:  # keep whole parts: cut at the first 、 inside the limit
        cut = clause.find("、", len(clause) - MAX_TITLE)
        clause = clause[cut + 1 :] if cut >= 0 else ""
    parts = clause.split("、")  # …情况的汇报、市政集团公司董事长: a bare word is no post
    while len(parts) > 1 and len(parts[0]) <= 2 and not PART_OK.search(parts[0]):
        parts.pop(0)
    clause = "、".join(parts)
    if not clause or NOT_TITLE.match(clause) or not TITLE_END.search(clause):
        return ""
    if clause.endswith(("仅代表", "只代表", "均代表")):  # 文章仅代表原作者观点: no post
        return ""
    return clause


def _chinese(text: str, probe: str) -> list[Item]:
    items, titled = [], {}
    spans: list[tuple[int, int]] = []
    for m in BYLINE.finditer(probe):
        title = m.group("title")  # as written: 文/鄧杰 is 文, 作者:杨松楠 作者
        if title == "记者" and probe[max(0, m.start() - 2) : m.start()] in PAPER_LABELS:
            title = probe[m.start() - 2 : m.start()] + title  # 本报记者 刘少华
        start, end = m.span("name")
        while _plausible(probe[start:end]):  # (记者 王璐 刘亮): every name after the label
            name = probe[start:end].replace(" ", "")
            spans.append((start, end))
            items.append(_item(text, start, end, name, title, "byline"))
            titled[name] = True
            more = MORE_NAMES.match(probe, end)
            if not more:
                break
            start, end = more.span("name")
    for start, end, name, title in [*_credit_lines(probe), *_credits_after_names(probe)]:
        if not any(s < end and start < e for s, e in spans):
            spans.append((start, end))
            items.append(_item(text, start, end, name, title, "byline"))
            titled[name] = True
    toks = ner.tokens(text)
    cuts = _cuts(toks)
    # 温刚任…董事长, 免去安凤成…职务: a post given or taken away, written after the name
    for start, end, name, title in appointments(
        probe, cuts.starts, cuts.words, _plausible, TITLE_END
    ):
        if not any(s < end and start < e for s, e in spans):
            spans.append((start, end))
            items.append(_item(text, start, end, name, title, "appointment"))
            titled[name] = True
    per = [t for t in toks if t.tag.startswith("PER")]  # the only tokens named below
    anchored = _anchored(probe, per, cuts)
    if anchored:  # 董事|长江|宇: an added name may start inside a word
        cuts = cuts._replace(starts=cuts.starts | {a.start for a in anchored})
    verbs = _Verbs(toks)
    anchored += _titled_after(probe, [*per, *anchored], cuts, verbs)
    anchored += _listed_after(probe, [*per, *anchored], cuts)
    toks = sorted(  # a recogniser's cut inside an added name gives way (李华|中, 朱|明春)
        [
            *anchored,
            *(
                t
                for t in per
                if not any(
                    a.start <= t.start < a.end and (a.start, a.end) != (t.start, t.end)
                    for a in anchored
                )
            ),
        ],
        key=lambda t: t.start,
    )
    engine = ner.engine()
    since, run = 0, []  # run: the names so far of a list joined by 、
    for tok in toks:
        if any(s <= tok.start < e for s, e in spans):
            continue
        if len(tok.text) >= 3 and (
            tok.text[-1] == "及" or (len(tok.text) == 4 and tok.text[-1] in "与和")
        ):
            tok = ner.Token(tok.text[:-1], tok.tag, tok.start, tok.end - 1)  # 马思一及|集团…
        if ORG_AFTER.match(probe, tok.end) or PLACE_BODY.match(probe, tok.end):
            continue  # 信德|集团, 惠民|县委书记: a body's or a place's name, not a person
        if len(tok.text) == 3 and tok.text[-1] in "部委办局厅处室":
            continue  # jieba's 省委|宣传部|常务副部长: a department, its post after it
        if tok.text.endswith("副") and TITLE_AFTER.match(probe, tok.end - 1):  # 肖捷副|委员长
            tok = ner.Token(tok.text[:-1], tok.tag, tok.start, tok.end - 1)
        if len(tok.text) == 3 and VERB_AFTER.match(probe, tok.end - 1):  # 张弛认|为
            tok = ner.Token(tok.text[:2], tok.tag, tok.start, tok.end - 1)
        if len(tok.text) == 3 and probe.startswith(("时，", "时,"), tok.end - 1):  # 拜会周霁时,
            tok = ner.Token(tok.text[:2], tok.tag, tok.start, tok.end - 1)
        if len(tok.text) == 3 and tok.text.endswith("等"):  # 简勤等|出席: a list's end
            tok = ner.Token(tok.text[:2], tok.tag, tok.start, tok.end - 1)
        name = tok.text
        if not re.fullmatch(r"[\u4e00-\u9fff·]{2,6}", name):
            continue
        if engine != "lac" and not _plausible(name):
            continue
        if engine != "lac" and len(name) == 4 and not name.startswith(_surnames()[1]):
            continue  # 庄严宣告: jieba's four characters with no compound surname are no name
        title = _title_before(probe, tok.start, since)
        if tok.tag == "PER-ANCHOR" and not title:
            continue
        cut = FOLLOW.match(probe, tok.end) or VERB_AFTER.match(probe, tok.end)  # 张弛|认为
        after_title = TITLE_AFTER.match(probe, tok.end)
        if len(name) == 2 and not cut and not after_title and (title or engine != "lac"):
            # 孙安|会参加 read as 孙安会|参加; jieba's 李家|超行政长官 as 李家超|行政长官
            longer = _name_at(probe, tok.start, (3,))
            name = longer or name
            tok = ner.Token(name, tok.tag, tok.start, tok.start + len(name))
        gap = probe[run[-1].end : tok.start] if run else ""
        if run and LIST_GAP.fullmatch(gap):  # 田学军、向巧、欧阳昌琼: a name the recogniser missed
            at = run[-1].end + 1
            for part in gap.strip("、").split("、") if gap.strip(" 、") else []:
                if not _plausible(part):
                    run = []
                    break
                run.append(_item(text, at, at + len(part), part, "", "list"))
                items.append(run[-1])
                at += len(part) + 1
        else:
            run = []
        after = TITLE_AFTER.match(probe, tok.end)
        listed = bool(after and run and not any(i.value.get("title") for i in run))
        if after and not listed and not _acts(probe, after.end(), _leads(probe, tok.start), verbs):
            if run:  # 李泽楷、恒基主席李家杰: a body before a title, not one more name
                continue
            after = None  # 习近平总书记重要指示: a reference, not a participant
        since = after.end() if after else tok.end  # 吕世明委员和…张锦岚: 委员 is not his
        if not title and after:
            title = after.group()
        if not title and (took := APPOINTED.match(probe, tok.end)):
            title = took.group("title") if TITLE_END.search(took.group("title")) else ""
        if listed:  # 安立佳、朱明春、吕世明委员: the title after a bare list is everyone's
            for i in run:
                if not i.value.get("title"):
                    i.value["title"] = title
                    titled[i.value["name"]] = True
        if not title and run and run[-1].value.get("title"):
            title = run[-1].value["title"]  # 副主任袁野、李镇: both are 副主任
        method = {"PER-ANCHOR": "title-anchor", "PER-TITLED": "title-after"}.get(
            tok.tag, "recogniser"
        )
        item = _item(text, tok.start, tok.end, name, title, method)
        items.append(item)
        run.append(item)
        if title:
            titled[name] = True
    return [i for i in items if titled.get(i.value["name"])]


def _name_at(probe: str, start: int, lengths=(3, 2)) -> str:
    """A name of 3 or 2 characters at `start` that starts with a surname and is followed by an
    act or a boundary (孙安会参加, 王瑜对…), or ''."""
    _single, compound = _surnames()
    if probe.startswith(compound, start):  # 欧阳卫民: a compound surname and two characters
        lengths = (4, *lengths)
    for n in lengths:
        name = probe[start : start + n]
        if (
            re.fullmatch(r"[\u4e00-\u9fff]+", name)
            and len(name) == n
            and _plausible(name)
            and (FOLLOW.match(probe, start + n) or TITLE_AFTER.match(probe, start + n))
        ):
            return name
    return ""


class _Cuts(NamedTuple):
    """What the rules ask of the recogniser's cut: where words start and end, its other words
    of two or more characters (not names), and where a two-character word's second character
    starts (董事|长江: a title's last character glued to a name)."""

    starts: set
    ends: set
    words: set
    glued: set


def _cuts(toks) -> _Cuts:
    """The `_Cuts` of the tokens, read in one pass."""
    starts, ends, words = set(), set(), set()
    for t in toks:
        starts.add(t.start)
        ends.add(t.end)
        if t.end - t.start >= 2 and not t.tag.startswith("PER"):
            words.add((t.start, t.end))
    return _Cuts(starts, ends, words, {s + 1 for s, e in words if e - s == 2})


def _anchored(probe: str, per, cuts: _Cuts) -> list:
    """Names the recogniser missed right after a title word (集团公司党委书记、董事长项小龙出席):
    a surname, one or two characters, then an act or a boundary; as tokens tagged PER-ANCHOR, so
    they take part in lists and title clauses like the recogniser's own (kept only with a title)."""
    # a recogniser's name of more than four characters (马松涛汇报集团公司) is a bad cut
    people = [(t.start, t.end) for t in per if t.tag == "PER" and 1 < len(t.text) <= 4]
    # a recogniser's name starting inside the candidate (项|小龙) gives way to it
    starts, ends, glued = cuts.starts, cuts.ends, cuts.glued
    words = {(s, e) for s, e in cuts.words if e - s == 2}
    surnames = {t.start for t in per if len(t.text) == 1}  # jieba's 陈|国君: a surname alone
    inside = {p for s, e in people for p in range(s, e)}  # the places those names cover
    out = []
    for m in ANCHOR.finditer(probe):
        pos = m.end()
        if pos in inside or (pos not in starts and pos not in glued):
            continue
        name = _name_at(probe, pos) or _split_name(probe, pos, surnames, words)
        if not name or name[0] in NOT_NAME_START or (pos, pos + len(name)) in words:
            continue  # 理事长单位: a word the recogniser knows is no name
        if pos not in starts and pos + len(name) not in ends:
            continue  # 董事|长江|宇: the title's last character glued to the name's first
        if not any(s < pos + len(name) and pos < e for s, e in people if s <= pos):
            out.append(ner.Token(name, "PER-ANCHOR", pos, pos + len(name)))
    return out


def _split_name(probe: str, pos: int, surnames: set, words: set) -> str:
    """A surname the recogniser tagged alone, then a two-character word it knows (总经理陈|国君):
    one name, unless the word is an act (主任张|强调) or what follows names (同志)."""
    if pos not in surnames or (pos + 1, pos + 3) not in words:
        return ""
    name = probe[pos : pos + 3]
    if not _plausible(name) or FOLLOW.match(probe, pos + 1) or VERB_AFTER.match(probe, pos + 1):
        return ""
    return name


CLAUSE_START = re.compile(r"[，,。；;：:！？!?\n\s“”（(）)】]")


def _titled_after(probe: str, per, cuts: _Cuts, verbs: _Verbs) -> list:
    """Names the recogniser missed right before a title word, at a clause's start: one name
    whose title is followed by an act (。潘友华董事长在讲话中强调), or a list of names joined by
    、 that ends in the title (。安立佳、朱明春、吕世明委员和…); each part a surname and one to
    three characters, none a word the recogniser knows. Tagged PER-TITLED: the title after them
    is theirs as for the recogniser's own names."""
    people = [(t.start, t.end) for t in per]
    starts, words = cuts.starts, cuts.words
    out = []
    for m in TITLE_AFTER.finditer(probe):
        if probe.startswith("会", m.end()) or any(s < m.start() < e for s, e in people):
            continue  # 委员会: a body; a title inside a recognised name
        window = CLAUSE_START.finditer(probe, max(0, m.start() - 40), m.start())
        clause_at = max([max(0, m.start() - 40), *(c.end() for c in window)])
        parts = probe[clause_at : m.start()].split("、")
        if not parts[-1]:
            continue
        if len(parts) == 1 or not (listed := _list_before(probe, parts, clause_at, starts, words)):
            out += _one_before(probe, m, starts, words, people, verbs)
            continue
        out += [t for t in listed if (t.start, t.end) not in people]
    return out


def _list_before(probe: str, parts: list, clause_at: int, starts: set, words: set) -> list:
    """The names of a list 安立佳、朱明春、吕世明 before a title, or [] if a part is no name."""
    at, found = clause_at, []
    for part in parts:
        span = (at, at + len(part))
        if not part:  # 副书记 、县长: a space before the mark, nothing between
            return []
        lead = at == clause_at and part[0] in NOT_NAME_START  # 、向巧、: a name between 、
        if lead or not (2 <= len(part) <= 4 and _plausible(part)) or at not in starts:
            return []
        if span in words:
            return []
        found.append(ner.Token(part, "PER-TITLED", *span))  # 朱|明春: the cut gives way
        at += len(part) + 1
    return found


JOINED_BEFORE = re.compile(r"[与和及同、]$")
BODY_END = set("委办局厅室处部司院所团行校府")  # 重庆市国资委崔之元主任助理: a body, then the name


def _one_before(
    probe: str, m: re.Match, starts: set, words: set, people: list, verbs: _Verbs
) -> list:
    """One name right before a title that is followed by an act or ends a list of such pairs
    (隋剑光副董事长、周冠女总经理等领导), after a clause's start or a joiner (王挺革与隋剑光)."""
    if not _acts(probe, m.end(), True, verbs):
        return []
    for n in (3, 2):
        start = m.start() - n
        name = probe[max(0, start) : m.start()]
        before = probe[start - 1] if start > 0 else ""
        if (
            start >= 0
            and (
                not before
                or CLAUSE_START.match(before)
                or JOINED_BEFORE.search(before)
                or before in BODY_END
            )
            and re.fullmatch(r"[\u4e00-\u9fff]+", name)
            and _plausible(name)
            and name[0] not in NOT_NAME_START
            and start in starts
            and (start, m.start()) not in words
            and not any(s == start and e > m.start() for s, e in words)  # 党委|委员: one word
        ):
            if (start, m.start()) in people:
                return []
            return [ner.Token(name, "PER-TITLED", start, m.start())]
    return []


NAME_TITLE_NEXT = re.compile(  # 、冉斌副主任 or 、研究室冉斌副主任 (a body before the name)
    rf"、[\u4e00-\u9fff]{{2,10}}?(?:{TITLE_AFTER.pattern})"
)


VERB_TAGS = frozenset({"v", "vd", "vi"})
RELATIVE_AFTER = re.compile(r"[^，,。；;：:！？!?\n]*?所[\u4e00-\u9fff]{1,2}的")  # …所作的报告


class _Verbs:
    """Where a verb the tagger reads starts, unless 的 follows it (李强总理作的《报告》: only
    the author of what is cited); read from the tokens on the first question only (most texts
    ask none)."""

    def __init__(self, toks=()):
        self._toks, self._starts = toks, None

    def __contains__(self, pos: int) -> bool:
        if self._starts is None:
            toks = self._toks
            self._starts = {
                a.start
                for a, b in zip(toks, [*toks[1:], None], strict=True)
                if a.tag in VERB_TAGS and not (b and b.text == "的" and b.start == a.end)
            }
        return pos in self._starts


def _leads(probe: str, start: int) -> bool:
    """A name that opens its clause or follows a joiner (；李磊总经理…, 、王五…): not the object
    of a verb before it (落实李强总理要求)."""
    return start == 0 or bool(
        CLAUSE_START.match(probe, start - 1)
        or JOINED_BEFORE.search(probe, start - 1, start)
        or probe[start - 1] in BODY_END  # 州政府黄华副州长在…听取: the body the person is of
    )


PLACE_OF_SPEECH = re.compile(r"在[^，,。；;！？!?\n]{1,16}?[上中时]的")  # 在…会议上的讲话: cited
AT_PLACE = re.compile(  # 在集团总部会见, 于7月24日至25日期间赴; not 在全会上的讲话
    r"在(?:(?!的)[\u4e00-\u9fff]){1,8}|于(?:(?!的)[\u4e00-\u9fff\d]){2,14}"
)


def _verb_next(probe: str, pos: int, verbs: _Verbs) -> bool:
    """A verb the tagger reads at `pos`, or after a place with 在 (在集团总部|会见), not a
    relative clause (…所作的报告)."""
    if RELATIVE_AFTER.match(probe, pos) or PLACE_OF_SPEECH.match(probe, pos):
        return False
    if pos in verbs:
        return True
    place = AT_PLACE.match(probe, pos)
    return bool(place) and any(
        j in verbs or SPEAKS.match(probe, j) for j in range(pos + 2, place.end() + 1)
    )


def _acts(probe: str, pos: int, leads: bool = False, verbs: _Verbs | None = None) -> bool:
    """After a title written after a name: an act (李强总理近期赴东北调研), 等 closing a list of
    such names (周冠女总经理等领导), or another name and title leading to one of them; for a name
    that opens its clause, any verb the tagger reads (；李磊总经理结合…), but not a relative
    clause (习近平总书记代表中央政治局所作的报告)."""
    for _ in range(10):
        if SPEAKS.match(probe, pos) or probe.startswith("等", pos):
            return True
        if leads and verbs and _verb_next(probe, pos, verbs):
            return True
        if not (more := NAME_TITLE_NEXT.match(probe, pos)):
            return False
        pos = more.end()
    return False


LIST_MARK = re.compile(r" ?、 ?")  # 、, or a page's spaced 廉博迅 、董硕
LIST_END = re.compile(r"先后|分别|一同|一起|共同|均|也|还|都|等|一行|同志")


def _listed_after(probe: str, per, cuts: _Cuts) -> list:
    """Names the recogniser missed after a titled name, joined by 、 (外部董事孙伟立、李华中、
    常建军、李君先后到…): each a surname and one or two characters, the last followed by an act, a
    boundary or 先后/等; tagged PER-LISTED, they take the title of the name before them."""
    people = {(t.start, t.end) for t in per if len(t.text) > 1}
    words = cuts.words
    out = []
    for _start, end in sorted(people):
        pos, found = end, []
        while mark := LIST_MARK.match(probe, pos):
            piece, at = None, mark.end()
            for n in (3, 2):
                name, after = probe[at : at + n], at + n
                if (
                    len(name) == n
                    and re.fullmatch(r"[\u4e00-\u9fff]+", name)
                    and _plausible(name)
                    and (at, after) not in words
                    and (
                        LIST_MARK.match(probe, after)
                        or FOLLOW.match(probe, after)
                        or LIST_END.match(probe, after)
                    )  # fmt: skip
                ):
                    piece = (at, after, name)
                    break
            if piece is None:
                break
            if (piece[0], piece[1]) not in people:
                found.append(ner.Token(piece[2], "PER-LISTED", piece[0], piece[1]))
            pos = piece[1]
        out += found
    return out


CREDIT_CHARS = "文图编校审核初复终一二三责任辑摄影撰稿供监制统筹策划翻译美术"
CREDIT_LINE = re.compile(  # 文 图:史羽加 白旭东 / 一 审:张 婷: an editor's credit line
    rf"^[ \t]*(?P<label>[{CREDIT_CHARS}](?:[ \t]?[{CREDIT_CHARS}]){{1,4}})[ \t]*[:：][ \t]*"
    r"(?P<names>[\u4e00-\u9fff]+(?:[ \t]+[\u4e00-\u9fff]+){0,5})[ \t]*$",
    re.MULTILINE,
)


def _credit_lines(probe: str) -> list[tuple[int, int, str, str]]:
    """(start, end, name, label) of each name on a credit line; two single characters after the
    label are one name written with a space (张 婷)."""
    out = []
    for m in CREDIT_LINE.finditer(probe):
        label = re.sub(r"\s", "", m.group("label"))
        pieces = list(re.finditer(r"[\u4e00-\u9fff]+", m.group("names")))
        base = m.start("names")
        if len(pieces) == 2 and all(len(p.group()) == 1 for p in pieces):
            name = pieces[0].group() + pieces[1].group()
            if _plausible(name):
                out.append((base + pieces[0].start(), base + pieces[1].end(), name, label))
            continue
        if all(2 <= len(p.group()) <= 3 and _plausible(p.group()) for p in pieces):
            out += [(base + p.start(), base + p.end(), p.group(), label) for p in pieces]
    return out


CREDIT_PAREN = re.compile(r"[（(](?P<body>[^（()）\n]{3,60})[)）]")
NAME_THEN_LABEL = re.compile(  # 胡静波 文, 洪 康编辑: a name, then its credit label
    r"(?P<name>[\u4e00-\u9fff]{2,3}|[\u4e00-\u9fff][ \u3000]{1,3}[\u4e00-\u9fff])[ \u3000]*"
    r"(?P<label>责任编辑|责编|编辑|校对|审核|通讯员|(?<=[ \u3000])文)(?=[\s)）]|$)"
)
CREDIT_LABELS = ("编", "校对", "审核", "通讯员", " 文", "\u3000文")
CREDIT_REST = re.compile(r"[\s\d.\-/年月日]*")


def _credits_after_names(probe: str) -> list[tuple[int, int, str, str]]:
    """(start, end, name, label) of names written before their credit label inside brackets
    holding only credits and a date: (胡静波 文 洪 康编辑 2010.6.29)."""
    out = []
    if not any(label in probe for label in CREDIT_LABELS):  # most texts: nothing to look at
        return out
    for m in CREDIT_PAREN.finditer(probe):
        body, base = m.group("body"), m.start("body")
        found = list(NAME_THEN_LABEL.finditer(body))
        if not found or not CREDIT_REST.fullmatch(NAME_THEN_LABEL.sub("", body)):
            continue
        for f in found:
            name = re.sub(r"[ \u3000]", "", f.group("name"))
            if _plausible(name):
                out.append((base + f.start("name"), base + f.end("name"), name, f.group("label")))
    return out


def _item(text: str, start: int, end: int, name: str, title: str, method: str) -> Item:
    value = {"name": name, "title": title} if title else {"name": name}
    return Item("person", text[start:end], start, end, method, value)


# Peng Jian'guo, Huang Jing’an (not Xi's), Tung Chee-hwa
_EN_WORD = r"[A-Z][a-z]+(?:['’](?!s\b)[a-z]+|-[a-z]+\b)?"
_NOT_NAME = rf"(?!(?:{'|'.join(sorted(NOT_NAME_WORDS))})\b)"
EN_NAME = rf"{_NOT_NAME}{_EN_WORD}(?:[- ]{_NOT_NAME}{_EN_WORD}){{1,2}}"
# YIN Yisheng: a pinyin surname in capitals, then the given name
_CAPS = "|".join(sorted((s.upper() for s in PINYIN_SURNAMES), key=len, reverse=True))
EN_NAME_CAPS = rf"(?:{EN_NAME}|(?=[A-Z]{{2,8}} )(?:{_CAPS}) {_EN_WORD})"
EN_TITLE_WORD = (
    # a spokesperson, SASAC('s) deputy director, China Chengtong’s Secretary of the CPC Committee
    r"(?:(?:a|an|the) |one of (?:the |its |their )?(?:[A-Za-z'’-]+ ){0,4})?"  # one of the …
    r"(?-i:(?:[A-Z][A-Za-z]+ ){0,2}[A-Z][A-Za-z]+(?:['’]s|(?<=s)['’])? )?"
    r"(?:(?:company|group|commission|regulator|firm|bank|ministry|city|province)['’]s )?"
    r"(?:[A-Za-z]+-based )?"  # Sinopec’s Beijing-based spokesman
    r"(?:(?:deputy|vice|executive|general|chief|former|party|CPC|senior|new|acting|research|"
    r"associate|assistant|visiting|managing|independent|honorary)(?:-\s?|\s))*"
    r"(?:director|chairman|chairwoman|chairperson|president|secretary|minister|head|spokesperson|"
    r"spokesman|spokeswoman|governor|mayor|manager|general manager|member|researcher|"
    r"professor|reporter|editor|chief executive|CEO|analyst|economist|expert|official|dean|"
    r"fellow|premier|chief|secretary-general|commissioner|councilor|councillor|dean|adviser|"
    r"advisor|consultant|delegate|deputy|lawmaker|legislator|founder|supervisor|accountant|"
    r"partner|chair|ambassador|consul general|consul|envoy|counsellor|counselor)"
)
_EN_TITLE_TEXT = r"(?:\([^()\n]{0,60}\)|[^.;:\n()]){0,140}?"  # (SASAC) of the State Council
EN_AFTER = re.compile(
    rf"\b(?=[A-Z])(?P<name>{EN_NAME_CAPS})(?: [（(][\u4e00-\u9fff]{{2,4}}[)）])?, (?:also )?"
    rf"(?P<title>(?i:{EN_TITLE_WORD})s?\b{_EN_TITLE_TEXT})"  # Weng Jieming (翁杰明), vice-chair …
    r"(?=, | said| stated| told|\)|\.|;|\s*\n|\s*$| in (?=[A-Z])|"  # … of Yueyang in China’s
    r" at an? (?:press|news|meeting|forum|conference|briefing|seminar|symposium|ceremony)|"
    r" (?:is|was|were|are|has|had|have|will|would|says|added|noted|stressed|urged|marks|made|"
    r"makes|took|takes|headed|pointed|announced|attended|presided|led|leads|visited|visits|met|"
    r"meets|paid|delivered|introduced|accompanied|hosted|chaired|signed|gave|spoke|expressed|"
    r"inspected|received|extended|welcomed|briefed|praised|thanked|called)\b)"  # a verb ends it
)
EN_TITLE_FIRST = re.compile(  # the former head of China National Petroleum Corp, Jiang Jiemin,
    rf"\b(?=[A-Za-z])(?i:the )?"
    rf"(?P<title>(?i:(?:former |new |chief |senior )?(?:(?:deputy|vice|executive)[- ])?"
    rf"(?:head|chairman|chairwoman|chairperson|president|director|general manager|"
    rf"chief executive|governor|mayor|minister|researcher|economist|analyst|professor|"
    rf"spokesperson|spokesman|spokeswoman)) (?:of|at|with|for) [^,.;:\n]{{3,80}}), "
    rf"(?P<name>{EN_NAME}),"
)
_EN_ORG_WORD = (  # a body's name before a title (SASAC, China Mobile), not a nationality
    r"(?!(?:The|This|That|On|In|At|By|As|And|But|For|With|Former|Then|Chinese|[A-Z][a-z]+ese)\b)"
    r"(?:[A-Z]{2,}|[A-Z][a-z]+)"
)
EN_BEFORE = re.compile(  # SASAC vice chairwoman Huang Danhua, China Mobile Chairman Yang Jie
    rf"\b(?=[A-Za-z])"  # Bijie’s Deputy Mayor
    rf"(?P<title>(?:(?:{_EN_ORG_WORD}(?:['’]s)?|Party|CPC)[ \n]){{0,4}}"
    rf"(?i:(?:(?:Chairman|President|Director|CEO) (?:&|and) )?"  # Chairman & Party Secretary
    rf"(?:(?:Former|Executive|Deputy|Vice|Assistant|Board|Group|Company)[- ])*"
    rf"(?:Reporter|Correspondent|Chairman|Chairwoman|President|Director General|Director|"
    rf"General Secretary|Secretary[- ]General|Secretary|Minister|Governor|Mayor|General Manager|"
    rf"Premier|Professor|State Councilor|Spokesman|Spokeswoman|Spokesperson|Party Secretary|"
    rf"Party Chief|Chief Executive|CEO|Head|Chief|Chairperson|Commissioner|Economist|Analyst|"
    # Deputy Mayors Xiong Xue and Zheng Xiangdong
    rf"Researcher|Ambassador|Consul General|Envoy)s?))"
    rf" (?P<name>{EN_NAME_CAPS})\b"
)
EN_BEFORE_OF = re.compile(  # chief of the SASAC Hao Peng, Vice President of Sinopec Ling Yiqun
    rf"\b(?P<title>(?i:(?:vice[- ]|deputy |executive )?(?:chief|head|chairman|chairwoman|director|"
    rf"president|general manager|secretary)) of (?:the )?(?:[A-Z]{{2,}}|{_EN_WORD})"
    rf"(?: of the State Council)?) (?P<name>{EN_NAME})\b"
)
EN_BEFORE_OF_LONG = re.compile(  # Chairman of China Mobile Yang Jie: the name is the last words
    rf"\b(?P<title>(?i:(?:party |vice[- ]|deputy |executive )?(?:chief|head|chairman|chairwoman|"
    rf"director|president|general manager|secretary[- ]general|secretary|CEO|chief executive))"
    rf" of (?:the )?)"
    rf"(?P<rest>{_EN_ORG_WORD}(?: (?:{_EN_ORG_WORD}|of|the|and|&)){{2,10}})"
)
EN_BYLINE = re.compile(  # Editor: Wang Lei, Author: CHEN Chunyou (a surname in capitals)
    rf"(?=[A-Z])(?:\b|(?<=[a-z]))"  # a label glued to the word before it: DailyReporter:
    rf"(?P<title>(?:(?:Web|Chief|Senior|Executive|Managing) )?"
    rf"(?:Editor|Writer|Reporter|Author|Correspondent))\s*:\s*"
    rf"(?P<name>{EN_NAME}|[A-Z]{{2,}} {_EN_WORD}|{_EN_WORD} [A-Z]{{2,}})\b"
)
EN_WHO_AS = re.compile(  # Li Rongrong, who stepped down as head of …, has …
    rf"\b(?=[A-Z])(?P<name>{EN_NAME}), who (?:has |had )?"
    rf"(?:served|serves|stepped down|retired|resigned|"
    rf"works|worked|took office|was appointed|has been appointed) as "
    rf"(?P<title>(?i:{EN_TITLE_WORD})\b{_EN_TITLE_TEXT})"
    r"(?= (?:earlier|last|this|in|on|since|until|from)\b|, |\.|;|\s*\n|\s*$)"
)
EN_STOP = re.compile(r"^(?:The|This|That|State|China|Chinese|Central|In|On|At|By)\b")
EN_CITED = re.compile(r"^['’]s\b")  # General Secretary Xi Jinping's speech: only cited
EN_CITED_BEFORE = re.compile(  # the instructions and requirements of General Secretary Xi …
    r"(?:instructions?|requirements?|speech(?:es)?|remarks|thoughts?|guidance|directives?)"
    r" (?:of|by|from) (?:the )?$"
)
EN_AND_NAME = re.compile(rf" and (?P<name>{EN_NAME})\b(?!['’]s|, (?i:{EN_TITLE_WORD}))")
EN_TITLE_THEN_NAME = re.compile(rf"(?<=[A-Za-z] )(?P<name>{EN_NAME})$")
EN_NAMES_AND = re.compile(  # Zhang Xiwu and Huang Danhua, deputy heads: the first shares it
    rf"(?:^|(?<=[,(] )|(?<=\n))(?P<names>{EN_NAME}(?:, {EN_NAME})*) and $"
)


def _en_item(m: re.Match, method: str, title: str | None = None) -> Item:
    name = m.group("name")
    title = title if title is not None else m.group("title")
    return Item("person", name, m.start("name"), m.end("name"), method,
                {"name": name, "title": title})  # fmt: skip


def _english(text: str) -> list[Item]:
    if not LATIN_PAIR.search(text):  # a Chinese text: no name of two words, no rule can match
        return []
    items = []
    for m in EN_AFTER.finditer(text):
        if EN_STOP.match(m.group("name")):
            continue
        tail = EN_TITLE_THEN_NAME.search(m.group("title").strip())
        if tail and pinyin_name(tail.group("name")):  # Zhou, Secretary General of X Chen Zongjun,
            continue
        title = _cut_at_next_person(
            re.sub(r"^(?:a|an|the) ", "", m.group("title").strip(), flags=re.I)
        )
        title = EN_AND_GROUP.sub("", title)  # …, Deputy Director of X and management of Y
        items.append(_en_item(m, "title-rule", title))
        items += _names_before_and(text, m.start("name"), title)
    items += [_en_item(m, "byline") for m in EN_BYLINE.finditer(text)]  # Editor: Wang Lei
    for m in EN_WHO_AS.finditer(text):
        if not EN_STOP.match(m.group("name")) and pinyin_name(m.group("name")):
            title = re.sub(r"^(?:a|an|the) ", "", m.group("title").strip(), flags=re.I)
            items.append(_en_item(m, "title-rule", title))
    for m in EN_BEFORE.finditer(text):  # General Secretary Xi Jinping's speech: only cited
        cited = EN_CITED.match(text[m.end() :]) or EN_CITED_BEFORE.search(
            text[max(0, m.start() - 40) : m.start()]
        )
        if not EN_STOP.match(m.group("name")) and not cited:
            items.append(_en_item(m, "title-rule"))
            # Vice President Huang Jing’an and Wang Wenjun: the title is both names'
            if (more := EN_AND_NAME.match(text, m.end())) and pinyin_name(more.group("name")):
                items.append(_en_item(more, "title-rule", m.group("title")))
    for m in EN_TITLE_FIRST.finditer(text):
        if pinyin_name(m.group("name")) and not any(i.start == m.start("name") for i in items):
            items.append(_en_item(m, "title-rule"))
    for m in EN_BEFORE_OF.finditer(text):  # a weaker shape: the name must read as Chinese
        if pinyin_name(m.group("name")) and not any(i.start == m.start("name") for i in items):
            items.append(_en_item(m, "title-rule"))
    for m in EN_BEFORE_OF_LONG.finditer(text):
        if (found := _long_of(m)) and not any(i.start <= found.start < i.end for i in items):
            items.append(found)
    items += _lower_case_names(text)
    return [_pinyin_only(i) for i in items if name_words_ok(i.value["name"])]


# "and" then a group of people, not a post: … of Sichuan Communist Party Committee and management
EN_AND_GROUP = re.compile(
    r"\s+and\s+(?:the\s+)?(?:management|staff|officials|other|others|employees|personnel|leaders|"
    r"executives|colleagues|guests)\b.*$"
)


def _pinyin_only(item: Item) -> Item:
    """A Chinese name in English is pinyin: a third word that is none (Yin Li Visit, Weng
    Jieming Visits SIG in a headline) is the next word of the sentence, not the name's."""
    words = item.value["name"].split(" ")
    if len(words) != 3:
        return item
    pinyin = [bool(PINYIN_WORD.fullmatch(re.sub(r"['’-]", "", w.casefold()))) for w in words]
    if "-" in words[2] or "-" in words[0]:  # Derek Lai Kar-yan: a Hong Kong given name
        return item
    if pinyin[:2] == [True, True] and not pinyin[2] and pinyin_name(" ".join(words[:2])):
        name, start = " ".join(words[:2]), item.start  # Xiaojun Han Visited
    elif pinyin[1:] == [True, True] and not pinyin[0] and pinyin_name(" ".join(words[1:])):
        name, start = " ".join(words[1:]), item.end - len(" ".join(words[1:]))  # Visited Jing Yao
    else:
        return item
    value = {**item.value, "name": name}
    return Item(item.kind, name, start, start + len(name), item.method, value)


EN_AFTER_LOWER = re.compile(  # a machine translation in lower case: peng huagang, secretary …
    rf"(?<![a-z])(?P<name>[a-z]{{1,6}} [a-z]{{2,12}}), "
    rf"(?P<title>(?i:{EN_TITLE_WORD})s?\b{_EN_TITLE_TEXT})"
    r"(?=, | said| stated| told|\)|\.|\s*\n|\s*$|"
    r" (?:is|was|were|are|has|had|have|will|would|says|added|noted|stressed|urged|attended|"
    r"presided|made|took|pointed|announced)\b)"
)
LOWER_START = re.compile(r"[.!?] +[a-z]|\n[a-z]")
UPPER_START = re.compile(r"[.!?] +[A-Z]|\n[A-Z]")
LATIN_PAIR = re.compile(r"[A-Za-z][ -][A-Za-z]")  # every English rule needs two words


def _lower_case_names(text: str) -> list[Item]:
    """In a text written in lower case (most sentences start so), a pinyin name of a surname
    and a given name of one or two syllables, then a comma and a title as EN_AFTER reads it."""
    lower = len(LOWER_START.findall(text)) + text[:1].islower()
    if lower <= len(UPPER_START.findall(text)) + text[:1].isupper():
        return []
    out = []
    for m in EN_AFTER_LOWER.finditer(text):
        surname, given = m.group("name").split(" ")
        if surname in PINYIN_SURNAMES and PINYIN_WORD.fullmatch(given):
            title = re.sub(r"^(?:a|an|the) ", "", m.group("title").strip(), flags=re.I)
            out.append(_en_item(m, "title-rule", title))
    return out


def _cut_at_next_person(title: str) -> str:
    """A title ends where the next person's post and name begin (General Secretary of the
    Municipal Government and Deputy Mayors Xiong Xue …)."""
    if " and " not in title and ", " not in title:
        return title
    for b in EN_BEFORE.finditer(title):
        if b.start() > 0 and pinyin_name(b.group("name")):
            return re.sub(r"(?:,|\s+and)?\s*$", "", title[: b.start()])
    return title


def _names_before_and(text: str, start: int, title: str) -> list[Item]:
    """Names joined by "and" (and commas) to the one a title follows: each a pinyin name."""
    window = text[max(0, start - 80) : start]
    if not (m := EN_NAMES_AND.search(window)):
        return []
    base = start - len(window) + m.start("names")
    out = []
    for n in re.finditer(EN_NAME, m.group("names")):
        name = n.group()
        if pinyin_name(name) and name_words_ok(name) and not EN_STOP.match(name):
            out.append(Item("person", name, base + n.start(), base + n.end(), "title-rule",
                            {"name": name, "title": title}))  # fmt: skip
    return out


def _long_of(m: re.Match) -> Item | None:
    """Title of a body of several words, then a pinyin name of two words (Chairman of China
    Mobile Yang Jie): the body is what comes before the name and ends in a capitalised word."""
    rest = m.group("rest")
    words = rest.split(" ")
    at = next(  # the first surname and given name (… of Autonomous Region Zhang Chunxian and …)
        (
            i
            for i in range(1, len(words) - 2)
            if words[i].casefold() in PINYIN_SURNAMES
            and PINYIN_WORD.fullmatch(words[i + 1].casefold())
        ),
        len(words) - 2,
    )
    name = " ".join(words[at : at + 2])
    body = " ".join(words[:at])
    if not pinyin_name(name) or not re.search(r"[A-Z]\w*$", body) or not name_words_ok(name):
        return None
    start = m.start("rest") + len(body) + 1
    title = (m.group("title") + body).strip()
    return Item("person", name, start, start + len(name), "title-rule",
                {"name": name, "title": title})  # fmt: skip


def _first_titles(items: list[Item]) -> list[Item]:
    """One title per person: the first written (a post over a descriptor such as 专家), given
    to every mention, so one person does not count as several differently titled people."""
    first: dict[str, str] = {}
    for i in sorted(items, key=lambda i: i.start):
        title, name = i.value.get("title", ""), i.value["name"]
        held = first.get(name, "")
        # a fuller later title: Secretary Wang … ; Wang, Communist Party Secretary and …
        if title and (
            not held
            or (WEAK_TITLE.search(held) and not WEAK_TITLE.search(title))
            or _fuller(title, held)
        ):
            first[name] = title
    for i in items:
        if first.get(i.value["name"]):
            i.value["title"] = first[i.value["name"]]
    return items


def _fuller(title: str, held: str) -> bool:
    """A later title that holds the first one and says more (a headline's 副局长, then the
    body's 省局党委委员、副局长): the same post written in full."""
    if len(title) <= len(held) or WEAK_TITLE.search(held):
        return False
    return held.replace(" ", "").casefold() in title.replace(" ", "").casefold()


def people(text: str) -> list[Item]:
    probe = search_text(text)
    items = _first_titles(_chinese(text, probe)) + _first_titles(_english(text))
    return sorted(items, key=lambda i: i.start)
