"""Runs a test under each named-entity recogniser this machine has (LAC when the `ner` extra is
installed, jieba's tags always): the extraction rules must hold under both."""

from __future__ import annotations

import pytest

from reformtrack.documents.text import ner

ENGINES = ["lac", "jieba"] if ner.engine() == "lac" else ["jieba"]


@pytest.fixture(params=ENGINES)
def engine(request, monkeypatch):
    """The recogniser's name; its caches are cleared before and after."""
    monkeypatch.setenv("REFORMTRACK_NER", request.param)
    ner._lac.cache_clear()
    ner.tokens.cache_clear()
    yield request.param
    ner._lac.cache_clear()
    ner.tokens.cache_clear()
