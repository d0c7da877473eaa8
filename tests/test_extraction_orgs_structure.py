"""Organisation names by structure on text no rule was written for (issue 20 item 2, dev
batches 480-509): media a page credits (来源：…, …讯, (…网), 【…报导】), a body's own name opening
its branch's, an adjective inside a company's name, the central government's ministries by name,
a list's last item and a short name paired by 与, short names a text defines (以下简称 /
hereinafter), and in English: party organs of a prefecture, units named by a group's acronym,
lower-case machine-translated company names, the State Council after a verb's noun; headings,
teams, kinds of company and a form in capitals are no names. Sentences are written for the
tests; each runs under each recogniser this machine has."""

import pytest

from reformtrack.documents.evaluation import norm
from reformtrack.documents.pipeline import process

from . import _recognisers
from ._extracted import organisations

engine = _recognisers.engine  # each recogniser this machine has

pytestmark = pytest.mark.usefixtures("engine")


def test_media_a_page_credits_are_names():
    text = (
        "来源:人民网-人民日报海外版\n中化新网讯 10月13日,某集团召开会议。\n"
        "会议要求深化改革。(南方财经网)\n【大纪元3月21日报导】台湾科技大学今天举行校庆。"
    )
    assert {"人民网", "人民日报海外版", "中化新网", "南方财经网", "大纪元"} <= organisations(text)


def test_a_banks_branch_and_a_company_with_an_adjective_inside():
    text = "工商银行安徽省分行党委书记到访集团。重组后的华阳新材料科技集团将大力布局新材料产业。"
    assert {"工商银行安徽省分行", "华阳新材料科技集团"} <= organisations(text)


def test_ministries_by_name_but_not_a_department_word():
    found = organisations("教育部政务次长陈德华出席。各地教育部门和工业和信息化部参加。")
    assert {"教育部", "工业和信息化部"} <= found
    assert not {n for n in found if n.startswith("教育部门")}


def test_a_lists_last_item_and_a_short_name_paired_with_a_found_one():
    text = (
        "例如,兵器装备集团、东风公司同步参与投资。项目还包括:鞍钢与中铝集团新材料合作项目、"
        "中国绿发与科大讯飞股份有限公司人工智能合作项目等。开发区党工委、管委会对集团公司领导调整。"
    )
    found = organisations(text)
    assert {"东风公司", "中国绿发", "科大讯飞股份有限公司"} <= found
    assert not {n for n in found if "对集团" in n}  # a clause after a list's mark is no name


def test_a_short_name_the_text_defines_is_that_body_where_it_is_used():
    text = (
        "6月11日，中国机械工业集团有限公司与山东重工集团有限公司（以下简称“山东重工”）签署协议。"
        "山东重工将加强合作。"
    )
    items = [i for i in process(text.encode(), "t.txt").items if i["kind"] == "organisation"]
    assert [i["start"] for i in items if i["text"] == "山东重工"] == [
        text.index("山东重工”"),
        text.rindex("山东重工"),
    ]


def test_english_party_organs_prefecture_bodies_and_a_groups_units():
    text = (
        "Zhu Xun, Deputy Director of the Overseas Chinese Affairs and Foreign Affairs Department "
        "of the United Front Work Department of the Sichuan Provincial Party Committee, and "
        "officials from the Aba Prefecture Bureau of Economy and Information Technology and Aba "
        "Prefecture Maoxian County Party Committee met leaders of SDIC Power and SDIC Capital."
    )
    found = organisations(text)
    assert {
        "United Front Work Department of the Sichuan Provincial Party Committee",
        "Aba Prefecture Bureau of Economy and Information Technology",
        "Aba Prefecture Maoxian County Party Committee",
        "SDIC Power",
        "SDIC Capital",
    } <= found
    assert not {n for n in found if n.startswith("Overseas")}


def test_lower_case_machine_translated_companies():
    text = (
        "On June 11, China machinery industry group co., LTD. and shandong heavy industry "
        "group co., LTD. signed a strategic cooperation agreement."
    )
    assert {
        "China machinery industry group co., LTD.",
        "shandong heavy industry group co., LTD.",
    } <= organisations(text)


def test_headings_teams_kinds_of_company_and_capital_forms_are_no_names():
    text = (
        "Related News\nState Capital Investment Corporation Pilot\n"
        "Cai Qingli Led a Team to Visit CHG for Research and Exchange\n"
        "Yuan Jie, Secretary of the Party Leadership Group, spoke. With the approval of the State "
        "Council, the groups merged. SDIC Group and China Railway and SDIC Group signed.\n"
        "Copyright By China Railway NO.3 GROUP Co.,LTD"
    )
    found = organisations(text)
    assert "State Council" in found
    assert not found & {
        "Related News",
        "State Capital Investment Corporation",
        "Research and Exchange",
        "Party Leadership Group",
        "China Railway and SDIC Group",
        "GROUP Co.",
    }


def test_a_closing_full_stop_is_no_part_of_a_name_when_scored():
    assert norm("China Investment Corp.") == norm("China Investment Corp")


def test_a_persons_name_before_a_company_is_no_part_of_its_name():
    found = organisations("會上,官慶任中國建築工程總公司黨組書記。鐘濤調研國投集團。")
    assert not {n for n in found if n.startswith(("官", "鐘"))}


def test_a_places_party_committee_and_government_in_a_machine_translations_case():
    text = (
        "He met the Party secretary of Kunming municipal committee of CPC at the seminar of "
        "Taizhou municipal government. The municipal government said it would help."
    )
    found = organisations(text)
    assert {"Kunming municipal committee of CPC", "Taizhou municipal government"} <= found
    assert not {n for n in found if n.startswith("The")}
