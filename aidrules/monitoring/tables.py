"""Reading department files as rows of text cells, streamed: CSV and Excel (.xlsx).

CSV comes as UTF-8 (with or without BOM) or as GB18030/GBK, the way Chinese office
software saves it. Without a declared encoding the first megabyte decides: a BOM, else
UTF-8 if it decodes, else GB18030 (a superset of GBK). A line that does not decode in
the chosen encoding is not lost: its row comes back flagged, to be rejected."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from aidrules.errors import AidrulesError

SNIFF_BYTES = 1 << 20


class FeedFileError(AidrulesError, ValueError):
    """The file as a whole cannot be read (a corrupt workbook, a sheet it does not have)."""


@attrs.frozen
class Row:
    line: int  # 1-based: the physical line where the row ends (CSV) or the sheet row (xlsx)
    cells: tuple[Any, ...]  # str for CSV; str, int, float, datetime or None for xlsx
    undecodable: bool = False  # some byte of the row did not decode in the file's encoding
    error: str = ""  # the CSV reader could not split the row into cells


class Table:
    """A file's header and its rows; ``position`` and ``size`` drive a progress bar."""

    def __init__(self, path: Path | str, encoding: str | None = None,
                 sheet: str | None = None) -> None:
        self.path = Path(path)
        self.is_excel = self.path.suffix.lower() in (".xlsx", ".xlsm")
        self.encoding = None if self.is_excel else (encoding or detect_encoding(self.path))
        self.sheet = sheet
        self.size = self.path.stat().st_size
        self.position = 0  # bytes read (CSV) or a fraction of ``size`` (xlsx)

    def rows(self) -> Iterator[Row]:
        """Every row, the header first."""
        return self._excel_rows() if self.is_excel else self._csv_rows()

    def _csv_rows(self) -> Iterator[Row]:
        bad_lines: set[int] = set()
        with self.path.open("rb") as raw:
            if self.encoding.startswith("utf-16"):  # no byte-wise lines: decode as a stream
                lines = io.TextIOWrapper(raw, self.encoding, errors="replace", newline="")
            else:
                lines = self._decoded_lines(raw, bad_lines)
            reader = csv.reader(lines)
            previous = 0
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    previous = reader.line_num
                    yield Row(reader.line_num, (), error=str(exc))
                    continue
                line = reader.line_num
                undecodable = any(n in bad_lines for n in range(previous + 1, line + 1))
                bad_lines.difference_update(range(previous + 1, line + 1))
                previous = line
                yield Row(line, tuple(cells), undecodable or "\ufffd" in "".join(cells))
        self.position = self.size

    def _decoded_lines(self, raw, bad_lines: set[int]) -> Iterator[str]:
        encoding = self.encoding
        first = True
        for number, data in enumerate(raw, start=1):
            self.position += len(data)
            if first and encoding in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8):]
            first = False
            try:
                yield data.decode(encoding)
            except UnicodeDecodeError:
                bad_lines.add(number)
                yield data.decode(encoding, errors="replace")

    def _excel_rows(self) -> Iterator[Row]:
        import openpyxl  # only needed for Excel files
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
            raise FeedFileError(f"{self.path}: not a readable Excel workbook ({exc})") from None
        try:
            if self.sheet and self.sheet not in book.sheetnames:
                raise FeedFileError(f"{self.path}: no sheet {self.sheet!r} (the workbook has "
                                    + ", ".join(book.sheetnames) + ")")
            sheet = book[self.sheet] if self.sheet else book.worksheets[0]
            total = sheet.max_row or 0
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if total:
                    self.position = min(self.size, self.size * number // total)
                yield Row(number, tuple(cells))
        finally:
            book.close()
        self.position = self.size


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
