"""Reading department files as rows of text cells, streamed: CSV and Excel (.xlsx).

CSV comes as UTF-8 (with or without BOM) or as GB18030/GBK, the way Chinese office
software saves it. Without a declared encoding the first megabyte decides: a BOM, else
UTF-8 if it decodes, else GB18030 (a superset of GBK). A line that does not decode in
the chosen encoding is not lost: its row comes back flagged, to be rejected."""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from collections.abc import Generator, Iterator
from contextlib import closing
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from aidrules.errors import AidrulesError
from aidrules.monitoring.records_csv import Line, records
from aidrules.monitoring.sheet_census import SheetCensus, SheetXmlError, count_sheet

SNIFF_BYTES = 1 << 20


class FeedFileError(AidrulesError, ValueError):
    """The file as a whole cannot be read (a corrupt workbook, a sheet it does not have)."""


@attrs.frozen
class Row:
    line: int  # 1-based: the physical line where the row ends (CSV) or the sheet row (xlsx)
    cells: tuple[Any, ...]  # str for CSV; str, int, float, datetime or None for xlsx
    undecodable: bool = False  # some byte of the row did not decode in the file's encoding
    error: str = ""  # the line is not a row (an unmatched quote...): ``cells`` is the line
    first_line: int = 0  # CSV: the physical line where the row starts (0: the same as line)
    formulas: tuple[int, ...] = ()  # xlsx: 0-based columns with a formula and no cached value

    @property
    def span(self) -> int:
        """How many physical lines (CSV) or sheet rows (xlsx) the row takes."""
        return self.line - (self.first_line or self.line) + 1


class Table:
    """A file's header and its rows; ``position`` and ``size`` drive a progress bar.

    ``lines`` is counted apart from the rows, once they are read: the file's physical
    lines (CSV, split where the file's own line ending is) or the sheet's rows as its XML
    numbers them (xlsx, without trusting ``<dimension>``). Every one of them must be in
    exactly one row (:attr:`Row.span`)."""

    def __init__(self, path: Path | str, encoding: str | None = None,
                 sheet: str | None = None) -> None:
        self.path = Path(path)
        self.is_excel = self.path.suffix.lower() in (".xlsx", ".xlsm")
        self.encoding = None if self.is_excel else (encoding or detect_encoding(self.path))
        self.sheet = sheet
        self.size = self.path.stat().st_size
        self.position = 0  # bytes read (CSV) or a fraction of ``size`` (xlsx)
        self.lines = 0
        self.problems: list[str] = []  # file-level: rows numbered out of order

    def rows(self) -> Iterator[Row]:
        """Every row, the header first."""
        return self._excel_rows() if self.is_excel else self._csv_rows()

    def _csv_rows(self) -> Iterator[Row]:
        encoding = self.encoding or detect_encoding(self.path)  # set for every CSV file
        ending = detect_line_ending(self.path, encoding)
        with self.path.open("rb") as raw, closing(self._lines(raw, encoding, ending)) as lines:
            for record in records(lines):
                yield Row(record.line, record.cells, record.undecodable
                          or "\ufffd" in "".join(record.cells), record.error, record.first_line)
        self.position = self.size

    def _lines(self, raw, encoding: str, ending: str) -> Generator[Line, None, None]:
        if encoding.startswith("utf-16"):  # no byte-wise lines: decode as a stream
            with io.TextIOWrapper(raw, encoding, errors="replace", newline=ending) as text:
                yield from self._numbered((line, False) for line in text)
        else:
            yield from self._numbered(self._decoded_lines(_split_lines(raw, ending.encode()),
                                                          encoding))

    def _numbered(self, lines: Iterator[tuple[str, bool]]) -> Iterator[Line]:
        for number, (text, undecodable) in enumerate(lines, start=1):
            self.lines = number
            yield Line(number, text, undecodable)

    def _decoded_lines(self, lines: Iterator[bytes],
                       encoding: str) -> Iterator[tuple[str, bool]]:
        first = True
        for data in lines:
            self.position += len(data)
            if first and encoding in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8):]
            first = False
            try:
                yield data.decode(encoding), False
            except UnicodeDecodeError:
                yield data.decode(encoding, errors="replace"), True

    def _excel_rows(self) -> Iterator[Row]:
        with self.path.open("rb") as stream:  # ours to close, whatever openpyxl leaves open
            book = _open_workbook(self.path, stream)
            try:
                sheet = self._sheet(book)
                census = _census(self.path, sheet)
                sheet.reset_dimensions()  # read every row, not only up to <dimension>
                yield from self._sheet_rows(sheet, census)
            except FeedFileError:
                raise
            except UNREADABLE_WORKBOOK as exc:  # what openpyxl and zlib raise on damage
                raise FeedFileError(f"{self.path}: not a readable Excel workbook "
                                    f"({_one_line(exc)})") from None
            finally:
                book.close()
        self.position = self.size

    def _sheet(self, book):
        if self.sheet and self.sheet not in book.sheetnames:
            raise FeedFileError(f"{self.path}: no sheet {self.sheet!r} (the workbook has "
                                + ", ".join(book.sheetnames) + ")")
        return book[self.sheet] if self.sheet else book.worksheets[0]

    def _sheet_rows(self, sheet, census: SheetCensus) -> Iterator[Row]:
        if census.out_of_order:
            self.problems.append(f"{census.out_of_order} sheet row(s) numbered at or before an "
                                 "earlier row: the sheet is not as a spreadsheet program "
                                 "writes it")
        width = 0
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            self.position = min(self.size, self.size * number // max(census.rows, 1))
            width = width or len(cells)  # the header's: shorter rows are padded
            cells = tuple(cells) + (None,) * (width - len(cells))
            yield Row(number, cells, formulas=tuple(census.formulas.get(number, ())))
        self.lines = census.rows


def _open_workbook(path: Path, stream):
    import openpyxl  # only needed for Excel files
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, *UNREADABLE_WORKBOOK) as exc:
        raise FeedFileError(f"{path}: not a readable Excel workbook ({_one_line(exc)})") \
            from None


def _census(path: Path, sheet) -> SheetCensus:
    """The sheet's rows counted from its XML (the part's name is openpyxl's, private)."""
    try:
        with zipfile.ZipFile(path) as archive, \
                archive.open(sheet._worksheet_path) as stream:
            return count_sheet(stream)
    except (SheetXmlError, *UNREADABLE_WORKBOOK) as exc:
        raise FeedFileError(f"{path}: not a readable Excel workbook ({_one_line(exc)})") \
            from None


# A damaged workbook (its zip, its compressed data, its XML or a cell openpyxl cannot
# read) raises any of these; each is a file-level error, never a traceback.
UNREADABLE_WORKBOOK = (zipfile.BadZipFile, zlib.error, EOFError, OSError, SyntaxError,
                       ValueError, KeyError, IndexError, TypeError)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def _split_lines(raw, ending: bytes) -> Iterator[bytes]:
    """Physical lines, each with its ending; a file's last line may have none."""
    if ending == b"\n":
        yield from raw  # binary files split at b"\n"; a "\r\n" ending stays on the line
        return
    rest = b""
    for chunk in iter(lambda: raw.read(1 << 16), b""):
        *lines, rest = (rest + chunk).split(ending)
        yield from (line + ending for line in lines)
    if rest:
        yield rest


def detect_line_ending(path: Path, encoding: str) -> str:
    """A lone CR for a file whose lines end in one (old Mac exports: no LF in the first
    megabyte), else LF. A lone CR in a file with LF line endings stays inside its line
    (and its row is rejected)."""
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    if encoding.startswith("utf-16"):
        head = head.decode(encoding, errors="replace").encode("utf-8")
    return "\r" if b"\r" in head and b"\n" not in head else "\n"


def detect_encoding(path: Path) -> str:
    """'utf-8-sig', 'utf-16', 'utf-8' or 'gb18030', from the first megabyte of ``path``.

    Line by line: a file is UTF-8 when at least as many of its non-ASCII lines decode as
    UTF-8 as do not, so one line pasted in from a GBK program does not turn a UTF-8 file
    into mojibake (that line alone is rejected)."""
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"
    lines = head.split(b"\n")
    if len(head) == SNIFF_BYTES:
        lines.pop()  # possibly cut in the middle of a character
    utf8 = other = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other += 1
    return "utf-8" if utf8 >= other else "gb18030"


def cell_text(value: Any) -> str:
    """A cell as the text a person sees (Excel numbers without a trailing '.0')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
