"""Who published a text that does not say: the organisation whose executive is quoted (a
known executive of the lexicon, or a title tied to a named organisation), else the most named
organisation once subsidiaries are folded into their group when the group is named too.
The result is marked as inferred, never presented as a stated source."""

from __future__ import annotations

from functools import cache

from ..lexicons import organisation_aliases
from .entities import Item

NEAR = 12  # characters between an organisation's name and a person's title ("中国节能党委书记")


@cache
def _lexicon() -> tuple[dict[str, str], dict[str, str]]:
    """(executive name → code, code → parent group code) from the organisations lexicon."""
    executives, parents = {}, {}
    for org in organisation_aliases():
        executives.update(dict.fromkeys(org.executives, org.code))
        if org.parent:
            parents[org.code] = org.parent
    return executives, parents


def _groups(code: str, parents: dict[str, str]) -> set[str]:
    seen = set()
    while (code := parents.get(code, "")) and code not in seen:
        seen.add(code)
    return seen


def _executive_orgs(orgs: list[Item], people: list[Item]) -> list[str]:
    """Codes of the organisations whose executives are quoted, in order of quotation."""
    executives, _parents = _lexicon()
    found = []
    for person in people:
        if code := executives.get(person.value.get("name", "")):
            found.append(code)
            continue
        title = len(person.value.get("title", ""))
        near = [  # "中国节能党委书记宋鑫" / "Song Xin, Chairman of CECEP": the nearest one
            (abs(person.start - org.end) if org.end <= person.start else org.start, org)
            for org in orgs
            if 0 <= person.start - org.end <= NEAR + title
            or person.end <= org.start < person.end + title + 2
        ]
        if near:
            found.append(min(near, key=lambda pair: pair[0])[1].value["code"])
    return found


def infer_source(orgs: list[Item], people: list[Item]) -> tuple[str, str]:
    """(organisation code, basis): basis is "executive" or "most-named"; ("", "") if none."""
    orgs = [o for o in orgs if o.value.get("code")]  # a recognised name links to no code
    if not orgs:
        return "", ""
    codes = [o.value["code"] for o in orgs]
    if quoted := _executive_orgs(orgs, people):  # several: the one named most often
        return max(dict.fromkeys(quoted), key=codes.count), "executive"
    _executives, parents = _lexicon()
    named = set(codes)
    kept = [c for c in codes if not (_groups(c, parents) & named)]  # the group over its part
    return max(dict.fromkeys(kept), key=kept.count), "most-named"  # ties: first named
