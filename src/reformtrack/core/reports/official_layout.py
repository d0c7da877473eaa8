"""The official-document layout (GB/T 9704-2012 党政机关公文格式) applied to every Word report:
A4, margins 37/35/28/26 mm, title 2号 小标宋, body 3号 仿宋 on a 22-line × 28-character grid,
headings 黑体 and 楷体, page numbers "— 1 —" in 4号 宋体. The official font names are written;
a free stand-in installed by the Makefile is named for East Asian text where they are missing
(see docs/reports.md)."""

from __future__ import annotations

import io

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = (
    "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体")  # fmt: skip
# Free stand-ins (fonts-wqy-microhei is installed by the Makefile; fonts-arphic-* if present).
STAND_INS = {TITLE_FONT: "WenQuanYi Micro Hei", BODY_FONT: "AR PL UKai CN",
             H1_FONT: "WenQuanYi Micro Hei", H2_FONT: "AR PL UKai CN",
             PAGE_FONT: "AR PL UMing CN"}  # fmt: skip
SIZE_2, SIZE_3, SIZE_4 = 22, 16, 14  # 号 in points
LINE_PITCH = 28.95  # points: 22 lines in the 225 mm text block


def _fonts(style_or_run_element, name: str) -> None:
    from docx.oxml.ns import qn

    rfonts = style_or_run_element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{key}"), name)
    rfonts.set(qn("w:hint"), "eastAsia")


def _style(doc, name: str, font: str, size: int, *, center=False, indent=False, bold=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    try:
        style = doc.styles[name]
    except KeyError:
        return
    _fonts(style.element, font)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH if size <= SIZE_3 else LINE_PITCH * 1.2)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    if center:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _font_table(doc) -> None:
    """Declare each official font with its stand-in as w:altName (Word/LibreOffice fallback)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from lxml import etree

    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE),
                None)  # fmt: skip
    if part is None:
        return
    root = etree.fromstring(part.blob)
    for official, stand_in in STAND_INS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), official)
        etree.SubElement(font, qn("w:altName")).set(qn("w:val"), stand_in)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_numbers(section) -> None:
    """Footer "— PAGE —", 4号 宋体, on the outside (right; odd pages)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    footer = section.footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for run in list(para.runs):
        run._element.getparent().remove(run._element)
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def run(text=None, field=None):
        r = para.add_run(text or "")
        r.font.size = Pt(SIZE_4)
        _fonts(r._element, PAGE_FONT)
        if field:
            for kind, body in (("begin", None), (None, field), ("end", None)):
                if kind:
                    el = OxmlElement("w:fldChar")
                    el.set(qn("w:fldCharType"), kind)
                else:
                    el = OxmlElement("w:instrText")
                    el.set(qn("xml:space"), "preserve")
                    el.text = body
                r._element.append(el)

    run("— ")
    run(field=" PAGE ")
    run(" —")


def apply_official_layout(data: bytes) -> bytes:
    """The .docx `data` restyled in the official-document layout."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = Document(io.BytesIO(data))
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28 - 7 * 0.35)  # the number sits about 7 mm below the text
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH * 20)))  # twips
        grid.set(qn("w:charSpace"), "0")
        _page_numbers(section)
    _style(doc, "Normal", BODY_FONT, SIZE_3, indent=True)
    _style(doc, "Body Text", BODY_FONT, SIZE_3, indent=True)
    _style(doc, "Title", TITLE_FONT, SIZE_2, center=True)
    _style(doc, "Subtitle", H2_FONT, SIZE_3, center=True)
    _style(doc, "Heading 1", H1_FONT, SIZE_3)
    _style(doc, "Heading 2", H2_FONT, SIZE_3)
    _style(doc, "Heading 3", BODY_FONT, SIZE_3, bold=True)
    # Direct formatting in templates would override the styles: the East Asian font of every
    # body run follows its paragraph's style (tables keep their own small size).
    for para in doc.paragraphs:
        for run in para.runs:
            rpr = run._element.rPr
            if rpr is not None and rpr.rFonts is not None:
                rpr.remove(rpr.rFonts)
    _font_table(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
