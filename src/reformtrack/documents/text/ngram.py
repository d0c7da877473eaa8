"""A character n-gram model of clean official Chinese (the clean documents of the library and
the shipped clean seeds): it tells whether a candidate repair reads more like official prose
than the word it would replace, in its context, so ordinary words are left alone."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

ORDER = 4  # characters of history + 1
BACKOFF = 0.4  # "stupid backoff" weight per shorter history
CJK = re.compile(r"[\u4e00-\u9fff]+")
CORPUS = Path(__file__).resolve().parent.parent / "corpus"  # clean prose written to ship


@cache
def corpus_texts() -> tuple[str, ...]:
    """The shipped corpus of clean official prose (documents/corpus/*.txt, see its README):
    read beside the seeds and the library, so a small library still judges swaps in context."""
    return tuple(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))


class CharModel:
    """Counts of character n-grams up to ORDER; scores are log10 probabilities."""

    def __init__(self, texts: Iterable[str] = ()):
        self.counts: Counter = Counter()
        self.total = 0
        self._runs: list[str] = []  # the text itself, for counting words longer than ORDER
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        for run in CJK.findall(text):
            self._runs.append(run)
            padded = "^" + run
            for i in range(1, len(padded)):
                for n in range(1, ORDER + 1):
                    if i - n + 1 < 0:
                        break
                    self.counts[padded[i - n + 1 : i + 1]] += 1
                self.total += 1

    def word_count(self, word: str) -> int:
        """How often `word` occurs in the texts the model read (overlaps counted)."""
        if len(word) <= ORDER:
            return self.counts.get(word, 0)
        return sum(run.count(word) for run in self._runs)

    def _prob(self, history: str, char: str) -> float:
        weight = 1.0
        while history:
            seen = self.counts.get(history + char, 0)
            if seen:
                return weight * seen / self.counts.get(history, seen)
            history, weight = history[1:], weight * BACKOFF
        return weight * (self.counts.get(char, 0) + 0.1) / (self.total + 1)

    def score(self, text: str) -> float:
        """log10 probability of the characters of `text` (each with up to ORDER-1 before)."""
        out = 0.0
        for i, char in enumerate(text):
            out += math.log10(self._prob(text[max(0, i - ORDER + 1) : i], char))
        return out

    def gain(self, text: str, start: int, end: int, replacement: str, *, width: int = 3) -> float:
        """How much more likely (log10) `text` reads with text[start:end] replaced, judged on
        the replaced span and `width` characters either side."""
        left = text[max(0, start - width - ORDER + 1) : start]
        right = text[end : end + width]
        before = self.score(left + text[start:end] + right) - self.score(left)
        after = self.score(left + replacement + right) - self.score(left)
        return after - before

    def context_gain(self, text: str, start: int, end: int, replacement: str) -> float:
        """`gain` less what the words alone give (an unseen word is always unlikely): how much
        the surrounding characters themselves call for the replacement."""
        alone = self.score(replacement) - self.score(text[start:end])
        return self.gain(text, start, end, replacement) - alone
