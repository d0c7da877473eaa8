"""Precision and recall of extraction against a gold file of annotated facts (YAML): per
document, the categories annotated exhaustively and their items as comparable keys."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import yaml


def key_of(kind: str, value: dict) -> str:
    if kind == "rating":
        return f"rating:{value['organisation']}:{value['rating']}"
    if kind == "target":
        return f"target:{Decimal(str(value['percent'])).normalize():f}:{value['deadline']}"
    if kind == "percent":
        return f"percent:{Decimal(str(value['percent'])).normalize():f}"
    if kind == "money":
        return f"money:{Decimal(str(value['value'])).normalize():f}"
    if kind == "count":
        return f"count:{value['count']}"
    if kind in ("organisation", "programme"):
        return f"{kind}:{value['code']}"
    if kind == "person":
        return f"person:{value['name']}"
    return f"{kind}:{value}"


def evaluate(gold_text: str, extracted: dict[str, list[dict]]) -> dict:
    """`extracted`: file name → items (kind, value). Sets of keys, compared per category."""
    gold = yaml.safe_load(gold_text)
    totals: dict[str, list[int]] = {}
    for doc in gold["documents"]:
        items = extracted.get(doc["file"], [])
        for category in doc["categories"]:
            wanted = {key_of(category, g) for g in doc.get("items", []) if g["kind"] == category}
            found = {  # a name linked to no code cannot be any of this gold's codes
                key_of(i["kind"], i["value"])
                for i in items
                if i["kind"] == category and (category != "organisation" or i["value"]["code"])
            }
            t = totals.setdefault(category, [0, 0, 0])
            t[0] += len(wanted & found)
            t[1] += len(found)
            t[2] += len(wanted)
    rows, tp, fp_all, fn_all = [], 0, 0, 0
    for category, (hit, found, wanted) in sorted(totals.items()):
        rows.append(
            {
                "category": category,
                "found": found,
                "gold": wanted,
                "correct": hit,
                "precision": round(hit / found, 3) if found else 1.0,
                "recall": round(hit / wanted, 3) if wanted else 1.0,
            }
        )
        tp, fp_all, fn_all = tp + hit, fp_all + found, fn_all + wanted
    overall = {
        "precision": round(tp / fp_all, 3) if fp_all else 1.0,
        "recall": round(tp / fn_all, 3) if fn_all else 1.0,
    }
    return {"categories": rows, "overall": overall}


# --- Schema 2: real articles with language, dates, titles and approximate quantities --------
# Gold written by hand (tests/data/documents/unseen); see the header of its gold.yaml. Each
# document's items become comparable keys per type; a found item counts where its type is one of
# the document's `categories`. Reported per type, per language and overall (micro-averaged).

GOLD_TYPES = ("date", "organisation", "person", "title", "programme", "percent", "money",
              "count", "measure", "multiple", "target", "rating")  # fmt: skip
MONEY_UNITS = {  # unit as written in gold → (factor, currency)
    "元": (1, "CNY"), "万元": (10**4, "CNY"), "萬元": (10**4, "CNY"), "亿元": (10**8, "CNY"),
    "億元": (10**8, "CNY"), "万亿元": (10**12, "CNY"), "萬億元": (10**12, "CNY"),
    "兆元": (10**12, "CNY"), "万元/人": (10**4, "CNY/person"), "萬元/人": (10**4, "CNY/person"),
    "million yuan": (10**6, "CNY"), "billion yuan": (10**9, "CNY"),
    "trillion yuan": (10**12, "CNY"), "billion USD": (10**9, "USD"),
    "trillion USD": (10**12, "USD"), "亿美元": (10**8, "USD"),
}  # fmt: skip
MEASURE_UNITS = {"万千瓦": (10**4, "kW"), "萬千瓦": (10**4, "kW"), "千瓦": (1, "kW")}
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_DROP = re.compile(r"[\s\-‐–—_·•“”\"'‘’「」《》（）()]")


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def norm(text: str) -> str:
    """One spelling for comparing names: converter pinyin dropped, simplified, no spaces,
    hyphens or quotes, lower case (國務(wù)院國資委 = 国务院国资委; State-owned = state owned); a
    closing full stop dropped (China Investment Corp. ending a sentence = China Investment Corp)."""
    return _DROP.sub("", _t2s().convert(_PINYIN.sub("", str(text)))).casefold().rstrip(".")


def _number(value) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def _components(title: str) -> set[str]:
    return {norm(p) for p in re.split(r"[、，,;；/]|\band\b", str(title)) if norm(p)}


class Aliases:
    """Every name of an organisation in a gold file (canonical and as written), plus the names
    the extractor's codes stand for (the tree's names and the alias lexicon)."""

    def __init__(self, documents: list[dict], names_by_code: dict[str, list[str]], extra=None):
        self.canonical: dict[str, str] = {}
        for canonical, names in (extra or {}).items():  # the gold file's `aliases`
            for name in [canonical, *names]:
                self.canonical.setdefault(norm(name), norm(canonical))
        for doc in documents:
            for item in doc.get("items", []):
                if item["kind"] == "organisation":
                    for name in [item["canonical"], *item.get("names", [])]:
                        self.canonical.setdefault(norm(name), norm(item["canonical"]))
        self.names_by_code = names_by_code

    def resolve(self, *names: str, code: str = "") -> str:
        """The canonical name matched by the first of `names`, else by a name of `code`;
        unmatched: the text itself marked `?` (a false positive)."""
        for name in [*names, code, *self.names_by_code.get(code, [])]:
            if name and norm(name) in self.canonical:
                return self.canonical[norm(name)]
        return "?" + norm(names[0] if names and names[0] else code)


def _gold_keys(doc: dict, aliases: Aliases) -> dict[str, set]:
    keys: dict[str, set] = {t: set() for t in GOLD_TYPES}
    for item in doc.get("items", []):
        kind = item["kind"]
        if kind == "date":
            keys["date"].add(tuple(str(d) for d in [item["date"], *item.get("also", [])]))
        elif kind == "organisation":
            keys[kind].add(norm(item["canonical"]))
        elif kind == "person":
            keys[kind].add(norm(item["name"]))
            if item.get("title"):
                keys["title"].add((norm(item["name"]), frozenset(_components(item["title"]))))
        elif kind == "programme":
            keys[kind].add((item["code"], item.get("year")))
        elif kind == "percent":
            keys[kind].add(_number(item["value"]) + (" pp" if item.get("unit") == "pp" else ""))
        elif kind == "money":
            factor, currency = MONEY_UNITS[item["unit"]]
            amount = (Decimal(str(item["value"])) * factor).quantize(Decimal(1))
            keys[kind].add(f"{amount} {currency}")
        elif kind == "measure":
            factor, unit = MEASURE_UNITS[item["unit"]]
            keys[kind].add(f"{_number(Decimal(str(item['value'])) * factor)} {unit}")
        elif kind in ("count", "multiple"):
            keys[kind].add(_number(item["value"]))
        elif kind == "target":
            keys[kind].add(f"{_number(item['percent'])}@{item['deadline']}")
        elif kind == "rating":
            org = aliases.resolve(item["organisation"])
            keys[kind].add(f"{org}:{str(item['rating']).upper().rstrip('级')}")
    return keys


def _found_keys(found: dict, gold: dict[str, set], aliases: Aliases) -> dict[str, set]:
    """`found`: {"published_on": date|None, "items": [{kind, text, value}]} of one document."""
    keys: dict[str, set] = {t: set() for t in GOLD_TYPES}
    if found.get("published_on"):
        keys["date"].add(str(found["published_on"]))
    gold_years = {code: year for code, year in gold["programme"]}
    for item in found.get("items", []):
        kind, value, text = item["kind"], item.get("value") or {}, item.get("text", "")
        if kind == "organisation":
            name = value.get("name") or value.get("canonical") or ""
            keys[kind].add(aliases.resolve(text, name, code=value.get("code", "")))
        elif kind == "person":
            name = norm(value.get("name") or text)
            keys[kind].add(name)
            if value.get("title"):
                keys["title"].add((name, frozenset(_components(value["title"]))))
        elif kind == "programme":
            code, year = value.get("code", ""), value.get("year")
            wanted = gold_years.get(code)
            keys[kind].add((code, wanted if year is None or wanted is None else year))
        elif kind in ("percent", "target"):
            percent = _number(value["percent"])
            if kind == "target":
                keys[kind].add(f"{percent}@{value['deadline']}")
            if kind == "percent" or re.search(r"\d", text):  # a written target is a figure too
                point = str(value.get("unit", "")).lower() in ("pp", "百分点", "percentage point")
                keys["percent"].add(percent + (" pp" if point else ""))
        elif kind == "money":
            currency = value.get("currency", "CNY")
            if "/人" in str(value.get("unit", "")) or "person" in str(value.get("unit", "")):
                currency += "/person"
            keys[kind].add(f"{Decimal(str(value['value'])).quantize(Decimal(1))} {currency}")
        elif kind == "measure":
            keys[kind].add(f"{_number(value['value'])} {value.get('unit', '')}")
        elif kind == "count":
            keys[kind].add(_number(value["count"]))
        elif kind == "multiple":
            keys[kind].add(_number(value["value"]))
        elif kind == "rating":
            org = aliases.resolve(value.get("name", ""), code=value.get("organisation", ""))
            keys[kind].add(f"{org}:{str(value['rating']).upper().rstrip('级')}")
    return keys


def _score(wanted: set, found: set, kind: str) -> tuple[int, int, int]:
    """(correct, found, gold). Dates: one acceptable set per document; titles: a found title is
    right when all its components occur in the gold title of the same person."""
    if kind == "date":
        accepted = set().union(*wanted) if wanted else set()
        return (1 if found & accepted else 0), len(found), len(wanted)
    if kind == "title":
        gold = dict(wanted)
        hit = sum(1 for name, parts in found if name in gold and parts and parts <= gold[name])
        return hit, len(found), len(wanted)
    return len(wanted & found), len(found), len(wanted)


def _row(label: str, hit: int, found: int, wanted: int) -> dict:
    p = hit / found if found else 1.0
    r = hit / wanted if wanted else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"name": label, "gold": wanted, "found": found, "correct": hit,
            "precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3)}  # fmt: skip


def evaluate_documents(gold: dict, extracted: dict[str, dict], names_by_code=None) -> dict:
    """Schema-2 gold (parsed YAML) against `extracted`: file → {"published_on", "items"}.
    Returns rows per type, per language (all types), per language and type, and overall."""
    aliases = Aliases(gold["documents"], names_by_code or {}, gold.get("aliases"))
    by_type: dict[str, list[int]] = {}
    by_lang: dict[str, list[int]] = {}
    by_both: dict[tuple[str, str], list[int]] = {}
    for doc in gold["documents"]:
        wanted = _gold_keys(doc, aliases)
        found = _found_keys(extracted.get(doc["file"], {}), wanted, aliases)
        kinds = set(doc["categories"]) | ({"title"} if "person" in doc["categories"] else set())
        for kind in (k for k in GOLD_TYPES if k in kinds):
            counts = _score(wanted[kind], found[kind], kind)
            for table, key in ((by_type, kind), (by_lang, doc.get("language", "?")),
                               (by_both, (doc.get("language", "?"), kind))):  # fmt: skip
                total = table.setdefault(key, [0, 0, 0])
                for i in range(3):
                    total[i] += counts[i]
    overall = [sum(t[i] for t in by_type.values()) for i in range(3)]
    return {
        "schema": 2,
        "documents": len(gold["documents"]),
        "types": [_row(k, *by_type[k]) for k in GOLD_TYPES if any(by_type.get(k, []))],
        "languages": [_row(k, *v) for k, v in sorted(by_lang.items())],
        "language_types": [
            _row(f"{lang}/{kind}", *v) for (lang, kind), v in sorted(by_both.items())
        ],
        "overall": _row("overall", *overall),
    }


def evaluate_gold_file(path) -> dict:
    """Extract every text named by a schema-2 gold file (beside it) in memory and score it.
    No database is read or written: the organisation tree differs between installations and
    the yardstick must not, so the extractor gets the alias lexicon only (as the old path)."""
    from pathlib import Path

    from reformtrack.documents.lexicons import organisation_aliases
    from reformtrack.documents.pipeline import process

    path = Path(path)
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    extracted = {}
    for doc in gold["documents"]:
        text = path.parent / doc["file"]
        # the page's address, as a crawler knows it: its date when the text has none
        done = process(text.read_bytes(), text.name, address=doc.get("source", ""))
        extracted[doc["file"]] = {"published_on": done.meta["published_on"], "items": done.items}
    names: dict[str, list[str]] = {}
    for entry in organisation_aliases():  # what the extractor's codes stand for
        names.setdefault(entry.code, []).extend(entry.aliases)
    return evaluate_documents(gold, extracted, names)
