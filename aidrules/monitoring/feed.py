"""Importing one department file through its mapping: every row an event or a reject.

Nothing is dropped silently: a row is an :class:`Event`, a :class:`Reject` with its line
and reason, or a blank row (counted). File-level defects (an empty file, a mapped column
missing from the header) go into the report, and every row is then rejected with the
reason, so the rows are still accounted for."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from aidrules.errors import AidrulesError
from aidrules.model.identity import mask_id_text, mask_name, validate_id_number
from aidrules.monitoring.mapping import FeedMapping
from aidrules.monitoring.records import Event, ImportReport, Reject
from aidrules.monitoring.tables import Row, Table, cell_text

_FORMAT_SHAPE = re.compile(r"(%[A-Za-z])+")
_TEXT_SHAPE = re.compile(r"\d+")
_AMOUNT_NOISE = str.maketrans("", "", ",，¥￥元 ")
_ID_SHAPE = re.compile(r"\d{15}|\d{17}[\dXx]")


class RowError(AidrulesError, ValueError):
    """Why one row cannot be imported; the text starts with the reason's kind."""


class FeedImport:
    """Iterate to read the file; :attr:`report` holds the counts so far."""

    def __init__(self, mapping: FeedMapping, path: Path | str) -> None:
        self.mapping = mapping
        self.table = Table(path, mapping.encoding, mapping.sheet)
        self.report = ImportReport(mapping.source, str(path))
        self.header: tuple[str, ...] = ()  # the header's cells, once read

    def __iter__(self) -> Iterator[Event | Reject]:
        rows = self.table.rows()
        header = self._header(next(rows, None))
        self.header = tuple(cell_text(c) for c in header.cells)
        covered = header.span if header.line else 0
        reader = _RowReader(self.mapping, header, self.report, self.table.encoding or "xlsx")
        for row in rows:
            covered += row.span
            item = reader.read(row)
            self.report.count(item)
            if item is not None:
                yield item
        self._account(covered)

    def _header(self, header: Row | None) -> Row:
        if header is not None and header.error:
            self.report.problems.append(f"the header row cannot be read: {header.error}")
            return attrs.evolve(header, cells=())
        if header is None or not any(cell_text(c) for c in header.cells):
            self.report.problems.append("the file is empty: no header row")
            return header or Row(0, ())
        return header

    def _account(self, covered: int) -> None:
        """Every line the table counted on its own must be in the header or a row."""
        self.report.lines = self.table.lines
        self.report.problems.extend(self.table.problems)
        if covered != self.table.lines:
            self.report.problems.append(
                f"rows not accounted for: the file has {self.table.lines} "
                f"{'sheet rows' if self.table.is_excel else 'lines'}, the rows read cover "
                f"{covered}")


class _RowReader:
    def __init__(self, mapping: FeedMapping, header: Row, report: ImportReport,
                 encoding: str) -> None:
        self.mapping, self.encoding = mapping, encoding
        self.header = [cell_text(c) for c in header.cells]
        while self.header and not self.header[-1]:
            self.header.pop()  # trailing empty header cells (spreadsheet padding)
        where = {text: i for i, text in reversed(list(enumerate(self.header)))}
        self.missing = [h for h in mapping.headers if h not in where]
        if self.missing and self.header:
            report.problems.append("missing column(s) in the header: " + ", ".join(self.missing))
        self.index = {h: where[h] for h in mapping.headers if h in where}
        self.first_line: dict[bytes, int] = {}  # digest of each row key read → its line
        # Formats by shape ("D-D-D"), in the mapping's order: a text is tried only against
        # the formats it could match, which saves strptime's costly failures.
        self.formats: dict[str, list[str]] = {}
        for fmt in mapping.date_formats:
            self.formats.setdefault(_FORMAT_SHAPE.sub("D", fmt), []).append(fmt)

    def read(self, row: Row) -> Event | Reject | None:
        cells = [cell_text(c) for c in row.cells]
        while cells and not cells[-1]:
            cells.pop()
        if row.error:
            return Reject(self.mapping.source, row.line, _row_error(row.error), row.cells)
        if not cells and not row.formulas:
            return None
        try:
            event = self.event(row, cells)
        except RowError as exc:
            return Reject(self.mapping.source, row.line, str(exc), tuple(cells))
        # A row repeated within the file is kept as a reject naming the first one.
        digest = hashlib.blake2b(repr(event.key).encode("utf-8"), digest_size=16).digest()
        first = self.first_line.setdefault(digest, row.line)
        if first != row.line:
            return Reject(self.mapping.source, row.line,
                          f"duplicate row: the same as line {first}", tuple(cells))
        return event

    def event(self, row: Row, cells: list[str]) -> Event:
        if row.undecodable:
            raise RowError(f"not {self.encoding} text: "
                           "the row holds bytes the file's encoding cannot read")
        if self.missing:
            raise RowError("missing column: " + ", ".join(self.missing))
        if len(cells) > len(self.header):
            raise RowError(f"extra cells: the row has {len(cells)} cells, "
                           f"the header {len(self.header)}")
        if len(row.cells) < len(self.header):
            raise RowError(f"missing cells: the row has {len(row.cells)} cells, "
                           f"the header {len(self.header)}")
        value = self.getter(cells)
        self.check_not_number(row.cells)
        self.check_formulas(row)
        try:
            id_number = validate_id_number(value(self.mapping.columns["id_number"]))
        except ValueError as exc:
            raise RowError(f"bad identity number: {exc}") from None
        return Event(
            source=self.mapping.source, kind=self.kind(value), id_number=id_number,
            name=self.name(value), on=self.date(row.cells, value),
            amount=self.amount(value),
            details=tuple((k, value(h)) for k, h in self.mapping.details.items()),
            line=row.line)

    def check_not_number(self, raw_cells: tuple[Any, ...]) -> None:
        i = self.index[self.mapping.columns["id_number"]]
        raw = raw_cells[i] if i < len(raw_cells) else None
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise RowError("bad identity number: stored as a number in the spreadsheet, which "
                           "keeps only 15 digits; format the column as text")

    def check_formulas(self, row: Row) -> None:
        mapped = sorted(set(row.formulas) & set(self.index.values()))
        if mapped:
            where = ", ".join(self.header[i] for i in mapped)
            raise RowError(f"formula without a cached value: {where} holds a formula the "
                           "file does not store the result of; open and save it in Excel, "
                           "or export values")

    def getter(self, cells: list[str]):
        def value(header: str) -> str:
            i = self.index[header]
            return cells[i] if i < len(cells) else ""
        return value

    def name(self, value) -> str:
        name = value(self.mapping.columns["name"])
        if not name:
            raise RowError("missing name: the name cell is empty")
        return name

    def kind(self, value) -> str:
        if self.mapping.event:
            return self.mapping.event
        text = value(self.mapping.event_column)
        try:
            return self.mapping.event_values[text]
        except KeyError:
            known = ", ".join(self.mapping.event_values)
            raise RowError(f"unknown event kind: {text!r} in column "
                           f"{self.mapping.event_column!r} is not one of {known}") from None

    def date(self, raw_cells: tuple[Any, ...], value) -> date:
        header = self.mapping.columns["date"]
        i = self.index[header]
        raw = raw_cells[i] if i < len(raw_cells) else None
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = value(header)
        for fmt in self.formats.get(_TEXT_SHAPE.sub("D", text), ()):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        return parse_date(text, self.mapping.date_formats)  # every format, in order

    def amount(self, value) -> Decimal | None:
        header = self.mapping.columns.get("amount")
        return None if header is None else parse_amount(value(header))


def shown_cells(reject: Reject, header: tuple[str, ...], mapping: FeedMapping) -> tuple[str, ...]:
    """A reject's cells as a report may show them: the identity number and the name masked
    (and any cell holding what looks like an identity number, in case the row is shifted);
    a line that could not be split into cells is withheld whole."""
    if reject.reason.startswith(_UNSPLIT):
        return (f"(the line is not split into cells: {len(''.join(reject.raw))} characters "
                "withheld)",)
    id_at, name_at = (_position(header, mapping.columns[role]) for role in ("id_number", "name"))
    return tuple(mask_name(cell) if i == name_at and cell else
                 mask_id_text(cell) if i == id_at or _ID_SHAPE.search(cell) else cell
                 for i, cell in enumerate(reject.raw))


def _position(header: tuple[str, ...], text: str) -> int:
    return header.index(text) if text in header else -1


_UNSPLIT = ("unmatched quote:", "unreadable row:")


def _row_error(text: str) -> str:
    if text.startswith("unmatched quote:"):
        return text
    if text.startswith("new-line character seen in unquoted field"):
        text = "a line break inside a cell that is not in quotes"
    return "unreadable row: " + text


def parse_date(text: str, formats: tuple[str, ...]) -> date:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    shown = text if text else "an empty cell"
    raise RowError(f"unknown date format: {shown!r} matches none of " + " ".join(formats))


def parse_amount(text: str) -> Decimal:
    """Yuan, exact to the fen; thousands separators and a currency sign are tolerated."""
    cleaned = text.translate(_AMOUNT_NOISE)
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise RowError(f"bad amount: {text!r} is not a number" if text
                       else "bad amount: the amount cell is empty") from None
    if not amount.is_finite() or amount < 0 or amount >= 10**12:
        raise RowError(f"bad amount: {text!r} must be from zero to under a trillion yuan")
    if amount != amount.quantize(Decimal("0.01")):
        raise RowError(f"bad amount: {text!r} has more than two decimals (fen)")
    return amount.quantize(Decimal("0.01"))


def import_feed(mapping: FeedMapping, path: Path | str) -> tuple[list[Event], list[Reject],
                                                                   ImportReport]:
    """Read a whole (small) file into lists; for large files iterate a :class:`FeedImport`."""
    feed = FeedImport(mapping, path)
    events: list[Event] = []
    rejects: list[Reject] = []
    for item in feed:
        if isinstance(item, Event):
            events.append(item)
        else:
            rejects.append(item)
    return events, rejects, feed.report
