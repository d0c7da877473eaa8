"""Organisation names the lexicon and the tree do not hold: the recogniser's ORG tokens and
names built by morphology (a run of nominal tokens from a named anchor — a place, an
organisation — to an organisational head: …集团有限公司, …国资委, …研究会, …领导小组办公室),
then kept only when they name a body (省国资委, 集团, 企业管理部 are no names). English names by
their shape (… Group, … Commission of X Province, CPC X Provincial Committee, … News Agency).

Each name found is (start, end, name in Simplified script); spans are in the text."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from itertools import takewhile

from ..lexicons import organisation_aliases
from . import english_orgs, ner
from .entities import search_text

# Heads that end an organisation's name, longest first (tried in this order).
HEADS = (
    "集团股份有限公司|集团有限责任公司|集团有限公司|股份有限公司|有限责任公司|有限公司|集团公司|"
    "领导小组办公室|领导小组|办公室|委员会|研究中心|研究会|研究院|研究所|联合会|协会|联盟|"
    "出版社|交易所|通讯社|新闻社|日报社|日报|时报|参考报|报社|电视台|电台|银行|大学|学院|"
    "国资委|人民政府|政府|集团|公司|股份|中心|党中央|中共中央|国务院|新华社|省委|市委|区委|县委|"
    "空军|海军|陆军|分行|支行|厅|局(?<![格布大结当变开残全战时政骗赌饭]局)"  # no lookbehind first:
    # an alternative opening with one stops `re` from skipping to the heads' first characters
)
HEAD = re.compile(rf"(?:{HEADS})$")
SHORT_HEAD = re.compile(r"[部局委院署厅社报所]$")  # a recognised name only (财政部, 深交所)
STRONG_HEAD = re.compile(
    r"(集团(?:股份)?有限(?:责任)?公司|股份有限公司|有限(?:责任)?公司|集团公司|集团|公司|股份|国资委|"
    r"委员会|研究中心|研究会|研究院|出版社|交易所|领导小组办公室|领导小组)"
)
PART_OF_TITLE = re.compile(r"(党委|党组|纪委|工会|团委|支部|总部|本部)$")
UNNAMED = re.compile(
    r"^(?:[省市区县州]|自治区|本|该|各|全|其|我|总|集团|公司|企业|子|分|下属|所属|有关|相关|上级|地方|"
    r"[一二三四五六七八九十百千两几多])"
)
# A name may start with a numeral character when a company's head ends it (九洲控股集团).
NUMERAL_NAME = re.compile(
    r"^[一二三四五六七八九十百千两][^家个户类种批大组项条张只名位年月日次成倍\W][\u4e00-\u9fff]{1,}"
    r"(?:集团|公司)$"
)
GENERIC = re.compile(
    r"省属|市属|区属|^(?:央企|中央企业|国有企业|国企)[\u4e00-\u9fff]{0,3}(?:集团|公司)$|事业部|管理部|"
    r"^(?:国有资本|国有独资|国有控股|国有|国资|平台|投资|运营|龙头|链长|科技型|混合所有制)"
    r"[\u4e00-\u9fff]{0,4}(?:公司|集团)$|"
    r"工作部|资源部|发展部|财务部|业务部|职能部|部门|分公司|子公司|控股公司|上市公司|新时代|"
    r"(?:权属|所属|下属|二级|三级)(?:公司|企业|单位)|"
    r"^(?:中央企业|央企|国有企业|国企|地方国企|企事业单位|民营企业)$|"
    r"^(?:新能源|智能网联|智能|新一代|综合|核心|数字|绿色|低碳|高端|先进|战略性)"
    r"[\u4e00-\u9fff]{0,4}$(?<!集团)(?<!公司)|(?:竞争力|能力|水平)$"
)
# Kinds of body, not names (科研院所, 国有资本), and a layout (新格局): looked up, not searched.
KIND_WORDS = frozenset(
    {"院所", "科研院所", "高校", "高等院校", "国有资本", "国有资产", "国资", "国企", "央企"}
)
KIND_ENDS = ("格局", "布局")
PLACES = re.compile(  # a place or "the centre" tagged as a body (陕西 for its government)
    r"(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    r"广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门)[省市]?|"
    r"中央|地方|国家|中国|全国|各地"
)
PLACE_FIRST = frozenset(p[0] for p in PLACES.pattern.replace("(?:", "").split("|"))
PAIRED = re.compile(r"(党中央|中共中央)(国务院)")
MEDIA = re.compile(r"(?:日报|报|网|社|电视台|电台)$")
BOOK_TITLE = re.compile(r"《[^》\n]{1,80}》")
NOMINAL = {"n", "nz", "nw", "vn", "LOC", "ORG", "ns", "nt", "j", "an", "f"}
JOINERS = {"与", "和"}  # 改革与发展研究会, 住房和城乡建设厅; _split cuts two names joined
ANCHOR = {"LOC", "ORG", "ns", "nt"}
NATIONAL = re.compile(r"^(?:中国|中华|中央|国家|国务院|中共|全国)")
NATIONAL_FIRST = frozenset("中国全")  # NATIONAL's first characters
MAX_NAME = 24


# A group's units named by their relation to it (远东环球集团成员公司, 某集团所属企业): the group.
MEMBERS = re.compile(r"(?<=集团|公司)(?:成员|所属|下属|权属)(?:公司|企业|单位)$")
MEMBER_ENDS = ("公司", "企业", "单位")


def _trim(name: str) -> str:
    """Cut what follows the last strong head (中国某集团总部 → 中国某集团), and a group's
    member units after its name (某集团成员公司 → 某集团)."""
    if "总" in name:  # 招商银行总行: the bank
        name = name.split("总部")[0].split("总行")[0]
    if name.endswith(MEMBER_ENDS):
        name = MEMBERS.sub("", name)
    last = None
    for m in STRONG_HEAD.finditer(name):
        last = m
    if last and last.end() < len(name) and not HEAD.search(name):
        return name[: last.end()]
    return name


NOT_NAME_CHAR = re.compile(r"[\d\s]|[^\u4e00-\u9fff（）()]")


def _office(name: str) -> bool:
    """A department named by its level (山东省住房和城乡建设厅, 济南市…局, 国家…局) and a bank's
    branch named with its bank (招商银行济南分行); not 新闻发布厅, 上海市分行."""
    if name.endswith(("分行", "支行")):
        return "银行" in name[:-2]
    if name.endswith("厅"):
        return "省" in name or "自治区" in name
    if name.endswith("局"):
        return bool(re.search("[省市县区州]", name[:-1]) or NATIONAL.match(name))
    return True


def is_name(name: str, *, recognised: bool = True) -> bool:
    """Whether a candidate names a body: it ends with an organisational head (or is a 中国…
    short name), starts with a name rather than 省/市/集团/本…, and is not a department."""
    shortest = 2 if recognised and ner.engine() == "lac" else 3
    if len(name) < shortest or len(name) > MAX_NAME or PART_OF_TITLE.search(name):
        return False
    unnamed = UNNAMED.match(name) and not NUMERAL_NAME.match(name)
    if unnamed and name[0] in "一二三四五六七八九十百千两几多" and PLACES.match(name):
        unnamed = False  # 四川省人民政府: a province opening with a numeral's character
    if unnamed or GENERIC.search(name) or PLACES.fullmatch(name):
        return False
    if name in KIND_WORDS or name.endswith(KIND_ENDS):
        return False
    if name[-1] in "厅局行" and not _office(name):
        return False
    placed = name[0] in PLACE_FIRST and not name.endswith(LEGAL_FORM_HEAD) and PLACES.match(name)
    if placed and GENERIC.search(name[placed.end() :].lstrip("省市")):
        return False  # 湖北国资投资运营公司: a kind of company in a place
    if NOT_NAME_CHAR.search(name):
        return False
    if HEAD.search(name):
        stem = HEAD.sub("", name)
        return len(stem) >= 2 or name in ("党中央", "国务院", "新华社", "中共中央")
    if recognised and (SHORT_HEAD.search(name) or MEDIA.search(name)):
        return True
    if recognised and ner.engine() == "lac":
        return True  # LAC's own ORG tag (鞍钢, 国投, 中国华能); jieba's nt is looser
    return recognised and bool(NATIONAL.match(name)) and len(name) >= 4


COMPANY_HEAD = re.compile(r"(?:集团|公司)$")
BRAND = {"PER", "nz", "j", "nrt", "nr"}
PERSON_TAGS = frozenset({"PER", "nr", "nrt"})  # jieba's guess at a brand (华发, 紫荆, 广晟)


HEAD_ENDS = frozenset(re.sub(r"\(\?<!.*\)$", "", head)[-1] for head in HEADS.split("|"))


MAY_END_HEAD = HEAD_ENDS | {"\n"}  # a word's last character when `_has_head` may hold


def _has_head(word: str) -> bool:
    """`HEAD.search(word)`, not tried on a word whose last character ends no head (`$` also
    matches before a last newline)."""
    last = word[-1:]
    if last == "\n":
        last = word[-2:-1]
    return last in HEAD_ENDS and HEAD.search(word) is not None


def _joins_two(left: str) -> bool:
    """Whether a joiner after this word joins two bodies (党中央国务院和…, 中央和省委)."""
    return _has_head(left) or PLACES.fullmatch(left) is not None


def _morphology(toks: tuple) -> list[tuple[int, int]]:
    """Runs of nominal tokens from a named anchor to a token ending in a head; before a
    company's head (…集团, …公司) a brand the recogniser took for a person or a proper noun
    anchors it too (紫荆文化集团, 华发集团), and 控股 stays inside (珠海交通控股集团公司)."""
    spans = []
    heads = [  # most tokens: no call to _has_head
        i
        for i, tok in enumerate(toks)
        if tok.text[-1:] in MAY_END_HEAD and (tok.tag in NOMINAL or tok.text == "分行")
    ]
    for i in heads:
        tok = toks[i]
        if not _has_head(tok.text) or PART_OF_TITLE.search(tok.text):
            continue
        company = bool(COMPANY_HEAD.search(tok.text))
        j, start = i, None
        while j >= 0 and tok.end - toks[j].start <= MAX_NAME:
            t = toks[j]
            brand = (
                company
                and j < i
                and t.tag in BRAND
                and len(t.text) >= 2
                and t.text[0] not in "年月日号"
                # a person's name before a name already opened is the person's (官庆任|中国
                # 建筑工程总公司, 钟涛|调研|国投集团), not a brand
                and not (start is not None and t.tag in PERSON_TAGS)
            )
            # 控股 and a place word (海外: 中国海外集团) stay inside a company's name, and so
            # does a one-character adjective before a noun (华阳|新|材料科技集团)
            inside = (
                company
                and j < i
                and (
                    t.text == "控股"
                    or t.tag == "s"
                    or (t.tag == "a" and len(t.text) == 1 and toks[j + 1].tag in NOMINAL)
                )
            )
            if t.text in JOINERS and j and _joins_two(toks[j - 1].text):
                break  # a name stands before the joiner (党中央国务院和省委): two, not one
            if (
                j < i  # the head itself may be a verb's spelling (分行: jieba's v)
                and t.tag not in NOMINAL
                and t.text not in JOINERS
                and not brand
                and not inside
            ):
                break
            if t.tag in ANCHOR or brand or (t.text[0] in NATIONAL_FIRST and NATIONAL.match(t.text)):
                start = j
            elif j < i and t.text.endswith(NAMED_HEADS) and t.tag in NOMINAL and is_name(t.text):
                start = j  # a body's own name opens its branch's (工商银行|安徽省|分行)
            j -= 1
        branded = start is not None and start < i and not _placed(toks[start])
        # the recogniser's own full name (中国电气装备集团有限公司): nothing before joins it
        whole = tok.tag == "ORG" and tok.text.endswith(LEGAL_FORM_HEAD) and len(tok.text) >= 8
        if branded and tok.text in LEGAL_FORMS:  # 新 + 百利融资有限公司
            bound = _bounded(toks, i)
            start = start if bound is None else min(start, bound)
        if start is not None and start < i:
            spans.append((toks[start].start, tok.end))
        elif (
            (start is None or (start == i and not whole))
            and tok.text.endswith(BOUNDED_HEAD)
            and (at := _bounded(toks, i))
        ):
            spans.append((toks[at].start, tok.end))
    return spans


NAMED_HEADS = ("银行", "集团", "公司")  # a word ending so that names a body anchors a name


# A name with no place or brand the recogniser knows (中智咨询管理有限公司, 机械工业出版社,
# 格力集团): nominal tokens standing alone between a list's or a clause's bounds and a company's
# or a publisher's head; up to three tokens before the head, at least one a noun.
BOUNDED_HEAD = ("集团", "公司", "出版社", "交易所", "时报", "参考报")
# one body acting on another (see JOINER) bounds a name as a list does
BOUND_TEXT = frozenset('、，,；;：:。“”"（( \n\u3000') | {"和", "与", "及", "整合", "重组", "合并"}
BOUND_TEXT |= {"吸收合并", "并购", "收购"}
BOUNDED_TAGS = frozenset({"n", "nz", "vn", "j", "LOC", "ORG", "ns", "nt"})
NOUN_TAGS = frozenset({"n", "nz", "j", "LOC", "ORG", "ns", "nt"})
VERB_LEAD = re.compile(
    r"谋划|推动|推进|支持|带动|引领|服务|助力|围绕|实现|打造|加快|加强|深化|做强|做优|做大|"
    r"壮大|建设|组建|成立|设立|整合|重组|改革|发展|管理|监管|考核|指导|督导|调研|走访|重塑|研究|细化|参与|"
    r"加大"
)
# A full legal form (…有限公司) is a stronger head than 集团: up to five words of any kind but
# these (prepositions, conjunctions, particles, pronouns, adverbs, numerals, punctuation) may
# stand before it (科大讯飞股份有限公司: 讯/ng, 飞/v; 新百利融资有限公司: 新/a).
LEGAL_FORM_HEAD = ("有限公司", "有限责任公司")
# A legal form standing as a word of its own (a name the recogniser kept whole is its own).
LEGAL_FORMS = frozenset({"有限公司", "有限责任公司", "股份有限公司", "集团有限公司"})
NOT_IN_LEGAL_NAME = frozenset({"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "d", "m",
                               "q", "x", "w", "f", "TIME", "y", "e", "o", "xc"})  # fmt: skip


def _placed(tok) -> bool:
    return tok.tag in PLACE_TAGS or bool(NATIONAL.match(tok.text))


def _opens(toks: tuple, j: int) -> bool:
    """Whether toks[j] opens a name: a place or 中国…, with no place glued before it."""
    before = toks[j - 1] if j else None
    return _placed(toks[j]) and not (before and before.end == toks[j].start and _placed(before))


def _bounded(toks: tuple, i: int) -> int | None:
    """Index of the first token of a bounded run ending at toks[i], or None."""
    legal = toks[i].text in LEGAL_FORMS
    j = i - 1
    while j >= 0 and toks[j].end == toks[j + 1].start and toks[j].text not in BOUND_TEXT:
        if legal and toks[j].text[-1] in "与和":
            break  # a joiner the cut glued to the word before (中国绿发与|科大讯飞…)
        if legal:
            if i - j > 5 or toks[j].tag in NOT_IN_LEGAL_NAME:
                return None
            if _has_head(toks[j].text) and len(HEAD.sub("", toks[j].text)) >= 2:
                break  # a name of its own before (神华集团更名为…有限责任公司), not 集团
            if _opens(toks, j):
                j -= 1
                break  # a place or a national word opens the name (明确|中国宝武钢铁…)
        elif i - j > 3 or toks[j].tag not in BOUNDED_TAGS and toks[j].tag != "v":
            return None
        j -= 1
    first = j + 1  # toks[j] is a bound, or a line's end (a gap), or there is none
    verbs = [t.text for t in toks[first:i] if t.tag == "v"]
    if verbs and (
        toks[first].tag == "v"
        or any((len(v) < 2 and not legal) or VERB_LEAD.match(v) for v in verbs)
    ):
        return None  # a verb inside a name (国家开发投资集团), never opening it (加强集团管控)
    if first == i:  # one word: a group's name LAC keeps whole (交通集团), not jieba's 企业集团
        whole = toks[i].text.endswith("集团") and len(toks[i].text) >= 4
        return i if whole and not VERB_LEAD.match(toks[i].text) else None
    if not any(t.tag in NOUN_TAGS for t in toks[first:i]):
        return None
    if VERB_LEAD.match(toks[first].text):
        return None  # 谋划集团高质量发展: a clause's verb, tagged as a noun
    return first


# Two names joined (中国国电集团与神华集团, 珠海港集团和航空城集团) or one acting on the other
# (中国宝武重组中钢集团, 华发集团整合九洲控股集团): each side is a candidate of its own.
JOINER = re.compile(r"与|和|及|、|吸收合并|重组|整合|合并|并购|收购|牵手")
NAMED_JOINED = re.compile(r"^([\u4e00-\u9fff]{2,4})(?:与|和|及)([\u4e00-\u9fff]{2,}(?:集团|公司))$")
NOT_ORG_AFTER = re.compile(r"行动|专项行动|工程")  # a headless name before them: a campaign
STOCK = re.compile(r"(?<!股份)(?<!控)股$")


def _split(
    probe: str, start: int, end: int, recognised: bool, orgs: frozenset = frozenset()
) -> list[tuple[int, int, bool]]:
    """A candidate cut where it joins two names (see JOINED); a short name before 与 (神华与国电
    集团) becomes a candidate only if the recogniser would accept it."""
    text = probe[start:end]
    if (tail := JOINER.search(text[-4:] + "$")) and text.endswith(tail.group()) and len(text) > 4:
        end, text = end - len(tail.group()), text[: -len(tail.group())]  # 中国宝武重组: a verb
    for m in JOINER.finditer(text):
        left, right = text[: m.start()], text[m.end() :]
        verb = len(m.group()) >= 2
        named = known(left) or (len(left) >= 2 and (PLACES.match(right) or known(right[:4])))
        cut = HEAD.search(left) or (verb and len(left) >= 2) or named
        after = (start + m.end(), end) in orgs  # …系统与 + 招商银行: the recogniser's own name
        if (cut or after) and HEAD.search(right) and len(right) >= 4:
            # cut after a name the recogniser found, the left keeps its own standing
            pieces = (
                (start, start + m.start(), bool(cut) or recognised),
                (start + m.end(), end, True),
            )
            return [*_split(probe, *pieces[0], orgs), *_split(probe, *pieces[1], orgs)]
    if m := NAMED_JOINED.match(text):
        return [(start + m.start(2), end, True)]
    return [(start, end, recognised)]


@cache
def _known_names() -> frozenset[str]:
    """Chinese names of the lexicons (中国联通, 中国五矿): a side of 与 that is a name."""
    names = {a for org in organisation_aliases() for a in org.aliases}
    names |= {a for _c, a, _n in english_orgs.lexicon_names()}
    return frozenset(n for n in names if re.fullmatch(r"[\u4e00-\u9fff（）()]{2,}", n))


def known(name: str) -> bool:
    return name in _known_names()


BRACKETED = re.compile(  # 中色南方稀土(新丰)有限公司, 看东方(上海)传媒有限公司
    r"[（(][\u4e00-\u9fff]{2,4}[)）][\u4e00-\u9fff]{0,10}?(?:股份有限公司|有限责任公司|有限公司|集团)"
)


def _bracketed(probe: str, toks: tuple) -> list[tuple[int, int]]:
    """A full name with a place or a form in brackets, which the recogniser cuts at the bracket:
    the nominal tokens before the bracket (back to a verb or punctuation) open it; a place
    opens it too (私有化香港建设(控股)有限公司: 香港…), unless a place stands before it."""
    spans = []
    for m in _at_brackets(BRACKETED, probe):
        before = [t for t in toks if t.end <= m.start()]
        start = m.start()
        for k in range(len(before) - 1, -1, -1):
            tok = before[k]
            if tok.end != start or tok.tag not in NOMINAL | {"nr", "PER", "s", "a", "vn"}:
                break
            if m.start() - tok.start > 12:
                break
            start = tok.start
            if tok.tag in PLACE_TAGS and not (k and before[k - 1].tag in PLACE_TAGS):
                break
        if start < m.start():
            spans.append((start, m.end()))
    return spans


# A wire's dateline names the medium (人民网北京7月25日电, 中新社北京1月17日电, 中新网3月3日电):
# a name ending in 网/社/报/台 at a line's start (or after 据), then a place, a date and 电.
DATELINE = re.compile(
    r"(?:^|(?<=[\s据據(（【]))(?![据據])([\u4e00-\u9fff]{1,5}?[网社报台])[\u4e00-\u9fff]{0,4}"
    r"(?:\d{1,2}月)?\d{1,2}日电",
    re.MULTILINE,
)


PLACE_TAGS = frozenset({"LOC", "ns"})
# A listed company's name before its stock code (中國交通建設(01800), 恒基地产(00012),
# 中国联通(沪:600050)): five or six digits, or four opening with 0 (a year is none of them).
STOCK_CODE = re.compile(
    r"[(（](?:(?:沪|深|港|SH|SZ|HK)[:：]?)?(?:\d{5,6}|0\d{3})(?:\.(?:HK|SH|SZ))?[)）]"
)
CODE_BOUNDS = frozenset(" \t\n\r\u3000,，、;；:：。]】")
# A wire's credit in book-title marks is its medium, not a title (《經濟通通訊社1日專訊》).
WIRE_CREDIT = re.compile(
    r"《([\u4e00-\u9fff]{2,10}?(?:通讯社|新闻社|社|网|报))\d{1,2}日(?:专讯|电|讯)》"
)

CJK = re.compile(r"[\u4e00-\u9fff]")


def _at_brackets(pattern: re.Pattern, probe: str) -> list[re.Match]:
    """`pattern.finditer(probe)` for a pattern opening with a bracket and holding no other
    opening bracket: tried at each bracket `str.find` finds (`re` scans a pattern opening with
    a character class one character at a time)."""
    found = []
    for bracket in "(（":
        at = probe.find(bracket)
        while at >= 0:
            if m := pattern.match(probe, at):
                found.append(m)
            at = probe.find(bracket, at + 1)
    return sorted(found, key=lambda m: m.start())


def _listed_company(probe: str) -> list[tuple[int, int]]:
    """Spans of the names before stock codes: two to twelve Chinese characters from a line's
    start or a bound (a space, a comma, a colon, a full stop) to the code's bracket."""
    spans = []
    for m in _at_brackets(STOCK_CODE, probe):
        k = m.start()
        while k > 0 and m.start() - k < 13 and CJK.match(probe[k - 1]):
            k -= 1
        if 2 <= m.start() - k <= 12 and (k == 0 or probe[k - 1] in CODE_BOUNDS):
            spans.append((k, m.start()))
    return spans


DATE_DIGIT = re.compile(r"[\d一二三四五六七八九十〇零两]")


def _department(probe: str, toks: tuple, start: int, end: int) -> bool:
    """A short name ending in 部 glued to the nouns before it is a body's department, not a
    ministry (法务风控部部长: 风控部); 财政部 stands alone or after a name (国务院财政部)."""
    if probe[end - 1] != "部" or end - start > 4:
        return False
    before = [t for t in toks if t.end == start]
    return bool(before) and before[-1].tag in {"n", "nz", "an"}


# A medium named where a page credits it: after a source label (来源：人民网-人民日报海外版,
# 来源:考试资源网 考试资料网), as a wire's opening word (中化新网讯 10月13日), in brackets closing
# a paragraph ((南方财经网)) or heading a story with its date (【大纪元3月21日报导】).
MEDIUM = (
    r"[\u4e00-\u9fff]{1,10}?(?:日报|晚报|时报|报|网|社|电视台|电台|客户端|杂志|周刊)"
    r"(?:海外版|国际版|电子版)?"
)
SOURCE_LABEL = re.compile(r"(?:来源|稿源|转载自)[ \t\u3000]*[:：][ \t\u3000]*")
SOURCE_ITEM = re.compile(
    rf"({MEDIUM})(?=$|[\s\-—|｜/、，,;；)）]|作者|编辑|责编|时间|发布|日期|浏览)", re.MULTILINE
)
SOURCE_SEP = re.compile(r"[ \t\u3000\-—、/]{1,3}")
WIRE_OPENING = re.compile(rf"[ \t\u3000]*({MEDIUM})讯")  # matched from a line's start
CLOSING_CREDIT = re.compile(rf"[(（]({MEDIUM})[)）][ \t\u3000]*$", re.MULTILINE)
HEADING_CREDIT = re.compile(
    r"【([\u4e00-\u9fff]{2,6}?)(?:\d{1,2}月)?\d{1,2}日(?:报导|报道|讯|电)】"
)


def _credits(probe: str) -> list[tuple[int, int]]:
    """Spans of the media a page credits (see MEDIUM), each looked for only where its mark is."""
    spans = []
    for label in SOURCE_LABEL.finditer(probe) if ("来源" in probe or "稿源" in probe) else ():
        pos = label.end()
        for _ in range(3):  # 人民网-人民日报海外版: up to three, joined by a dash or a space
            if not (m := SOURCE_ITEM.match(probe, pos)):
                break
            spans.append(m.span(1))
            if not (sep := SOURCE_SEP.match(probe, m.end())):
                break
            pos = sep.end()
    at = probe.find("讯")
    while at > 0:  # from the start of the line of each 讯 (few), not tried at every character
        line = probe.rfind("\n", 0, at) + 1
        if (m := WIRE_OPENING.match(probe, line)) and m.end() == at + 1:
            spans.append(m.span(1))
        at = probe.find("讯", at + 1)
    spans += [m.span(1) for m in _at_brackets(CLOSING_CREDIT, probe)]
    if "【" in probe:
        spans += [m.span(1) for m in HEADING_CREDIT.finditer(probe)]
    return spans


# The central government's bodies by their own names: a closed class, found where the text's
# words begin and end with one (教育部政务次长; not 教育部门, whose end is inside a word).
MINISTRIES = frozenset(
    [
        "外交部",
        "国防部",
        "教育部",
        "科学技术部",
        "科技部",
        "工业和信息化部",
        "工信部",
        "公安部",
        "国家安全部",
        "民政部",
        "司法部",
        "财政部",
        "人力资源和社会保障部",
        "人社部",
        "自然资源部",
        "生态环境部",
        "住房和城乡建设部",
        "住建部",
        "交通运输部",
        "水利部",
        "农业农村部",
        "商务部",
        "文化和旅游部",
        "文旅部",
        "国家卫生健康委员会",
        "国家卫健委",
        "退役军人事务部",
        "应急管理部",
        "审计署",
        "中国人民银行",
        "国家发展和改革委员会",
        "国家发展改革委",
        "国家发改委",
        "海关总署",
        "国家税务总局",
        "国家市场监督管理总局",
        "国家统计局",
        "国家能源局",
        "中国证监会",
        "中国证券监督管理委员会",
        "国家金融监督管理总局",
        "中国银保监会",
        "国家外汇管理局",
        "国家知识产权局",
        "国家林业和草原局",
        "中央组织部",
        "中央宣传部",
        "中央统战部",
        "中央网信办",
        "全国人大",
        "全国政协",
        "最高人民法院",
        "最高人民检察院",
    ]
)


@cache
def _ministries_by_end() -> dict[str, tuple[str, ...]]:
    """Each ministry's last two characters → the ministries ending so."""
    index: dict[str, list[str]] = {}
    for name in MINISTRIES:
        index.setdefault(name[-2:], []).append(name)
    return {end: tuple(names) for end, names in index.items()}


MINISTRY_LAST = frozenset(name[-1] for name in MINISTRIES)


def _ministries(probe: str, toks: tuple) -> list[tuple[int, int]]:
    """Spans of MINISTRIES at the text's word bounds, looked for from the places its last
    characters occur (few), not by testing every name against the whole text."""
    by_end, spans = _ministries_by_end(), []
    for last in MINISTRY_LAST:
        at = probe.find(last, 1)
        while at > 0:
            for name in by_end.get(probe[at - 1 : at + 1], ()):
                if probe.startswith(name, at + 1 - len(name)):
                    spans.append((at + 1 - len(name), at + 1))
            at = probe.find(last, at + 1)
    if not spans:
        return []
    starts, ends = {t.start for t in toks}, {t.end for t in toks}
    return [(a, b) for a, b in spans if a in starts and b in ends]


def organisation_names(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each organisation name found by the recogniser or morphology."""
    probe = search_text(text)
    toks = ner.tokens(text)
    orgs = [t for t in toks if t.tag == "ORG"]  # the recogniser's names, then its proper
    candidates = [(t.start, t.end, True) for t in orgs]  # nouns naming media
    candidates += [
        (t.start, t.end, True) for t in toks if t.tag in ("nz", "nw") and MEDIA.search(t.text)
    ]
    joined = []  # a name it cut after 及, which it kept in the first part: one name
    starts = {t.start: t for t in orgs}
    for t in orgs:
        if t.text[-1] == "及" and (after := starts.get(t.end)):  # 香港交易及 + 结算所有限公司
            left = probe[t.start : t.end - 1]
            if not HEAD.search(left) and not known(left):
                joined.append((t.start, after.end, True))
    candidates += [(start, end, False) for start, end in _morphology(toks)]
    candidates += [(start, end, False) for start, end in _bracketed(probe, toks)]
    for wire in re.finditer("日电", probe):  # the dateline's pattern tried near each only
        found_at = DATELINE.finditer(probe, max(0, wire.start() - 18), wire.end())
        candidates += [(*m.span(1), True) for m in found_at if m.end() == wire.end()]
    candidates += [(*span, True) for span in _listed_company(probe)]
    credited = _credits(probe)
    candidates += [(*span, True) for span in credited + _ministries(probe, toks)]
    wires = list(WIRE_CREDIT.finditer(probe)) if "日" in probe else []
    candidates += [(*m.span(1), True) for m in wires]
    credits = {m.span() for m in wires}
    # 《中共中央关于…的决定》: a title
    titles = [m.span() for m in BOOK_TITLE.finditer(probe) if m.span() not in credits]
    found: dict[tuple[int, int], str] = {}
    for start, end, recognised in list(candidates):
        if m := PAIRED.fullmatch(probe[start:end]):  # 党中央国务院: two bodies
            candidates.remove((start, end, recognised))
            candidates += [(start + a, start + b, True) for a, b in (m.span(1), m.span(2))]
    org_spans = frozenset((t.start, t.end) for t in orgs)
    candidates = [piece for c in candidates for piece in _split(probe, *c, org_spans)] + joined
    for start, end, recognised in candidates:
        if probe[start] in "年月日号" and start and DATE_DIGIT.match(probe[start - 1]):
            start += 1  # 7月3日省国资委: the date's last character is no part of a name
        if end - start < 2:
            continue
        if start and probe[start - 1] in "省市" and (start < 2 or not CJK.match(probe[start - 2])):
            continue  # ，省交投集团: the province's group, unnamed
        if _department(probe, toks, start, end):
            continue
        if probe[end - 1] == "讯" and (start, end - 1) in credited:
            continue  # the recogniser's 中化新网讯: the credited medium without its wire's mark
        name = _trim(probe[start:end])
        if (NOT_ORG_AFTER.match(probe, end) and not HEAD.search(name)) or STOCK.search(name):
            continue  # 剑网行动: a campaign; 煤炭股: shares
        if any(a < start and end < b and end - start < b - a - 2 for a, b in titles):
            continue
        if len(name) <= 6 and VERB_LEAD.fullmatch(COMPANY_HEAD.sub("", name)):
            continue  # a verb, alone or before a bare head (加大集团于…): no name
        if is_name(name, recognised=recognised) or (
            (start, end) in credited and _credited_name(name)
        ):
            found[(start, start + len(name))] = name
    found.update(english_orgs.names(text))
    # Longest first; a name inside a longer one is part of it.
    kept: list[tuple[int, int, str]] = []
    for (start, end), name in sorted(found.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, name))
    return kept


def _credited_name(name: str) -> bool:
    """A credited medium is a name unless it is unnamed (本报, 该网) or a kind (新闻网)."""
    return 3 <= len(name) <= 16 and not UNNAMED.match(name) and not name.startswith("新闻")


ITEM_ZH = r"[\u4e00-\u9fff（）()]{2,14}"
LIST_GAP = re.compile(rf"[、与和及]((?:{ITEM_ZH}、)*{ITEM_ZH})[、与和及]")


def listed(
    probe: str, spans: list[tuple[int, int]], toks: tuple = ()
) -> list[tuple[int, int, str]]:
    """Names standing between two names found in one list (中国一汽、兵器装备集团、东风公司与
    中国诚通: 东风公司), when each reads as a name by its head or is a short name the cut
    tags as one (国投); the name after a listed one, and a name paired with one by 与/和."""
    spans = sorted(spans)
    short = _ShortWords(toks)
    out = []
    for (_a0, a1), (b0, _b1) in zip(spans, spans[1:], strict=False):
        if not 3 < b0 - a1 <= 40 or not (m := LIST_GAP.fullmatch(probe, a1, b0)):
            continue
        at = m.start(1)
        items = []
        for item in m.group(1).split("、"):
            items.append((at, at + len(item), _trim(item)))
            at += len(item) + 1
        if all(is_name(n, recognised=False) or _short(n, s, short) for s, _e, n in items):
            out += [(s, s + len(name), name) for s, _e, name in items]
    starts = {a for a, _b in spans}
    for a0, a1 in spans:
        if probe[a1 : a1 + 1] == "、" and a1 + 1 not in starts:
            out += _list_tail(probe, a1 + 1, toks)
        if a0 > 2 and probe[a0 - 1] in "与和":
            out += _pair_first(probe, a0 - 1, short)
    return out


SHORT_TAGS = frozenset({"j", "nt", "ORG"})  # a two-character name (国投/j) as the cut tags it


class _ShortWords:
    """The spans of the two-character words tagged as names, gathered on the first question
    (most texts ask none)."""

    def __init__(self, toks: tuple):
        self.toks, self.spans = toks, None

    def __contains__(self, span: tuple[int, int]) -> bool:
        if self.spans is None:
            self.spans = {
                (t.start, t.end) for t in self.toks if len(t.text) == 2 and t.tag in SHORT_TAGS
            }
        return span in self.spans


def _short(name: str, start: int, short) -> bool:
    return (
        (start, start + len(name)) in short
        and name not in KIND_WORDS
        and not UNNAMED.match(name)
        and not PLACES.fullmatch(name)
    )


LIST_ITEM_END = re.compile(r"[\u4e00-\u9fff（）()]{3,14}")


def _list_tail(probe: str, at: int, toks: tuple) -> list[tuple[int, int, str]]:
    """The item after a listed name (兵器装备集团、东风公司同步参与): the longest run of
    Chinese from the mark that ends in a head, at a word's end, reads as a name by its head and
    is made of nouns (管委会对集团公司 is a clause)."""
    run = LIST_ITEM_END.match(probe, at)
    if not run:
        return []
    first = bisect_left(toks, at, key=_start)
    words = list(takewhile(lambda t: t.start < run.end(), toks[first:]))
    for k in range(len(words), 0, -1):
        end, name = words[k - 1].end, probe[at : words[k - 1].end]
        if words[0].start != at or end > run.end() or not _has_head(name):
            continue
        if all(w.tag in TAIL_TAGS for w in words[:k]) and is_name(name, recognised=False):
            return [(at, end, name)]
    return []


TAIL_TAGS = NOMINAL | {"nr", "PER", "nz", "j", "b", "a", "s"}


def _start(tok) -> int:
    return tok.start


PAIR_BOUNDS = frozenset("、：:\n")


def _pair_first(probe: str, joiner: int, short) -> list[tuple[int, int, str]]:
    """A short name paired with a found one in a list (、中国绿发与科大讯飞股份有限公司): the
    Chinese between the list's mark and 与/和, when the recogniser's test would take it."""
    k = joiner
    while k > 0 and joiner - k < 7 and CJK.match(probe[k - 1]):
        k -= 1
    name = probe[k:joiner]
    numbered = probe[k - 1 : k] in ".．" and probe[k - 2 : k - 1].isdigit()  # 3.国投与…
    if not (k == 0 or probe[k - 1] in PAIR_BOUNDS or numbered) or not 2 <= len(name) <= 6:
        return []
    if is_name(name, recognised=True) or _short(name, k, short):
        return [(k, joiner, name)]
    return []
