"""One walk over jieba's dictionary route serves the recogniser's cut and the search tokens, and
the search tokens' own work is written out (`segment.hmm_words`, the dictionary words' grams):
the stored search tokens stay exactly `jieba.cut_for_search`'s, whichever cut first and whether
anything is kept between documents (seed and dev articles only, never the held-back half)."""

import random
import warnings
from pathlib import Path

import pytest

from reformtrack.documents.text import ner, postag, segment
from reformtrack.documents.text.detect import to_simplified

DATA = Path(__file__).parent / "data" / "documents"


def _jieba():
    segment._jieba()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba
        from jieba import finalseg
    return jieba, finalseg


def _texts() -> list[str]:
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def _expected(simplified: str) -> list[str]:
    """What `segment.tokens` promises: jieba's search cut of every Chinese run, in order."""
    jieba, _ = _jieba()
    expected: dict[str, None] = {}
    for piece in segment.WORD.findall(simplified.lower()):
        for run in segment.CJK_RUN.findall(piece):
            expected.update(dict.fromkeys(jieba.cut_for_search(run)))
        if segment.CJK_RUN.search(piece):
            expected.update(dict.fromkeys(segment.CJK_RUN.sub(" ", piece).split()))
        else:
            expected[piece] = None
    return [t for t in expected if t.strip()]


def test_the_hmm_decodes_unknown_runs_as_jieba_does():
    """Every run of single characters the seed and dev articles send to jieba's B/M/E/S model,
    and 20,000 random runs (common characters, characters the model has never seen, characters
    outside its block): the same words as `finalseg.cut`."""
    jieba, finalseg = _jieba()
    runs = []
    for text in _texts():
        for run in segment.CJK_RUN.findall(to_simplified(text)):
            for piece, is_run in postag.walk(run):
                if is_run and len(piece) > 1 and not jieba.dt.FREQ.get(piece):
                    runs.append(piece)
    postag._routes.clear()
    assert len(runs) > 1000
    rng = random.Random(7)
    common = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同"
    rare = "龘靐齉爩麤鬱鸞驫靈"  # in the model's block, absent from its emissions: scores tie
    outside = "䶮𠀀"  # outside the block: jieba's own path
    for _ in range(20_000):
        pool = rng.choice((common, common[:10] + rare, common + outside))
        runs.append("".join(rng.choice(pool) for _ in range(rng.randint(2, 12))))
    runs += ["一是二是", "的的的的的", "龘靐", "䶮䶮䶮"]
    assert [r for r in runs if segment.hmm_words(r, finalseg) != list(finalseg.cut(r))] == []


@pytest.fixture
def jieba_tags(monkeypatch):
    monkeypatch.setenv("REFORMTRACK_NER", "jieba")
    ner._lac.cache_clear()
    ner.tokens.cache_clear()
    yield
    ner._lac.cache_clear()
    ner.tokens.cache_clear()


@pytest.mark.parametrize("kept", [True, False], ids=["kept", "nothing-kept"])
def test_the_search_tokens_are_jiebas_whoever_walked_first(jieba_tags, monkeypatch, kept):
    """The recogniser walks first (its walks serve the search tokens), or the search tokens are
    asked alone; with the walks, runs and words kept between documents or not."""
    if not kept:
        monkeypatch.setattr(postag, "KEPT_RUNS", 0)
        monkeypatch.setattr(segment, "KEPT_RUNS", 0)
        monkeypatch.setattr(ner._kept, "size", 0)
    segment._run_tokens.clear()
    segment._piece_tokens.clear()
    postag._routes.clear()
    for text in _texts()[::2]:
        simplified = to_simplified(text)
        expected = _expected(simplified)
        ner.tokens.cache_clear()
        ner.tokens(text)  # the recogniser first: its walks are reused
        assert segment.tokens(simplified) == expected
        segment._run_tokens.clear()
        segment._piece_tokens.clear()
        postag._routes.clear()
        assert segment.tokens(simplified) == expected  # alone: its own walks
