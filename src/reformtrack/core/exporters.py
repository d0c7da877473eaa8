"""CSV and Excel writers shared by every list export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A cell value that a spreadsheet shows as text, never runs as a formula (a lazily
    translated label is written in the reader's language)."""
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """Streams UTF-8 CSV with a BOM so that Excel opens Chinese text correctly."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _width(value) -> int:
    """Display width of the longest line: CJK characters count twice."""
    text = "" if value is None else str(value)
    return max(
        (sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in text.splitlines()),
        default=0,
    )


def _xlsx_value(value):
    """cell(), minus the control characters that openpyxl refuses to write."""
    value = cell(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def sheet_title_for_excel(title) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of \\ / ? * : [ ] (a chart of
    万元/人 named its sheet with a slash and its download failed)."""
    return INVALID_TITLE_REGEX.sub("-", str(title))[:31] or "Sheet"


def xlsx_workbook(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Workbook:
    """One sheet with a bold frozen header and column widths that fit Chinese text; the caller
    may add validations or comments before saving it with workbook_bytes()."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title_for_excel(sheet_title)
    header = [_xlsx_value(h) for h in header]
    ws.append(header)
    for header_cell in ws[1]:
        header_cell.font = Font(bold=True)
    widths = [_width(h) for h in header]
    for row in rows:
        values = [_xlsx_value(v) for v in row]
        ws.append(values)
        widths = [max(w, _width(v)) for w, v in zip(widths, values, strict=False)]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet with a bold frozen header and column widths that fit Chinese text."""
    return workbook_bytes(xlsx_workbook(sheet_title, header, rows))


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bytes_response(filename: str, data: bytes, content_type: str = XLSX_TYPE) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, sheet_title: str, header, rows) -> HttpResponse:
    return bytes_response(filename, xlsx_bytes(sheet_title, header, rows))
