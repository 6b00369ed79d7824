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

from aidrules.errors import AidrulesError
from aidrules.model.identity import validate_id_number
from aidrules.monitoring.mapping import FeedMapping
from aidrules.monitoring.records import Event, ImportReport, Reject
from aidrules.monitoring.tables import Row, Table, cell_text

_FORMAT_SHAPE = re.compile(r"(%[A-Za-z])+")
_TEXT_SHAPE = re.compile(r"\d+")
_AMOUNT_NOISE = str.maketrans("", "", ",，¥￥元 ")


class RowError(AidrulesError, ValueError):
    """Why one row cannot be imported; the text starts with the reason's kind."""


class FeedImport:
    """Iterate to read the file; :attr:`report` holds the counts so far."""

    def __init__(self, mapping: FeedMapping, path: Path | str) -> None:
        self.mapping = mapping
        self.table = Table(path, mapping.encoding, mapping.sheet)
        self.report = ImportReport(mapping.source, str(path))

    def __iter__(self) -> Iterator[Event | Reject]:
        rows = self.table.rows()
        header = next(rows, None)
        if header is None or not any(cell_text(c) for c in header.cells):
            self.report.problems.append("the file is empty: no header row")
            header = Row(1, ())
        reader = _RowReader(self.mapping, header, self.report, self.table.encoding or "xlsx")
        for row in rows:
            item = reader.read(row)
            self.report.count(item)
            if item is not None:
                yield item


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
            return Reject(self.mapping.source, row.line, "unreadable row: " + _csv_error(row.error))
        if not cells:
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


def _csv_error(text: str) -> str:
    if text.startswith("new-line character seen in unquoted field"):
        return "a line break inside a cell that is not in quotes"
    return text


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
    events, rejects = [], []
    for item in feed:
        (events if isinstance(item, Event) else rejects).append(item)
    return events, rejects, feed.report
