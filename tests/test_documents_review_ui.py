"""The document list and the review of one document read as a reviewer expects: language and
organisation names rather than codes, methods in words, fact values as phrases, offsets and
codes kept out of the main text, promotion choices by name, and a word after each decision."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from lxml import html as lxml_html

from reformtrack.core.libraries import install_library
from reformtrack.documents import services
from reformtrack.documents.models import Cluster, Document, Extraction

DATA = Path(__file__).parent / "data" / "documents"
SPUN = DATA / "003_6edbb738d41674c3.txt"
HEBREW = DATA / "000_f040f981a4a9feab.txt"
FIGURES = (
    "甲子公司半年报\n发布时间：2021-08-02\n"
    "上半年，甲子公司实现利润总额134亿元。4家中央企业主要负责同志作了交流讲话。"
)


def _ingest(path: Path) -> Document:
    return services.ingest(user=None, data=path.read_bytes(), filename=path.name)[0]


def _cells(page: str, testid: str, column: int) -> list[str]:
    tree = lxml_html.fromstring(page)
    return [
        td.text_content().strip()
        for td in tree.xpath(f"//section[@data-testid='{testid}']//tbody/tr/td[{column}]")
    ]


def test_the_list_shows_language_names_and_best_copy_only_among_copies(tree, client_for, people):
    spun, hebrew = _ingest(SPUN), _ingest(HEBREW)
    viewer = client_for(people["viewer"])
    page = viewer.get(reverse("documents:list")).content.decode()
    tree_ = lxml_html.fromstring(page)
    languages = [
        td.text_content().strip() for td in tree_.xpath("//table[@data-testid='documents']//td[3]")
    ]
    assert sorted(languages) == ["希伯来文", "简体中文"]
    assert "zh-Hans" not in languages and "最佳稿件" not in page
    cluster = Cluster.objects.create(best=spun)  # two copies of one story
    Document.objects.filter(pk__in=[spun.pk, hebrew.pk]).update(cluster=cluster)
    page = viewer.get(reverse("documents:list")).content.decode()
    row = lxml_html.fromstring(page).xpath(f"//tr[@data-document='{spun.pk}']")[0]
    assert "最佳稿件" in row.text_content() and page.count("最佳稿件") == 1
    detail = viewer.get(spun.get_absolute_url()).content.decode()
    assert "<dd>简体中文</dd>" in detail and "希伯来文" in detail


def test_entities_and_facts_read_as_names_and_phrases(tree, client_for, people):
    document = _ingest(SPUN)
    page = client_for(people["viewer"]).get(document.get_absolute_url()).content.decode()
    linked = _cells(page, "entities", 3)
    assert "国资委 SASAC" in linked  # the name, the code as secondary text
    assert "SASAC" not in linked and "TYA (TYA)" not in page
    assert any(cell.startswith("现代产业链链长") for cell in linked)
    methods = set(_cells(page, "entities", 4)) | set(_cells(page, "facts", 4))
    assert {"别名匹配", "词典", "数字规则"} <= methods and "alias" not in methods
    values = _cells(page, "facts", 3)
    assert any(v.startswith("4 家 中央企业主要") for v in values), values
    assert not any("count=" in v for v in values)
    item = Extraction.objects.filter(document=document, kind="organisation").first()
    assert f"{item.start}–{item.end}" not in "".join(_cells(page, "entities", 2))
    assert f'title="第 {item.start}–{item.end} 字符"' in page  # offsets on hover only
    percent = round(document.spun_confidence * 100)
    assert f">{percent}%</dd>" in page


def test_a_figure_is_promoted_with_named_periods_and_lines(tree, client_for, people):
    path = settings.REFORMTRACK_LIBRARY_DIR / "kpisets" / "00-statement-lines.yaml"
    install_library(path.read_text(encoding="utf-8"), origin=path.name)
    document, _created = services.ingest(user=None, data=FIGURES.encode(), filename="f.txt")
    money = Extraction.objects.get(document=document, kind="money")
    office = client_for(people["reform_office"])
    page = office.post(
        reverse("documents:item-review", args=[money.pk]), {"accept": "1"}, follow=True
    ).content.decode()
    assert "已采纳：134亿元。" in page  # the decision is confirmed
    form = lxml_html.fromstring(page).xpath("//form[@data-testid='promote-figure']")[0]
    periods = dict(
        (o.get("value"), o.text_content()) for o in form.xpath(".//select[@name='period']/option")
    )
    assert periods["Y"] == "全年" and periods["Q2"].startswith("第2季度")
    lines = {o.text_content() for o in form.xpath(".//select[@name='line']/option")}
    assert "利润总额" in lines
    assert _cells(page, "facts", 3)[0].startswith("134 亿元")
    response = office.post(
        reverse("documents:item-promote", args=[money.pk]),
        {"organisation": "A-SUB", "year": "2021", "period": "Q2", "basis": "consolidated",
         "line": "total_profit"}, follow=True,
    )  # fmt: skip
    money.refresh_from_db()
    assert money.promoted_to.startswith("statement:") and "事实已转入" in response.content.decode()


@pytest.mark.parametrize("accept, word", [("1", "已采纳"), ("0", "已驳回")])
def test_a_review_decision_is_confirmed(tree, client_for, people, accept, word):
    document = _ingest(SPUN)
    item = Extraction.objects.filter(document=document, kind="count").first()
    page = client_for(people["reform_office"]).post(
        reverse("documents:item-review", args=[item.pk]), {"accept": accept}, follow=True
    )
    assert f"{word}：{item.text}" in page.content.decode()
