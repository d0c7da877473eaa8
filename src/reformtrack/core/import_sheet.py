"""The rows of an .xlsx worksheet as plain values, streamed: what an import reads.

openpyxl's read-only iteration builds a cell object (and, for inline strings, a rich-text object
through its descriptor machinery) for every cell; an import needs only the values. This reads
the sheet's XML with the same parser openpyxl uses, one row element at a time (each cleared once
read), and turns each cell into the value openpyxl would give with `data_only=True`: numbers,
dates by the cell's style, shared and inline strings, booleans, ISO dates, cached formula
results. A number shown as a percentage (0.455 as 45.5%) is read as Excel shows it, "45.5%", so
a percent column means the same whether typed as 45.5 or formatted as %.

The workbook's parts an import needs (shared strings, styles, where the first sheet is) are read
by openpyxl's own reader; its other sheets are never opened (openpyxl's `load_workbook` reads
each sheet up to its declared dimension, and the whole sheet when a file declares none).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from xml.etree.ElementTree import iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

NS = f"{{{SHEET_MAIN_NS}}}"
ROW, VALUE, INLINE, TEXT, RUN = (NS + tag for tag in ("row", "v", "is", "t", "r"))
DIMENSION, SHEET_DATA = NS + "dimension", NS + "sheetData"
DIGITS = "0123456789"


class FirstSheet:
    """The first worksheet of an .xlsx file (a path or a binary file object), opened for
    reading its rows; `close()` when done. Raises (any exception) on a damaged workbook."""

    def __init__(self, file):
        reader = ExcelReader(file, read_only=True, data_only=True)
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            self.path = next(
                rel.target
                for _sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            )
        except BaseException:
            reader.archive.close()
            raise
        self.archive, self.workbook, self.strings = reader.archive, reader.wb, reader.shared_strings

    def close(self) -> None:
        self.archive.close()

    def dimension(self) -> tuple[int, int] | None:
        """(rows, columns) the sheet declares, read up to where its cells begin; None if it
        declares none."""
        with self.archive.open(self.path) as source:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == DIMENSION:
                    _min_col, _min_row, columns, rows = range_boundaries(element.get("ref"))
                    return (rows, columns) if rows and columns else None
                if element.tag == SHEET_DATA:
                    return None
        return None

    def rows(self) -> Iterator[tuple[int, tuple]]:
        """(row number, values) of every row, from row 1; a row missing from the file comes
        as (number, ()), as openpyxl gives it. Raises on a damaged sheet."""
        return sheet_rows(self.workbook, self.strings, self.archive.open(self.path))


def sheet_rows(workbook, strings, source) -> Iterator[tuple[int, tuple]]:
    """The rows of the sheet XML in `source` (closed at the end), with the workbook's shared
    `strings` and styles."""
    dates, durations, epoch = workbook._date_formats, workbook._timedelta_formats, workbook.epoch
    percents = percent_styles(workbook)
    columns: dict[str, int] = {}
    counter = 0
    with source:
        for _event, row in iterparse(source):
            if row.tag != ROW:
                continue
            number = _row_number(row.get("r"), counter)
            while counter + 1 < number:
                counter += 1
                yield counter, ()
            counter = max(counter, number)
            values: list = []
            column = 0
            for cell in row:
                ref = cell.get("r")
                column = _column(ref, columns) if ref else column + 1
                kind = cell.get("t", "n")
                if kind == "inlineStr":
                    value = _inline(cell.find(INLINE))
                else:
                    value = cell.findtext(VALUE) or None
                    if value is None:
                        pass
                    elif kind == "n":
                        value = _number(value)
                        style = int(cell.get("s") or 0)
                        if style in dates:
                            try:
                                value = from_excel(value, epoch, timedelta=style in durations)
                            except (OverflowError, ValueError):
                                value = "#VALUE!"  # as openpyxl: a date serial out of range
                        elif style in percents:
                            value = f"{(Decimal(str(value)) * 100).normalize():f}%"
                    elif kind == "s":
                        value = strings[int(value)]
                    elif kind == "b":
                        value = bool(int(value))
                    elif kind == "d":
                        value = from_ISO8601(value)
                if column > len(values):
                    values.extend([None] * (column - 1 - len(values)))
                    values.append(value)
                else:
                    values[column - 1] = value
            row.clear()
            yield number, tuple(values)


def percent_styles(workbook) -> frozenset[int]:
    """Indexes of the cell styles whose number format shows a percentage."""
    found = set()
    for index, style in enumerate(workbook._cell_styles):
        code = style.numFmtId
        if code < BUILTIN_FORMATS_MAX_SIZE:
            shown = BUILTIN_FORMATS.get(code, "General")
        else:
            shown = workbook._number_formats[code - BUILTIN_FORMATS_MAX_SIZE]
        if "%" in shown:
            found.add(index)
    return frozenset(found)


def _row_number(text: str | None, counter: int) -> int:
    if not text:
        return counter + 1
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise
        return int(number)


def _column(ref: str, known: dict[str, int]) -> int:
    """'C12' → 3 (letters cached: a sheet has few columns)."""
    letters = ref.rstrip(DIGITS)
    index = known.get(letters)
    if index is None:
        if not letters or not letters.isascii() or not letters.isupper():
            raise ValueError(f"bad cell reference {ref!r}")
        index = 0
        for letter in letters:
            index = index * 26 + ord(letter) - 64
        known[letters] = index
    return index


def _number(text: str):
    """As openpyxl: an int unless the text has a point or an exponent."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _inline(node) -> str | None:
    """An inline string's text: its plain part and its runs (no phonetic guides)."""
    if node is None:
        return None
    parts = []
    for child in node:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            parts.append(child.findtext(TEXT) or "")
    return "".join(parts)
