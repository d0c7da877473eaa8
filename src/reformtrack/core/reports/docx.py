"""Word reports from docxtpl templates (Jinja2 inside a .docx that a supervisor edits in Word).

A template is named by a code. Its default ships with the app that registers it
(`register_docx`); a supervisor's override is the file MEDIA_ROOT/report-templates/<code>.docx
(`save_override`), which wins while it exists. Context values of type `Table` become real Word
tables and `Image` an inline picture, wherever they sit in the context. python-docx, docxtpl and
lxml load inside the functions that use them: registering a template at start-up costs nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULTS_DIR = Path(__file__).parent / "docx"
CJK_FONT = "WenQuanYi Micro Hei"
_REGISTRY: dict[str, Path] = {"generic": DEFAULTS_DIR / "generic.docx"}
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


@dataclass
class Table:
    """A table for a Word report: one header row, then rows of cell texts."""

    headers: list
    rows: list
    widths_mm: list = field(default_factory=list)


@dataclass
class Image:
    """A PNG (or JPEG) picture, `width_mm` wide."""

    data: bytes
    width_mm: int = 150


def register_docx(code: str, path: Path) -> None:
    """Apps name their default templates once (in AppConfig.ready)."""
    _REGISTRY[code] = Path(path)


def registered_docx() -> dict[str, Path]:
    return dict(_REGISTRY)


def override_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "report-templates"


def override_path(code: str) -> Path:
    if not CODE_RE.match(code):
        raise ValidationError(_("Unknown report template %(code)s.") % {"code": code})
    return override_dir() / f"{code}.docx"


def docx_template_path(code: str) -> Path:
    """The supervisor's override if there is one, else the shipped default."""
    custom = override_path(code)
    if custom.exists():
        return custom
    if code not in _REGISTRY:
        raise ValidationError(_("Unknown report template %(code)s.") % {"code": code})
    return _REGISTRY[code]


def save_override(code: str, data: bytes) -> Path:
    """Store an uploaded template after checking that it is a .docx with valid Jinja tags."""
    if code not in _REGISTRY:
        raise ValidationError(_("Unknown report template %(code)s.") % {"code": code})
    from docxtpl import DocxTemplate

    try:
        DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except Exception as exc:  # a broken zip, XML or Jinja: the upload is refused as a whole
        raise ValidationError(
            _("The file is not a usable Word template: %(error)s") % {"error": exc}
        ) from exc
    path = override_path(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def remove_override(code: str) -> None:
    override_path(code).unlink(missing_ok=True)


class _RawXml:
    """Body XML that docxtpl puts in place of a `{{p var }}` paragraph (as its Subdoc does)."""

    def __init__(self, xml: str):
        self.xml = xml

    def __html__(self) -> str:
        return self.xml

    __str__ = __html__


def _borders(table) -> None:
    """Explicit single borders, so the table is ruled whatever styles the template holds."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "808080")):
            element.set(qn(f"w:{key}"), value)
        borders.append(element)
    props.append(borders)


def _table(value: Table) -> _RawXml:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
    from lxml import etree

    scratch = Document()
    table = scratch.add_table(rows=1, cols=len(value.headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table)
    for cell, text in zip(table.rows[0].cells, value.headers, strict=True):
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in value.rows:
        for cell, text in zip(table.add_row().cells, row, strict=False):
            cell.paragraphs[0].add_run("" if text is None else str(text))
    for column, width in zip(table.columns, value.widths_mm, strict=False):
        for cell in column.cells:
            cell.width = Mm(width)
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
                run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
    # An empty paragraph after the table keeps two tables in a row from merging in Word.
    return _RawXml(etree.tostring(table._tbl, encoding="unicode") + "<w:p/>")


def _convert(tpl, value):
    if isinstance(value, Table):
        return _table(value)
    if isinstance(value, Image):
        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(tpl, io.BytesIO(value.data), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: _convert(tpl, item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_convert(tpl, item) for item in value]
    return value


def render_docx(template: str | Path, context: dict) -> bytes:
    """Render a template (a registered code, or a path) with `context`; the .docx bytes, in the
    official-document layout (official_layout.py) whatever styles the template holds."""
    from docxtpl import DocxTemplate

    path = Path(template) if isinstance(template, Path) else docx_template_path(template)
    tpl = DocxTemplate(str(path))
    tpl.render(_convert(tpl, context), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    from .official_layout import apply_official_layout

    return apply_official_layout(out.getvalue())
