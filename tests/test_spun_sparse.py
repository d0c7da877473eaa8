"""A short spun copy with no clean copy beside it is found spun though its few swaps cannot
reach the document threshold: it writes the learned spun forms at least SPARSE_USES times,
few clean words of the learned pairs, and the context confirms uses of distinct forms whose
clean words it never writes — as no clean text does; clean prose with the same rare words
beside their clean words, or one sentence with a few of them, is left alone."""

from functools import cache

from reformtrack.documents.spun_learning import seed_texts
from reformtrack.documents.text.ngram import CharModel, corpus_texts
from reformtrack.documents.text.spun_learn import SPARSE_CHARS, SPARSE_USES, Swap, repair

SWAPS = [Swap("目的", "目标"), Swap("商场", "市场"), Swap("不变", "稳定"), Swap("年夜会", "大会"),
         Swap("鞭策", "推进"), Swap("轨制", "制度")]  # fmt: skip
# a library whose highest clean text scored 5: the threshold a short copy's swaps cannot reach
THRESHOLD = 6.0
SHORT_SPUN = (
    "集团召开改革工作会，部署下一阶段工作。会议要求鞭策混合所有制改革，"
    "完善中国特色现代企业轨制，坚持商场化方向，保持生产经营不变，鞭策重点任务落地见效。"
)
# the same words written by a clean writer who also writes their clean forms
CLEAN = (
    "集团召开改革工作会，部署下一阶段工作。会议要求推进混合所有制改革，完善现代企业制度，"
    "坚持市场化方向，保持生产经营稳定。调研的目的是摸清家底，商场门店价格不变，"
    "确保全年目标任务完成，推进重点任务落地见效。"
)
SENTENCE = "这次调研的目的是摸清家底。公司在商场设立了展示窗口，价格保持不变，目的在于稳住客户。"


@cache
def model() -> CharModel:
    return CharModel([*seed_texts(), *corpus_texts()])


def test_a_short_spun_copy_below_the_threshold_is_found_spun_and_restored():
    result = repair(SHORT_SPUN, SWAPS, model(), threshold=THRESHOLD)
    assert result.score < result.bar  # its swaps alone do not reach the threshold
    assert result.spun and result.sparse
    assert result.text == (
        "集团召开改革工作会，部署下一阶段工作。会议要求推进混合所有制改革，"
        "完善中国特色现代企业制度，坚持市场化方向，保持生产经营稳定，推进重点任务落地见效。"
    )


def test_clean_prose_with_the_rare_words_beside_their_clean_words_is_left_alone():
    char_model = model()
    for text in (CLEAN, SENTENCE):
        result = repair(text, SWAPS, char_model, threshold=THRESHOLD)
        assert not result.spun and result.text == text and result.changes == []
    # the sentence writes three of the forms, but only four times: fewer than SPARSE_USES
    assert SENTENCE.count("目的") + SENTENCE.count("商场") + SENTENCE.count("不变") < SPARSE_USES


def test_a_short_spun_copy_keeping_a_few_clean_words_is_still_found_spun():
    # 大会 (the clean word of 年夜会, which this copy never writes) and one 推进 beside two 鞭策:
    # words the spinner left, two spun uses for each; clean words as many as half the spun
    # uses are a clean writer's
    char_model = model()
    kept = SHORT_SPUN.replace("部署下一阶段工作", "部署大会的任务，推进各项工作")
    result = repair(kept, SWAPS, char_model, threshold=THRESHOLD)
    assert result.spun and result.sparse and "推进混合所有制改革" in result.text
    many = SHORT_SPUN.replace("部署下一阶段工作", "部署大会的目标，推进各项工作")
    result = repair(many, SWAPS, char_model, threshold=THRESHOLD)
    assert not result.spun and result.changes == []


def test_an_article_with_three_confirmed_swaps_is_found_spun_and_a_sentence_is_not():
    # three spun words, all read as their clean words in context: in a sentence a chance, in an
    # article of SPARSE_CHARS or more that writes none of the pairs' clean words, a spinner's
    sentence = "会议要求鞭策混合所有制改革，完善中国特色现代企业轨制，坚持商场化方向。"
    article = (
        "集团召开改革工作会，部署下一阶段工作。会议听取了各单位的工作汇报，研究了年度预算安排、"
        "安全生产和人才队伍建设工作，明确了各项任务的责任分工和完成时限，并对信息化建设、"
        "风险防控和合规管理提出具体意见。" + sentence + "集团领导班子成员和各单位负责同志参加会议。"
    )
    assert len(article) >= SPARSE_CHARS > len(sentence)
    char_model = model()
    result = repair(article, SWAPS, char_model, threshold=THRESHOLD)
    assert result.spun and result.sparse
    assert "推进混合所有制改革，完善中国特色现代企业制度，坚持市场化方向" in result.text
    result = repair(sentence, SWAPS, char_model, threshold=THRESHOLD)
    assert not result.spun and result.changes == []
