"""Search tokens: Simplified Chinese segmented by jieba (search mode: words and their parts),
other scripts by words, lower-cased; stored space-joined so LIKE works on any database."""

from __future__ import annotations

import re
import tempfile
import threading
import warnings
from functools import cache
from pathlib import Path

_lock = threading.Lock()
_ready = False
WORD = re.compile(r"[\w\u0590-\u05ff'-]+")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# The search tokens of the runs read lately (copies of a story share most runs): a run's
# tokens depend on its characters and the dictionary only.
_run_tokens: dict[str, tuple[str, ...]] = {}
_piece_tokens: dict[str, tuple[str, ...]] = {}  # the same for words holding Chinese runs
KEPT_RUNS = 20_000  # runs, and words, kept; all dropped past that


def _jieba():
    global _ready
    with warnings.catch_warnings():  # jieba 0.42 has invalid escapes that warn on first compile
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba

    with _lock:
        if not _ready:
            try:
                from django.conf import settings

                folder = Path(settings.MEDIA_ROOT).parent / "jieba"
            except Exception:  # outside Django (benchmarks): a temporary folder
                folder = Path(tempfile.gettempdir()) / "reformtrack-jieba"
            folder.mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = str(folder)
            jieba.setLogLevel(60)
            jieba.initialize()
            _ready = True
    return jieba


def tokens(simplified: str) -> list[str]:
    """Distinct tokens in order of first appearance: of each word, the search tokens of its
    Chinese runs, then the rest of it split at them (a word met again adds no new token: each
    word is read once)."""
    _jieba()
    found: list[str] = []
    kept = _piece_tokens
    for piece in dict.fromkeys(WORD.findall(simplified.lower())):
        done = kept.get(piece)
        if done is None:
            if not CJK_RUN.search(piece):
                found.append(piece)
                continue
            done = kept[piece] = _piece(piece)
        found += done
    from .postag import begin_document

    begin_document()  # the document's walks are used up
    if len(_run_tokens) > KEPT_RUNS or len(kept) > KEPT_RUNS:
        _run_tokens.clear()
        kept.clear()
    return [t for t in dict.fromkeys(found) if t.strip()]


def _piece(piece: str) -> tuple[str, ...]:
    """The tokens of a word holding Chinese characters, in order, each once."""
    out: list[str] = []
    for run in CJK_RUN.findall(piece):
        done = _run_tokens.get(run)
        if done is None:
            done = _run_tokens[run] = tuple(cut_for_search(run))
        out += done
    out += CJK_RUN.sub(" ", piece).split()
    return tuple(dict.fromkeys(out))


def cut_for_search(sentence: str) -> list[str]:
    """`jieba.cut_for_search(sentence)`: each word of the accurate cut (`jieba.cut`, HMM on)
    after the dictionary's words of two and three characters inside it. Each run's walk over
    its dictionary route is the recogniser's when it cut the same run in this document
    (`postag.walk`: one walk serves both cuts); a dictionary word's grams are the dictionary's,
    kept per word (`_word_tokens`)."""
    jieba, finalseg, walk = _tools()
    freq = jieba.dt.FREQ
    known = _word_tokens
    out: list[str] = []
    for i, blk in enumerate(jieba.re_han_default.split(sentence)):  # odd pieces: its matches
        if i & 1:
            for piece, is_run in walk(blk):  # `Tokenizer.__cut_DAG`
                if is_run:  # single characters: as characters, or by the HMM if not a word
                    if len(piece) == 1:
                        out.append(piece)
                    elif not freq.get(piece):
                        for word in hmm_words(piece, finalseg):
                            out += _with_grams(word, freq) if len(word) > 2 else (word,)
                    else:
                        out.extend(piece)
                elif len(piece) > 2:  # a dictionary word
                    done = known.get(piece)
                    if done is None:
                        if len(known) >= KEPT_WORDS:
                            known.clear()
                        done = known[piece] = _with_grams(piece, freq)
                    out += done
                else:
                    out.append(piece)
        elif blk:
            for j, x in enumerate(jieba.re_skip_default.split(blk)):
                if j & 1:
                    out.append(x)
                else:
                    out.extend(x)
    return out


# A dictionary word's search tokens (its words of two and three characters, then itself)
# depend on the dictionary only: a table of the dictionary's, filled as words are met (kept in
# every mode, as `postag`'s decoding tables are).
_word_tokens: dict[str, tuple[str, ...]] = {}
KEPT_WORDS = 50_000  # words (~300 bytes each); all dropped past that


def _with_grams(word: str, freq: dict) -> tuple[str, ...]:
    """The word's dictionary words of two, then three characters, then the word."""
    n = len(word)
    out = [gram for i in range(n - 1) if freq.get(gram := word[i : i + 2])]
    if n > 3:
        out += [gram for i in range(n - 2) if freq.get(gram := word[i : i + 3])]
    out.append(word)
    return tuple(out)


HAN_ONLY = re.compile(r"[\u4e00-\u9fd5]+")  # what `finalseg` decodes as one block


def hmm_words(buf: str, finalseg) -> list[str]:
    """`list(finalseg.cut(buf))`: jieba's B/M/E/S model decodes a run of Chinese characters
    the dictionary does not hold as a word. Its Viterbi written out for its four states (each
    reached from two), the same sums in the same order and the same tie-break (`max` over
    (score, state) pairs: the larger letter wins); anything else goes to jieba's own."""
    if finalseg.Force_Split_Words or not HAN_ONLY.fullmatch(buf):
        return list(finalseg.cut(buf))
    emitted, (s_b, s_m, s_e, s_s), (eb, sb, mm, bm, ss, es, be, me) = _bmes(finalseg)
    e_b, e_m, e_e, e_s = emitted.get(buf[0]) or _emissions(finalseg, buf[0])
    v_b, v_m, v_e, v_s = s_b + e_b, s_m + e_m, s_e + e_e, s_s + e_s
    back = []
    for c in buf[1:]:
        e_b, e_m, e_e, e_s = emitted.get(c) or _emissions(finalseg, c)
        # jieba's PrevStatus: B from E or S, M from M or B, S from S or E, E from B or M
        p, q = v_e + eb + e_b, v_s + sb + e_b
        n_b, f_b = (p, "E") if p > q else (q, "S")
        p, q = v_m + mm + e_m, v_b + bm + e_m
        n_m, f_m = (p, "M") if p >= q else (q, "B")
        p, q = v_s + ss + e_s, v_e + es + e_s
        n_s, f_s = (p, "S") if p >= q else (q, "E")
        p, q = v_b + be + e_e, v_m + me + e_e
        n_e, f_e = (p, "B") if p > q else (q, "M")
        v_b, v_m, v_e, v_s = n_b, n_m, n_e, n_s
        back.append({"B": f_b, "M": f_m, "E": f_e, "S": f_s})
    state = "E" if v_e > v_s else "S"  # max((V[E], "E"), (V[S], "S"))
    states = [state]
    for step in reversed(back):
        state = step[state]
        states.append(state)
    states.reverse()
    words, begin, nexti = [], 0, 0
    for i, pos in enumerate(states):  # `finalseg.__cut`
        if pos == "B":
            begin = i
        elif pos == "E":
            words.append(buf[begin : i + 1])
            nexti = i + 1
        elif pos == "S":
            words.append(buf[i])
            nexti = i + 1
    if nexti < len(buf):
        words.append(buf[nexti:])
    return words


@cache
def _bmes(finalseg) -> tuple[dict, tuple, tuple]:
    """(emissions per character, filled as met: a model table; start scores of B, M, E, S;
    the transitions E→B, S→B, M→M, B→M, S→S, E→S, B→E, M→E)."""
    t = finalseg.trans_P
    low = finalseg.MIN_FLOAT
    start = tuple(finalseg.start_P[y] for y in "BMES")
    pairs = ("EB", "SB", "MM", "BM", "SS", "ES", "BE", "ME")
    return {}, start, tuple(t[a].get(b, low) for a, b in pairs)


def _emissions(finalseg, c: str) -> tuple[float, float, float, float]:
    emit, low = finalseg.emit_P, finalseg.MIN_FLOAT
    found = _bmes(finalseg)[0][c] = tuple(emit[y].get(c, low) for y in "BMES")
    return found


@cache
def _tools():
    """jieba (ready), its HMM segmenter and the recogniser's walks, looked up once."""
    from jieba import finalseg

    from .postag import walk

    return _jieba(), finalseg, walk


def dag_pieces(sentence: str, ends: list[int]) -> list[tuple[str, bool]]:
    """jieba's walk over a dictionary route, shared by the plain and the tagged cut: (a word of
    two or more characters, False) or (a run of single characters the caller cuts further,
    True), in order."""
    out = []
    x, n, buf = 0, len(sentence), -1  # buf: where the run of single characters began
    while x < n:
        y = ends[x] + 1
        if y - x == 1:
            if buf < 0:
                buf = x
        else:
            if buf >= 0:
                out.append((sentence[buf:x], True))
                buf = -1
            out.append((sentence[x:y], False))
        x = y
    if buf >= 0:
        out.append((sentence[buf:], True))
    return out


def query_tokens(query: str) -> list[str]:
    jieba = _jieba()
    out = []
    for piece in WORD.findall(query.lower()):
        if CJK_RUN.search(piece):
            out += [t for t in jieba.cut(piece) if t.strip()]
        else:
            out.append(piece)
    return out


def cut(text: str) -> list[str]:
    """Bare jieba segmentation (the benchmark's floor)."""
    return list(_jieba().cut(text))
