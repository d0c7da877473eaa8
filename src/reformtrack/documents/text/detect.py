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
BLOCK = 500  # characters compared at a time to tell Traditional
READ = 5000  # characters lingua reads of a text in letters
WINDOWS, WINDOW = 5, 150  # windows lingua reads first, evenly spread, and their characters
SURE = 0.99  # a window's confidence that lets the windows decide without reading all of READ


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
        return "zh", "Hant" if _changed_share_over(sample, simplified, 0.03) else "Hans"
    if hebrew and hebrew >= latin:
        return "he", "Hebr"
    if not latin:
        return "und", ""
    found = _language_of(text[:READ])
    code = found.iso_code_639_1.name.lower() if found else "und"
    return code, "Latn"


def _language_of(text: str):
    """lingua's language of `text`, reading 750 characters of a long text where they tell the
    same: five windows spread over it, each sure of one and the same language, and no letter
    outside them but A-Z (lingua narrows its languages by the letters a text holds: one ß makes
    it German). A part in another language long enough to outweigh the rest holds a window;
    otherwise (mixed, unclear or short texts) the whole text is read as before."""
    lingua = _lingua()
    if len(text) >= 2 * WINDOWS * WINDOW:
        step = (len(text) - WINDOW) // (WINDOWS - 1)
        windows = [text[i * step : i * step + WINDOW] for i in range(WINDOWS)]
        found = None
        for window in windows:
            best = lingua.compute_language_confidence_values(window)[0]
            if best.value < SURE or (found is not None and best.language != found):
                break
            found = best.language
        else:
            seen = set().union(*windows)
            if not any(c.isalpha() and not c.isascii() for c in set(text).difference(seen)):
                return found
    return lingua.detect_language_of(text)


def _changed_share_over(sample: str, simplified: str, share: float) -> bool:
    """Whether the characters that differ between the two (compared as `zip`: to the shorter)
    are more than `share` of the sample, counted a block at a time and stopped once past it (a
    Traditional text passes it in its first block; the share only grows as blocks are added)."""
    if sample == simplified:
        return False
    changed, size = 0, len(sample)
    for start in range(0, size, BLOCK):
        changed += sum(map(ne, sample[start : start + BLOCK], simplified[start : start + BLOCK]))
        if changed / size > share:
            return True
    return False


def language_tag(language: str, script: str) -> str:
    """zh-Hans, zh-Hant, en, he …"""
    return f"{language}-{script}" if language == "zh" and script else language
