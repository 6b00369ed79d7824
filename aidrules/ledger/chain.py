"""The household chain: canonical JSON, entry hashes and verification.

An entry's hash is ``sha256(prev_hash + canonical_json(entry))`` where the entry is
``{household, seq, kind, day, payload}``, plus ``rows`` (the digests of the operational
rows the step wrote, see :mod:`aidrules.ledger.integrity`) on entries that seal rows;
the first entry's ``prev_hash`` is empty. Changing an entry breaks its own hash;
removing or reordering one breaks the next entry's link or the sequence; removing the
last one disagrees with the household's ``chain_length`` / ``chain_head``.

The ledger head (``ledger_heads``) chains the households' heads the same way: each
transaction that appends to any chain appends one head recording the new
``[chain_length, chain_head]`` of every household it touched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs


def canonical_json(value: Any) -> str:
    """One text for one value: sorted keys, no spaces, UTF-8 kept, no floats allowed."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_plain, allow_nan=False)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} has no canonical JSON form (value={value!r})")


def entry_hash(prev_hash: str, household: str, seq: int, kind: str, day: date,
               payload: str, rows: str | None = None) -> str:
    entry = {"household": household, "seq": seq, "kind": kind, "day": day.isoformat(),
             "payload": json.loads(payload)}
    if rows is not None:  # entries written before migration 0006 seal no rows
        entry["rows"] = json.loads(rows)
    return _sha256(prev_hash + canonical_json(entry))


def head_hash(prev_hash: str, seq: int, households: str) -> str:
    """A ledger head: the households a transaction moved on, ``{id: [length, head]}``."""
    return _sha256(prev_hash + canonical_json({"seq": seq,
                                               "households": json.loads(households)}))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@attrs.frozen
class BadEntry:
    """The first entry of a chain that does not verify, and why."""
    household: str
    seq: int
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"household {self.household} entry {self.seq}"
        return where + (f" (row id {self.entry_id})" if self.entry_id is not None else "") + \
            f": {self.reason}"


def first_bad(household: str, length: int, head: str, entries: Iterable[Any]
              ) -> BadEntry | None:
    """The first bad entry of one household's chain (entries in row order), or None."""
    prev, expected_seq = "", 1
    for entry in entries:
        reason = _entry_problem(entry, household, expected_seq, prev)
        if reason:
            return BadEntry(household, expected_seq, entry.id, reason)
        prev, expected_seq = entry.hash, expected_seq + 1
    count = expected_seq - 1
    if count != length or prev != head:
        return BadEntry(household, count + 1, None,
                        f"the household records {length} entries ending in {head[:12]}, "
                        f"the chain has {count} ending in {prev[:12]} (entry removed?)")
    return None


def _entry_problem(entry: Any, household: str, seq: int, prev: str) -> str | None:
    if entry.seq != seq:
        return f"sequence number is {entry.seq}, expected {seq} (entry removed or reordered)"
    if entry.prev_hash != prev:
        return "does not link to the entry before it (entry removed or reordered)"
    try:
        recomputed = entry_hash(prev, household, entry.seq, entry.kind, entry.day,
                                entry.payload, entry.rows)
    except ValueError as exc:
        return f"payload is not valid JSON ({exc})"
    if recomputed != entry.hash:
        return f"content changed ({entry.kind}: hash does not match)"
    return None
