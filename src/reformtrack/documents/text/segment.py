"""Search tokens: Simplified Chinese segmented by jieba (search mode: words and their parts),
other scripts by words, lower-cased; stored space-joined so LIKE works on any database."""

from __future__ import annotations

import re
import tempfile
import threading
import warnings
from pathlib import Path

_lock = threading.Lock()
_ready = False
WORD = re.compile(r"[\w\u0590-\u05ff'-]+")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# The search tokens of the runs read lately (copies of a story share most runs): a run's
# tokens depend on its characters and the dictionary only.
_run_tokens: dict[str, tuple[str, ...]] = {}
KEPT_RUNS = 20_000  # all dropped past that


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
    """Distinct tokens in order of first appearance."""
    _jieba()
    out: dict[str, None] = {}
    for piece in WORD.findall(simplified.lower()):
        if CJK_RUN.search(piece):
            for run in CJK_RUN.findall(piece):
                found = _run_tokens.get(run)
                if found is None:
                    found = _run_tokens[run] = tuple(cut_for_search(run))
                out.update(dict.fromkeys(found))
            rest = CJK_RUN.sub(" ", piece).split()
            out.update(dict.fromkeys(rest))
        else:
            out[piece] = None
    from .postag import begin_document

    begin_document()  # the document's routes are used up
    if len(_run_tokens) > KEPT_RUNS:
        _run_tokens.clear()
    return [t for t in out if t.strip()]


def cut_for_search(sentence: str):
    """`jieba.cut_for_search(sentence)`, the dictionary route of each run taken from the
    recogniser's cut of the same document when it cut that run (`postag.route`)."""
    import jieba
    from jieba import finalseg

    from .postag import route

    freq = jieba.dt.FREQ
    for word in _cut(sentence, jieba, finalseg, freq, route):
        if len(word) > 2:
            for i in range(len(word) - 1):
                if freq.get(gram := word[i : i + 2]):
                    yield gram
        if len(word) > 3:
            for i in range(len(word) - 2):
                if freq.get(gram := word[i : i + 3]):
                    yield gram
        yield word


def _cut(sentence, jieba, finalseg, freq, route):
    """`jieba.cut(sentence)` (accurate mode, HMM on) with the given route function."""
    for blk in jieba.re_han_default.split(sentence):
        if not blk:
            continue
        if jieba.re_han_default.match(blk):
            yield from _cut_dag(blk, finalseg, freq, route(blk))
        else:
            for x in jieba.re_skip_default.split(blk):
                if jieba.re_skip_default.match(x):
                    yield x
                else:
                    yield from x


def _cut_dag(sentence, finalseg, freq, route):
    def flush(buf):
        if len(buf) == 1:
            yield buf
        elif not freq.get(buf):
            yield from finalseg.cut(buf)
        else:
            yield from buf

    for is_word, piece in dag_pieces(sentence, route):
        if is_word:
            yield piece
        else:
            yield from flush(piece)


def dag_pieces(sentence: str, route: dict):
    """jieba's walk over a dictionary route, shared by the plain and the tagged cut: (True, a
    dictionary word of two or more characters) or (False, a run of single characters that the
    caller cuts further)."""
    x, buf, n = 0, "", len(sentence)
    while x < n:
        y = route[x][1] + 1
        word = sentence[x:y]
        if y - x == 1:
            buf += word
        else:
            if buf:
                yield False, buf
                buf = ""
            yield True, word
        x = y
    if buf:
        yield False, buf


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
