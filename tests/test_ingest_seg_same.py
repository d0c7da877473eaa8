"""Ingestion's faster text steps give what the plain library calls give: the MinHash of a text
(sentences' sketches kept and combined, or nothing kept) is datasketch's MinHash over all its
shingles, and the recogniser's decoder cuts as jieba does however few of its step tables it
keeps (seed articles and the dev half of the unseen articles, never the held-back half)."""

import warnings
from pathlib import Path

import pytest

from reformtrack.documents.text import fingerprint, ner, postag
from reformtrack.documents.text.detect import to_simplified
from reformtrack.documents.text.entities import search_text

DATA = Path(__file__).parent / "data" / "documents"
EDGES = [
    *("", "ab", "abc", "国", "国务院", "国务院。", "。国务院", "国。务。院。国务院国资委"),
    *("国务\n院", "A股。B股", "hello world foo bar", "一二。三四。五六", "。。。"),
    "China's SOEs, 国资委 said.",
]


def _texts() -> list[str]:
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    return [to_simplified(p.read_text(encoding="utf-8")) for p in paths] + EDGES


def _datasketch(text: str) -> list[int]:
    from datasketch import MinHash

    m = MinHash(num_perm=64, seed=7)
    found = fingerprint.shingles(text)
    if found:
        m.update_batch([s.encode("utf-8") for s in found])
    return m.hashvalues.tolist()


@pytest.mark.parametrize("kept", [20_000, 3, 0])
def test_minhash_is_datasketchs_over_every_shingle(monkeypatch, kept):
    monkeypatch.setattr(fingerprint, "KEPT_SENTENCES", kept)
    monkeypatch.setattr(fingerprint, "_kept", {})
    texts = _texts()
    expected = [_datasketch(t) for t in texts]
    assert [fingerprint.minhash(t) for t in texts] == expected
    # read again (a copy: its sentences' sketches are kept), and inside other texts
    assert [fingerprint.minhash(t) for t in texts] == expected
    joined = texts[0] + "\n" + texts[1]
    assert fingerprint.minhash(joined) == _datasketch(joined)


def test_the_decoder_cuts_as_jieba_with_few_step_tables_kept(monkeypatch):
    postag.cut("预热")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba.posseg as pseg

    model = postag._model()
    monkeypatch.setattr(model, "STEPS", 3)
    monkeypatch.setattr(model, "_steps", {})
    pieces = [
        piece
        for path in sorted(DATA.glob("0*.txt"))
        for _start, piece in ner._pieces(search_text(path.read_text(encoding="utf-8")))
    ][:300] + ["䶮䶮龘靐齉爩麤 ABC123 中国中车CRRC集团", "黎明、郝鹏和翁杰明出席；记者 王璐 刘亮"]
    assert [postag.cut(p) for p in pieces] == [
        [(w.word, w.flag) for w in pseg.cut(p)] for p in pieces
    ]
    assert len(model._steps) <= 3
