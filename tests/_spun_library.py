"""The clean library the spun-repair tests learn against: the character model of the seed and
corpus texts and the threshold calibrated on it for the test's swaps."""

from functools import cache

from reformtrack.documents.spun_learning import seed_texts
from reformtrack.documents.text.ngram import CharModel, corpus_texts
from reformtrack.documents.text.spun_learn import Swap, calibrate


@cache
def _model_and_texts() -> tuple[CharModel, tuple[str, ...]]:
    texts = (*seed_texts(), *corpus_texts())
    return CharModel(list(texts)), texts


def library(swaps: list[Swap]) -> tuple[CharModel, float]:
    """(model, threshold) for these swaps; the model is built once per test process."""
    model, texts = _model_and_texts()
    return model, calibrate(list(texts), swaps, model)
