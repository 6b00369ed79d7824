"""The household chain: canonical JSON, entry hashes and verification (see docs/chain.md).

An entry's hash is the lowercase hex of ``SHA-256(UTF-8(prev_hash + C(entry)))`` where the
entry is ``{household, seq, kind, day, payload}``, plus ``rows`` (the digests of the
operational rows the step wrote, see :mod:`aidrules.ledger.integrity`) on entries that
seal rows; the first entry's ``prev_hash`` is the empty string. ``C`` is the entry's
canonical form:

- ``jcs``: RFC 8785, the JSON Canonicalization Scheme, for entries written since migration
  0007 (their ``form`` column says ``jcs``), on the subset the ledger holds (no floats).
  Another language reproduces it with any JCS library; docs/chain-vectors.json holds test
  vectors.
- legacy (``form`` is NULL): Python's ``json.dumps(sort_keys=True, ensure_ascii=False,
  separators=(",", ":"))``, for entries written before 0007. They keep the form they were
  hashed in; verify recomputes each entry in its own form.

Changing an entry breaks its own hash; removing or reordering one breaks the next entry's
link or the sequence; removing the last one disagrees with the household's
``chain_length`` / ``chain_head``. The ledger head (``ledger_heads``) chains the
households' heads the same way: each transaction that appends to any chain appends one
head recording the new ``[chain_length, chain_head]`` of every household it touched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from aidrules.ledger.errors import LedgerError

JCS = "jcs"  # RFC 8785, the form of every entry, head and row seal written since 0007
LEGACY = None  # Python's json.dumps form, of those written before (stored as NULL)
CURRENT: str | None = JCS
FORMS = {JCS: "RFC 8785 (JCS)", LEGACY: "legacy (Python json.dumps, sorted keys)"}


class CanonicalFormError(LedgerError, ValueError):
    """A value the chain's canonical form does not take (a float, a huge integer, ...)."""


def canonical_json(value: Any) -> str:
    """The legacy text form: sorted keys, no spaces, UTF-8 kept, dates and decimals as
    text. The ledger stores documents in it; entries before 0007 were hashed in it."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_plain, allow_nan=False)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} has no canonical JSON form (value={value!r})")


SAFE_INTEGER = 2**53 - 1  # the largest integer an IEEE double (a JCS number) holds exactly


def jcs(value: Any) -> bytes:
    """RFC 8785 bytes of a JSON value made of strings, integers (within ±(2**53 - 1)),
    booleans, null, arrays and objects. Floats are refused: money is decimal text.

    On this subset RFC 8785 is: object members sorted by their keys' UTF-16 code units,
    no whitespace, strings escaping only the quote, the backslash and U+0000-U+001F (by
    their short forms where JSON has one, else as lowercase ``u00xx`` escapes), integers in
    decimal. ``json.dumps`` with ``ensure_ascii=False`` escapes exactly so (its escape table
    is RFC 8785's), so the work here is the key order and the refusals.
    tests/ledger/test_chain_vectors.py checks it against an independent implementation and
    against Trail of Bits' ``rfc8785`` package."""
    try:
        text = json.dumps(_utf16_ordered(value), ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False)
        return text.encode("utf-8")
    except _Refused as refused:
        raise CanonicalFormError(f"${''.join(reversed(refused.path))}: {refused}") from None
    except UnicodeEncodeError:
        raise CanonicalFormError("a string is not valid Unicode (a lone surrogate); RFC 8785 "
                                 "takes UTF-8 text only") from None


class _Refused(CanonicalFormError):
    """Raised while walking a value, collecting the path on the way out (not a public error:
    ``jcs`` turns it into a CanonicalFormError that names the path)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.path: list[str] = []


def _utf16_ordered(value: Any) -> Any:
    """The value with every object's members in RFC 8785 order; refusals name the path."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int):
        if abs(value) > SAFE_INTEGER:
            raise _Refused(f"{value} is beyond ±(2**53 - 1), which JSON numbers hold exactly")
        return value
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise _Refused("an object key is not text")
        return {key: _within(f".{key}", value[key]) for key in sorted(value, key=_utf16)}
    if isinstance(value, list | tuple):
        return [_within(f"[{n}]", item) for n, item in enumerate(value)]
    if isinstance(value, float):
        raise _Refused(f"{value!r} is a float; the chain takes money and other fractions as "
                       "decimal text")
    raise _Refused(f"{type(value).__name__} has no JSON form (value={value!r})")


def _within(step: str, value: Any) -> Any:
    try:
        return _utf16_ordered(value)
    except _Refused as refused:
        refused.path.append(step)
        raise


def _utf16(key: str) -> bytes:
    """Big-endian UTF-16 bytes order keys as their UTF-16 code units do."""
    return key.encode("utf-16-be", "surrogatepass")


def canonical_bytes(value: Any, form: str | None = CURRENT) -> bytes:
    """``value`` in the canonical ``form`` (``jcs`` or legacy ``None``), as hashed."""
    if form == JCS:
        return jcs(value)
    if form is LEGACY:
        return canonical_json(value).encode()
    raise CanonicalFormError(f"unknown canonical form {form!r} (known: jcs, or none for "
                             "entries written before migration 0007)")


def parse(text: str, form: str | None = CURRENT) -> Any:
    """Stored JSON text (a payload, a row seal) back to its value; in the JCS form a
    non-integer number is refused rather than read as a float."""
    if form is LEGACY:
        return json.loads(text)
    return json.loads(text, parse_float=_no_float, parse_constant=_no_float)


def _no_float(text: str) -> Any:
    raise CanonicalFormError(f"{text} is not an integer; the chain takes fractions as "
                             "decimal text")


def entry_document(household: str, seq: int, kind: str, day: date, payload: str,
                   rows: str | None = None, form: str | None = CURRENT) -> dict[str, Any]:
    """The object an entry's hash covers (``payload`` and ``rows`` as stored, JSON text)."""
    entry = {"household": household, "seq": seq, "kind": kind, "day": day.isoformat(),
             "payload": parse(payload, form)}
    if rows is not None:  # entries written before migration 0006 seal no rows
        entry["rows"] = parse(rows, form)
    return entry


def entry_hash(prev_hash: str, household: str, seq: int, kind: str, day: date,
               payload: str, rows: str | None = None, form: str | None = CURRENT) -> str:
    entry = entry_document(household, seq, kind, day, payload, rows, form)
    return chained(prev_hash, canonical_bytes(entry, form))


def head_hash(prev_hash: str, seq: int, households: str, form: str | None = CURRENT) -> str:
    """A ledger head: the households a transaction moved on, ``{id: [length, head]}``."""
    document = {"seq": seq, "households": parse(households, form)}
    return chained(prev_hash, canonical_bytes(document, form))


def chained(prev_hash: str, canonical: bytes) -> str:
    """``SHA-256(UTF-8(prev_hash) || canonical)`` in lowercase hex (prev_hash is hex)."""
    return hashlib.sha256(prev_hash.encode() + canonical).hexdigest()


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
    form = getattr(entry, "form", LEGACY)
    try:
        recomputed = entry_hash(prev, household, entry.seq, entry.kind, entry.day,
                                entry.payload, entry.rows, form)
    except ValueError as exc:  # json.JSONDecodeError and CanonicalFormError are ValueErrors
        return f"payload is not valid in its canonical form ({exc})"
    if recomputed != entry.hash:
        return f"content changed ({entry.kind}: hash does not match)"
    return None
