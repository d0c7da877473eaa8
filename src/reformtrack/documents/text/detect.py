"""Language and script: scripts by counting characters, Chinese variant by what OpenCC changes,
other languages by lingua built from a few languages only (all of them is 1.3 GB)."""

from __future__ import annotations

import re
from functools import cache
from operator import ne

HAN = re.compile(r"[\u4e00-\u9fff]")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
HEBREW = re.compile(r"[\u0590-\u05ff]")
LATIN = re.compile(r"[A-Za-z]")
SAMPLE = 3000  # Chinese characters converted to tell Simplified from Traditional


@cache
def t2s():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    return t2s().convert(text)


@cache
def _lingua():
    from lingua import Language, LanguageDetectorBuilder

    languages = [
        Language.ENGLISH,
        Language.FRENCH,
        Language.GERMAN,
        Language.SPANISH,
        Language.RUSSIAN,
        Language.JAPANESE,
        Language.HEBREW,
        Language.CHINESE,
    ]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect(text: str) -> tuple[str, str]:
    """(language, script) such as ("zh", "Hant"), ("en", "Latn"), ("he", "Hebr")."""
    hans = "".join(HAN_RUN.findall(text))  # the Han characters in order
    han = len(hans)
    if han and 2 * han >= len(text):  # the others are fewer: no need to count them
        hebrew = latin = 0
    else:
        hebrew = len(HEBREW.findall(text))
        latin = len(LATIN.findall(text))
    if han and han >= max(hebrew, latin / 4):
        sample = hans[:SAMPLE]  # a share: a sample tells as well
        simplified = to_simplified(sample)
        # characters OpenCC changed, to the shorter as zip (none when it changed nothing)
        changed = 0 if simplified == sample else sum(map(ne, sample, simplified))
        return "zh", "Hant" if changed / len(sample) > 0.03 else "Hans"
    if hebrew and hebrew >= latin:
        return "he", "Hebr"
    if not latin:
        return "und", ""
    found = _lingua().detect_language_of(text[:5000])
    code = found.iso_code_639_1.name.lower() if found else "und"
    return code, "Latn"


def language_tag(language: str, script: str) -> str:
    """zh-Hans, zh-Hant, en, he …"""
    return f"{language}-{script}" if language == "zh" and script else language
