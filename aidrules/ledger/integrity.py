"""What the chain seals beyond its own entries: the operational rows a decision rests on,
and the ledger head over every household's chain.

- **Rows.** Each covered row is bound to the chain entry of the step that last wrote it:
  the entry's ``rows`` holds ``{"cases:3": sha256(canonical JSON of the covered columns)}``
  and verify recomputes every digest from the tables. A covered column changed, a row
  deleted, or a row written behind the ledger's back no longer matches.
- **Heads.** Every transaction that moves a chain on appends one ledger head recording
  the new ``[chain_length, chain_head]`` of the households it touched, hash-linked to the
  head before; verify folds them and compares with the households, so a household whose
  row and chain are deleted, or a chain rolled back with its household row, is noticed.

A covered column is listed here by name. Adding a column to a covered table is noticed
by ``tests/ledger/test_tamper.py`` until it is covered (and a migration reseals the rows)
or listed in ``UNCOVERED_COLUMNS`` with its reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from contextlib import suppress
from datetime import date
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from aidrules.ledger.chain import (
    CURRENT,
    JCS,
    LEGACY,
    CanonicalFormError,
    canonical_bytes,
    head_hash,
    parse,
)

# Covered table → its covered columns. Parents come before the rows that point to them.
COVERED: dict[str, tuple[str, ...]] = {
    "households": ("id", "grid", "jurisdiction", "risk_level"),
    "applications": ("id", "household_id", "reference", "filed_on", "source", "document"),
    "members": ("id", "application_id", "position", "id_number", "name", "relation"),
    "cases": ("id", "household_id", "application_id", "state", "version", "accepted_on",
              "accepted_by", "investigated_on", "investigators", "findings", "notice_from",
              "notice_until", "has_objection", "appraisal", "is_extended",
              "refusal_notified_on"),
    "assessments": ("id", "household_id", "application_id", "case_id", "on", "jurisdiction",
                    "rulebook_version", "rulebook_digest", "policy_version", "risk_level",
                    "result"),
    "decisions": ("id", "case_id", "assessment_id", "outcome", "aids", "reasons",
                  "decided_on", "decided_by"),
    "enrolments": ("id", "household_id", "case_id", "aid", "starts_on", "ends_on",
                   "monthly_amount", "period", "review_interval", "review_due"),
    "reviews": ("id", "case_id", "assessment_id", "reviewed_on", "reviewed_by", "outcome"),
    "exits": ("id", "case_id", "decided_on", "decided_by", "reason", "grace_months",
              "paid_until"),
    "warnings": ("id", "household_id", "raised_on", "department", "reason", "risk_level"),
    "verification_tasks": ("id", "warning_id", "household_id", "grid", "worker", "due_on",
                           "done_on", "findings"),
    "referrals": ("id", "household_id", "assessment_id", "brand", "departments", "reason",
                  "status", "pushed_on", "due_on"),
    "feedback": ("id", "referral_id", "department", "given_on", "action"),
    # migration 0008_payments (aidrules/ledger/payment_tables.py)
    "overpayments": ("id", "household_id", "case_id", "aid", "first_month", "last_month",
                     "entitled", "total", "plan", "starts", "found_on", "found_by", "reason"),
    "payments": ("id", "roll_id", "household_id", "enrolment_id", "aid", "month", "basis",
                 "gross", "recovered", "overpayment_id"),
    "challenges": ("id", "household_id", "case_id", "decision_id", "kind", "body", "knew_on",
                   "filed_on", "deadline", "decide_by", "outcome", "decided_on", "reasons",
                   "redecide_by", "redecision_id"),
}

UNCOVERED_COLUMNS: dict[tuple[str, str], str] = {
    ("households", "chain_length"): "the chain's own length, checked against its entries",
    ("households", "chain_head"): "the chain's own head, checked against its entries",
}

UNCOVERED_TABLES: dict[str, str] = {
    "chain_entries": "the chain itself: each entry's hash covers it",
    "ledger_heads": "the ledger head itself: each head's hash covers it",
    "feed_imports": "a department's file as received, known by its sha256; no decision",
    "feed_rows": "department rows, known by a key over their whole content; no decision",
    "feed_rejects": "rows refused on import, kept for the record; no decision",
    "early_warnings": "screening's deduplication keys; the ledger warning it raised is sealed",
    "discovered_people": "candidates from the feeds, not yet households of the ledger",
    "payment_rolls": "a roll's header (jurisdiction, month, issued); each line is sealed",
}

# A covered row with no household_id column belongs to the household of its parent row.
PARENT: dict[str, tuple[str, str]] = {
    "members": ("application_id", "applications"), "decisions": ("case_id", "cases"),
    "reviews": ("case_id", "cases"), "exits": ("case_id", "cases"),
    "feedback": ("referral_id", "referrals"),
}


@attrs.frozen
class Broken:
    """Something outside one chain's entries that does not verify: a sealed row, a ledger
    head, a household that the heads record."""
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@attrs.frozen
class Seal:
    household: str
    seq: int
    digest: str
    form: str | None = LEGACY  # the canonical form of the entry that sealed the row


def row_key(table: str, row_id: Any) -> str:
    return f"{table}:{row_id}"


def row_name(key: str) -> str:
    """``cases:3`` → ``case 3`` (as messages name it)."""
    table, _, row_id = key.partition(":")
    return f"{table.removesuffix('s').replace('_', ' ')} {row_id}"


def row_digest(row: Mapping[Any, Any], form: str | None = CURRENT) -> str:
    """sha256 of the row's covered columns as one JSON object (dates as ISO text)."""
    return hashlib.sha256(canonical_bytes(_json_row(row), form)).hexdigest()


def row_digests(row: Mapping[Any, Any], forms: Iterable[str | None]) -> dict[str | None, str]:
    """The row's digest in each form. A row is flat with ASCII column names, so where its
    RFC 8785 form exists the legacy form is the same bytes (they differ only in the order
    of non-ASCII keys, and on floats and huge integers, which RFC 8785 refuses): one hash
    serves both."""
    plain, wanted = _json_row(row), tuple(forms)
    out: dict[str | None, str] = {}
    if JCS in wanted:
        with suppress(CanonicalFormError):  # no RFC 8785 form: no seal in it can match
            out[JCS] = hashlib.sha256(canonical_bytes(plain, JCS)).hexdigest()
    flat = all(isinstance(k, str) and k.isascii() and not isinstance(v, dict | list | tuple)
               for k, v in plain.items())
    if LEGACY in wanted:
        out[LEGACY] = out[JCS] if JCS in out and flat else \
            hashlib.sha256(canonical_bytes(plain, LEGACY)).hexdigest()
    return out


def _json_row(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {name: value.isoformat() if isinstance(value, date) else value
            for name, value in row.items()}


def _rows(connection: Connection, table: sa.Table, ids: Iterable[Any] | None,
          covered: Mapping[str, tuple[str, ...]]) -> Iterable[sa.Row[Any]]:
    query = sa.select(*(table.c[name] for name in covered[table.name]))
    if ids is not None:
        query = query.where(table.c.id.in_(list(ids)))
    return connection.execute(query.order_by(table.c.id))


def digests(connection: Connection, table: sa.Table, ids: Iterable[Any] | None = None,
            covered: Mapping[str, tuple[str, ...]] = COVERED,
            form: str | None = CURRENT) -> dict[str, str]:
    """The digest of each row of a covered table (or of the rows with these ids), to seal
    them in an entry of ``form``."""
    return {row_key(table.name, row.id): row_digest(row._mapping, form)
            for row in _rows(connection, table, ids, covered)}


def all_digests(connection: Connection, tables: Mapping[str, sa.Table],
                covered: Mapping[str, tuple[str, ...]] = COVERED,
                forms: Iterable[str | None] = (JCS, LEGACY)
                ) -> dict[str, dict[str | None, str]]:
    """Every covered row's digest in each form: a seal is checked in its entry's form."""
    wanted = tuple(forms)
    found: dict[str, dict[str | None, str]] = {}
    for name in covered:
        for row in _rows(connection, tables[name], None, covered):
            found[row_key(name, row.id)] = row_digests(row._mapping, wanted)
    return found


def households_of(connection: Connection, tables: Mapping[str, sa.Table],
                  covered: Mapping[str, tuple[str, ...]] = COVERED) -> dict[str, str]:
    """Row key → the household it belongs to, for every covered row."""
    owner: dict[str, str] = {}
    for name in covered:
        table = tables[name]
        pairs: Iterable[Any]
        if name == "households":
            pairs = connection.execute(sa.select(table.c.id, table.c.id))
        elif name in PARENT:
            column, parent = PARENT[name]
            pairs = ((i, owner[row_key(parent, p)]) for i, p in
                     connection.execute(sa.select(table.c.id, table.c[column])))
        else:
            pairs = connection.execute(sa.select(table.c.id, table.c.household_id))
        owner.update({row_key(name, i): house for i, house in pairs})
    return owner


def fold_seals(sealed: dict[str, Seal], household: str, entries: Iterable[Any]) -> None:
    """Record the rows each entry seals; a later entry's seal replaces an earlier one."""
    for entry in entries:
        form = getattr(entry, "form", LEGACY)
        for key, digest in parse(entry.rows or "{}", form).items():
            sealed[key] = Seal(household, entry.seq, digest, form)


def row_problem(current: Mapping[str, Mapping[str | None, str]],
                sealed: Mapping[str, Seal]) -> Broken | None:
    """The first covered row that differs from its seal, was never sealed, or is gone."""
    for key, digest in current.items():
        seal = sealed.get(key)
        if seal is None:
            return Broken(row_name(key), "is in no household chain (written behind the "
                                         "ledger's back?)")
        if seal.digest != digest.get(seal.form):  # (None: the row has no form to match)
            return Broken(row_name(key), f"differs from what household {seal.household} "
                                         f"entry {seal.seq} recorded (changed behind the "
                                         "ledger's back)")
    for key in sorted(sealed.keys() - current.keys()):
        seal = sealed[key]
        return Broken(row_name(key), f"is recorded by household {seal.household} entry "
                                     f"{seal.seq} but is missing (deleted?)")
    return None


def append_head(connection: Connection, moved: Mapping[str, tuple[int, str]],
                form: str | None = CURRENT) -> None:
    """Append the ledger head for one transaction: the households it moved on. Writers
    take turns here (on PostgreSQL an advisory lock held to the end of the transaction).
    A legacy head (migration 0006, before the ``form`` column) leaves ``form`` out."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": HEAD_LOCK})
    columns = ["seq", "households", "prev_hash", "hash"] + ([] if form is LEGACY else ["form"])
    heads = sa.table("ledger_heads", *map(sa.column, columns))
    last = connection.execute(sa.select(heads.c.seq, heads.c.hash)
                              .order_by(heads.c.seq.desc()).limit(1)).first()
    seq, prev = (last.seq + 1, last.hash) if last is not None else (1, "")
    text = canonical_bytes({house: list(head) for house, head in moved.items()}, form).decode()
    values = dict(seq=seq, households=text, prev_hash=prev, hash=head_hash(prev, seq, text, form))
    connection.execute(sa.insert(heads).values(**values, **({} if form is LEGACY
                                                            else {"form": form})))


HEAD_LOCK = 0x61696472  # "aidr": the advisory lock of the ledger head


def head_problem(heads: Iterable[Any], households: Mapping[str, tuple[int, str]]
                 ) -> Broken | None:
    """Walk the ledger heads (by seq) and compare what they record with the households."""
    recorded: dict[str, tuple[int, str]] = {}
    prev, expected = "", 1
    for head in heads:
        problem = head_link_problem(head, expected, prev)
        if problem:
            return Broken(f"ledger head {expected}", problem)
        households_at = parse(head.households, getattr(head, "form", LEGACY))
        recorded.update({h: (v[0], v[1]) for h, v in households_at.items()})
        prev, expected = head.hash, expected + 1
    return _households_problem(recorded, households)


def head_link_problem(head: Any, expected: int, prev: str) -> str | None:
    """Why one ledger head does not follow the one before (hash ``prev``), or None."""
    if head.seq != expected:
        return f"sequence number is {head.seq} (head removed?)"
    if head.prev_hash != prev:
        return "does not link to the head before it (head removed or reordered)"
    try:
        recomputed = head_hash(prev, head.seq, head.households, getattr(head, "form", LEGACY))
    except ValueError as exc:
        return f"households is not valid in its canonical form ({exc})"
    return None if recomputed == head.hash else "content changed (hash does not match)"


def _households_problem(recorded: Mapping[str, tuple[int, str]],
                        households: Mapping[str, tuple[int, str]]) -> Broken | None:
    for house, (length, last) in sorted(recorded.items()):
        if house not in households:
            return Broken(f"household {house}", f"is missing: the ledger head records its "
                          f"chain of {length} entries ending in {last[:12]} (deleted?)")
        at, head = households[house]
        if (at, head) != (length, last):
            return Broken(f"household {house}", f"records {at} entries ending in {head[:12]}, "
                          f"the ledger head {length} ending in {last[:12]} (chain rolled back?)")
    for house in sorted(households.keys() - recorded.keys()):
        return Broken(f"household {house}", "is in no ledger head (added behind the "
                                            "ledger's back?)")
    return None
