"""Every Word report in the official-document layout (GB/T 9704-2012): A4, margins 37/35/28/26
mm, title 2号 小标宋 centred, body 3号 仿宋 on a fixed 28.95 pt line with a two-character
indent, headings 黑体/楷体, page numbers "— 1 —"; LibreOffice opens it with the Chinese
intact. An unrated enterprise's report says it is not yet rated, never "评级为—"."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from reformtrack.assessments.models import RuleSet
from reformtrack.assessments.reports import assessment_report
from reformtrack.assessments.services import campaigns as services
from reformtrack.core import reports
from reformtrack.core.libraries import install_library
from tests.test_contracts_pay import contract  # noqa: F401  (fixture)
from tests.test_documents_brief import WEEK, weekly  # noqa: F401  (fixture)
from tests.test_reports import docx_to_pdf, pdf_text

RULESETS = Path(__file__).parent.parent / "src/reformtrack/libraries/rulesets"
CONTEXT = {
    "title": "国有企业改革专项评估报告",
    "subtitle": "昊华化工科技集团股份有限公司",
    "sections": [{"heading": "一、评估结果", "paragraphs": ["综合得分九十五分，评级为标杆。"],
                  "table": reports.Table(["企业", "得分"], [["昊华科技", "95.00"]])}],
}  # fmt: skip


def east_asian(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def check_layout(data: bytes) -> Document:
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
            section.left_margin, section.right_margin)] == [37, 35, 28, 26]  # fmt: skip
    title, normal = doc.styles["Title"], doc.styles["Normal"]
    assert east_asian(title) == "方正小标宋简体" and title.font.size.pt == 22
    assert title.paragraph_format.alignment == 1  # centred
    assert east_asian(normal) == "仿宋_GB2312" and normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert normal.paragraph_format.first_line_indent.pt == 32  # two characters
    assert east_asian(doc.styles["Heading 1"]) == "黑体"
    assert east_asian(doc.styles["Heading 2"]) == "楷体_GB2312"
    footer = section.footer.paragraphs[0]
    assert footer.text.replace(" ", "") == "——" and "PAGE" in footer._p.xml
    return doc


def test_generic_report_is_in_the_official_layout_and_opens_with_chinese(tmp_path):
    data = reports.render_docx("generic", CONTEXT)
    check_layout(data)
    text = pdf_text(docx_to_pdf(data, tmp_path))
    for expected in ("国有企业改革专项评估报告", "一、评估结果", "评级为标杆", "昊华科技", "— 1 —"):
        assert expected in text


def test_unrated_assessment_report_says_not_yet_rated(tmp_path, tree, people):
    for path in sorted(RULESETS.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)
    campaign = services.open_campaign(
        user=people["supervisor_admin"], rule_set=RuleSet.objects.get(code="SPECIAL-EVAL"),
        year=2022, code="L-2022", name_zh="版式评估", organisation=tree["SASAC"],
        self_deadline=dt.date(2099, 11, 30), review_deadline=dt.date(2100, 3, 31),
        targets=[tree["A-SUB"]],
    )  # fmt: skip
    data = assessment_report(campaign.assessments.get(), "docx")
    doc = check_layout(data)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "未评级" in body and "评级为—" not in body
    assert "尚不完整" in body  # nothing self-assessed yet: the total says it is partial
    assert "未评级" in pdf_text(docx_to_pdf(data, tmp_path))
    pdf = pdf_text(assessment_report(campaign.assessments.get(), "pdf"))
    assert "未评级" in pdf and "评级为—" not in pdf


def test_command_line_reports_are_in_the_layout_and_say_not_yet_rated(tmp_path, tree, people):
    from django.core.management import call_command

    for path in sorted(RULESETS.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)
    services.open_campaign(
        user=people["supervisor_admin"], rule_set=RuleSet.objects.get(code="SPECIAL-EVAL"),
        year=2022, code="C-2022", name_zh="命令行评估", organisation=tree["SASAC"],
        self_deadline=dt.date(2099, 11, 30), review_deadline=dt.date(2100, 3, 31),
        targets=[tree["A-SUB"]],
    )  # fmt: skip
    one, summary = tmp_path / "one.docx", tmp_path / "summary.docx"
    call_command("assess", "report", "--campaign", "C-2022", "--org", "A-SUB", "-o", str(one),
                 stdout=io.StringIO())  # fmt: skip
    call_command("assess", "report", "--campaign", "C-2022", "-o", str(summary),
                 stdout=io.StringIO())  # fmt: skip
    body = "\n".join(p.text for p in check_layout(one.read_bytes()).paragraphs)
    assert "未评级" in body and "评级为—" not in body
    check_layout(summary.read_bytes())


def test_contract_and_brief_are_in_the_layout(tmp_path, contract, weekly):  # noqa: F811
    from django.core.management import call_command

    from reformtrack.contracts.documents import contract_docx

    text = "\n".join(p.text for p in check_layout(contract_docx(contract)).paragraphs)
    assert "经理层成员年度经营业绩责任书" in text
    word = tmp_path / "brief.docx"
    call_command("docs", "brief", "--week", WEEK, "-o", str(word), stdout=io.StringIO())
    check_layout(word.read_bytes())
