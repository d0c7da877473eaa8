"""jieba's part-of-speech cut (`jieba.posseg.cut`, HMM on) with its Viterbi decoder on numpy:
the same words and tags, decided by the same sums in the same order and the same tie-break
(the larger state wins a tie), but one array operation per character instead of a Python loop
over every pair of states (256 × 256 when a character is rare). jieba's own decoder was two
thirds of the recogniser's time; the dictionary route (DAG) is jieba's own code.

`tests/test_ingest_postag.py` compares every word and tag with jieba's over the corpora."""

from __future__ import annotations

import threading
import warnings
from functools import cache
from math import log

import numpy as np

from .segment import dag_pieces

_lock = threading.Lock()


@cache
def _posseg():
    from .segment import _jieba

    _jieba()
    with warnings.catch_warnings():  # jieba 0.42's regexes warn on Python 3.12 when compiled
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba.posseg as pseg

    pseg.dt.makesure_userdict_loaded()
    return pseg


class _Model:
    """jieba's POS HMM as dense arrays over its states in ascending order (the tie-break)."""

    def __init__(self, pseg):
        self.states = sorted(pseg.trans_P)
        self.index = {s: i for i, s in enumerate(self.states)}
        n = len(self.states)
        self.trans = np.full((n, n), -np.inf)
        self.succ = np.zeros((n, n), dtype=bool)
        for s, row in pseg.trans_P.items():
            for t, p in row.items():
                self.trans[self.index[s], self.index[t]] = p
                self.succ[self.index[s], self.index[t]] = True
        self.has_next = self.succ.any(axis=1)
        self.start = np.array([pseg.start_P[s] for s in self.states])
        self.all = np.arange(n)
        self._emit = pseg.emit_P
        self._char_states = pseg.char_state_tab_P
        self._chars: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.min_float = pseg.viterbi.__globals__["MIN_FLOAT"]

    def char(self, c: str) -> tuple[np.ndarray, np.ndarray]:
        """(mask of the states the character may take, emission over all states)."""
        found = self._chars.get(c)
        if found is None:
            mask = np.zeros(len(self.states), dtype=bool)
            known = self._char_states.get(c)
            if known is None:
                mask[:] = True
            else:
                mask[[self.index[s] for s in known]] = True
            emit = np.array([self._emit[s].get(c, self.min_float) for s in self.states])
            found = self._chars[c] = (mask, emit)
        return found


@cache
def _model() -> _Model:
    return _Model(_posseg())


def viterbi(obs: str) -> list[tuple[str, str]]:
    """The states of `jieba.posseg.viterbi(obs, …)` (its route), computed on arrays."""
    m = _model()
    mask, emit = m.char(obs[0])
    current = np.flatnonzero(mask)
    v = np.full(len(m.states), -np.inf)
    v[current] = m.start[current] + emit[current]
    back: list[tuple[np.ndarray, np.ndarray]] = []
    for c in obs[1:]:
        prev = current[m.has_next[current]]
        if not len(prev):  # jieba's own decoder fails here too (max of nothing)
            return _posseg().viterbi(obs, m._char_states, *_tables())[1]
        expect = m.succ[prev].any(axis=0)
        mask, emit = m.char(c)
        wanted = mask & expect
        current = np.flatnonzero(wanted if wanted.any() else expect)
        scores = (v[prev][:, None] + m.trans[np.ix_(prev, current)]) + emit[current][None, :]
        last = len(prev) - 1 - np.argmax(scores[::-1], axis=0)  # a tie: the larger state
        v = np.full(len(m.states), -np.inf)
        v[current] = scores[last, np.arange(len(current))]
        back.append((current, prev[last]))
    finals = v[current]
    state = int(current[len(current) - 1 - np.argmax(finals[::-1])])
    route = [state]
    for states, chosen in reversed(back):
        state = int(chosen[np.searchsorted(states, state)])
        route.append(state)
    route.reverse()
    return [m.states[i] for i in route]


def _tables():
    pseg = _posseg()
    return pseg.start_P, pseg.trans_P, pseg.emit_P


def _hmm_cut(sentence: str):
    """`POSTokenizer.__cut`: words and tags of a run of Chinese characters by the HMM."""
    pos_list = viterbi(sentence)
    begin, nexti = 0, 0
    for i, char in enumerate(sentence):
        pos = pos_list[i][0]
        if pos == "B":
            begin = i
        elif pos == "E":
            yield sentence[begin : i + 1], pos_list[i][1]
            nexti = i + 1
        elif pos == "S":
            yield char, pos_list[i][1]
            nexti = i + 1
    if nexti < len(sentence):
        yield sentence[nexti:], pos_list[nexti][1]


def _cut_detail(sentence: str, p):
    for blk in p.re_han_detail.split(sentence):
        if p.re_han_detail.match(blk):
            yield from _hmm_cut(blk)
        else:
            for x in p.re_skip_detail.split(blk):
                if x:
                    if p.re_num.match(x):
                        yield x, "m"
                    elif p.re_eng.match(x):
                        yield x, "eng"
                    else:
                        yield x, "x"


# The dictionary route of each run read lately, kept for the search tokens (`segment.tokens`
# cuts the same runs again) and for copies of a story (they share most runs): a route depends
# on the run's characters and the dictionary only.
_routes: dict[str, list] = {}
KEPT_RUNS = 5_000  # routes kept between documents (~2 kB each); all dropped past that


def begin_document() -> None:
    """A document is done: its routes stay for the next ones, within `KEPT_RUNS`."""
    if len(_routes) > KEPT_RUNS:
        _routes.clear()


def route(sentence: str) -> list[tuple[float, int]]:
    """jieba's dictionary route over a run (`get_DAG` then `calc`), once per run per document:
    `route[k]` is (score, end of the word starting at k), as in jieba's dict."""
    found = _routes.get(sentence)
    if found is None:
        tokenizer = _posseg().dt.tokenizer
        found = _routes[sentence] = dictionary_route(sentence, tokenizer.FREQ, tokenizer.total)
    return found


def dictionary_route(sentence: str, freq: dict, total: int) -> list[tuple[float, int]]:
    """`get_DAG` and `calc` in one backward pass without the DAG's lists: the words starting at
    k are the prefixes of sentence[k:] jieba's dictionary counts, each scored as `calc` scores
    it (log(freq) - log(total) + the score after it, the same float operations in the same
    order); the best wins, a tie going to the longer word (`max` over (score, end) tuples);
    with no word, the character alone (log 1). tests/test_ingest_route.py compares the two."""
    n = len(sentence)
    logtotal = log(total)
    alone = 0.0 - logtotal  # log(1) - log(total): a character the dictionary does not count
    scores = [0.0] * (n + 1)
    out: list[tuple[float, int]] = [(0.0, 0)] * n
    get = freq.get
    for k in range(n - 1, -1, -1):
        best, end = None, k
        i, frag = k, sentence[k]
        while True:
            f = get(frag)
            if f is None:  # no dictionary word starts with this fragment
                break
            if f:
                score = log(f) - logtotal + scores[i + 1]
                if best is None or score >= best:
                    best, end = score, i
            i += 1
            if i >= n:
                break
            frag = sentence[k : i + 1]
        if best is None:
            best = alone + scores[k + 1]
        scores[k] = best
        out[k] = (best, end)
    return out


def _cut_dag(sentence: str, p):
    tokenizer, tags = p.dt.tokenizer, p.dt.word_tag_tab

    def flush(buf):
        if len(buf) == 1:
            yield buf, tags.get(buf, "x")
        elif not tokenizer.FREQ.get(buf):
            yield from _cut_detail(buf, p)
        else:
            for elem in buf:
                yield elem, tags.get(elem, "x")

    for is_word, piece in dag_pieces(sentence, route(sentence)):
        if is_word:
            yield piece, tags.get(piece, "x")
        else:
            yield from flush(piece)


def cut(sentence: str) -> list[tuple[str, str]]:
    """(word, tag) as `list(jieba.posseg.cut(sentence))` gives them."""
    p = _posseg()
    out: list[tuple[str, str]] = []
    for blk in p.re_han_internal.split(sentence):
        if p.re_han_internal.match(blk):
            out += _cut_dag(blk, p)
        else:
            for x in p.re_skip_internal.split(blk):
                if p.re_skip_internal.match(x):
                    out.append((x, "x"))
                else:
                    for xx in x:
                        if p.re_num.match(xx):
                            out.append((xx, "m"))
                        elif p.re_eng.match(x):  # jieba tests the block here, not the char
                            out.append((xx, "eng"))
                        else:
                            out.append((xx, "x"))
    return out
