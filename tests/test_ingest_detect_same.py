"""Detection's short cuts give the language and script of the plain reading: lingua over the
text's first 5,000 characters, and OpenCC's changes counted over the whole Han sample. Checked
on the seed articles, the dev half of the unseen articles (never the held-back half), the
bench's mutated copies, and short, mixed and other-language texts where the three windows lingua
reads first could disagree with the whole."""

import random
from operator import ne
from pathlib import Path

import pytest

from reformtrack.documents.text import detect
from reformtrack.documents.text.normalise import normalise

DATA = Path(__file__).parent / "data" / "documents"

ENGLISH = (
    "The State-owned Assets Supervision and Administration Commission said on Tuesday that "
    "central enterprises would complete the three-year action plan for reform by the end of "
    "the year, with boards of directors in place at every subsidiary and market-based pay "
    "for managers. "
)
FRENCH = (
    "La commission de supervision et d'administration des biens publics a déclaré mardi que "
    "les entreprises centrales achèveraient le plan d'action triennal de réforme avant la fin "
    "de l'année, avec des conseils d'administration dans chaque filiale. "
)
GERMAN = (
    "Die Kommission zur Aufsicht und Verwaltung staatlicher Vermögenswerte teilte am Dienstag "
    "mit, dass die zentralen Unternehmen den dreijährigen Aktionsplan bis Jahresende abschließen "
    "werden, mit Aufsichtsräten in jeder Tochtergesellschaft. "
)
SPANISH = (
    "La comisión de supervisión y administración de activos estatales dijo el martes que las "
    "empresas centrales completarán el plan de acción trienal de reforma antes de fin de año, "
    "con consejos de administración en cada filial. "
)


def _mixed() -> list[str]:
    """Short, long and mixed texts: a language in the middle only, at one end only, in turns."""
    out = []
    for a in (ENGLISH, FRENCH, GERMAN, SPANISH):
        for b in (ENGLISH, FRENCH, GERMAN, SPANISH):
            out += [a, a[:40], a * 3, a * 25, a * 12 + b * 12, a * 4 + b * 20 + a * 4]
            out += [a * 10 + b * 2 + a * 10, (a + b) * 10, a * 20 + "国资委" * 30 + b * 5]
            out += [a * 30 + b * 30, b * 6 + "\n".join([a] * 30)]
    out += [ENGLISH * 9 + "Herr Müller, Señor Núñez, Straße. " + ENGLISH * 9]  # one letter
    out += [ENGLISH * 9 + "Москва " + ENGLISH * 9, ENGLISH * 9 + "שלום " + ENGLISH * 9]
    out += ["1234 5678 !!", "OK", "SASAC 国资委", "A" * 2000, "Hello 世界 " * 300, "שלום abc"]
    out += ["國有企業改革" * 600, "国有企业改革" * 600, "國有企業改革" + "国有企业改革" * 80]
    out += ["国有企业改革" * 500 + "國有企業改革" * 100, "國有企業" * 10 + "国有企业" * 2000]
    return out


def _bench_texts(count: int = 200) -> list[str]:
    from benchmarks.bench_documents import base_texts, mutate
    from reformtrack.documents.lexicons import substitutions

    rng = random.Random(7)
    spins = [(s.spun, s.clean) for s in substitutions()[0] if s.strong]
    bases = base_texts()
    return [mutate(rng.choice(bases), rng, n, spins) for n in range(count)]


def _plain(text: str) -> tuple[str, str]:
    """`detect` as it read before the short cuts (the whole of both samples)."""
    hans = "".join(detect.HAN_RUN.findall(text))
    han = len(hans)
    hebrew = len(detect.HEBREW.findall(text))
    latin = len(detect.LATIN.findall(text))
    if han and han >= max(hebrew, latin / 4):
        sample = hans[: detect.SAMPLE]
        simplified = detect.to_simplified(sample)
        changed = sum(map(ne, sample, simplified))
        return "zh", "Hant" if changed / len(sample) > 0.03 else "Hans"
    if hebrew and hebrew >= latin:
        return "he", "Hebr"
    if not latin:
        return "und", ""
    found = detect._lingua().detect_language_of(text[:5000])
    return (found.iso_code_639_1.name.lower() if found else "und"), "Latn"


def _articles() -> list[str]:
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


@pytest.mark.parametrize("source", ["articles", "bench", "mixed"])
def test_detection_gives_the_plain_readings_language_and_script(source):
    texts = {"articles": _articles, "bench": _bench_texts, "mixed": _mixed}[source]()
    texts = [normalise(t)[0] for t in texts] + (texts if source == "mixed" else [])
    differ = [(t[:60], detect.detect(t), _plain(t)) for t in texts]
    differ = [d for d in differ if d[1] != d[2]]
    assert not differ, differ[:5]


def test_the_seed_and_dev_articles_hold_each_script():
    """The check above covers every branch: English, Hebrew, Simplified and Traditional."""
    found = {detect.detect(normalise(t)[0]) for t in _articles() + _bench_texts(100)}
    assert {("en", "Latn"), ("he", "Hebr"), ("zh", "Hans"), ("zh", "Hant")} <= found
