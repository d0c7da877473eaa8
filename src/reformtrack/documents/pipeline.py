"""The whole pipeline for one file as a plain function (run in-process or by a Celery task):
read → normalise → detect → spun repair → metadata → entities → facts → search tokens →
fingerprints. No database here: services store what it returns."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from .text import entities, facts
from .text.detect import detect, language_tag, to_simplified
from .text.fingerprint import facts_key, minhash
from .text.metadata import extract_metadata
from .text.normalise import normalise
from .text.readers import read_text
from .text.segment import tokens
from .text.source import infer_source
from .text.spun import detect_and_repair


@dataclass
class Processed:
    checksum: str
    original: str
    text: str
    language: str
    script: str
    meta: dict
    spun: bool
    spun_confidence: float
    changes: list[dict]
    repairs: dict
    items: list[dict] = field(default_factory=list)
    tokens: str = ""
    search_text: str = ""
    minhash: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def _simplified(text: str) -> str:
    """`to_simplified(text)`, taken from the rules' Simplified copy (`entities.search_text`,
    kept per text) when that is the conversion itself rather than the text (a conversion that
    changed the length): one OpenCC pass over the document fewer."""
    probe = entities.search_text(text)
    return probe if probe is not text else to_simplified(text)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def process(
    data: bytes,
    filename: str,
    *,
    org_names: dict[str, list[str]] | None = None,
    reference_date: dt.date | None = None,
    address: str = "",
) -> Processed:
    """`reference_date`: the date relative deadlines ("by year end") count from when the text
    carries none (an entry of a digest: the digest's date). `address`: the page's URL when
    fetched from one (its date serves when the text has none)."""
    original = read_text(data, filename)
    normalised, repairs = normalise(original)
    language, script = detect(normalised)
    result = detect_and_repair(normalised, original=original) if script == "Hans" else None
    text = result.text if result else normalised
    meta = extract_metadata(text, address)
    orgs = entities.organisations(text, org_names)
    year = (meta.published_on or reference_date or dt.date.today()).year
    people = entities.people(text)
    items = [
        *orgs,
        *entities.programmes(text),
        *people,
        *facts.ratings(text, orgs),
        *facts.percentages(text, year=year),
        *facts.money(text),
        *facts.counts(text),
        *facts.multiples(text),
    ]
    if not meta.source and orgs:  # not stated: inferred, and marked so
        meta.source, meta.source_basis = infer_source(orgs, people)
        meta.source_inferred = bool(meta.source)
    simplified = _simplified(text)
    dicts = [i.as_dict() for i in sorted(items, key=lambda i: (i.start, i.kind))]
    return Processed(
        checksum=checksum(data),
        original=original,
        text=text,
        language=language_tag(language, script),
        script=script,
        meta=meta.as_dict(),
        spun=bool(result and result.spun),
        spun_confidence=result.confidence if result else 0.0,
        changes=result.changes if result and result.spun else [],
        repairs=repairs,
        items=dicts,
        tokens=" " + " ".join(tokens(simplified)) + " ",
        search_text=simplified,
        minhash=minhash(simplified),
        keys=facts_key(dicts),
    )
