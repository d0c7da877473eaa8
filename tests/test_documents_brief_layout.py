"""What a reader of the weekly brief sees: each metadata label beside its own value (HTML and
PDF, three languages), English punctuation in the English brief, and an editor that lists
policies first and shows the text in the brief's script, as it will be published."""

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest
from django.urls import reverse
from lxml import html as lxml_html
from pypdf import PdfReader

from reformtrack.documents import briefs
from reformtrack.documents.models import Brief, BriefEntry

from . import test_documents_brief

# The tree and the week's articles, built once for this module too.
ingested_once = test_documents_brief.ingested_once
tree = test_documents_brief.tree
weekly = test_documents_brief.weekly

DATA = Path(__file__).parent / "data" / "documents"
WEEK = dt.date(2021, 8, 2)
LABELS = {
    "zh-Hans": ("发文机关", "文号", "发布日期", "官网链接"),
    "zh-Hant": ("發文機關", "文號", "發佈日期", "官網鏈接"),
    "en": ("Issuing authority", "Document number", "Date", "Official link"),
}
VALUES = {  # the first policy of the week: the 抗震 regulation
    "zh-Hans": ("国务院办公厅", "国令第744号", "2021-08-04", "http://www.gov.cn/zhengce/"),
    "zh-Hant": ("國務院辦公廳", "國令第744號", "2021-08-04", "http://www.gov.cn/zhengce/"),
    "en": ("國務院辦公廳", "國令第744号", "2021-08-04", "http://www.gov.cn/zhengce/"),
}


def _brief(language: str) -> Brief:
    return briefs.build_brief(user=None, week=WEEK, language=language)


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant", "en"])
def test_each_metadata_label_is_followed_by_its_own_value(weekly, language):
    page = lxml_html.fromstring(briefs.render(_brief(language), "html"))
    first = page.xpath("//section[@class='policy']")[0]
    rows = [
        (row.xpath("string(th)").strip(), row.xpath("string(td)").strip())
        for row in first.xpath(".//table[@class='meta']//tr")
    ]
    assert [label for label, _value in rows] == list(LABELS[language])
    for (label, value), expected in zip(rows, VALUES[language], strict=True):
        assert value.startswith(expected), (label, value)


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant", "en"])
def test_in_the_pdf_each_label_shares_its_line_with_its_value(weekly, language):
    pdf = PdfReader(io.BytesIO(briefs.render(_brief(language), "pdf")))
    lines = [
        line
        for page in pdf.pages
        for line in page.extract_text(extraction_mode="layout").splitlines()
    ]
    for label, value in zip(LABELS[language], VALUES[language], strict=True):
        line = next(line for line in lines if line.strip().startswith(label))
        assert value in line, (label, line)


def test_the_english_brief_uses_english_punctuation_and_has_a_margin(weekly):
    brief = _brief("en")
    html = briefs.render(brief, "html").decode()
    assert "Period: 2021.08.02-2021.08.08" in html and "Period：" not in html
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert headings[0].startswith("1. ") and not any("、" in h[:4] for h in headings)
    assert ">Analysis<" in html and "丨" not in html
    assert re.search(r"@media screen \{ body \{[^}]*margin: 12mm auto", html)
    word = docx.Document(io.BytesIO(briefs.render(brief, "docx")))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Issuing authority: 國務院辦公廳" in text and "Period: 2021.08.02" in text
    chinese = briefs.render(_brief("zh-Hans"), "html").decode()
    assert (
        "：2021.08.02-2021.08.08" in chinese and "<h3>1、" in chinese and "丨政策简析丨" in chinese
    )


def test_the_editor_lists_policies_first_in_the_brief_script(weekly, client_for, people):
    office = client_for(people["reform_office"])
    office.post(reverse("documents:briefs"), {"week": "2021-08-05", "language": "zh-Hans"})
    brief = Brief.objects.get()
    page = office.get(brief.get_absolute_url()).content.decode()
    tree = lxml_html.fromstring(page)
    parts = tree.xpath("//section[contains(@class, 'brief-entry')]/@data-part")
    assert parts == sorted(parts, key=lambda p: p != "policy") and parts[0] == "policy"
    headings = [h.text_content() for h in tree.xpath("//section[@data-part]/h3")]
    assert headings[0] == "一、国资国企改革政策及简析 · 1"
    assert page.index("一、国资国企改革政策及简析") < page.index("二、国资相关新闻")
    # what the editor shows is Simplified, as the published brief
    titles = tree.xpath("//input[contains(@name, '-title')]/@value")
    assert "国务院总理李克强签署国务院令公布《建设工程抗震管理条例》" in titles
    assert not any("國務院" in t for t in titles)
    assert "党中央、国务院高度重视" in page and "黨中央" not in page
    # labels in a column, full-width colons, a title input as wide as the form
    assert "标题：</label>" in page and 'class="wide"' in page


def test_text_typed_in_traditional_is_saved_as_it_will_be_published(weekly, client_for, people):
    office = client_for(people["reform_office"])
    brief = briefs.build_brief(user=people["reform_office"], week=WEEK)
    entry = brief.entries.get(part="policy", position=1)
    typed = {f"e{entry.pk}-title": entry.title, f"e{entry.pk}-analysis": "國務院高度重視。"}
    office.post(brief.get_absolute_url(), typed)
    entry.refresh_from_db()
    assert entry.analysis == "国务院高度重视。"
    editor = office.get(brief.get_absolute_url()).content.decode()
    published = briefs.render(brief, "html").decode()
    assert "国务院高度重视。" in editor and "国务院高度重视。" in published
    # a draft stored in 繁体 before this rule still shows (and publishes) 简体
    BriefEntry.objects.filter(pk=entry.pk).update(title="國務院總理簽署條例")
    editor = office.get(brief.get_absolute_url()).content.decode()
    assert 'value="国务院总理签署条例"' in editor and "國務院總理" not in editor
    assert "国务院总理签署条例" in briefs.render(brief, "html").decode()
