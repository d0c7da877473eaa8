"""What finds a text spun, as a reader of the repaired copy notices it: a spinner swaps whole
words, so a clean word left inside a longer word (中资企业) does not clear a spun copy, one
ordinary word repeated never makes a clean text spun, and the library model also reads the
shipped corpus of clean official prose."""

from reformtrack.documents.text.ngram import CharModel, corpus_texts
from reformtrack.documents.text.spun_learn import repair

from ._spun_library import SWAPS, library

CLEAN = (
    "国资委召开中央企业负责人会议，强调要深入推进国有企业改革，加快建设世界一流企业，"
    "健全现代企业制度，推进中央企业高质量发展。会议指出，中央企业是国民经济的重要力量，"
    "在港中资企业要发挥重要作用。"
)


def spin(text: str) -> str:
    for swap in SWAPS:
        text = text.replace(swap.clean, swap.spun)
    return text.replace("中资公司", "中资企业")  # a spinner cutting words leaves 中资企业


def test_a_clean_word_inside_a_longer_word_does_not_clear_a_spun_copy():
    model, threshold = library(SWAPS)
    spun = spin(CLEAN)
    assert "中资企业" in spun and "鞭策" in spun and "轨制" in spun
    result = repair(spun, SWAPS, model, threshold=threshold)
    assert result.spun
    assert "鞭策" not in result.text and "轨制" not in result.text and "紧要" not in result.text
    assert "在港中资企业" in result.text
    assert all(result.text[c["start"] : c["end"]] == c["after"] for c in result.changes)


def test_one_ordinary_word_repeated_never_makes_a_clean_text_spun():
    model, threshold = library(SWAPS)
    text = "集团公司召开会议，公司领导班子成员出席。公司党委书记讲话，要求公司各部门抓好落实。"
    result = repair(text, SWAPS, model, threshold=threshold)
    assert not result.spun and result.text == text and result.changes == []


def test_the_library_model_reads_the_shipped_corpus():
    corpus = corpus_texts()
    assert corpus and sum(len(t) for t in corpus) > 5000
    model = CharModel(corpus)
    assert model.word_count("专业化整合") > 0 and model.word_count("中央企业") > 10
