"""What ingestion keeps between documents changes nothing it finds: with jieba's tags as the
recogniser, a sentence read again is taken from the kept cuts (not cut again) and gives the
same tokens as a first reading; keeping nothing gives them too (seed and dev articles only,
never the held-back half)."""

from pathlib import Path

import pytest

from reformtrack.documents.text import lac_batch, ner, postag, segment

DATA = Path(__file__).parent / "data" / "documents"


@pytest.fixture
def jieba_tags(monkeypatch):
    monkeypatch.setenv("REFORMTRACK_NER", "jieba")
    ner._lac.cache_clear()
    ner.tokens.cache_clear()
    yield
    ner._lac.cache_clear()
    ner.tokens.cache_clear()


def _texts() -> list[str]:
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths[::5]]


def _fresh(text: str) -> tuple:
    """The tokens of `text` with nothing kept from any earlier reading."""
    ner._kept.clear()
    postag._routes.clear()
    ner.tokens.cache_clear()
    return ner.tokens(text)


def test_a_sentence_read_again_is_taken_from_the_kept_cuts(jieba_tags):
    texts = _texts()
    first = [_fresh(t) for t in texts]
    ner.tokens.cache_clear()
    before = dict(lac_batch.cache_stats)
    ner._kept.clear()
    for text in texts:  # read once: every later copy of a sentence is found
        ner.tokens(text)
    ner.tokens.cache_clear()
    found = lac_batch.cache_stats["found"]
    again = [ner.tokens(f"{t}\n（转载）") for t in texts]  # new texts, the same sentences
    assert lac_batch.cache_stats["found"] - found >= sum(len(t) > 0 for t in first)
    assert lac_batch.cache_stats["run"] - before["run"] > 0
    # the same tokens, apart from the added line's own
    assert [a[: len(f)] for a, f in zip(again, first, strict=True)] == first


def test_keeping_nothing_finds_the_same(jieba_tags, monkeypatch):
    texts = _texts()
    kept = [ner.tokens(t) for t in texts]
    monkeypatch.setattr(ner._kept, "size", 0)
    monkeypatch.setattr(postag, "KEPT_RUNS", 0)
    monkeypatch.setattr(segment, "KEPT_RUNS", 0)
    ner._kept.clear()
    ner.tokens.cache_clear()
    assert [ner.tokens(t) for t in texts] == kept
    assert len(ner._kept) == 0
