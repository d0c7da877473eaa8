"""The document threshold keeps clean text unedited even where the library it was calibrated on
holds no text like it: a clean writer uses a word the library rarely writes now and then
(目的 beside 目标, 商场 beside 市场), and such chance uses, each counted at most USE_BOUND, cannot
reach the threshold, however low the clean library's own scores put it; a spun copy still
clears it."""

from reformtrack.documents.spun_learning import seed_texts
from reformtrack.documents.text.ngram import CharModel, corpus_texts
from reformtrack.documents.text.spun_learn import (
    MIN_THRESHOLD,
    USE_BOUND,
    Swap,
    calibrate,
    document_score,
    repair,
)

SWAPS = [Swap("目的", "目标"), Swap("商场", "市场"), Swap("不变", "稳定"), Swap("年夜会", "大会"),
         Swap("鞭策", "推进"), Swap("轨制", "制度")]  # fmt: skip
# clean prose using three of the spinner's forms as ordinary words, four times in all, and
# none of their clean words: the library (seeds and corpus) holds no text like it
CLEAN = "这次调研的目的是摸清家底。公司在商场设立了展示窗口，价格保持不变，目的在于稳住客户。"
SPUN = (
    "国资委召开年夜会，要求鞭策国企改革，健全现代企业轨制，目的是保持增长不变，"
    "鞭策商场化经营，完善轨制。"
)


def library() -> tuple[list[str], CharModel]:
    texts = [*seed_texts(), *corpus_texts()]
    return texts, CharModel(texts)


def test_the_threshold_never_falls_below_what_chance_uses_of_rare_words_reach():
    texts, model = library()
    threshold = calibrate(texts, SWAPS, model)
    # the library's own clean texts score low with these swaps: the floor decides
    assert threshold == MIN_THRESHOLD
    # each chance use counts at most USE_BOUND, so the clean text scores below the threshold
    # raised for its thin evidence, though the library's rates alone read it as 6.6
    result = repair(CLEAN, SWAPS, model, threshold=threshold)
    assert result.score <= USE_BOUND * 4
    assert result.score < result.bar
    assert not result.spun and result.text == CLEAN and result.changes == []
    assert document_score(CLEAN, SWAPS, model) == result.score


def test_a_spun_copy_still_clears_the_threshold_and_is_repaired():
    texts, model = library()
    threshold = calibrate(texts, SWAPS, model)
    result = repair(SPUN, SWAPS, model, threshold=threshold)
    assert result.spun
    assert result.text == (
        "国资委召开大会，要求推进国企改革，健全现代企业制度，目标是保持增长稳定，"
        "推进市场化经营，完善制度。"
    )
