"""The clean library the spun-repair tests learn against: the character model of the seed and
corpus texts, the learned pairs the tests share (SWAPS) and the threshold calibrated for them."""

from functools import cache

from reformtrack.documents.spun_learning import seed_texts
from reformtrack.documents.text.ngram import CharModel, corpus_texts
from reformtrack.documents.text.spun_learn import Swap, calibrate

SWAPS = [Swap("鞭策", "推进"), Swap("轨制", "制度"), Swap("紧要", "重要"), Swap("公司", "企业"),
         Swap("修建", "建设"), Swap("康健", "健全")]  # fmt: skip


@cache
def _model_and_texts() -> tuple[CharModel, tuple[str, ...]]:
    texts = (*seed_texts(), *corpus_texts())
    return CharModel(list(texts)), texts


def library(swaps: list[Swap]) -> tuple[CharModel, float]:
    """(model, threshold) for these swaps; the model is built once per test process."""
    model, texts = _model_and_texts()
    return model, calibrate(list(texts), swaps, model)
