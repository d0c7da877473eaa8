"""In a copy found spun, which learned pairs its spinner used, as a reader of the repaired copy
notices it: a clean word left only inside longer words (国有企业) does not stop the spun form
beside it (公司) from being restored, while a copy that writes the clean word as a word of its
own more often than the spun form keeps its spun form (not this spinner's pair)."""

from reformtrack.documents.text.spun_learn import repair

from ._spun_library import SWAPS, library

SPUN = (
    "国资委召开中央企业负责人会议，强调要深入鞭策国有企业改革，加快修建世界一流公司，"
    "康健现代公司轨制，鞭策中央企业高质量发展。会议指出，国有企业是国民经济的紧要力量，"
    "中央企业要发挥紧要作用。"
)


def test_a_clean_word_only_inside_longer_words_leaves_the_pair_to_the_context():
    model, threshold = library(SWAPS)
    spun = SPUN.replace("中央企业", "国有企业")  # 企业 only inside 国有企业
    result = repair(spun, SWAPS, model, threshold=threshold)
    assert result.spun
    assert "世界一流企业" in result.text and "现代企业制度" in result.text
    assert "公司" not in result.text and result.text.count("国有企业") == 5
    assert all(result.text[c["start"] : c["end"]] == c["after"] for c in result.changes)


def test_a_copy_writing_the_clean_word_more_often_keeps_the_spun_form():
    model, threshold = library(SWAPS)
    result = repair(SPUN, SWAPS, model, threshold=threshold)  # 企业 three times on its own
    assert result.spun
    assert "鞭策" not in result.text and "轨制" not in result.text
    assert "世界一流公司" in result.text and "现代公司制度" in result.text
