"""Shared report rendering: a Word file from the generic template and a PDF from HTML, both
opened for real (LibreOffice converts the .docx; pypdf reads the text) and showing Chinese."""

from __future__ import annotations

import io
import os
import subprocess

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from reformtrack.core import reports
from reformtrack.core.reports.docx import save_override


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_to_pdf(data: bytes, tmp_path) -> bytes:
    """LibreOffice converts the Word file as a user's office suite would open it."""
    source = tmp_path / "report.docx"
    source.write_bytes(data)
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, env=env, capture_output=True, timeout=180,
    )  # fmt: skip
    return (tmp_path / "report.pdf").read_bytes()


CONTEXT = {
    "title": "专项评估报告",
    "subtitle": "昊华化工科技集团股份有限公司",
    "sections": [
        {
            "heading": "评估结果",
            "paragraphs": ["评级为标杆。"],
            "table": reports.Table(["企业", "得分"], [["昊华科技", "95.00"], ["中化能源", "88.5"]]),
            "image": reports.Image(reports.bar_chart_png(["昊华科技", "中化能源"], [95, 88.5])),
        }
    ],
}


def test_word_report_opens_in_libreoffice_with_chinese(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    data = reports.render_docx("generic", CONTEXT)
    text = pdf_text(docx_to_pdf(data, tmp_path))
    for expected in ("专项评估报告", "评级为标杆", "昊华科技", "95.00"):
        assert expected in text


def test_pdf_renders_chinese_and_fetches_nothing_outside(settings):
    context = {**CONTEXT, "sections": [{**CONTEXT["sections"][0], "svg": reports.bar_chart_svg(
        ["昊华科技"], [95])}]}  # fmt: skip
    context["sections"][0]["table"] = {"headers": ["企业", "得分"], "rows": [["昊华科技", "95"]]}
    data = reports.render_pdf("reports/base.html", context)
    text = pdf_text(data)
    assert "专项评估报告" in text and "昊华科技" in text
    fetcher = reports.pdf.StaticOnlyFetcher()
    with pytest.raises(Exception, match="refused"):
        fetcher.fetch("https://cdn.example.com/x.css")
    assert fetcher.fetch(reports.pdf.STATIC_PREFIX + "reformtrack/app.css").status == 200


def test_supervisor_override_wins_and_broken_upload_is_refused(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(ValidationError):
        save_override("generic", b"not a word file")
    assert reports.docx_template_path("generic").name == "generic.docx"
    from docx import Document

    doc = Document()
    doc.add_paragraph("自定义模板 {{ title }}")
    buffer = io.BytesIO()
    doc.save(buffer)
    save_override("generic", buffer.getvalue())
    rendered = Document(io.BytesIO(reports.render_docx("generic", {"title": "标题"})))
    assert rendered.paragraphs[0].text == "自定义模板 标题"
