"""Entities by dictionary and rule: organisations (aliases in any script, linked by code),
programmes (names in any script, linked to programme libraries) and people with titles.
Every item carries its character span in the text it was found in and the method."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicons import metadata, organisation_aliases
from . import alternation, english_orgs
from .detect import to_simplified

HEB = "\u05d0-\u05ea"
CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Item:
    """One extracted entity or fact: what, where (span), how (method), normalised value."""

    kind: str
    text: str
    start: int
    end: int
    method: str
    value: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "method": self.method,
            "value": self.value,
        }


def _bounded(name: str, not_after: str = "") -> str:
    """An alias as a pattern: word bounds for Latin, prefix letters allowed for Hebrew."""
    body = re.escape(name)
    if re.search(f"[{HEB}]", name):
        return rf"(?:(?<=[ובלהמשכ])|(?<![{HEB}])){body}(?![{HEB}])"
    if re.search(r"[A-Za-z]", name):
        return rf"(?<![A-Za-z]){body}(?![A-Za-z])"
    return (rf"(?<![{re.escape(not_after)}])" if not_after else "") + body


@lru_cache(maxsize=8)
def _ordered(entries: tuple[tuple[str, str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """Longest names first (stable), the order the alternation tries them in."""
    return tuple(sorted(entries, key=lambda e: len(e[1]), reverse=True))


@lru_cache(maxsize=16384)
def _branch(name: str, not_after: str) -> re.Pattern:
    return re.compile(_bounded(name, not_after))


class _Alternation:
    """The alternation of these entries' patterns, longest first (`_bounded` joined by |), read
    from each pattern compiled once (`alternation`): a text's own alternation cost a compile
    for every new set of names."""

    __slots__ = ("entries",)

    def __init__(self, entries: tuple[tuple[str, str, str], ...]):
        self.entries = entries

    def matches(self, probe: str):
        """(place in the entries, match) of the alternation's `finditer` over `probe`."""
        branches = [_branch(name, not_after) for _, name, not_after in self.entries]
        return alternation.finditer(branches, probe)


def _matcher(entries: tuple, probe: str) -> tuple[_Alternation, tuple]:
    """One alternation, longest names first, of the names present in `probe` only: a big
    alternation scans slowly in `re`, and a name absent from the text cannot match, so the
    matches are the same as with every name."""
    present = tuple(e for e in _ordered(entries) if e[1] in probe)
    return _Alternation(present), present


@lru_cache(maxsize=4)  # every rule of one document asks for the same copy
def search_text(text: str) -> str:
    """Simplified copy with the same length (spans stay valid), else the text itself."""
    simplified = to_simplified(text) if CJK_CHAR.search(text) else text
    return simplified if len(simplified) == len(text) else text


@lru_cache(maxsize=8)
def _org_entries(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple:
    """Lexicon aliases, then the organisation tree's names in Simplified script (converted once
    per state of the tree, not once per document)."""
    entries = []
    for org in organisation_aliases():
        entries += [(org.code, a, org.not_after) for a in org.aliases]
    for code, names in extra:
        entries += [(code, to_simplified(n), "") for n in names if n and len(n) >= 2]
    return tuple(entries)


def organisations(text: str, extra_names: dict[str, list[str]] | None = None) -> list[Item]:
    probe = search_text(text)
    if hasattr(extra_names, "matcher"):  # the tree's names indexed once (documents.alias_index)
        pattern, ordered = extra_names.matcher(probe)
    else:
        extra = tuple((code, tuple(names)) for code, names in (extra_names or {}).items())
        pattern, ordered = _matcher(_org_entries(extra), probe)
    spans = [(m.start(), m.end(), ordered[i][0]) for i, m in pattern.matches(probe)]
    spans += english_orgs.alias_matches(probe)  # official English names, in any case
    items: list[Item] = []
    for start, end, code in sorted(spans, key=lambda s: (s[0], -s[1])):
        if items and start < items[-1].end:
            continue  # inside or across a longer name already matched
        items.append(Item("organisation", text[start:end], start, end, "alias", {"code": code}))
    return with_recognised(text, items)


HEADED = re.compile(  # what makes an alias the start of a longer name: a head of its own
    r"(?:集团|公司|股份|中心|研究院|研究所|研究会|委员会|国资委|政府|银行|大学|学院|协会|联盟|"
    r"电厂|医院|分行|支行|[局厅部委院所社报网])[)）]?$|[A-Za-z.]$"
)


def _headed(tail: str) -> bool:
    return len(tail) >= 2 and bool(HEADED.search(tail))


LEGAL_FORM = re.compile(r"^(?:集团)?(?:股份)?(?:有限)?(?:责任)?(?:公司|集团)$")


def with_recognised(text: str, items: list[Item]) -> list[Item]:
    """Alias matches plus the names the recogniser and morphology find (text.orgnames). A
    longer name around an alias is another body (国务院国资委研究中心, 新疆…兵团国资委) unless
    what follows the alias is only its legal form (中国中车 + 集团公司: the same code)."""
    from .orgnames import organisation_names  # it reads this module's search_text

    out = list(items)
    for start, end, name in organisation_names(text):
        inside = [i for i in out if start <= i.start and i.end <= end]
        if any(i.start == start and i.end == end for i in inside):
            continue
        if any(  # (by span: `in` on a list of dataclasses would compare every field)
            i.start < end and start < i.end and not (start <= i.start and i.end <= end) for i in out
        ):
            continue  # overlaps an alias match partly: the lexicon decides
        if any(i.start == start and not _headed(name[i.end - start :]) for i in inside):
            continue  # an alias and words after it (中国一汽拟投资, 中国石油储气库): the alias
        same = [
            i
            for i in inside
            if i.start == start
            and (LEGAL_FORM.match(name[i.end - start :]) or english_orgs.same_body(name, i.text))
        ]
        value = {"code": same[0].value["code"]} if same else {"code": "", "name": name}
        # A group's acronym opening a subsidiary's name (CECEP Assets Management Co., Ltd.)
        # names the group as well: it stays beside the longer name.
        inside = [i for i in inside if not (i.start == start and i.text.isupper() and not same)]
        dropped = {id(i) for i in inside}  # by identity, not by comparing every field
        out = [i for i in out if id(i) not in dropped]
        out.append(Item("organisation", text[start:end], start, end, "recogniser", value))
    out = sorted(out + _listed(text, out), key=lambda i: i.start)
    defines = "简称" in text or "下称" in text or "以下称" in text or "ereinafter" in text
    return _defined(text, out) if defines or "hereafter" in text else out


# A short name a text defines for a body it has just named (…集团有限公司（以下简称“国机集团”）,
# … Co., Ltd. (hereinafter referred to as "the machine group")): that body wherever it is used.
DEFINED = re.compile(
    r"[ \t]?[（(][ \t]?(?:以下简称|以下称|下称|简称|hereinafter(?: referred to as)?|hereafter)"
    r"[ \t]?[:：]?[ \t]?[“\"「‘']?(?:the |The )?([^”\"」’'）)\n]{2,30}?)[ \t]?[”\"」’']?[ \t]?[)）]"
)
GENERIC_SHORT = re.compile(r"^(?:集团|公司|本公司|该公司|企业|Company|Group|Bank|Ministry)$", re.I)


def _defined(text: str, items: list[Item]) -> list[Item]:
    probe = search_text(text)
    ends = {i.end: i for i in items if i.kind == "organisation"}
    found: list[Item] = []
    for m in DEFINED.finditer(probe):
        body = ends.get(m.start())
        short = m.group(1).strip()
        if body is None or GENERIC_SHORT.match(short) or not re.search(r"\w", short):
            continue
        latin = short.isascii()
        pattern = re.compile(
            (r"(?<![A-Za-z])" + re.escape(short) + r"(?![A-Za-z])") if latin else re.escape(short),
            re.IGNORECASE if latin else 0,
        )
        for use in pattern.finditer(probe, body.end):
            start, end = use.span()
            if any(i.start < end and start < i.end for i in items + found):
                continue
            found.append(
                Item("organisation", text[start:end], start, end, "abbreviation", dict(body.value))
            )
    return sorted(items + found, key=lambda i: i.start) if found else items


def _listed(text: str, items: list[Item]) -> list[Item]:
    """Names in a list between names already found (orgnames.listed, english_orgs.listed)."""
    from . import ner
    from .orgnames import listed  # it reads this module's search_text

    if not items:
        return []
    spans = [(i.start, i.end) for i in items]
    probe = search_text(text)
    found = []
    if "、" in probe or "与" in probe or "和" in probe:  # a list's marks (A、B、C与D)
        found = listed(probe, spans, ner.tokens(text))
    found += english_orgs.listed(text, spans) if len(items) > 1 and ", " in text else []
    return [
        Item("organisation", text[s:e], s, e, "recogniser", {"code": "", "name": name})
        for s, e, name in found
        if not any(i.start < e and s < i.end for i in items)
    ]


def programmes(text: str) -> list[Item]:
    """Programme names and target shapes (text.programmes)."""
    from .programmes import programmes as named_programmes  # it reads this module's Item

    return named_programmes(text)


def people(text: str) -> list[Item]:
    """Chinese and English people with their titles (text.persons), Hebrew by title rule."""
    from .persons import people as titled_people  # it reads this module's Item

    titles = metadata()["person_titles"]
    items = titled_people(text)
    he_titles = "|".join(map(re.escape, titles["he"]))
    he = re.compile(rf"([{HEB}'׳]+ [{HEB}'׳]+), ((?:{he_titles})[^.]{{0,120}}?)(?=, השתתף|\.)")
    for m in he.finditer(text):
        items.append(
            Item(
                "person",
                m.group(1),
                m.start(1),
                m.end(1),
                "title-rule",
                {"name": m.group(1), "title": m.group(2)},
            )
        )
    return items
