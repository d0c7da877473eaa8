"""The recogniser's fallback cuts with jieba's part-of-speech model decoded on arrays
(`text.postag`): every word and tag is the one `jieba.posseg.cut` gives, on every sentence the
recogniser reads in the seed and unseen articles, and on rare characters and mixed scripts."""

import warnings
from pathlib import Path

from reformtrack.documents.text import ner, postag
from reformtrack.documents.text.entities import search_text

DATA = Path(__file__).parent / "data" / "documents"


def _jieba(piece: str) -> list[tuple[str, str]]:
    postag.cut("预热")  # jieba's dictionary, loaded once
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba.posseg as pseg

    return [(p.word, p.flag) for p in pseg.cut(piece)]


def test_the_array_decoder_cuts_and_tags_as_jieba_does():
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    pieces = [
        piece
        for path in paths
        for _start, piece in ner._pieces(search_text(path.read_text(encoding="utf-8")))
    ]
    pieces += [
        "国务院国资委党委书记、主任张玉卓在京会见鞍钢集团董事长谭成旭",
        "䶮䶮龘靐齉爩麤 ABC123 中国中车CRRC集团",  # characters outside the model, letters, digits
        "黎明、郝鹏和翁杰明出席；记者 王璐 刘亮",
        "a.b_c+d#e&f 12.5% 一二三",
    ]
    assert len(pieces) > 500
    different = [p for p in pieces if postag.cut(p) != _jieba(p)]
    assert different == []


def test_the_search_tokens_are_jiebas_with_the_recognisers_routes(monkeypatch):
    """`segment.tokens` reuses the dictionary route of each run the recogniser cut in the same
    document: the tokens are those of `jieba.cut_for_search`, whichever cut first."""
    monkeypatch.setenv("REFORMTRACK_NER", "jieba")  # the recogniser that shares its routes
    ner._lac.cache_clear()
    try:
        _search_tokens_match()
    finally:
        ner._lac.cache_clear()
        ner.tokens.cache_clear()


def _search_tokens_match():
    _jieba("预热")
    import jieba

    from reformtrack.documents.text import segment
    from reformtrack.documents.text.detect import to_simplified

    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    for path in paths:
        text = path.read_text(encoding="utf-8")
        simplified = to_simplified(text)
        expected: dict[str, None] = {}
        for piece in segment.WORD.findall(simplified.lower()):
            for run in segment.CJK_RUN.findall(piece):
                expected.update(dict.fromkeys(jieba.cut_for_search(run)))
            if segment.CJK_RUN.search(piece):
                expected.update(dict.fromkeys(segment.CJK_RUN.sub(" ", piece).split()))
            else:
                expected[piece] = None
        alone = segment.tokens(simplified)
        ner.tokens.cache_clear()
        ner.tokens(text)  # the recogniser first: its routes are reused
        assert segment.tokens(simplified) == alone == [t for t in expected if t.strip()]
