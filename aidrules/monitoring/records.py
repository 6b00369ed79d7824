"""What a feed import produces: events, rejects and the import report (plain attrs).

These records know nothing of storage; the case ledger stores them. An event's
:attr:`Event.key` names the row by its whole content (source, identity number, date,
kind, amount, and a digest of the name and details), so a store that has seen the key
knows a re-imported row changes nothing, while two rows differing in any mapped cell
stay two rows."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

import attrs


@attrs.frozen
class Event:
    """One department row that read cleanly: something happened to one person."""

    source: str  # the mapping's source id, e.g. "health"
    kind: str  # the event kind, e.g. "medical_bill"
    id_number: str  # validated and normalised (upper-case X)
    name: str
    on: date
    amount: Decimal | None = None  # yuan, exact
    details: tuple[tuple[str, str], ...] = ()  # further mapped columns, e.g. (("grade", "2"),)
    line: int = attrs.field(default=0, eq=False)  # where it stood in the file

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        """The row key: the same department row imported twice has the same key; rows that
        differ in any mapped cell (the name and details too) have different keys. The name
        and details enter as a digest, so the key stays short enough to store."""
        amount = "" if self.amount is None else f"{self.amount:.2f}"
        return (self.source, self.id_number, self.on.isoformat(), self.kind, amount,
                content_digest(self.name, self.details))

    def detail(self, name: str) -> str | None:
        return dict(self.details).get(name)


def content_digest(name: str, details: tuple[tuple[str, str], ...]) -> str:
    """16 hex digits (64 bits) standing for the name and the details, exactly as read."""
    text = json.dumps([name, [list(d) for d in details]], ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


@attrs.frozen
class Reject:
    """A row that was not imported, kept with where it stood and why."""

    source: str
    line: int  # 1-based line (CSV) or row (xlsx) in the file
    reason: str
    raw: tuple[str, ...] = ()  # the row's cells as read

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@attrs.define
class ImportReport:
    """Counts of one import; ``problems`` are file-level (empty file, missing column)."""

    source: str
    file: str
    rows: int = 0  # data rows read, blank ones included
    imported: int = 0
    rejected: int = 0
    blank: int = 0  # rows with every cell empty: skipped, but counted
    lines: int = 0  # counted apart from the rows: the CSV's physical lines, the sheet's rows
    problems: list[str] = attrs.Factory(list)
    reasons: dict[str, int] = attrs.Factory(dict)  # reject reason (its kind) → count

    def count(self, item: Event | Reject | None) -> None:
        self.rows += 1
        if item is None:
            self.blank += 1
        elif isinstance(item, Event):
            self.imported += 1
        else:
            self.rejected += 1
            kind = item.reason.split(":", 1)[0]
            self.reasons[kind] = self.reasons.get(kind, 0) + 1
