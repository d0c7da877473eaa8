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
    Chinese runs, then the rest of it split at them."""
    _jieba()
    found: list[str] = []
    kept = _piece_tokens
    for piece in WORD.findall(simplified.lower()):
        done = kept.get(piece)
        if done is None:
            if not CJK_RUN.search(piece):
                found.append(piece)
                continue
            done = kept[piece] = _piece(piece)
        found += done
    from .postag import begin_document

    begin_document()  # the document's routes are used up
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
    """`jieba.cut_for_search(sentence)`: each word of the accurate cut after the dictionary's
    words of two and three characters inside it. The dictionary route of each run is taken
    from the recogniser's cut of the same document when it cut that run (`postag.route_ends`).
    """
    jieba, finalseg, route_ends = _tools()
    freq = jieba.dt.FREQ
    out: list[str] = []
    for word in _cut(sentence, jieba, finalseg, route_ends, freq):
        n = len(word)
        if n > 2:
            for i in range(n - 1):
                if freq.get(gram := word[i : i + 2]):
                    out.append(gram)
            if n > 3:
                for i in range(n - 2):
                    if freq.get(gram := word[i : i + 3]):
                        out.append(gram)
        out.append(word)
    return out


@cache
def _tools():
    """jieba (ready), its HMM segmenter and the recogniser's routes, looked up once."""
    from jieba import finalseg

    from .postag import route_ends

    return _jieba(), finalseg, route_ends


def _cut(sentence: str, jieba, finalseg, route_ends, freq: dict) -> list[str]:
    """`jieba.cut(sentence)` (accurate mode, HMM on). The split's odd pieces are the runs its
    pattern matched (a split by a pattern with one group alternates)."""
    out: list[str] = []
    for i, blk in enumerate(jieba.re_han_default.split(sentence)):
        if i & 1:
            _cut_dag(blk, finalseg, freq, route_ends(blk), out)
        elif blk:
            for j, x in enumerate(jieba.re_skip_default.split(blk)):
                if j & 1:
                    out.append(x)
                else:
                    out.extend(x)
    return out


def _cut_dag(sentence: str, finalseg, freq: dict, ends: list[int], out: list[str]) -> None:
    """`Tokenizer.__cut_DAG`: the route's words, a run of single characters between them as
    one word, as characters or by the HMM (`finalseg`)."""
    for piece, is_run in dag_pieces(sentence, ends):
        if is_run:
            _flush(piece, finalseg, freq, out)
        else:
            out.append(piece)


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


def _flush(buf: str, finalseg, freq: dict, out: list[str]) -> None:
    if len(buf) == 1:
        out.append(buf)
    elif not freq.get(buf):
        out.extend(finalseg.cut(buf))
    else:
        out.extend(buf)


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
