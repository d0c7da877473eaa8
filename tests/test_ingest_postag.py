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
