"""The recogniser's dictionary route (`postag.dictionary_route`: jieba's `get_DAG` and `calc` in
one pass) is jieba's, score and word end at every position, on every run of Chinese characters
in the seed articles and the dev half of the unseen articles (never the held-back half), and on
runs made to trip it (rare characters, ties, a run ending inside a dictionary prefix)."""

from pathlib import Path

from reformtrack.documents.text import postag
from reformtrack.documents.text.entities import search_text

DATA = Path(__file__).parent / "data" / "documents"
TRICKY = [
    "䶮䶮龘靐齉爩麤",
    "国",
    "中华人民共和",
    "中华人民共和国国务院国有资产监督管理委员会",
    "的的的的",
]


def _runs() -> list[str]:
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    tokenizer = postag._posseg().dt.tokenizer
    runs = []
    for path in paths:
        text = search_text(path.read_text(encoding="utf-8"))
        runs += [b for b in postag._posseg().re_han_internal.split(text) if b.strip()]
    assert tokenizer.FREQ
    return runs + TRICKY


def test_the_route_is_jiebas_at_every_position():
    tokenizer = postag._posseg().dt.tokenizer
    runs = _runs()
    assert len(runs) > 1000
    for run in runs:
        expected: dict = {}
        tokenizer.calc(run, tokenizer.get_DAG(run), expected)
        found = postag.dictionary_route(run, tokenizer.FREQ, tokenizer.total)
        assert [found[k] for k in range(len(run))] == [expected[k] for k in range(len(run))], run
