"""Organisation names by general structure (issue 20 item 2): a name with no place or brand the
recogniser knows, standing alone between a list's or a clause's bounds (、，和 or a line's start)
and a company's or a publisher's head (…有限公司, …集团, …出版社, …时报, …参考报), and a
clause's verb before 集团 that is no name. Sentences are written for the tests; each runs under
each recogniser this machine has."""

import pytest

from . import _recognisers
from ._extracted import organisations

engine = _recognisers.engine  # each recogniser this machine has

pytestmark = pytest.mark.usefixtures("engine")


def test_a_company_with_no_place_after_a_comma_keeps_its_whole_name():
    text = "会议介绍了改革的整体进展情况，中智咨询管理有限公司专家受邀进行了专题辅导。"
    assert "中智咨询管理有限公司" in organisations(text)


def test_groups_listed_between_commas_and_he_are_names():
    text = "新集团将整合航空城集团、格力集团和交通集团的相关业务，打造一流企业。"
    assert {"航空城集团", "格力集团", "交通集团"} <= organisations(text)


def test_a_publisher_and_a_paper_are_names():
    text = "国务院国资委、机械工业出版社等单位派员出席。\n来源：经济参考报 2024年7月1日"
    assert {"机械工业出版社", "经济参考报"} <= organisations(text)


def test_a_paper_ending_in_shi_bao_after_a_place():
    assert "华夏时报" in organisations("华夏时报记者从会上获悉，改革进展顺利。")


def test_a_clauses_verb_before_ji_tuan_is_no_name():
    text = "会上各单位交流了年度工作打算，谋划集团高质量发展思路和措施。"
    assert not {n for n in organisations(text) if n.endswith("集团")}


def test_generic_companies_stay_unnamed():
    text = "集团公司要求，各子公司、控股公司和上市公司加强管理，该公司做好准备。"
    assert organisations(text) == set()


def test_a_wires_dateline_names_the_medium():
    text = "人民网北京7月25日电 (记者 王某)会议召开。\n中新网3月3日电 据报道，改革推进。"
    assert {"人民网", "中新网"} <= organisations(text)


def test_a_dateline_after_junk_that_names_no_medium_gives_nothing():
    assert organisations("开奖直播北京7月20日电 会议召开，改革推进。") == set()


def test_verbs_that_open_a_clause_before_ji_tuan_are_no_name():
    text = "会议要求，重塑集团管控模式；研究细化集团改革方案，推动落实。"
    assert not {n for n in organisations(text) if n.endswith("集团")}


def test_a_verb_inside_a_groups_name_but_not_one_acting_on_the_group():
    text = "此外，国家开发投资集团与航天科技集团签约。\n会议要求，中国中车加强集团管控。"
    found = organisations(text)
    assert "国家开发投资集团" in found
    assert not {n for n in found if "加强" in n}
