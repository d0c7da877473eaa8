"""The pipeline on the five source articles: language, date, source, spun repair, facts."""

import datetime as dt
from pathlib import Path

import pytest

from reformtrack.documents.pipeline import process
from reformtrack.documents.text.normalise import normalise
from reformtrack.documents.text.spun import detect_and_repair

DATA = Path(__file__).parent / "data" / "documents"
SEEDS = {p.name[:3]: p for p in DATA.glob("0*.txt")}


@pytest.fixture(scope="module")
def done():
    return {key: process(path.read_bytes(), path.name) for key, path in SEEDS.items()}


@pytest.mark.parametrize(
    ("key", "language", "published", "source"),
    [
        ("000", "he", dt.date(2022, 11, 30), "SINOCHEM"),  # inferred: its executive is quoted
        ("001", "en", dt.date(2024, 5, 20), "paper.ce.cn"),
        ("002", "en", dt.date(2024, 3, 15), "CECEP"),  # not the CMS "publishdate" 2024-06-12
        ("003", "zh-Hans", dt.date(2022, 5, 19), "国务院国资委网站"),
        ("004", "zh-Hant", dt.date(2021, 8, 8), "南京卓遠"),
    ],
)
def test_language_date_and_source(done, key, language, published, source):
    assert done[key].language == language
    assert done[key].meta["published_on"] == published
    assert done[key].meta["source"] == source


def test_spun_copy_is_flagged_and_repaired_to_the_clean_wording(done):
    spun = done["003"]
    assert spun.spun and spun.spun_confidence >= 0.9
    for clean in ("安全稳定", "技术", "会议", "工作", "改革三年行动", "创新", "发展", "产业链"):
        assert clean in spun.text
    for swapped in ("清静", "手艺", "聚会", "立异", "工业链", ",,", "。。"):
        assert swapped not in spun.text
    assert "工业和信息化部" in spun.text  # a protected real name is not "repaired"
    assert "清静" in spun.original  # the original is kept
    first = spun.changes[0]
    assert spun.text[first["start"] : first["end"]] == first["after"]


def test_a_clean_release_passes_through_unchanged(done):
    clean = done["003"].text  # the repaired copy is the clean wording
    text, repairs = normalise(clean)
    assert text == clean and repairs == {}
    result = detect_and_repair(text)
    assert not result.spun and result.text == clean and result.changes == []


def test_clean_articles_are_not_flagged(done):
    assert not any(done[k].spun for k in ("000", "001", "002", "004"))


def test_noise_repairs():
    noisy = "國務(wù)院国资委x7Gk2q召开会议，，，，要求ＡＢＣ１２３。\n閱讀數:447\n"
    text, repairs = normalise(noisy)
    assert text == "國務院国资委召开会议，要求ABC123。"
    assert {"pinyin", "junk", "repeated_punctuation", "width", "scraper_line"} <= set(repairs)


def test_hebrew_ratings_seven(done):
    ratings = {(i["value"]["organisation"], i["value"]["rating"]) for i in done["000"].items
               if i["kind"] == "rating"}  # fmt: skip
    assert ratings == {
        ("HAOHUA", "标杆"), ("SINOCHEM-ENERGY", "优秀"), ("SINOCHEM-INTL", "优秀"),
        ("NANTONG-XINGCHEN", "优秀"), ("SINOCHEM-ENV", "良好"), ("SYRICI", "良好"),
        ("ZHONGLAN-CHENGUANG", "良好"),
    }  # fmt: skip
    assert all(i["value"]["year"] == 2021 for i in done["000"].items if i["kind"] == "rating")
    counts = [i["value"] for i in done["000"].items if i["kind"] == "count"]
    assert counts and {(c["count"], c["noun"]) for c in counts} == {(7, "מפעלי הנדסה מיוחדים")}


def test_items_keep_their_span(done):
    for key, result in done.items():
        for item in result.items:
            if item["kind"] in ("organisation", "programme", "money", "percent", "target"):
                assert result.text[item["start"] : item["end"]] == item["text"], key


def test_facts_of_the_weekly_brief(done):
    items = done["004"].items
    money = {(i["value"]["value"], i["text"]) for i in items if i["kind"] == "money"}
    assert ("13400000000", "134億元") in money
    targets = {(i["value"]["percent"], i["value"]["deadline"]) for i in items
               if i["kind"] == "target"}  # fmt: skip
    assert {("70", "2021-08-31"), ("80", "2021-10-31"), ("80", "2021-12-31")} <= targets
    rate = next(i for i in items if i["kind"] == "percent" and i["text"] == "73%")
    assert "公司制改革" in rate["value"]["what"].replace("公司制改革", "公司制改革")
    assert done["004"].meta["doc_number"] == "國令第744号"


def test_hostile_html_runs_no_script():
    html = ("<html><body><script>alert(1)</script><nav>menu</nav><article><h1>标题</h1>"
            "<p>国资委召开会议，推进产业链建设工作。国资委召开会议，推进产业链建设工作。</p>"
            "<p onclick='x()'>第二段内容足够长，以便提取正文。第二段内容足够长，以便提取正文。</p>"
            "</article></body></html>").encode()  # fmt: skip
    result = process(html, "page.html")
    assert "alert" not in result.text and "<" not in result.text
    assert "产业链" in result.text


def test_an_impossible_date_is_no_date():
    result = process("标题足够长的一篇新闻稿件\n2024-02-30\n国资委召开会议。".encode(), "x.txt")
    assert result.meta["published_on"] is None


def test_figures_survive_translation():
    zh = process(
        "央企利润\n发布时间：2021-08-02\n中央企业资产总额2.6万亿元，同比增长12.5%。".encode(),
        "zh.txt",
    )
    en = process(
        b"Central SOEs\nDate: 2021-08-02\nTotal assets of 2.6 trillion yuan, up 12.5% on the year.",
        "en.txt",
    )
    assert {"y2600000000000", "p12.5"} <= set(zh.keys) & set(en.keys)


def test_inferred_sources_are_marked_and_stated_ones_are_not(done):
    assert done["002"].meta["source_inferred"] and done["002"].meta["source_basis"] == "executive"
    assert done["000"].meta["source_inferred"]
    assert not done["003"].meta["source_inferred"] and not done["001"].meta["source_inferred"]


def test_the_group_is_preferred_over_its_subsidiary_when_no_executive_is_quoted():
    text = "中国环保召开会议。中国环保推进改革。中国节能出席。中国环保表示将落实。"
    assert process(text.encode(), "x.txt").meta["source"] == "CECEP"  # CNEPG is CECEP's
    alone = "中国环保召开会议。中国环保推进改革。国资委出席。"
    assert process(alone.encode(), "y.txt").meta["source"] == "CNEPG"


def test_the_organisation_in_the_quoted_executive_title_wins():
    text = (
        "国资委召开会议，国资委部署改革。国资委要求落实。中国一重党委书记、董事长刘明忠出席并讲话。"
    )
    done = process(text.encode(), "z.txt")
    assert (done.meta["source"], done.meta["source_basis"]) == ("CFHI", "executive")


def test_a_word_after_a_title_is_no_person_unless_it_starts_with_a_surname():
    from reformtrack.documents.text.entities import people

    text = "支持總經理履行對經理層副職的提名權。國務院總理李克強出席，總書記習近平指出。"
    found = {(p.value["name"], p.value["title"]) for p in people(text)}
    assert found == {("李克强", "国务院总理"), ("习近平", "总书记")}  # the whole title


def test_every_method_found_reads_in_the_readers_language(done):
    """The document page's method column: each method the extractors name has a label."""
    from django.utils import translation

    from reformtrack.documents.display import METHODS, method_label

    methods = {item["method"] for result in done.values() for item in result.items}
    assert methods and methods <= set(METHODS), methods - set(METHODS)
    with translation.override("zh-hans"):
        assert method_label("recogniser") == "实体识别模型"
