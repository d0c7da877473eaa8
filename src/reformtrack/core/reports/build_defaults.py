"""Writes the shipped generic Word template (docx/generic.docx). Run after changing it:
`.venv/bin/python -m reformtrack.core.reports.build_defaults`. Apps may copy the pattern."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from .docx import CJK_FONT, DEFAULTS_DIR


def new_document() -> Document:
    """A blank A4 document whose styles use the CJK font for East Asian text."""
    doc = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Subtitle"):
        style = doc.styles[name]
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), CJK_FONT)
        rfonts.set(qn("w:ascii"), CJK_FONT)
        rfonts.set(qn("w:hAnsi"), CJK_FONT)
    doc.styles["Normal"].font.size = Pt(10.5)
    return doc


def generic(path: Path) -> None:
    """Title, subtitle, then sections: heading, paragraphs, an optional table and image."""
    doc = new_document()
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{{ subtitle }}", style="Subtitle")
    doc.add_paragraph("{%p for section in sections %}")
    doc.add_paragraph("{{ section.heading }}", style="Heading 1")
    doc.add_paragraph("{%p for paragraph in section.paragraphs %}")
    doc.add_paragraph("{{ paragraph }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if section.table %}")
    doc.add_paragraph("{{p section.table }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if section.image %}")
    doc.add_paragraph("{{ section.image }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(path)


if __name__ == "__main__":
    generic(DEFAULTS_DIR / "generic.docx")
