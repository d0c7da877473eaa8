"""The import's sheet reader (core.import_sheet) gives the values openpyxl gives, faster: shared
and inline strings, numbers, dates by their style, booleans, cached formula results, rows and
cells missing from the file, a percentage as Excel shows it; only the first worksheet is read,
and its declared size is read before any row (a sheet declaring none is bounded while read)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from reformtrack.core.import_sheet import FirstSheet
from reformtrack.core.importer import Column, Importer, ImportFailed, text


def workbook_bytes(write_only: bool = False) -> bytes:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("数据") if write_only else book.active
    rows = [
        ["编号", "名称", "日期", "比例", "数量", "是否", "公式"],
        ["A-1", "改革 任务", dt.datetime(2024, 6, 30), 0.455, 3, True, "=1+1"],
        ["A-2", "  前后空格  ", dt.date(2025, 1, 2), 1, 2.5, False, None],
        [],
        ["A-3", None, None, None, -7, None, "text"],
    ]
    for row in rows:
        sheet.append(row)
    if not write_only:
        sheet["D2"].number_format = "0.0%"
        sheet["D3"].number_format = "0%"
        sheet.cell(row=7, column=9, value="far")  # a gap of rows and of cells
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def openpyxl_rows(data: bytes) -> list[tuple]:
    """What openpyxl's read-only iteration gives, a percentage shown as Excel shows it."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = []
    for cells in book.worksheets[0].iter_rows():
        values = []
        for cell in cells:
            value = getattr(cell, "value", None)
            fmt = getattr(cell, "number_format", "") or ""
            if isinstance(value, int | float) and not isinstance(value, bool) and "%" in fmt:
                value = f"{(Decimal(str(value)) * 100).normalize():f}%"
            values.append(value)
        out.append(tuple(values))
    book.close()
    return out


def strip(row: tuple) -> tuple:
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


@pytest.mark.parametrize("write_only", [False, True], ids=["shared strings", "inline strings"])
def test_the_reader_gives_what_openpyxl_gives(write_only):
    data = workbook_bytes(write_only)
    sheet = FirstSheet(io.BytesIO(data))
    try:
        mine = list(sheet.rows())
    finally:
        sheet.close()
    expected = openpyxl_rows(data)
    assert [number for number, _values in mine] == list(range(1, len(expected) + 1))
    assert [strip(values) for _n, values in mine] == [strip(values) for values in expected]
    assert mine[1][1][:4] == ("A-1", "改革 任务", dt.datetime(2024, 6, 30), "45.5%" if not
                              write_only else 0.455)  # fmt: skip


def test_the_declared_size_is_read_before_the_rows():
    sheet = FirstSheet(io.BytesIO(workbook_bytes()))
    try:
        assert sheet.dimension() == (7, 9)
    finally:
        sheet.close()


def test_only_the_first_worksheet_is_read():
    book = Workbook()
    book.active.append(["编号", "名称"])
    book.active.append(["A-1", "第一张"])
    other = book.create_sheet("其他")
    other.append(["编号", "名称"])
    other.append(["B-1", "第二张"])
    data = io.BytesIO()
    book.save(data)
    sheet = FirstSheet(io.BytesIO(data.getvalue()))
    try:
        assert [values for _n, values in sheet.rows()] == [("编号", "名称"), ("A-1", "第一张")]
    finally:
        sheet.close()


class Codes(Importer):
    columns = (Column("code", "编号", "Code", required=True, parse=text(10)),
               Column("name", "名称", "Name"))  # fmt: skip


def test_a_sheet_declaring_no_size_is_bounded_while_read(settings):
    settings.REFORMTRACK_IMPORT_MAX_CELLS = 40
    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(["编号", "名称"])
    for n in range(30):
        sheet.append([f"A-{n}", "x"])
    data = io.BytesIO()
    book.save(data)
    assert FirstSheet(io.BytesIO(data.getvalue())).dimension() is None
    with pytest.raises(ImportFailed) as refused:
        list(Codes().stream(data.getvalue()))
    assert refused.value.errors[0].row == 21  # 21 rows × 2 columns > 40 cells


def test_a_damaged_sheet_is_refused_as_a_whole():
    data = workbook_bytes()
    broken = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]
            target.writestr(item, body)
    result = Codes().run(broken.getvalue())
    assert not result.ok and result.errors[0].row is None
