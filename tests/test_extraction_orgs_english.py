"""Organisations and English text on articles nobody tuned for (issue 20 item 2): English
company names by shape and official names in any case, Chinese names joined or cut by a line
wrap, ratings given by an English list, elliptic English counts, share prices, a stored page's
date line. The yardstick: the dev articles 150-175, gathered and annotated for this before any
rule saw them, hold P >= 0.95 and F1 >= 0.9."""

import datetime as dt
from pathlib import Path

import pytest

from reformtrack.documents.pipeline import process
from reformtrack.documents.text import facts

from . import _recognisers
from ._dev_gold import score_dev
from ._extracted import items

engine = _recognisers.engine  # each recogniser this machine has

DEV = Path(__file__).parent / "data" / "documents" / "unseen" / "dev"


def orgs(text: str) -> dict[str, str]:
    """Each organisation as written → its code (or "" for a name outside the lexicons)."""
    return {i["text"]: i["value"]["code"] for i in items(text, "organisation")}


def test_english_company_names_end_with_their_legal_form_and_start_with_a_name():
    found = orgs(
        "China Guodian Corp. and Shenhua Group Corp. have merged and reorganized as State "
        "Energy Investment Co., and Sinolight Corp. joined China National Arts & Crafts Group "
        "Corp. Although Baosteel Group and WISCO group made profits, China Coal Science and "
        "Engineering Co., Ltd. did too. Central SOE Poly Group will merge with China Silk Corp."
    )
    for name in ("China Guodian Corp.", "Shenhua Group Corp.", "Sinolight Corp.",
                 "China National Arts & Crafts Group Corp.", "Baosteel Group", "WISCO group",
                 "China Coal Science and Engineering Co., Ltd.", "Poly Group",
                 "China Silk Corp."):  # fmt: skip
        assert name in found, name
    assert not [
        n for n in found if n.startswith(("Although", "Central", "China Guodian Corp. and"))
    ]


def test_official_english_names_link_to_their_code_in_any_case():
    found = orgs(
        "the state owned assets supervision and Administration Commission said AVIC group, "
        "China Petrochemical Corporation (Sinopec) and Ansteel Group Corp Ltd were rated."
    )
    assert found["state owned assets supervision and Administration Commission"] == "SASAC"
    assert found["AVIC group"] == "AVIC"
    assert found["China Petrochemical Corporation"] == "SINOPEC"
    assert found["Ansteel Group Corp Ltd"] == "ANSTEEL"  # the alias and its legal form


def test_a_name_with_its_acronym_and_news_sources():
    found = orgs(
        "SASAC approved the merger of China Nuclear Engineering & Construction (CNEC), "
        "according to Reuters' calculations and a report on industry website "
        "guangfu.bjx.com.cn. The Belt and Road Initiative (BRI) was cited by Science and "
        "Technology Daily."
    )
    assert {"China Nuclear Engineering & Construction", "Reuters", "guangfu.bjx.com.cn",
            "Science and Technology Daily"} <= set(found)  # fmt: skip
    assert not [n for n in found if "Initiative" in n]


def test_the_state_council_closing_sasacs_name_is_not_a_body_of_its_own():
    found = orgs("The State-owned Assets Supervision and Administration Commission (SASAC) of "
                 "the State Council chose the first batch.")  # fmt: skip
    assert "State Council" not in found


def test_chinese_names_joined_or_acting_on_each_other_are_each_a_name(engine):
    found = orgs(
        "中国国电集团与神华集团合并重组。中国宝武重组中钢集团。"
        "具体行动包括华发集团整合九洲控股集团。"
    )
    assert {"中国国电集团", "神华集团", "中钢集团", "九洲控股集团"} <= set(found)
    assert engine == "jieba" or "华发集团" in found  # jieba's tags give it no named anchor
    assert found.get("中国宝武") == "BAOWU"
    assert not [n for n in found if "与" in n or "重组" in n or "整合" in n]


def test_a_long_name_cut_by_a_wrapped_line_is_still_that_name():
    found = items("经报国务院批准,中国石油化 工集团有限公司与中国航空油料集团有限公司实施重组。",
                  "organisation")  # fmt: skip
    codes = {i["value"]["code"] for i in found}
    assert "SINOPEC" in codes and "CNPC" not in codes


def test_an_english_list_of_a_grade_rates_the_companies_named_on_it():
    text = (
        "The State-owned Assets Supervision and Administration Commission (SASAC) has released "
        "the list of A-level enterprises in the 2022 annual performance assessment.\n"
        "Some of the notable companies in the list are China Mobile Communications Group and "
        "China Merchants Group."
    )
    rated = {(i["value"]["organisation"], i["value"]["rating"]) for i in items(text, "rating")}
    assert rated == {("CHINA-MOBILE", "A"), ("CMG", "A")}  # not the body that released it


def test_english_grades_in_the_sentence_and_their_denial():
    text = (
        "China Petrochemical Corporation and China National Offshore Oil Corp are among the 46 "
        "A-level performance companies. However, AVIC group failed to continue to be rated as "
        "A-level in 2012."
    )
    rated = {i["value"]["organisation"] for i in items(text, "rating")}
    assert rated == {"SINOPEC", "CNOOC"}


def test_an_abbreviation_does_not_end_a_sentence():
    text = "PetroChina and China Coal Science and Engineering Co., Ltd. have become A-level."
    assert len(list(facts.sentences(text))) == 1


def test_english_figures_that_leave_their_noun_to_the_count_before():
    text = (
        "China currently has 98 central SOEs, down from 117 five years ago. Meanwhile, 51 firms "
        "were rated with a B, 21 with a C and 2 with a D. Capacity was cut by 16 million tons. "
        "The number of enterprises has been reduced to 96 from 113 in 2012."
    )
    assert {i["value"]["count"] for i in items(text, "count")} == {98, 117, 51, 21, 2, 96, 113}


def test_no_count_from_a_date_or_a_capitalised_name():
    text = " date 2019-01-25 Ten Chinese SOEs include China Three Gorges Corporation."
    assert {i["value"]["count"] for i in items(text, "count")} == {10}


@pytest.mark.usefixtures("engine")
def test_chinese_counts_of_bodies_below_ten_and_two_counts_side_by_side():
    found = items("有两家央企巨头牵手。十四五时期，6组10家央企实现战略性重组，三个领军。", "count")
    assert {i["value"]["count"] for i in found} == {2, 6, 10}


def test_a_share_price_in_yuan_and_half_in_chinese():
    money = items("Its shares were up 0.4 percent to 7.60 yuan.", "money")
    assert [(m["value"]["amount"], m["value"]["currency"]) for m in money] == [("7.60", "CNY")]
    percent = items("耗煤量占到中国煤炭消费的一半左右。", "percent")
    assert [p["value"]["percent"] for p in percent] == ["50"]


def test_multiples_in_chinese_and_english():
    found = facts.multiples("利润增长1.4倍。The total EVA increased 1.4 times from a year earlier.")
    assert [m.value["value"] for m in found] == ["1.4", "1.4"]


def test_a_stored_pages_date_line_dates_it():
    done = process(b" date 2023-07-15 SASAC has released the list.\n", "t.txt")
    assert done.meta["published_on"] == dt.date(2023, 7, 15)


def test_the_organisation_and_english_dev_articles_hold():
    """Dev articles 150-175 (gathered for this work, gold written before any rule saw them)."""
    report, articles = score_dev(150, 199)
    assert articles >= 26
    by_type = {row["name"]: row for row in report["types"]}
    assert report["overall"]["precision"] >= 0.95 and report["overall"]["f1"] >= 0.9
    assert by_type["organisation"]["f1"] >= 0.9 and by_type["rating"]["f1"] >= 0.85
    english = {row["name"]: row for row in report["languages"]}["en"]
    assert english["precision"] >= 0.95 and english["f1"] >= 0.9


def test_english_money_with_short_scales_and_the_currency_after():
    found = facts.money("It raised 5bn RMB, RMB10.8bn, $2.5bn, 3 million U.S. dollars and "
                        "40 billion renminbi.")  # fmt: skip
    assert [(m.value["value"], m.value["currency"]) for m in found] == [
        ("5000000000", "CNY"), ("10800000000", "CNY"), ("2500000000", "USD"),
        ("3000000", "USD"), ("40000000000", "CNY"),
    ]  # fmt: skip


def test_english_dates_with_abbreviated_months_and_us_numbers():
    from reformtrack.documents.text.dates import find_dates

    found = [d for _pos, d in find_dates("Jan 17, 2019; Aug. 28, 2017; 08/28/2017; 3 Sept 2020")]
    assert found == [dt.date(2019, 1, 17), dt.date(2017, 8, 28), dt.date(2017, 8, 28),
                     dt.date(2020, 9, 3)]  # fmt: skip


def test_english_bodies_named_by_their_office_and_not_inside_a_title_or_a_congress():
    found = orgs(
        "Vice Premier Liu He, head of the State Council leading group for SOE reform, spoke. "
        "State Councilor Wang Yong presided. The Leading Group for State-Owned Enterprises "
        "Reform of the State Council met, with the All-China Federation of Industry and Commerce "
        "and the Central Propaganda Department, since the 18th National Congress of the "
        "Communist Party of China, under the leadership of the Communist Party of China."
    )
    assert {"State Council leading group for SOE reform", "All-China Federation of Industry and "
            "Commerce", "Central Propaganda Department"} <= set(found)  # fmt: skip
    assert "Leading Group for State-Owned Enterprises Reform of the State Council" in found
    assert "State Council" not in found  # not inside "State Councilor"
    parties = [i for i in items("… since the 18th National Congress of the Communist Party of "
                                "China (CPC) in 2012 …", "organisation")]  # fmt: skip
    assert parties == []


def test_english_paraphrases_of_the_three_year_and_deepening_actions():
    text = (
        "China completes major tasks in 3-year SOE reform.\n"
        "A campaign to deepen and upgrade state-owned enterprise reform began.\n"
        "Three-year terms of office were assessed."  # no SOE reform in the sentence
    )
    codes = [i["value"]["code"] for i in items(text, "programme")]
    assert codes == ["TYA", "DUA"]


def test_teams_and_generic_groups_are_no_company():
    found = orgs("The Central Inspection Group and a Working Group met the SOE group of Shenhua "
                 "Group Corp.")  # fmt: skip
    assert set(found) == {"Shenhua Group Corp."}
