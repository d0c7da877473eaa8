"""Facts by structure on text the rules never saw (issue 20 item 2): figures grouped by a space,
amounts per head, English units in any case, English counts whose modifiers hold an acronym or
a quote, whose noun has no s, or that share the noun of the count after them; ranks are no
counts; grades in quotes, grades naming a group, "其中" after a grading sentence, a list wrapped
across lines; a paper's edition and a scraper's stamp in dating. The sentences are made up for
each shape (not copied from the dev articles). Each test runs under LAC (when installed) and
jieba's tags: a rating needs its organisation found."""

import datetime as dt

import pytest

from reformtrack.documents.pipeline import process

from . import _recognisers
from ._extracted import items

engine = _recognisers.engine  # each recogniser this machine has
pytestmark = pytest.mark.usefixtures("engine")  # each test under each recogniser


def counts(text: str) -> set[int]:
    return {i["value"]["count"] for i in items(text, "count")}


def money(text: str) -> set[tuple[str, str]]:
    return {(i["value"]["value"], i["value"]["unit"]) for i in items(text, "money")}


def published(text: str, address: str = "") -> dt.date | None:
    return process(text.encode(), "t.txt", address=address).meta["published_on"]


def test_thousands_grouped_by_a_space_are_one_figure():
    text = "全省实施改革项目超过4 200项，其中市属企业2 718项，引入社会资本7 500亿元。"
    assert counts(text) == {4200, 2718}  # not 200 and 718
    assert money(text) == {("750000000000", "亿元")}
    assert money("In 2019 300 billion yuan was raised.") == {("300000000000", "billion yuan")}


def test_an_amount_per_head_is_not_a_sum():
    text = "全员劳动生产率达到人均65.3万元，另一家为48.1万元/人，营业收入120亿元。"
    found = money(text)
    assert ("653000", "万元/人") in found and ("481000", "万元/人") in found
    assert ("12000000000", "亿元") in found


def test_english_currency_words_in_any_case():
    text = "The firms raised 1.8 trillion Yuan (268.4 billion U.S. Dollars) last year."
    assert money(text) == {
        ("1800000000000", "trillion yuan"),
        ("268400000000", "billion U.S. dollars"),
    }


def test_english_counts_by_their_shape():
    text = (
        "Most of the 70-plus provincial SOEs and about 3,100 local SOE subsidiaries joined. "
        'The plan names 212 "shell companies," covering 15,000 enterprises and 340,000 people. '
        "It chose 12 centrally and 17 locally owned groups."
    )
    assert counts(text) == {70, 3100, 212, 15000, 340000, 12, 17}
    plus = [i for i in items(text, "count") if i["value"]["count"] == 70]
    assert plus[0]["value"].get("approx") is True


def test_a_figure_before_its_group_counts_its_members():
    text = "Among the firms assessed, 37 were rated as excellent."
    assert counts(text) == {37}


def test_ranks_are_no_counts():
    text = "榜单前20名中有6家能源企业，另有7家分列第十一到十五位，目前3家企业已完成。"
    assert counts(text) == {6, 7, 3}


def test_quoted_grades_in_english():
    text = (
        "Sinopec was again rated as “A” by SASAC in the performance evaluation. "
        "State Grid and China Mobile were “A” rated companies in the appraisal."
    )
    found = {(i["value"]["organisation"], i["value"]["rating"]) for i in items(text, "rating")}
    assert found == {("SINOPEC", "A"), ("SGCC", "A"), ("CHINA-MOBILE", "A")}


def test_a_grade_naming_a_group_grades_nobody_before_it():
    text = "据国资委统计，纳入考核的中央企业为97家，A级企业占总数的48%。"
    assert items(text, "rating") == []


def test_among_them_after_a_grading_sentence_shares_its_grade():
    text = (
        "国资委2日公布考核结果，中国华电集团等45家中央企业被评为2013年度考核A级。"
        "其中，中国电信、中粮集团为新进入企业；中国华能排名上升。"
    )
    found = {(i["value"]["organisation"], i["value"]["rating"]) for i in items(text, "rating")}
    assert found == {("HUADIAN", "A"), ("CHINA-TELECOM", "A"), ("COFCO", "A")}


def test_a_list_wrapped_across_lines_and_a_list_about_one_grade():
    text = (
        "国资委发布了年度经营业绩考核A级中央企业名单，共有40家中央企业上榜。其中，"
        "国家电网公司、\n中国移动通信集团公司位列前两名。"
        "新进入A级的有中粮集团和中国华能集团公司。"
    )
    found = {(i["value"]["organisation"], i["value"]["rating"]) for i in items(text, "rating")}
    assert found == {("SGCC", "A"), ("CHINA-MOBILE", "A"), ("COFCO", "A"), ("HUANENG", "A")}


def test_a_papers_edition_dates_the_article_over_a_scrapers_stamp():
    text = (
        "发布时间:2024-10-12 07:15:02 来源: sp20241012\n"
        "本报北京3月4日电 国资委召开会议。\n"
        "《 人民日报 》（ 2024年03月05日 第 02 版）"
    )
    assert published(text) == dt.date(2024, 3, 5)


def test_a_scrapers_stamp_only_bounds_the_day_of_the_first_sentence():
    text = "发布时间:2024-10-12 07:15:02 来源: sp20241012\n记者获悉，8月16日，多家央企集中签约。"
    assert published(text) == dt.date(2024, 8, 16)
    own = "发布时间:2024-10-12 07:15:02 来源: 新华网\n记者获悉，8月16日，多家央企集中签约。"
    assert published(own) == dt.date(2024, 10, 12)  # a site's own line is its date


def test_a_footer_time_stamp_dates_an_undated_page():
    text = "国资委召开会议，部署改革工作。\n会议要求加快推进。\n2023-06-09 15:20 来源：新华网"
    assert published(text) == dt.date(2023, 6, 9)


def test_hyphenated_units_and_verbs_after_a_figure():
    text = (
        "Sales rose by a 7.4-percent margin after the 2-trillion-yuan plan. "
        "A reading above 50 indicates growth, while 12 firms gained."
    )
    assert {i["value"]["percent"] for i in items(text, "percent")} == {"7.4"}
    assert money(text) == {("2000000000000", "trillion CNY")}
    assert counts(text) == {12}


def test_the_n_big_bodies_are_counted_but_not_one_of_them():
    assert counts("三大电信运营企业共建铁塔，四大国有银行参与。") == {3, 4}
    assert counts("该集团是国内六大发电集团之一。") == set()


def test_ranges_are_counted_by_their_lower_bound():
    text = (
        "The plan keeps 40 to 60 groups, between 20 and 25 firms and 15-18 pilot companies; "
        "the number of SOEs was cut to 96, down from 112."
    )
    assert counts(text) == {40, 20, 15, 96, 112}


def test_a_share_already_reached_is_no_target():
    text = (
        "截至6月底，已完成改革任务的85%。"
        "Central SOEs had completed 92 percent of tasks by the end of June."
    )
    assert items(text, "target") == []
    assert {i["value"]["percent"] for i in items(text, "percent")} == {"85", "92"}
    target = "力争年底前完成改革任务的85%以上。"
    assert [i["value"]["percent"] for i in items(target, "target")] == ["85"]


def test_an_agency_credit_under_the_text_dates_it():
    text = "The number of central SOEs has dropped to 96.\n(Xinhua News Agency March 3, 2016)"
    assert published(text) == dt.date(2016, 3, 3)


def test_fractions_and_chinese_numeral_amounts():
    text = "涉及全省三分之一的企业，计划投资超两千亿元，但数百亿元项目未定。"
    assert {i["value"]["percent"] for i in items(text, "percent")} == {"33.33"}
    assert money(text) == {("200000000000", "亿元")}


def test_a_share_aimed_at_within_a_stated_year():
    text = "2025年是深化改革的收官之年，要力争完成85%以上的重点任务。"
    found = [(i["value"]["percent"], i["value"]["deadline"]) for i in items(text, "target")]
    assert found == [("85", "2025-12-31")]
    past = "2022年营业收入完成率为97%。"
    assert items(past, "target") == []


def test_hyphenated_words_around_and_among_modifiers():
    text = "There are 430 state-owned science and technology enterprises in the programme."
    assert counts(text) == {430}


def test_chinese_ranges_and_tenths_in_digits():
    text = "计划打造2-4个研究中心、6～9家示范企业，三家集团收入占全部的6成。"
    assert counts(text) == {2, 6, 3}
    assert {i["value"]["percent"] for i in items(text, "percent")} == {"60"}


def test_english_grades_given_by_other_verbs_and_shapes():
    text = (
        "Sinopec was graded A in the annual performance evaluation. "
        "State Grid earned Grade A in the appraisal of central enterprises. "
        "Sinochem obtained an 'A' in the SASAC performance review. "
        "Among the A-level enterprises in the 2022 assessment are China Mobile and COFCO. "
        "China Unicom completed an A-share listing in the assessment year."
    )
    found = {(i["value"]["organisation"], i["value"]["rating"]) for i in items(text, "rating")}
    assert found == {
        ("SINOPEC", "A"),
        ("SGCC", "A"),
        ("SINOCHEM", "A"),
        ("CHINA-MOBILE", "A"),
        ("COFCO", "A"),
    }


def test_english_counts_in_millions_and_the_number_stated():
    text = (
        "The group has 1.2 million employees. The number of central SOEs stood at 97 last year, "
        "and the number of local groups has reached 310, down from 355."
    )
    assert counts(text) == {1200000, 97, 310, 355}
