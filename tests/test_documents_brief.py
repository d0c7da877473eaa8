"""The weekly brief for the week of 2021-08-02 in the layout of seeds/004: contents, part one
policies (authority, number, date, link, analysis), part two news (source, key facts)."""

import io
from io import StringIO
from pathlib import Path

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from pypdf import PdfReader

from reformtrack.documents import briefs, services
from reformtrack.documents.models import BriefEntry

from ._demo_once import built_once
from .conftest import build_tree

DATA = Path(__file__).parent / "data" / "documents"
WEEK = "2021-08-02"


@pytest.fixture(scope="module")
def ingested_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The tree and the week's articles as the operator ingests them (public documents of the
    top supervisor), built once for the module: each test's writes roll back to it."""

    def build():
        orgs = build_tree()
        for path in sorted(DATA.glob("0*.txt")):
            services.ingest(user=None, data=path.read_bytes(), filename=path.name)
        return orgs

    with built_once(django_db_blocker, tmp_path_factory.mktemp("weekly"), build) as orgs:
        yield orgs


@pytest.fixture
def tree(ingested_once, db):
    return ingested_once


@pytest.fixture
def weekly(tree):
    return tree


def test_the_command_renders_the_brief_as_html_in_the_layout_of_004(weekly, tmp_path):
    out = tmp_path / "brief.html"
    call_command("docs", "brief", "--week", WEEK, "-o", str(out), stdout=StringIO())
    html = out.read_text(encoding="utf-8")
    assert "国资国企改革新规与简析周报（20210802-20210808）" in html
    assert "2021.08.02-2021.08.08" in html and "本期目录" in html
    parts = html.index("一、国资国企改革政策及简析"), html.index("二、国资相关新闻")
    assert parts[0] < parts[1]
    assert "1、国务院总理李克强签署国务院令公布《建设工程抗震管理条例》" in html
    assert "国令第744号" in html and "国务院办公厅" in html
    assert "http://www.gov.cn/zhengce/content/2021-08/04/content_5629341.htm" in html
    assert "党中央、国务院高度重视建设工程抗震工作" in html  # the analysis
    assert html.count("<h3>") == 4 + 18
    assert "完成率73%" in html  # a key fact of the Suqian news


def test_traditional_and_english_labels(weekly, tmp_path):
    hant = tmp_path / "brief-hant.html"
    call_command("docs", "brief", "--week", WEEK, "--language", "zh-Hant", "-o", str(hant),
                 stdout=StringIO())  # fmt: skip
    text = hant.read_text(encoding="utf-8")
    assert "國資國企改革政策及簡析" in text and "國令第744號" in text
    en = tmp_path / "brief-en.html"
    call_command("docs", "brief", "--week", WEEK, "--language", "en", "-o", str(en),
                 stdout=StringIO())  # fmt: skip
    text = en.read_text(encoding="utf-8")
    assert "Part one" in text and "Issuing authority" in text


def test_word_and_pdf(weekly, tmp_path):
    word = tmp_path / "brief.docx"
    call_command("docs", "brief", "--week", WEEK, "-o", str(word), stdout=StringIO())
    paragraphs = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert "国令第744号" in paragraphs and "二、国资相关新闻" in paragraphs
    pdf = tmp_path / "brief.pdf"
    call_command("docs", "brief", "--week", WEEK, "-o", str(pdf), stdout=StringIO())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "建设工程抗震管理条例" in text


def test_edit_then_publish_archives_the_brief(weekly, people):
    brief = briefs.build_brief(user=people["reform_office"], week=briefs.week_of(
        __import__("datetime").date(2021, 8, 4))[0])  # fmt: skip
    entry = brief.entries.filter(part="policy").first()
    briefs.update_entry(user=people["reform_office"], entry=entry, analysis="审核人撰写的简析。")
    assert "审核人撰写的简析。" in briefs.render(brief, "html").decode()
    with pytest.raises(Exception):  # noqa: B017 - a viewer may not publish
        briefs.publish(user=people["viewer"], brief=brief)
    briefs.publish(user=people["reform_office"], brief=brief)
    brief.refresh_from_db()
    assert brief.status == "published" and "审核人撰写的简析。" in brief.archived_html
    with pytest.raises(ValidationError):
        briefs.update_entry(user=people["reform_office"], entry=entry, analysis="改")
    assert BriefEntry.objects.get(pk=entry.pk).analysis == "审核人撰写的简析。"


def test_the_brief_page_builds_edits_publishes_and_downloads(weekly, client_for, people):
    from django.urls import reverse

    from reformtrack.documents.models import Brief

    office = client_for(people["reform_office"])
    response = office.post(
        reverse("documents:briefs"), {"week": "2021-08-05", "language": "zh-Hant"}
    )
    brief = Brief.objects.get()
    assert response["Location"] == brief.get_absolute_url()
    entry = brief.entries.get(part="policy", position=1)
    page = office.get(brief.get_absolute_url()).content.decode()
    assert 'data-testid="edit"' in page and "國資國企改革新規與簡析" in page
    office.post(brief.get_absolute_url(), {f"e{entry.pk}-title": entry.title,
                                           f"e{entry.pk}-analysis": "新的簡析。",
                                           f"e{entry.pk}-key_facts": ""})  # fmt: skip
    entry.refresh_from_db()
    assert entry.analysis == "新的簡析。"
    authority = entry.authority
    number = "国资发改革〔2021〕1号"
    corrected = {f"e{entry.pk}-title": entry.title, f"e{entry.pk}-doc_number": number}
    office.post(brief.get_absolute_url(), corrected)
    entry.refresh_from_db()
    # a Traditional brief stores what it publishes: the simplified number is kept in 繁体
    assert entry.doc_number == "國資發改革〔2021〕1號" and entry.authority == authority
    bad = {f"e{entry.pk}-title": "", f"e{entry.pk}-link": "not a link"}
    page = office.post(brief.get_absolute_url(), bad, follow=True).content.decode()
    assert "未保存任何内容" in page and "官网链接: 请输入合法的URL" in page
    entry.refresh_from_db()
    assert entry.title and entry.doc_number == "國資發改革〔2021〕1號"
    html = office.get(reverse("documents:brief-download", args=[brief.pk, "html"]))
    assert (
        "新的簡析。" in html.content.decode()
        and "script-src" not in html["Content-Security-Policy"]
    )
    office.post(reverse("documents:brief-publish", args=[brief.pk]))
    brief.refresh_from_db()
    assert brief.status == "published"
    page = office.get(brief.get_absolute_url()).content.decode()
    assert 'data-testid="edit"' not in page and "已发布" in page
    pdf = office.get(reverse("documents:brief-download", args=[brief.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
