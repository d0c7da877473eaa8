"""A copy with no clean copy beside it whose spinner's list held one word it uses again and
again is found spun by that form alone (`spun_learn._repeated`): written REPEAT_USES times as
words of their own, every use read as its clean word in context, its clean word written seldom
if at all, a word clean prose rarely writes. Only that form is undone; a clean text writing the
clean word, or the form fewer times, or a name repeating one context, is left alone."""

from reformtrack.documents.text.spun_learn import REPEAT_PER_CLEAN, REPEAT_USES, repair
from tests._spun_library import SWAPS, library

SPUN = (
    "公司召开改革工作会，部署下一阶段工作。会议要求鞭策混合所有制改革，鞭策国有资本布局优化，"
    "鞭策重点任务落地见效，确保全年各项工作顺利完成。"
)
CLEAN = SPUN.replace("鞭策", "推进")


def test_a_copy_using_one_rare_spun_form_again_and_again_is_restored_in_that_form():
    model, threshold = library(SWAPS)
    result = repair(SPUN, SWAPS, model, threshold=threshold)
    assert result.score < result.bar and not result.sparse  # one form: no other rule finds it
    assert result.spun and result.repeated == ["鞭策"]
    assert result.text == CLEAN  # 公司 (a learned spun form of 企业) is left: no evidence for it
    assert [c["before"] for c in result.changes] == ["鞭策"] * REPEAT_USES
    # a clean word the spinner left beside REPEAT_PER_CLEAN uses for it: still its copy
    kept = SPUN.replace("确保全年各项工作顺利完成", "鞭策各项工作，确保全年任务顺利推进")
    assert REPEAT_PER_CLEAN * kept.count("推进") <= kept.count("鞭策")
    result = repair(kept, SWAPS, model, threshold=threshold)
    assert result.repeated == ["鞭策"] and "鞭策" not in result.text


def test_clean_text_and_a_writer_using_the_clean_word_too_are_left_alone():
    model, threshold = library(SWAPS)
    once_clean = SPUN.replace("顺利完成", "顺利推进")  # 推进 once: under REPEAT_PER_CLEAN uses
    fewer = SPUN.replace("鞭策重点任务", "抓好重点任务")  # the form twice
    # a name: one context each time, where the clean word gains only by being the commoner word
    name = "远东鞭策公司召开会议。会议听取了远东鞭策公司的工作汇报，远东鞭策公司领导班子参加会议。"
    # a name after different words: the same word follows it each time (鞭策公司, 鞭策集团)
    names = (
        "鞭策公司召开会议。会议听取了鞭策公司的工作汇报，与会者认为鞭策公司领导班子团结有力。",
        "本报讯 鞭策集团召开年度会议。会上，鞭策集团董事长作报告，并表扬了鞭策集团各子公司。",
    )
    for text in (CLEAN, once_clean, fewer, name, *names):
        result = repair(text, SWAPS, model, threshold=threshold)
        assert not result.spun and result.text == text and result.changes == []
