"""Spun repair leaves two official words clean prose writes alike (推动/推进) to the context
alone: in a text found spun, the document's evidence lowers the bar only for a spinner's
artefact (鞭策, 轨制), so the writer's own 推动 where the context reads both forms the same is
kept, while the artefacts are undone and a 推动 in a context clean prose writes with 推进 is
restored."""

from reformtrack.documents.text import spun_learn
from reformtrack.documents.text.ngram import CharModel
from reformtrack.documents.text.spun_learn import Swap, repair

LIBRARY = [
    "集团坚持推动工作落实，各单位坚持推进工作落实。",
    "全面深化改革，稳步推进改革，推进改革取得新成效。",
    "推动高质量发展，推动高质量发展取得新进展。",
    "完善现代企业制度，健全市场化经营机制，加快建设世界一流企业。",
    "明确岗位职责，落实考核目标，提升管理水平。",
] * 3 + ["各单位积极推动各项工作。"]  # clean prose writes 推动 a little more often than 推进
SWAPS = [Swap("推动", "推进"), Swap("鞭策", "推进"), Swap("轨制", "制度"),
         Swap("机理", "机制"), Swap("查核", "考核")]  # fmt: skip
SPUN = (
    "集团坚持推动工作落实。"  # the writer's own 推动: clean prose writes both here
    "稳步推动改革，鞭策改革取得新成效。"  # 推动 (spun from 推进) where clean prose writes 推进
    "完善现代企业轨制，健全市场化经营机理，落实查核目标，鞭策管理提升。"
)


def test_ordinary_word_kept_where_context_cannot_tell_artefacts_undone():
    model = CharModel(LIBRARY)
    result = repair(SPUN, SWAPS, model, threshold=1.0)
    assert result.spun
    assert "集团坚持推动工作落实" in result.text  # the writer's word is kept
    assert "稳步推进改革" in result.text  # a context that calls for 推进 is restored
    assert "推进改革取得新成效" in result.text
    for artefact in ("鞭策", "轨制", "机理", "查核"):
        assert artefact not in result.text
    assert {c["before"] for c in result.changes} == {"推动", "鞭策", "轨制", "机理", "查核"}


def test_library_share_tells_ordinary_words_from_artefacts():
    model = CharModel(LIBRARY)
    assert spun_learn._library_share("推动", ["推进"], model) >= spun_learn.ORDINARY_SHARE
    assert spun_learn._library_share("鞭策", ["推进"], model) == 0.0
