"""English organisation names: the official English names of the lexicon (any case: news
copies write "AVIC group", "state owned assets supervision and Administration Commission"), and
names by their shape — capitalised words ending in a legal form (… Group Corp Ltd, … Co., Ltd.,
Sinolight Corp.), a commission, ministry or bureau of somewhere, a party committee, a news
agency or paper. A name never starts with a sentence word (Although Baosteel Group →
Baosteel Group) and never spans two names joined by "and"."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import yaml

from . import alternation

LEXICON = Path(__file__).resolve().parents[2] / "libraries" / "lexicons" / "organisations-en.yaml"

# Words of a legal form; a name ends with one or more of them (Group Corp Ltd, Co., Ltd.).
LEGAL = (  # Co without its dot before Ltd or a list's or a clause's end (Co Ltd; Co -)
    r"(?:Group|\(Group\)|Corporation|Corp\.?|Company|Co\.|Co(?=,| Ltd| [-–—]|[;)]| and )|"
    r"Holdings?|Limited|Ltd\.?|Inc\.?)"
)
LEGAL_TAIL = re.compile(rf"^(?:,? (?:{LEGAL}|group|of China))+$")
WORD = r"(?:[A-Z][A-Za-z'’-]*[a-z][A-Za-z'’-]*|[A-Z]{2,}[a-z]?|[A-Z]&[A-Z])"  # China, COSCO
# A word as one piece (atomic): in a name a word is always followed by a space, which only the
# whole word is, so its shorter readings can never match; trying them all made a long title of
# capitalised words cost milliseconds (matching the same names).
WHOLE_WORD = rf"(?>{WORD})"
HEADS_AT_END_ONLY = re.compile(rf"^{LEGAL}$|^Group$")
# Each of COMPANY and OTHER opens with a lookahead on its first character: a pattern opening
# with a lookbehind or \b is tried in full at every character; this one fails at once where no
# name can start (the same matches, a quarter less time on English texts).
COMPANY = re.compile(
    rf"(?=[A-Z(])(?<![A-Za-z&])(?P<body>(?:{WHOLE_WORD}|\([A-Z][a-z]+\))"
    rf"(?: (?:{WHOLE_WORD}|\([A-Z][a-z]+\)|and|&))*?)"
    rf"(?P<legal>(?: (?:{LEGAL}|group))+(?:,? (?:Co\.|Ltd\.?|Limited|Inc\.?))*)"
    rf"(?: of China)?(?![A-Za-z])"
)
PROVINCES = (  # province-level names: "Shandong SASAC" is the province's commission
    "Beijing|Tianjin|Shanghai|Chongqing|Hebei|Shanxi|Liaoning|Jilin|Heilongjiang|Jiangsu|Zhejiang|"
    "Anhui|Fujian|Jiangxi|Shandong|Henan|Hubei|Hunan|Guangdong|Hainan|Sichuan|Guizhou|Yunnan|"
    "Shaanxi|Gansu|Qinghai|Inner Mongolia|Guangxi|Tibet|Ningxia|Xinjiang|Hong Kong|Macao"
)
# A province's or a city's own commission (Shandong SASAC, Shandong Provincial State-owned Assets
# Supervision and Administration Commission), searched only where SASAC or the name occurs.
SASAC = re.compile(r"SASAC\b|(?i:State[- ]owned Assets? Supervision and Administration Commission)")
LOCAL_BEFORE = re.compile(  # the place just before it, read in the 40 characters there
    rf"(?<![A-Za-z])(?:(?:{PROVINCES})(?: Provincial| Municipal)?|[A-Z][a-z]+ "
    r"(?:Provincial|Municipal|City)) $"
)
OTHER = re.compile(
    r"(?=[A-Za-z])\b(?:"
    r"(?i:State[- ]owned Assets? Supervision and Administration Commission)(?: of the State Council"
    r"(?: of China)?| of (?:[A-Z][a-z]+ ){1,3}(?:Province|Municipality|Autonomous Region|City))?"
    r"|(?:[Tt]he )?[Pp]eople['’]s [Gg]overnment of (?:[A-Za-z]+ ){1,3}"
    r"(?:[Pp]rovince|[Mm]unicipality)"
    r"|(?:CPC|Communist Party of China) (?:[A-Z][a-z]+ ){1,3}(?:Provincial|Municipal) Committee"
    r"|(?:[A-Z][a-z]+ ){1,3}(?:Provincial|Municipal|City|County|Prefecture|District) "
    r"(?:CPC |Party )?Committee"
    r"|(?:[A-Z][a-z]+ )+News (?:Agency|Service)"
    r"|Ministry of (?:[A-Z][a-z]+ (?:and )?)*[A-Z][a-z]+"
    r"|(?:[A-Z][a-z]+(?:-[A-Za-z]+)?(?:['’]s)? (?:and )?){1,5}(?:Bureau|Administration|Commission|"
    r"Institute|Academy|University|Bank|Exchange|Agency|Center|Centre|Department|Federation)"
    r"(?: of (?:the )?(?:[A-Z][a-z]+ (?:and (?![A-Z][a-z]+ (?:Prefecture|Province|Provincial|"
    r"City|County|District|Municipal)\b))?){0,4}[A-Z][a-z]+)?"
    r"|State Council [Ll]eading [Gg]roup for (?:SOE|[Ss]tate-owned [Ee]nterprises?) [Rr]eform"
    r"|Leading Group for State-[Oo]wned Enterprises? Reform(?: (?:of|under) the State Council)?"
    r"|Communist Party(?: of China)?"
    r"|(?:Publicity|Propaganda) Department of the CPC Central Committee"
    r"|State Council(?: Information Office)?|CPC Central Committee|Xinhua(?: News Agency)?"
    r"|(?i:People['’]s Daily|China Daily|Global Times|Economic Information Daily)"
    r"|(?:[A-Z][a-z]+ (?:and )?){1,4}(?:Daily|Times|News)\b|Reuters|Bloomberg|Caixin|Yicai Global"
    r"|National People['’]s Congress|National Development and Reform Commission"
    r"|Central (?:Commission|Leading Group|Committee) for (?:[A-Z][a-z]+ ){0,4}[A-Z][a-z]+"
    r")(?![A-Za-z])"  # not State Council inside State Councilor
)
# A machine translation's company name in lower case (shandong heavy industry group co., LTD.,
# China mechanical equipment engineering co., LTD.): China or a province, lower-case words, and
# the legal form opening in lower case (co., LTD.).
LOWER_COMPANY = re.compile(
    rf"(?=[A-Za-z])(?<![A-Za-z])(?i:China|{PROVINCES})(?: [a-z][a-z&'’-]*){{1,6}}? "
    r"(?:co\.,? ?(?i:ltd)\.?|company limited|co\., limited)(?![A-Za-z])"
)
# A place's party committee or government with its level in any case, as machine translations
# write them (Kunming municipal committee of CPC, Taizhou municipal government).
LOCAL_BODY = re.compile(
    r"(?=[A-Z])(?<![A-Za-z])([A-Z][a-z]+(?: [A-Z][a-z]+)?) "
    r"(?i:municipal|provincial|city|county|prefecture|district) (?:(?i:committee) of (?:the )?"
    r"(?:CPC|Communist Party of China)|(?i:(?:people['’]s )?government))(?![A-Za-z])"
)
# A group's unit named by the group's acronym and its trade (SDIC Power, SDIC Capital).
UNIT = re.compile(
    r"(?=[A-Z])(?<![A-Za-z])([A-Z]{3,6}) (?:Power|Capital|Health|Energy|Finance|Financial|Trading|"
    r"Engineering|Logistics|Shipping|Securities|Leasing|International|Technology|Chemicals?|"
    r"Mining|Properties|Property|Resources|Construction|Insurance|Trust|Investment)(?![A-Za-z])"
)
HAS_LOWER_FORM = re.compile(r"co\.,? ?(?i:ltd)|company limited|co\., limited")  # "co" in lower case
# A news site as its domain where it reports (Chinanews.com reported; (chinadaily.com.cn);
# website guangfu.bjx.com.cn; thepaper.cn's report; a source line "China.org.cn April 22, 2020").
DOMAIN = r"[A-Za-z][A-Za-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org)(?:\.cn)?"
SITE = re.compile(
    rf"(?<![\w.@/])(?:{DOMAIN}(?=\s+report|['’]s report|\s*\)\s*$|\s+said)"
    rf"|(?<=website ){DOMAIN}|^{DOMAIN}(?=\s+(?:[A-Z][a-z]+ \d{{1,2}}, \d{{4}}|\d{{4}}-\d)))",
    re.MULTILINE,
)
HAS_DOMAIN = re.compile(r"\.(?:com|cn|net|org)")  # in every match of SITE: a text without it
# is not scanned with SITE (its alternatives tried at each character cost a quarter of names())
# A name with its acronym in brackets, the acronym made of the name's initials
# (China Nuclear Engineering & Construction (CNEC)).
ACRONYM = re.compile(
    rf"((?:{WHOLE_WORD}|&|and|of)(?: (?:{WHOLE_WORD}|&|and|of)){{1,7}}) \(([A-Z]{{3,6}})\)"
)
# What any match of COMPANY and of ACRONYM holds: a text without it is not searched with them.
HAS_LEGAL = re.compile(r" (?:Group|Corp|Company|Co[.,]|Holding|Limited|Ltd|Inc|group)")
HAS_ACRONYM = re.compile(r" \([A-Z]{3,6}\)")
NOT_A_BODY = re.compile(  # a plan or an event, not a body (China International Import Expo)
    r"\b(?:Initiative|Plan|Program|Programme|Index|Strategy|Action|System|Expo|Exposition|Fair|"
    r"Forum|Summit|Conference|Exhibition|Games|Festival|Week)\b"
)
LEAD = re.compile(
    r"^(?:(?:The|This|That|These|Those|Our|Each|Every|Other|Although|Though|However|While|"
    r"Meanwhile|And|But|In|As|Since|After|Before|With|Under|Both|Its|His|Her|Their|Also|Only|"
    r"When|Where|If|Then|Thus|So|For|From|By|On|At|To|Among|Including|Like|Besides|Moreover|"
    r"Besides|Once|Next|Last|Many|Several|Some|All|Most|Two|Three|Four|Five|Ten|Chinese|Select) )+"
)
NOT_BODY_PHRASE = re.compile(  # a team, not a company (Central Inspection Group, Working Group)
    r"^(?:(?:Central|State|National|Joint|Special|Expert|Party) )*(?:Inspection|Leading|Working|"
    r"Steering|Expert|Task|Study|Research|Work|Project|Drafting|Coordination|Special|Leadership)"
    r"(?: (?:Force|Team))?$"
    # a kind of company, as 国有资本投资公司 is (State Capital Investment Corporation)
    r"|^(?:State(?:-owned)? )?(?:Capital|Assets?|State Assets?) (?:Investment|Operation|Operating|"
    r"Management)(?: and (?:Operation|Operating))?$"
)
# Words no name is made of alone (Related News, Research and Exchange, Top News): a heading's
NO_NAME_WORDS = frozenset(
    [
        "Related",
        "Latest",
        "Top",
        "More",
        "Breaking",
        "Hot",
        "Recent",
        "Other",
        "Main",
        "Research",
        "Exchange",
        "Exchanges",
        "Cooperation",
        "Communication",
        "Study",
        "Visit",
        "Visits",
        "Work",
        "Training",
        "Headline",
        "Headlines",
        "News",
        "and",
        "the",
        "of",
    ]
)
NOT_BODY = re.compile(  # a body of generic words is no name (SOE group, Leading Group)
    r"^(?:SOEs?|Central|State|National|Leading|Party|Investment|Holding|Business|Enterprise|"
    r"Media|Technology|Energy|Industrial|Industry|Financial|Trading|Development|Construction|"
    r"Steel|Power|Oil|Mining|China|Chinese)$"
)


@cache
def lexicon_names() -> tuple[tuple[str, str, str], ...]:
    """(code, alias, "") of every name in this lexicon."""
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    return tuple((o["code"], a, "") for o in data["organisations"] for a in o["aliases"])


# Characters outside ASCII that match an ASCII letter when case is ignored (İ ı ſ K): a text
# holding one is searched with every name, as the lower-cased copy would not show the name.
FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


@cache
def _aliases() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(pattern part, lower-cased alias, code) of every alias, longest first."""
    entries = [(code, alias) for code, alias, _n in lexicon_names()]
    entries.sort(key=lambda e: len(e[1]), reverse=True)
    parts = tuple(rf"(?P<g{i}>(?<![A-Za-z]){re.escape(a)}(?![A-Za-z]))" for i, (_c, a) in
                  enumerate(entries))  # fmt: skip
    return parts, tuple(a.lower() for _c, a in entries), tuple(c for c, _a in entries)


LATIN_WORD = re.compile(r"[a-z]+")


@cache
def _aliases_by_word() -> dict[str, tuple[int, ...]]:
    """The lower-cased aliases' places by their longest word ("" for those with none)."""
    index: dict[str, list[int]] = {"": []}
    for i, alias in enumerate(_aliases()[1]):
        words = LATIN_WORD.findall(alias)
        index.setdefault(max(words, key=len) if words else "", []).append(i)
    return {word: tuple(places) for word, places in index.items()}


@lru_cache(maxsize=4096)
def _alias_branch(place: int) -> re.Pattern:
    """The alias at this place of the longest-first order, compiled alone (`alias_matches`
    reads the alternation of a text's aliases from these: none compiled per set of aliases)."""
    return re.compile(_aliases()[0][place], re.IGNORECASE)


def alias_matches(probe: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of each name of this lexicon in any case (in the Simplified copy), and
    of any long Chinese name cut by a space where a line was wrapped (中国石油化 工集团有限公司).
    Only the aliases the lower-cased text contains are tried: an alias absent from the text
    matches nowhere, so the matches are those of the whole alternation."""
    _parts, lowered, codes = _aliases()
    if FOLDS_TO_ASCII.search(probe):
        present = tuple(range(len(lowered)))
    else:
        folded = probe.lower()
        # an alias matches between non-letters, so each of its words is a whole word of the
        # text: only the aliases whose longest word the text holds are tested
        by_word = _aliases_by_word()
        tried = [i for word, places in by_word.items() if word in folded for i in places]
        present = tuple(i for i in sorted(tried) if lowered[i] in folded)
    found = []
    if present:
        branches = [_alias_branch(i) for i in present]
        found = [
            (m.start(), m.end(), codes[present[i]])
            for i, m in alternation.finditer(branches, probe)
        ]
    return found + _wrapped(probe)


CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]+(?=[\u4e00-\u9fff])")


def _gaps(probe: str) -> set[tuple[str, str]]:
    """The characters around each gap of CJK_GAP, found from the spaces and tabs `str.find`
    finds (few in a Chinese text) rather than by `re` trying each character."""
    gaps = set()
    for blank in " \t":
        at = probe.find(blank, 1)
        while at > 0:
            end = at
            while end < len(probe) and probe[end] in " \t":
                end += 1
            if CJK.match(probe[at - 1]) and end < len(probe) and CJK.match(probe[end]):
                gaps.add((probe[at - 1], probe[end]))
            at = probe.find(blank, end)
    return gaps


def _wrapped(probe: str) -> list[tuple[int, int, str]]:
    if not CJK.search(probe):
        return []  # no Chinese name to be cut (an English text's spaces are not walked)
    gaps = _gaps(probe)
    if not gaps:
        return []
    compact = CJK_GAP.sub("", probe)
    out = []
    # A name in the text without its gaps but not in the text spans a gap: it holds the two
    # characters around one, next to each other. Only those names are looked for.
    by_pair = _long_names_by_pair()
    for i in sorted({i for pair in gaps for i in by_pair.get(pair, ())}):
        code, alias = _long_names()[i]
        if alias in compact and alias not in probe:
            spaced = r"[ \t]*".join(map(re.escape, alias))
            out += [(m.start(), m.end(), code) for m in re.finditer(spaced, probe)]
    return out


@cache
def _long_names() -> tuple[tuple[str, str], ...]:
    """(code, alias) of the lexicon's Chinese names of five characters or more, in order."""
    from ..lexicons import organisation_aliases

    return tuple(
        (org.code, alias)
        for org in organisation_aliases()
        for alias in org.aliases
        if len(alias) >= 5 and CJK.match(alias)
    )


@cache
def _long_names_by_pair() -> dict[tuple[str, str], tuple[int, ...]]:
    """Each pair of neighbouring characters → the long names holding it (their places)."""
    index: dict[tuple[str, str], list[int]] = {}
    for i, (_code, alias) in enumerate(_long_names()):
        for pair in set(zip(alias, alias[1:], strict=False)):
            index.setdefault(pair, []).append(i)
    return {pair: tuple(places) for pair, places in index.items()}


CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def _known_lower() -> frozenset[str]:
    """The lexicons' English names, lower-cased: a known name before "and" ends there."""
    from ..lexicons import organisation_aliases

    names = [a for _c, a, _n in lexicon_names()]
    names += [a for org in organisation_aliases() for a in org.aliases if a.isascii()]
    return frozenset(a.lower() for a in names)


def _company(m: re.Match) -> tuple[int, str] | None:
    body, start = m.group("body"), m.start("body")
    if generic := re.search(r"^.*\bSOEs?\b ", body):  # Central SOE Poly Group
        body, start = body[generic.end() :], start + generic.end()
    if lead := LEAD.match(body + " "):
        cut = min(lead.end(), len(body))
        body, start = body[cut:].lstrip(), start + cut
    words = body.split()
    for i in range(len(words) - 2, -1, -1):  # "China Power Investment and China Coal … Co., Ltd."
        left = " ".join(words[:i]).lower()  # "Sinopec and China National Offshore Oil Co."
        right = words[i + 1] if i + 1 < len(words) else ""
        if words[i] in ("and", "&") and (
            right == words[0]
            or words[i - 1].endswith(")")
            or left in _known_lower()
            or (len(right) >= 3 and right.isupper())  # China Railway and SDIC Group
        ):
            start += len(" ".join(words[: i + 1])) + 1
            body, words = " ".join(words[i + 1 :]), words[i + 1 :]
            break
    if not words or words[0] in ("and", "&", "of") or words[-1] in ("and", "&", "of"):
        return None
    if len(words) == 1 and (NOT_BODY.match(words[0]) or len(words[0]) < 3):
        return None
    if NOT_BODY_PHRASE.match(body):
        return None
    if any(HEADS_AT_END_ONLY.match(w.title() if w.isupper() else w) for w in words):
        return None  # two names joined ("X Corp. and Y Group"), or a form in capitals (GROUP Co.)
    name = body + m.group("legal") + m.group()[m.end("legal") - m.start() :]
    return start, name.rstrip(",")


# The characters a match of COMPANY, OTHER or ACRONYM is made of (OTHER's case-blind parts also
# match İ ı ſ K): a match lies inside one run of them holding a letter, so they are searched
# in those runs only (with the character after a run, which their lookaheads read), not
# across the Chinese text around.
NAME_CHARS = "A-Za-z\u0130\u0131\u017f\u212a'’&(),. -"
NAME_RUN = re.compile(  # each match a whole run: after a match the next starts past its run,
    # and inside a run without a letter every start fails (no lookbehind tried at each character)
    rf"[{NAME_CHARS}]*[A-Za-z\u0130\u0131\u017f\u212a][{NAME_CHARS}]*"
)


def _in_runs(pattern: re.Pattern, text: str, runs: list[tuple[int, int]]):
    """`pattern.finditer(text)` for a pattern whose matches lie inside one of the runs. No
    match is shorter than six characters (AB Co,; Xinhua): a shorter run (A级, GDP) is skipped."""
    for start, end in runs:
        if end - start >= 5:
            yield from pattern.finditer(text, start, end + 1)


def names(text: str) -> dict[tuple[int, int], str]:
    """{(start, end): name} of English names by their shape."""
    found: dict[tuple[int, int], str] = {}
    if not re.search(r"[A-Za-z]{4}", text):
        return found
    runs = [m.span() for m in NAME_RUN.finditer(text)]
    for m in _in_runs(COMPANY, text, runs) if HAS_LEGAL.search(text) else ():
        if (hit := _company(m)) is not None:
            start, name = hit
            found[(start, start + len(name))] = name
    # (both made of a run's characters only: one scan of the text finds what the runs hold)
    for m in LOWER_COMPANY.finditer(text) if HAS_LOWER_FORM.search(text) else ():
        found.setdefault(m.span(), m.group())
    if "ommittee of" in text or "overnment" in text:
        for m in LOCAL_BODY.finditer(text):
            if not LEAD.match(m.group(1) + " ") and m.group(1) not in ("China", "Chinese"):
                found.setdefault(m.span(), m.group())
    for m in UNIT.finditer(text):
        if m.group(1).lower() in _known_lower():
            found.setdefault(m.span(), m.group())
    for m in _in_runs(OTHER, text, runs):
        name, start = m.group().rstrip(), m.start()
        lead = re.match(r"(?:The |This |That |Our |Each |Every |Other |China['’]s )", name, re.I)
        if lead and ("people's government" not in name.lower().replace("’", "'")):
            name, start = name[lead.end() :], start + lead.end()
        if " " in name or name.isupper() or name in ONE_WORD:
            found[(start, start + len(name))] = name
    for m in SASAC.finditer(text) if "SASAC" in text or "upervision and" in text else ():
        if local := LOCAL_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            found[(local.start(), m.end())] = text[local.start() : m.end()]
    organs = []
    at = text.find("Department of")
    while at >= 0:  # tried around each "Department of" only
        organs += [m for m in PARTY_ORGAN.finditer(text, max(0, at - 60), at + 120)]
        at = text.find("Department of", at + 1)
    for m in {m.span(): m for m in organs}.values():
        # the organ, not a department of it (… Affairs Department of the United Front Work
        # Department of the Sichuan Provincial Party Committee)
        for span in [sp for sp in found if sp[0] < m.start() < sp[1] <= m.end()]:
            del found[span]
        found[m.span()] = m.group()
    for m in SITE.finditer(text) if HAS_DOMAIN.search(text) else ():
        found[(m.start(), m.end())] = m.group()
    for m in _in_runs(ACRONYM, text, runs) if HAS_ACRONYM.search(text) else ():
        if NOT_A_BODY.search(m.group(1)):
            continue
        words = [(w.start(), w.group()) for w in re.finditer(r"\S+", m.group(1))]
        for i, (offset, word) in enumerate(words):  # the shortest tail spelling the acronym
            initials = "".join(w[0] for _o, w in words[i:] if w not in ("&", "and", "of"))
            if initials == m.group(2) and word not in ("&", "and", "of"):
                start = m.start(1) + offset
                found.setdefault((start, m.end(1)), text[start : m.end(1)])
                break
    return {
        span: name
        for span, name in found.items()
        if not _inside_longer(text, span, name)
        and not set(name.split()) <= NO_NAME_WORDS
        and not UNNAMED_TAIL.search(name)
    }


ONE_WORD = {"Xinhua", "Reuters", "Bloomberg", "Caixin"}

# A list's item: capitalised words (and, of, & inside), at most six (Wuhan Iron and Steel, SDIC).
ITEM = r"[A-Z][A-Za-z'’&.-]*(?: (?:[A-Z][A-Za-z'’&.-]*|and|of|&)){0,5}(?<! and)(?<! of)(?<! &)"
BETWEEN = re.compile(rf"(?:, |,? and )({ITEM})(?=, )")  # one item, a comma after it
NEXT = re.compile(rf", ({ITEM})(?=,| and\b|[.;)]|$)|,? and ({ITEM})(?=[,.;)]|$| [a-z])")
NOT_ITEM = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|China|Beijing|"
    r"Shanghai|Hong Kong|Mr|Ms|Dr)$"
)


def _item(name: str) -> bool:
    return len(name) >= 3 and not (
        NOT_ITEM.match(name) or NOT_BODY.match(name) or LEAD.match(name + " ")
    )


def listed(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Names in a list of names (China Baowu, SDIC, China Merchants Group and China National
    Building Materials; Shenhua Group, Baosteel, Wuhan Iron and Steel, China Minmetals): the
    capitalised items between two names found in one list, and those after the last of them
    up to the list's end."""
    spans = sorted(s for s in spans if text[s[0] : s[1]].isascii())
    out: list[tuple[int, int, str]] = []
    linked = set()  # names with a list's separator, or items, between them and the one before
    for (_a0, a1), (b0, _b1) in zip(spans, spans[1:], strict=False):
        gap, items, pos = text[a1:b0], [], 0
        while (m := BETWEEN.match(gap, pos)) is not None:
            items.append(m.span(1))
            pos = m.end()
        if re.fullmatch(r", |,? and ", gap[pos:]) and all(_item(gap[a:b]) for a, b in items):
            out += [(a1 + a, a1 + b, gap[a:b]) for a, b in items]
            linked.add(b0)
    for k, (start, end) in enumerate(spans):
        if start not in linked or (k + 1 < len(spans) and spans[k + 1][0] in linked):
            continue  # not in a list, or not its last name found
        pos = end
        while (m := NEXT.match(text, pos)) is not None:
            group = 1 if m.group(1) else 2
            if not _item(m.group(group)):
                break
            out.append((*m.span(group), m.group(group)))
            pos = m.end()
            if group == 2:
                break
    return out


PARTY_ORGAN = re.compile(
    r"(?=[A-Z])(?<![A-Za-z])(?:[A-Z][a-z]+ ){1,4}Department of (?:the )?(?:[A-Z][a-z]+ ){1,3}"
    r"(?:Provincial|Municipal|City|County|Prefecture|District) (?:CPC |Party )?Committee"
)
# A body of a level with no place named ("… of the Prefecture Party Committee"): unnamed.
UNNAMED_TAIL = re.compile(
    r"(?:^|of the )(?:Provincial|Municipal|City|County|Prefecture|District) (?:CPC |Party )?"
    r"Committee$"
)


def _inside_longer(text: str, span: tuple[int, int], name: str) -> bool:
    """ "State Council" closing a longer body's name ((SASAC) of the State Council); the party
    inside a congress's name (the 18th National Congress of the Communist Party of China)."""
    before = text[max(0, span[0] - 24) : span[0]]
    if name == "State Council" and re.search(r"(?:\b[A-Z][A-Za-z]*|\))\s+of the $", before):
        return True  # (SASAC) of the State Council; not "the approval of the State Council"
    return name.startswith("Communist Party of China") and before.endswith("Congress of the ")


def same_body(name: str, alias_text: str) -> bool:
    """Whether a longer name is the alias plus its legal form (Ansteel + Group Corp Ltd)."""
    return name.startswith(alias_text) and bool(LEGAL_TAIL.match(name[len(alias_text) :]))
