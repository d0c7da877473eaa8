"""The shared Excel importer: parse → validate every row → report all errors → write all or nothing.

An app describes its columns (headers in Chinese and English, required or not, a parser that
raises ValueError with a message for the user) and writes the rows it is given; this module
reads the first sheet of an .xlsx file, finds the header row by name in either language (any
column order), skips blank rows, collects every error as RowError(row, column, message) with the
Excel row number and the header as written in the file, and calls the writer inside one
transaction only when there are none. A dry run writes and rolls back, so its counts are true.

Files are bounded before parsing (file size, the zip members' unpacked sizes and ratio, the
sheet's declared dimension) and streamed row by row as plain values (core.import_sheet);
`stream()` yields parsed rows one at a time for importers that check and write in batches.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from .exporters import FORMULA_STARTS
from .i18n import enumeration
from .import_sheet import FirstSheet

XLSX_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_SEARCH_ROWS = 10
DEFAULT_MAX_BYTES = 20 * 2**20  # the uploaded file
DEFAULT_MAX_UNZIPPED_BYTES = 400 * 2**20  # all members of the .xlsx, unpacked
DEFAULT_MAX_RATIO = 100  # unpacked / packed, per member: a zip bomb packs far tighter
DEFAULT_MAX_CELLS = 4_000_000  # rows × columns of the first sheet (100k ledger rows are 1.5M)
FULL_PASSES_DEFERRED = 1_000_000  # middle-generation passes before a full one, during an import
Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class RowError:
    """One problem: Excel row number (None for the file itself), header as in the file, reason."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportFailed(Exception):  # noqa: N818 - reads as what happened
    """Raised by a writer (or the reader) to refuse the whole file; the transaction rolls back."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


def refuse(message: str, row: int | None = None) -> ImportFailed:
    """The whole file is refused for one reason (not an .xlsx, no header row …)."""
    return ImportFailed([RowError(row, "", str(message))])


def _text(value) -> str:
    """A cell as text: whole numbers without '.0', dates as ISO, a defused formula restored."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]  # our exports prefix formula-like text with ' (core.exporters.cell)
    return text


def text(max_length: int | None = None) -> Parser:
    """Parser of a text cell, at most `max_length` characters."""

    def parse(value) -> str:
        result = _text(value)
        if max_length is not None and len(result) > max_length:
            raise ValueError(
                _("At most %(limit)s characters (this has %(length)s).")
                % {"limit": max_length, "length": len(result)}
            )
        return result

    return parse


DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$"),
)


def date(value) -> dt.date:
    """An Excel date, or text as 2024-06-30, 2024/6/30 or 2024年6月30日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        return from_excel(value).date()  # a date serial that lost its cell format
    raw = _text(value)
    candidate = raw[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]00:00(:00)?$", raw) else raw
    for pattern in DATE_PATTERNS:
        match = pattern.match(candidate)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise ValueError(
        _("%(value)s is not a date (use 2024-06-30, 2024/06/30 or 2024年6月30日).") % {"value": raw}
    )


def decimal(
    low: Decimal | int | None = None, high: Decimal | int | None = None, places: int = 2
) -> Parser:
    """Parser of a number (a trailing % is allowed), optionally within [low, high]."""
    quantum = Decimal(1).scaleb(-places)

    def parse(value) -> Decimal:
        raw = _text(value).rstrip("%％").strip().replace(",", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(_("%(value)s is not a number.") % {"value": _text(value)}) from None
        if not number.is_finite():
            raise ValueError(_("%(value)s is not a number.") % {"value": raw})
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(
                _("%(value)s is outside %(low)s–%(high)s.")
                % {"value": raw, "low": low, "high": high}
            )
        return number.quantize(quantum)

    return parse


def _key(header) -> str:
    """Header text as compared: no spaces, no required-marks, case folded."""
    return re.sub(r"[\s*＊]", "", _text(header)).casefold() if header is not None else ""


@dataclass(frozen=True)
class Column:
    """One column: `key` names it in code; `parse` turns a non-blank cell into a value (or
    ValueError); the importer's `parse_<key>` method, when it has one, is used instead."""

    key: str
    zh: str
    en: str
    required: bool = False
    parse: Parser = field(default_factory=text)
    help: str = ""
    read_only: bool = False  # exported for reading, ignored on import

    def header(self, language: str = "zh") -> str:
        return self.en if language == "en" else self.zh


@dataclass
class Row:
    number: int
    values: dict[str, Any]

    def __getitem__(self, key: str):
        return self.values.get(key)


@dataclass
class ImportResult:
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {**self.counts, "errors": [e.as_dict() for e in self.errors]}


def no_progress(iterable, total=None, desc=""):
    """The default progress hook: `progress(iterable, total, desc)` returns the iterable."""
    return iterable


@contextmanager
def quiet_collector() -> Iterator[None]:
    """While an import runs, the cyclic garbage collector makes no full passes: each walks the
    whole process (a Django process's modules, models and settings, some 60 ms a pass), and an
    import's growing preview set one off every few thousand rows, a tenth of a 10,000-row
    ledger import's CPU. Young objects are collected as usual; the thresholds are put back at
    the end, and the next full pass finds what the import left."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASSES_DEFERRED)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Importer:
    """Subclasses set `columns` and implement `write(rows) -> counts`; `check(rows)` may add
    cross-row errors with `self.error(...)`. Run with `run(file, dry_run=...)`; importers that
    work in batches read with `stream(file)` instead and override `run`."""

    columns: Sequence[Column] = ()
    count_keys: Sequence[str] = ()

    def __init__(self, *, progress: Callable = no_progress):
        self.progress = progress
        self.errors: list[RowError] = []
        self.headers: dict[str, str] = {}
        self.language = "zh"
        self.declared_rows: int | None = None  # data rows the sheet declares (its dimension)

    # --- hooks ---------------------------------------------------------------------------

    def check(self, rows: list[Row]) -> None:
        """Cross-row and database checks; add problems with self.error()."""

    def write(self, rows: list[Row]) -> dict[str, int]:
        raise NotImplementedError

    # --- helpers -------------------------------------------------------------------------

    def header_of(self, key: str) -> str:
        """The column's header as written in the file (or in the file's language if absent)."""
        if key in self.headers:
            return self.headers[key]
        column = next((c for c in self.columns if c.key == key), None)
        return column.header(self.language) if column else key

    def error(self, row: int | None, key: str, message: str) -> None:
        self.errors.append(RowError(row, self.header_of(key) if key else "", str(message)))

    def _with_headers(self, exc: ImportFailed) -> list[RowError]:
        keys = {c.key for c in self.columns}
        return [
            RowError(e.row, self.header_of(e.column) if e.column in keys else e.column, e.message)
            for e in exc.errors
        ]

    # --- the run -------------------------------------------------------------------------

    def run(self, file, *, dry_run: bool = False) -> ImportResult:
        """Read, validate, and (when every row is valid) write in one transaction."""
        with quiet_collector():
            return self._run(file, dry_run=dry_run)

    def _run(self, file, *, dry_run: bool) -> ImportResult:
        self.errors = []
        empty = dict.fromkeys(self.count_keys, 0)
        try:
            rows = self.read(file)
        except ImportFailed as exc:
            return ImportResult(empty, exc.errors, dry_run)
        self.check(rows)  # even after parse errors: every problem is reported at once
        if self.errors:
            return ImportResult(empty, sorted(self.errors, key=_order), dry_run)
        try:
            with transaction.atomic():
                counts = self.write(rows)
                if dry_run:
                    transaction.set_rollback(True)
        except ImportFailed as exc:
            return ImportResult(empty, sorted(self._with_headers(exc), key=_order), dry_run)
        return ImportResult({**empty, **counts}, [], dry_run)

    def read(self, file) -> list[Row]:
        """Parsed rows of the first sheet; parse errors go to self.errors."""
        return list(self.stream(file))

    def stream(self, file) -> Iterable[Row]:
        """Parsed rows of the first sheet, one at a time (read-only streaming); parse errors go
        to self.errors; ImportFailed for a file refused as a whole (raised before any row when
        the bounds are exceeded, or when a row past the declared dimension breaks them)."""
        if isinstance(file, bytes | bytearray):
            file = io.BytesIO(file)
        sheet, sheet_rows = self._open(file)
        try:
            head = []
            for item in sheet_rows:
                head.append(item)
                if len(head) >= HEADER_SEARCH_ROWS:
                    break
            header_row, found = self._find_header(head)
            width = len(head[0][1]) if head else 0
            limit = _setting("REFORMTRACK_IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS)
            readers = self._readers(found)
            seen = 0
            for number, values in self.progress(
                _chain(head, sheet_rows), self.declared_rows, "rows"
            ):
                if number <= header_row:
                    continue
                width = max(width, len(values))
                if number * max(width, 1) > limit:
                    message = _(
                        "The sheet has more than %(n)s cells (rows × columns); split the file."
                    ) % {"n": f"{limit:,}"}
                    raise refuse(message, number)
                if all(_blank(v) for v in values):
                    continue
                seen += 1
                yield Row(number, self._parse_row(number, values, readers))
            if not seen and not self.errors:
                raise refuse(_("The file has no rows below the header."))
        finally:
            sheet_rows.close()
            sheet.close()

    def _readers(self, found: dict[str, int]) -> list[tuple[str, int, bool, Parser]]:
        """(key, cell index, required, parser) of each column read from the file, in the
        columns' order: looked up once per file, not once per cell."""
        return [
            (c.key, found[c.key], c.required, getattr(self, f"parse_{c.key}", None) or c.parse)
            for c in self.columns
            if not c.read_only and c.key in found
        ]

    def _parse_row(self, number: int, values: tuple, readers) -> dict:
        parsed = {}
        width = len(values)
        for key, index, required, parse in readers:
            value = values[index] if index < width else None
            if value is None or (isinstance(value, str) and not value.strip()):  # blank
                parsed[key] = None
                if required:
                    self.error(number, key, _("This cell is required."))
                continue
            try:
                parsed[key] = parse(value)
            except ValueError as exc:
                parsed[key] = None
                self.error(number, key, str(exc) or _("This value is not valid."))
        return parsed

    def _open(self, file):
        """The open first sheet and a generator of (row number, values) of its rows, after
        the bounds are checked; ImportFailed for what is not an .xlsx or is too large."""
        limit = _setting("REFORMTRACK_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
        size = getattr(file, "size", None)
        if size is None and hasattr(file, "seek"):
            size = file.seek(0, io.SEEK_END)
            file.seek(0)
        if size is not None and size > limit:
            raise refuse(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(size / 2**20, 1), "limit": limit // 2**20}
            )
        head = self._head(file)
        if head.startswith(OLE_MAGIC):
            message = _(
                "This is an Excel 97–2003 (.xls) or password-protected file: "
                "save it as an unprotected .xlsx workbook and try again."
            )
            raise refuse(message)
        if not head.startswith(XLSX_MAGIC):
            raise refuse(_("This is not an Excel workbook (.xlsx)."))
        self._check_members(file)
        try:
            sheet = FirstSheet(file)
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds for damaged files
            raise refuse(_("The workbook is damaged and could not be read.")) from None
        try:
            self._check_dimension(sheet)
        except Exception as exc:
            sheet.close()
            if isinstance(exc, ImportFailed):
                raise
            raise refuse(_("The workbook is damaged and could not be read.")) from None
        return sheet, self._rows(sheet)

    @staticmethod
    def _rows(sheet: FirstSheet):
        """Every row, even past a dimension that says fewer (values only: core.import_sheet)."""
        try:
            yield from sheet.rows()
        except ImportFailed:
            raise
        except Exception:  # noqa: BLE001 - a damaged sheet fails while streaming
            raise refuse(_("The workbook is damaged and could not be read.")) from None

    @staticmethod
    def _check_members(file) -> None:
        """Refuse a zip whose members unpack too large (or too tightly packed) before parsing."""
        total_limit = _setting("REFORMTRACK_IMPORT_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED_BYTES)
        ratio_limit = _setting("REFORMTRACK_IMPORT_MAX_RATIO", DEFAULT_MAX_RATIO)
        try:
            if hasattr(file, "seek"):
                file.seek(0)
            with zipfile.ZipFile(file) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise refuse(_("The workbook is damaged and could not be read.")) from None
        finally:
            if hasattr(file, "seek"):
                file.seek(0)
        total = sum(m.file_size for m in members)
        if total > total_limit:
            raise refuse(
                _("The workbook unpacks to %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(total / 2**20, 1), "limit": total_limit // 2**20}
            )
        for member in members:
            if member.file_size > 2**20 and member.file_size > ratio_limit * max(
                member.compress_size, 1
            ):
                raise refuse(
                    _(
                        "Part %(name)s of the workbook unpacks %(ratio)s times larger than it is "
                        "stored; such files are refused."
                    )
                    % {"name": member.filename, "ratio": member.file_size // member.compress_size}
                )

    def _check_dimension(self, sheet: FirstSheet) -> None:
        """Refuse a first sheet whose declared size (rows × columns) is over the cell limit."""
        limit = _setting("REFORMTRACK_IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS)
        declared = sheet.dimension()
        if declared is None:
            return  # no dimension declared: the limit is enforced while streaming
        rows, columns = declared
        self.declared_rows = rows
        if rows * columns > limit:
            raise refuse(
                _(
                    "The sheet declares %(rows)s rows × %(columns)s columns, more than "
                    "%(n)s cells; split the file."
                )
                % {"rows": f"{rows:,}", "columns": columns, "n": f"{limit:,}"}
            )

    @staticmethod
    def _head(file) -> bytes:
        if hasattr(file, "read"):
            file.seek(0)
            head = file.read(8)
            file.seek(0)
            return head
        try:
            with open(file, "rb") as handle:
                return handle.read(8)
        except OSError as exc:
            raise refuse(str(exc)) from None

    def _find_header(self, sheet_rows) -> tuple[int, dict[str, int]]:
        """The first row naming our columns, and where each column is."""
        names = {}
        for column in self.columns:
            names[_key(column.zh)] = (column, "zh")
            names[_key(column.en)] = (column, "en")
        for number, values in sheet_rows[:HEADER_SEARCH_ROWS]:
            found: dict[str, int] = {}
            languages = []
            duplicates = []
            for index, value in enumerate(values):
                match = names.get(_key(value))
                if match is None:
                    continue
                column, language = match
                if column.key in found:
                    duplicates.append((column.key, _text(value)))
                    continue
                found[column.key] = index
                self.headers[column.key] = _text(value)
                languages.append(language)
            if len(found) < 2:
                self.headers = {}
                continue
            self.language = "en" if languages.count("en") > languages.count("zh") else "zh"
            for _dup, header in duplicates:
                self.errors.append(
                    RowError(number, header, _("This column appears more than once."))
                )
            for column in self.columns:
                if column.required and column.key not in found:
                    self.error(number, column.key, _("This required column is missing."))
            if self.errors:
                raise ImportFailed(self.errors)
            return number, found
        chinese = (get_language() or "zh-hans").startswith("zh")
        expected = enumeration(c.zh if chinese else c.en for c in self.columns if c.required)
        raise refuse(
            _("No header row found in the first sheet; expected columns such as %(cols)s.")
            % {"cols": expected}
        )


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


def _chain(first: list, rest: Iterable):
    yield from first
    yield from rest


def _order(error: RowError):
    """By row; within a row, in the order found (the columns' order)."""
    return error.row or 0
