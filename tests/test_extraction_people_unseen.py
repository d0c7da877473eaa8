"""People and titles by structures found on unseen dev batches 300-332 (issue 20 item 2, gathered
and annotated before any extraction ran on them): a title after a name that opens its clause and
any verb the tagger reads (not a relative clause: 作的报告, 所作的); a title's last character glued
to the name's first by the cut (董事长江…); a name then 时, (when meeting X); 应邀 as an act; the
act of the name before (代表…与) cut from the next one's title; credits with the writer's unit
(作者:某某局 张三) and 审签; English surnames in capitals, a label glued to the word before it,
plural possessives (Minmetals’ President), a title ending before "in <Place>", and a long "of"
title whose name comes before the next post; 在+place then a verb, a joiner glued to a name
(马思一及), long lists of body-name-post before 等, 负责同志 before a title, 寿 as a surname,
Chinese names in brackets, "also" and "one of …" before an English title. Sentences are
written for the tests; each runs under each recogniser this machine has."""

import pytest

from . import _recognisers
from ._dev_gold import score_dev
from ._extracted import titled

engine = _recognisers.engine  # each recogniser this machine has

pytestmark = pytest.mark.usefixtures("engine")


def names(text: str) -> set[str]:
    return {name for name, _title in titled(text)}


def test_a_title_after_a_name_that_opens_its_clause_then_any_verb_is_an_act():
    text = "会议听取了各单位的汇报；王建国董事长结合集团实际提出了明年的工作要求。"
    assert ("王建国", "董事长") in titled(text)


def test_a_leader_only_cited_in_a_relative_clause_is_no_participant():
    text = (
        "会议指出，李强总理作的政府工作报告内容丰富。\n"
        "会上，习近平总书记代表中央所作的报告受到热烈欢迎。"
    )
    assert not {"李强", "习近平"} & names(text)


def test_a_name_then_shi_and_a_comma_ends_before_shi():
    text = "刘东明在拜会市政府副秘书长陈立时，介绍了集团的发展情况。"
    assert ("陈立", "市政府副秘书长") in titled(text)
    assert "陈立时" not in names(text)


def test_invited_is_an_act_after_a_title():
    text = "省国资委副局长郑国华应邀出席会议并讲话。"
    assert ("郑国华", "省国资委副局长") in titled(text)


def test_the_act_of_the_name_before_is_cut_from_the_next_title():
    text = "集团副总裁孙志刚代表集团与市政府副市长周文斌共同签署协议。"
    found = titled(text)
    assert ("周文斌", "市政府副市长") in found
    assert not any(title.startswith("代表") for _name, title in found)


def test_a_joiner_inside_a_body_name_stays_in_the_title():
    text = "出席活动的有恒通集团主席陈家明、信和置业副主席黄文光。"
    assert ("黄文光", "信和置业副主席") in titled(text)


def test_credits_with_the_writers_unit_and_a_countersigning_editor():
    text = (
        "双方将在城市更新等领域开展合作。\n"
        "(作者:中铁五局 王海峰 李晓东)\n"
        "编辑:张明 审核:赵亮 审签:孙丽\n"
    )
    found = titled(text)
    assert {("王海峰", "作者"), ("李晓东", "作者"), ("孙丽", "审签")} <= found


def test_english_surnames_in_capitals_after_a_title():
    text = "Deputy Director General ZHANG Wenhua, from the Ministry of Finance, met the delegation."
    assert ("ZHANG Wenhua", "Deputy Director General") in titled(text)


def test_an_english_label_glued_to_the_word_before_it():
    text = "Business DailyReporter: Zhou Mingyu\n\nThe group reported steady growth this year."
    assert ("Zhou Mingyu", "Reporter") in titled(text)


def test_english_plural_possessives_and_a_title_ending_before_in_place():
    text = (
        "On May 3, Mr. Sun Haitao, China Coal Enterprises’ President and Party Secretary, "
        "met with Liu Jianhua, Mayor of the People’s Government of Xiangtan in China’s central "
        "Hunan province."
    )
    found = titled(text)
    assert ("Sun Haitao", "China Coal Enterprises’ President and Party Secretary") in found
    assert ("Liu Jianhua", "Mayor of the People’s Government of Xiangtan") in found


def test_a_long_of_title_names_the_first_person_before_the_next_post():
    text = (
        "Member of the Provincial Standing Committee and Party Secretary of Hami City Wang Jianguo "
        "and Director of the Provincial Commerce Department Li Ming attended the meeting."
    )
    assert "Wang Jianguo" in names(text)


def test_a_place_with_zai_then_a_verb_after_a_title_written_after_the_name():
    text = "双方进行了交流。\n赵文斌总经理在公司总部会见了来访的市国资委副主任孙立一行。"
    assert ("赵文斌", "总经理") in titled(text)


def test_a_joiner_glued_to_a_name_is_cut_and_the_next_title_is_its_own():
    text = "集团副总经理刘思远及集团办公室主任王海燕一同参加了会谈。"
    assert {("刘思远", "集团副总经理"), ("王海燕", "集团办公室主任")} <= titled(text)


def test_a_long_list_of_bodies_names_and_posts_before_deng():
    text = (
        "李建国副市长、市政府吴文斌副秘书长、市国资委周海涛主任、市水务局马红梅局长、"
        "市生态环境局潘国英副局长、市科工信局蔡德宝副局长、市财政局刘长安副局长、"
        "市发改委聂光明副主任等出席揭牌仪式。"
    )
    found = titled(text)
    assert ("吴文斌", "副秘书长") in found
    assert ("聂光明", "副主任") in found


def test_a_lead_naming_the_responsible_comrade_is_cut_from_the_title():
    text = "攻势承办单位主要负责同志市国资委党委书记、主任马卫东到会应询。"
    assert ("马卫东", "市国资委党委书记、主任") in titled(text)


def test_shou_is_a_surname_and_shouxian_no_name():
    text = "集团党委书记寿建平主持会议。公司总经理介绍了寿险业务的发展情况。"
    found = names(text)
    assert "寿建平" in found
    assert not any(name.startswith("寿险") for name in found)


def test_english_name_with_chinese_in_brackets_also_and_one_of():
    text = (
        "Fees will fall this year, said Gao Min (高敏), vice-chair of the China Securities "
        "Regulatory Commission (CSRC) at a press conference held on Monday.\n"
        "Growth will hold, Zhao Lin, one of the country's best-known economists, also said.\n"
        "The plan is on track, Sun Wei, also vice chairman of the commission, told reporters."
    )
    found = titled(text)
    assert ("Gao Min", "vice-chair of the China Securities Regulatory Commission (CSRC)") in found
    assert ("Zhao Lin", "one of the country's best-known economists") in found
    assert ("Sun Wei", "vice chairman of the commission") in found


def test_a_page_with_a_space_before_every_mark_neither_fails_nor_loses_a_list():
    text = (
        "11月2日 ，中共某县委副书记 、县长曾伟一行到集团总部考察 。\n"
        "一同参加会见的还有 ，集团总裁刘连勇 、总裁助理廉博文 、董晓 、财务总监刘华 。"
    )
    found = titled(text)
    assert {("廉博文", "总裁助理"), ("董晓", "总裁助理"), ("刘华", "财务总监")} <= found


def test_a_time_with_yu_then_an_act_after_a_title_written_after_the_name():
    text = "应市委邀请，陈国生董事长于7月24日至25日期间赴湘潭市考察。"
    assert ("陈国生", "董事长") in titled(text)


def test_a_name_ending_in_a_joiner_character_before_a_mark():
    text = "市经信委主任林静，市住建委主任刘家和；集团总经理李新华等参加会见。"
    assert ("刘家和", "市住建委主任") in titled(text)


def test_the_batches_gathered_for_this_work_hold_in_docs_evaluate():
    """Dev 300-338 (four batches; gold written before any extraction ran on each). Their first
    scores were F1 0.90/0.92 (jieba/LAC, all types) for 300-310, 0.83/0.87 for 311-321,
    0.91/0.88 for 322-332 and 0.80/0.80 for 333-338 (one page crashed the rules): these
    figures are tuned ones."""
    report, articles = score_dev(300, 338, with_address=True)
    assert articles == 39
    by_type = {row["name"]: row for row in report["types"]}
    assert by_type["person"]["precision"] >= 0.95 and by_type["person"]["f1"] >= 0.95
    assert by_type["title"]["precision"] >= 0.95 and by_type["title"]["f1"] >= 0.93
