"""The faster paths of ingestion find exactly what the plain ones found: the English aliases and
the programme names tried only where the text holds their words give the matches of the whole
alternation, and LAC decoded for all pieces of a document at once gives the words and tags of
`LAC.run` piece by piece — on the seed articles, the dev half of the unseen articles (never the
held-back half) and texts made to trip the short cuts (quotes inside names, case, İ ı ſ K)."""

import re
from pathlib import Path

import pytest

from reformtrack.documents.text import english_orgs, ner, programmes
from reformtrack.documents.text.entities import search_text

DATA = Path(__file__).parent / "data" / "documents"
TRICKY = [
    "SINOCHEM group and sinopec; China Baowu Steel Group Corp Ltd, ANSTEEL, Avic.",
    "the Three-year (2020-22) action plan on mixed-ownership reform; 对标“世界一流”; 三年“行动”",
    "Sİnopec, ſinopec and the \u212aelvin sign: SINOPEC is Sinopec in any case",
    "国企改革三年行动 《改革三年行动》 “国企改革”三年行动 deepening and upgrading SOE reform",
    "中国石油化 工集团有限公司 and China National Petroleum Corporation (CNPC)",
]


def _texts() -> list[str]:
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    return [search_text(p.read_text(encoding="utf-8")) for p in paths] + TRICKY


def _every_alias(probe: str) -> list[tuple[int, int, str]]:
    parts, _lowered, codes = english_orgs._aliases()
    pattern = re.compile("|".join(parts), re.IGNORECASE)
    found = [(m.start(), m.end(), codes[int(m.lastgroup[1:])]) for m in pattern.finditer(probe)]
    return found + english_orgs._wrapped(probe)


def test_english_aliases_are_the_matches_of_every_alias():
    texts = _texts()
    assert sum(bool(english_orgs.alias_matches(t)) for t in texts) > 20
    assert [english_orgs.alias_matches(t) for t in texts] == [_every_alias(t) for t in texts]


def _alternation(places) -> re.Pattern:
    """The names at these places of `programmes._entries` as one alternation, each group named
    by its place."""
    parts = programmes._entries()[0]
    return re.compile("|".join(f"(?P<g{i}>{parts[i]})" for i in places), re.IGNORECASE)


def _every_programme(probe: str) -> list[tuple[int, int, int]]:
    pattern = _alternation(range(len(programmes._entries()[0])))
    return [(m.start(), m.end(), int(m.lastgroup[1:])) for m in pattern.finditer(probe)]


def _prefiltered(probe: str) -> list[tuple[int, int, int]]:
    present = programmes._present(probe)
    if not present:
        return []
    pattern = _alternation(present)
    return [(m.start(), m.end(), int(m.lastgroup[1:])) for m in pattern.finditer(probe)]


def test_programme_names_are_the_matches_of_every_name():
    texts = _texts()
    assert sum(bool(_every_programme(t)) for t in texts) > 20
    assert [_prefiltered(t) for t in texts] == [_every_programme(t) for t in texts]


def test_lac_for_a_whole_document_cuts_as_lac_piece_by_piece():
    lac = ner._lac()
    if lac is None:
        pytest.skip("LAC is not installed: the recogniser is jieba's (tests/test_ingest_postag)")
    from reformtrack.documents.text import lac_batch

    for text in _texts()[::4]:
        pieces = [p for _s, p in ner._pieces(text) if re.search(r"[\u4e00-\u9fff]", p)]
        assert lac_batch.run(lac, pieces) == [lac.run(p) for p in pieces]
    assert lac_batch.run(lac, ["", "张三在北京市工作", "国", ""]) == [
        [], lac.run("张三在北京市工作"), lac.run("国"), []]  # fmt: skip


def test_a_sentence_read_again_is_not_run_again_and_cuts_the_same():
    lac = ner._lac()
    if lac is None:
        pytest.skip("LAC is not installed")
    from reformtrack.documents.text import lac_batch

    pieces = ["国务院国资委党委书记、主任张玉卓在京会见鞍钢集团董事长谭成旭。", "郝鹏出席"]
    first = lac_batch.run(lac, pieces)
    before = dict(lac_batch.cache_stats)
    again = lac_batch.run(lac, [*pieces, pieces[0]])
    assert again == [*first, first[0]] == [lac.run(p) for p in [*pieces, pieces[0]]]
    assert lac_batch.cache_stats["run"] == before["run"]
    assert lac_batch.cache_stats["found"] == before["found"] + 3


def test_english_names_skip_only_texts_their_patterns_cannot_match():
    for text in _texts():
        if not english_orgs.HAS_LEGAL.search(text):
            assert list(english_orgs.COMPANY.finditer(text)) == []
        if not english_orgs.HAS_ACRONYM.search(text):
            assert list(english_orgs.ACRONYM.finditer(text)) == []
    assert english_orgs.names("China Nuclear Engineering & Construction (CNEC) said") == {
        (0, 40): "China Nuclear Engineering & Construction"
    }
