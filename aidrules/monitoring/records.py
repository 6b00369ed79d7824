"""What a feed import produces: events, rejects and the import report (plain attrs).

These records know nothing of storage; the case ledger stores them. An event's
:attr:`Event.key` names the row (source, identity number, date, kind, amount), so a
store that has seen the key knows a re-imported row changes nothing."""

from __future__ import annotations

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
    def key(self) -> tuple[str, str, str, str, str]:
        """The row key: the same department fact imported twice has the same key."""
        amount = "" if self.amount is None else f"{self.amount:.2f}"
        return (self.source, self.id_number, self.on.isoformat(), self.kind, amount)

    def detail(self, name: str) -> str | None:
        return dict(self.details).get(name)


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
