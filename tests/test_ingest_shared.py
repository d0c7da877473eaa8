"""Work one stage of the pipeline shares with another gives what the stage would compute alone:
the search text (Simplified copy) taken from the rules' copy is `to_simplified` of the text, on
the seed articles and the dev half of the unseen articles (never the held-back half), including
Traditional ones and texts whose conversion changes their length."""

from pathlib import Path

from reformtrack.documents import pipeline
from reformtrack.documents.text.detect import to_simplified

DATA = Path(__file__).parent / "data" / "documents"


def test_the_search_text_is_the_simplified_conversion():
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths[::3]]
    texts += ["鍊鋼與產業鏈", "English only, no Chinese", "", "乾隆皇帝"]
    for text in texts:
        done = pipeline.process(text.encode(), "t.txt")
        assert done.search_text == to_simplified(done.text)
    assert any(pipeline.process(t.encode(), "t.txt").script == "Hant" for t in texts)
