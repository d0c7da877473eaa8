"""CSV and Excel writers shared by every list export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A cell value that a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
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
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet with a bold frozen header and column widths that fit Chinese text."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    ws.append(list(header))
    for header_cell in ws[1]:
        header_cell.font = Font(bold=True)
    widths = [_width(h) for h in header]
    for row in rows:
        values = [cell(v) for v in row]
        ws.append(values)
        widths = [max(w, _width(v)) for w, v in zip(widths, values, strict=False)]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheet_title: str, header, rows) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(sheet_title, header, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
