"""An independent count of an Excel sheet's rows, read from the sheet's XML with expat,
apart from openpyxl (which trusts the sheet's ``<dimension>`` in read-only mode), and the
cells that hold a formula with no cached value (which openpyxl reads as empty): no
``<v>``, or an empty one, unless the cell is text (``t="str"``: an empty text result).

A sheet's XML that declares a DOCTYPE is refused: no spreadsheet program writes one, and
entities are how XML files are made to read other files or grow without bound."""

from __future__ import annotations

from typing import IO
from xml.parsers import expat

import attrs

from aidrules.errors import AidrulesError

CHUNK = 1 << 20


class SheetXmlError(AidrulesError, ValueError):
    """The sheet's XML cannot be counted: malformed, or it declares a DOCTYPE."""


@attrs.define
class SheetCensus:
    rows: int = 0  # the last row number: rows in the sheet, empty ones between included
    row_elements: int = 0
    out_of_order: int = 0  # <row> elements numbered at or before an earlier one
    formulas: dict[int, list[int]] = attrs.Factory(dict)  # row → 0-based columns
    _row: int = 0
    _column: int = 0
    _has_formula: bool = False
    _has_value: bool = False
    _is_text: bool = False  # t="str": a formula's cached text, which may be empty
    _in_value: bool = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rpartition(":")[2]
        if tag == "row":
            self._start_row(attributes.get("r"))
        elif tag == "c":
            ref = attributes.get("r")
            self._column = column_number(ref) if ref else self._column + 1
            self._has_formula = self._has_value = False
            self._is_text = attributes.get("t") == "str"
        elif tag == "f":
            self._has_formula = True
        elif tag == "v":
            self._in_value = True
            self._has_value = self._has_value or self._is_text

    def text(self, data: str) -> None:
        if self._in_value and data.strip():
            self._has_value = True

    def _start_row(self, ref: str | None) -> None:
        number = int(ref) if ref else self._row + 1
        self.row_elements += 1
        self.out_of_order += number <= self._row
        self._row, self._column = number, 0
        self.rows = max(self.rows, number)

    def end(self, name: str) -> None:
        tag = name.rpartition(":")[2]
        self._in_value = self._in_value and tag != "v"
        if tag == "c" and self._has_formula and not self._has_value:
            self.formulas.setdefault(self._row, []).append(self._column - 1)


def column_number(ref: str) -> int:
    """'B5' → 2; 'AA1' → 27."""
    number = 0
    for ch in ref:
        if not ch.isalpha():
            break
        number = number * 26 + ord(ch.upper()) - 64
    return number


def count_sheet(stream: IO[bytes]) -> SheetCensus:
    census = SheetCensus()
    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = census.start, census.end
    parser.CharacterDataHandler = census.text
    parser.StartDoctypeDeclHandler = _refuse_doctype
    try:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except SheetXmlError:
        raise
    except expat.ExpatError as exc:
        raise SheetXmlError(f"the sheet's XML is malformed ({exc})") from None
    except ValueError as exc:  # a row or cell reference that is not a number
        raise SheetXmlError(f"the sheet's XML is malformed ({exc})") from None
    return census


def _refuse_doctype(*_: object) -> None:
    raise SheetXmlError("the sheet's XML declares a DOCTYPE, which no spreadsheet program "
                        "writes; refused")
