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
from math import inf, log

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
    """jieba's POS HMM as dense arrays over its states in ascending order (the tie-break).

    A decoding step depends only on the states the previous character may be in and on the
    next character: the step's tables (which of those states lead on, the states the next
    character may take, their transition block and emissions) are worked out once per such
    pair and kept (`STEPS` at most), so a step is a few array operations."""

    STEPS = 50_000  # kept step tables (a few hundred bytes each); all dropped past that

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
        self._sets: dict[bytes, int] = {}  # a set of states (its bytes) → its number
        self.sets: list[np.ndarray] = []  # number → the states, ascending
        self._firsts: dict[str, tuple[int, np.ndarray]] = {}
        self._steps: dict[tuple[int, str], tuple] = {}
        self._alone: dict[str, tuple[str, str]] = {}

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

    def _number(self, states: np.ndarray) -> int:
        key = states.tobytes()
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = len(self.sets)
            self.sets.append(states)
        return found

    def first(self, c: str) -> tuple[int, np.ndarray]:
        """(the states the first character may take, their start scores)."""
        found = self._firsts.get(c)
        if found is None:
            mask, emit = self.char(c)
            current = np.flatnonzero(mask)
            found = self._firsts[c] = (self._number(current), self.start[current] + emit[current])
        return found

    def alone(self, c: str) -> tuple[str, str]:
        """The state of a run of the one character `c` (the best start score, a tie: the
        larger state), kept per character."""
        found = self._alone.get(c)
        if found is None:
            states, v = self.first(c)
            position = len(v) - 1 - int(v[::-1].argmax())
            found = self._alone[c] = self.states[int(self.sets[states][position])]
        return found

    def step(self, states: int, c: str) -> tuple | None:
        """From the states numbered `states` to character `c`: (positions among them of the
        states that lead on, number of the states `c` takes, their transition block, their
        emissions), or None when no state leads on."""
        key = (states, c)
        found = self._steps.get(key)
        if found is None:
            current = self.sets[states]
            leading = np.flatnonzero(self.has_next[current])
            if not len(leading):
                return None
            prev = current[leading]
            expect = self.succ[prev].any(axis=0)
            mask, emit = self.char(c)
            wanted = mask & expect
            after = np.flatnonzero(wanted if wanted.any() else expect)
            if len(self._steps) >= self.STEPS:
                self._steps.clear()
            found = self._steps[key] = (  # the leading states in descending order
                leading[::-1].copy(),
                self._number(after),
                self.trans[np.ix_(prev[::-1], after)],
                emit[after],
            )
        return found


@cache
def _model() -> _Model:
    return _Model(_posseg())


def viterbi(obs: str) -> list[tuple[str, str]]:
    """The states of `jieba.posseg.viterbi(obs, …)` (its route), computed on arrays: at each
    character the scores of the states it may take are (score before + transition) +
    emission over the states before that lead on, the best kept (a tie: the larger state).
    A single character's state is the model's, kept per character (`_Model.alone`)."""
    m = _model()
    if len(obs) == 1:
        return [m.alone(obs)]
    states, v = m.first(obs[0])
    numbers = [states]
    back: list[np.ndarray] = []
    for c in obs[1:]:
        step = m.step(states, c)
        if step is None:  # jieba's own decoder fails here too (max of nothing)
            return _posseg().viterbi(obs, m._char_states, *_tables())[1]
        leading, states, trans, emit = step
        scores = (v[leading][:, None] + trans) + emit  # rows: the leading states, descending
        back.append(leading[scores.argmax(0)])  # the first best row: the larger state
        v = scores.max(0)
        numbers.append(states)
    position = len(v) - 1 - int(v[::-1].argmax())
    route = [int(m.sets[states][position])]
    for states, chosen in zip(reversed(numbers[:-1]), reversed(back), strict=True):
        position = int(chosen[position])
        route.append(int(m.sets[states][position]))
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


# The walk over the dictionary route of each run read lately, kept for the search tokens
# (`segment.tokens` cuts the same runs again: one walk serves both cuts) and for copies of a
# story (they share most runs): a walk depends on the run's characters and the dictionary only.
_routes: dict[str, list[tuple[str, bool]]] = {}
KEPT_RUNS = 5_000  # walks kept between documents (a few kB each); all dropped past that


def begin_document() -> None:
    """A document is done: its walks stay for the next ones, within `KEPT_RUNS`."""
    if len(_routes) > KEPT_RUNS:
        _routes.clear()


def route_ends(sentence: str) -> list[int]:
    """jieba's dictionary route over a run (`get_DAG` then `calc`): `ends[k]` is the last
    position of the word starting at k (jieba's `route[k][1]`)."""
    tokenizer = _posseg().dt.tokenizer
    return _best(sentence, tokenizer.FREQ.get, log(tokenizer.total))[1]


def walk(sentence: str) -> list[tuple[str, bool]]:
    """`segment.dag_pieces` over the run's dictionary route, once per run per document: the
    recogniser's cut and the search tokens' cut both read it."""
    found = _routes.get(sentence)
    if found is None:
        found = _routes[sentence] = dag_pieces(sentence, route_ends(sentence))
    return found


def dictionary_route(sentence: str, freq: dict, total: int) -> list[tuple[float, int]]:
    """jieba's route as its dict holds it: (score, end) at each position (`_best`)."""
    scores, ends = _best(sentence, freq.get, log(total))
    return list(zip(scores, ends, strict=False))


def _best(sentence: str, get, logtotal: float) -> tuple[list[float], list[int]]:
    """`get_DAG` and `calc` in one backward pass without the DAG's lists: the words starting at
    k are the prefixes of sentence[k:] jieba's dictionary counts, each scored as `calc` scores
    it (log(freq) - log(total) + the score after it, the same float operations in the same
    order); the best wins, a tie going to the longer word (`max` over (score, end) tuples);
    with no word, the character alone (log 1). (scores with a last 0.0 past the end, ends).
    tests/test_ingest_route.py compares the two."""
    n = len(sentence)
    alone = 0.0 - logtotal  # log(1) - log(total): a character the dictionary does not count
    scores = [0.0] * (n + 1)
    ends = [0] * n
    for k in range(n - 1, -1, -1):
        best, end = -inf, -1  # every score is finite: the first word always wins
        i = k
        f = get(sentence[k])
        while f is not None:  # None: no dictionary word starts with this fragment
            if f:
                score = log(f) - logtotal + scores[i + 1]
                if score >= best:
                    best, end = score, i
            i += 1
            if i >= n:
                break
            f = get(sentence[k : i + 1])
        if end < 0:
            best, end = alone + scores[k + 1], k
        scores[k] = best
        ends[k] = end
    return scores, ends


def _hmm_cut(sentence: str, words: list, tags: list) -> None:
    """`POSTokenizer.__cut`: words and tags of a run of Chinese characters by the HMM."""
    pos_list = viterbi(sentence)
    begin, nexti = 0, 0
    for i, pos in enumerate(pos_list):
        kind = pos[0]
        if kind == "B":
            begin = i
        elif kind == "E":
            words.append(sentence[begin : i + 1])
            tags.append(pos[1])
            nexti = i + 1
        elif kind == "S":
            words.append(sentence[i])
            tags.append(pos[1])
            nexti = i + 1
    if nexti < len(sentence):
        words.append(sentence[nexti:])
        tags.append(pos_list[nexti][1])


def _cut_detail(sentence: str, p, words: list, tags: list) -> None:
    """`POSTokenizer.__cut_detail`: Chinese runs by the HMM, figures "m", Latin "eng"."""
    for blk in p.re_han_detail.split(sentence):
        if p.re_han_detail.match(blk):
            _hmm_cut(blk, words, tags)
        else:
            for x in p.re_skip_detail.split(blk):
                if x:
                    words.append(x)
                    if p.re_num.match(x):
                        tags.append("m")
                    elif p.re_eng.match(x):
                        tags.append("eng")
                    else:
                        tags.append("x")


def _cut_dag(sentence: str, p, words: list, tags: list) -> None:
    """`POSTokenizer.__cut_DAG`: the dictionary route's words, the runs of single characters
    between them as one word, as characters or by the HMM (`segment.dag_pieces`' walk)."""
    freq, tag = p.dt.tokenizer.FREQ, p.dt.word_tag_tab.get
    for piece, is_run in walk(sentence):
        if is_run:
            _flush(piece, p, freq, tag, words, tags)
        else:
            words.append(piece)
            tags.append(tag(piece, "x"))


def _flush(buf: str, p, freq: dict, tag, words: list, tags: list) -> None:
    if len(buf) == 1:
        words.append(buf)
        tags.append(tag(buf, "x"))
    elif not freq.get(buf):
        _cut_detail(buf, p, words, tags)
    else:
        for elem in buf:
            words.append(elem)
            tags.append(tag(elem, "x"))


def cut_words(sentence: str) -> tuple[list[str], list[str]]:
    """(words, tags) as `jieba.posseg.cut(sentence)` gives them (`POSTokenizer.__cut_internal`).
    Its blocks alternate: the split's odd pieces are the runs its pattern matched. Outside them
    every character is tagged "x": jieba's tests for "m" and "eng" there look for digits and
    Latin letters, which the runs' pattern takes in."""
    p = _posseg()
    words: list[str] = []
    tags: list[str] = []
    for i, blk in enumerate(p.re_han_internal.split(sentence)):
        if i & 1:
            _cut_dag(blk, p, words, tags)
        elif blk:
            for j, x in enumerate(p.re_skip_internal.split(blk)):
                if j & 1:  # a line break or a space
                    words.append(x)
                    tags.append("x")
                else:
                    words.extend(x)
                    tags.extend("x" * len(x))
    return words, tags


def cut(sentence: str) -> list[tuple[str, str]]:
    """(word, tag) as `list(jieba.posseg.cut(sentence))` gives them."""
    return list(zip(*cut_words(sentence), strict=True))
