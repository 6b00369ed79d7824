"""Households new to the ledger put under monitoring in bulk: the rows and chain entries
the use case would write one household at a time, written a table at a time (one
statement each, many rows), with the same chain: each household's ``application_filed``
entry seals its household, application and members, its ``assessed`` entry the
assessment and the household with its risk colour, exactly as :func:`.store.append` would
(docs/monitoring.md, "The month")."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import attrs
import sqlalchemy as sa
from sqlmodel import Session

from aidrules import model
from aidrules.casework.assessment import StoredAssessment
from aidrules.casework.errors import LedgerError
from aidrules.casework.ports import Filed, Monitored
from aidrules.ledger import integrity
from aidrules.ledger import tables as t
from aidrules.ledger.chain import CURRENT, canonical_json, entry_hash
from aidrules.ledger.limits import check_values

HOUSEHOLDS, APPLICATIONS, MEMBERS, ASSESSMENTS, ENTRIES = (
    t.metadata.tables[name] for name in ("households", "applications", "members",
                                         "assessments", "chain_entries"))
SOURCE = "monitoring"


def add_monitored(s: Session, households: Sequence[Monitored], on: date,
                  filed_entry: Callable[[Filed], dict[str, Any]],
                  assessed_entry: Callable[[StoredAssessment, str], dict[str, Any]]
                  ) -> list[int]:
    """Write ``households`` (none yet in the ledger) with their facts and assessments;
    the assessments' ids, in order."""
    if not households:
        return []
    s.flush()
    if s.info.get("written"):
        raise LedgerError("internal error: rows written with no chain entry before a bulk "
                          "registration")
    db = s.connection()
    ids = [m.household.id for m in households]
    _insert(db, HOUSEHOLDS, [{"id": m.household.id, "grid": m.household.grid,
                              "jurisdiction": m.household.jurisdiction, "risk_level": None,
                              "chain_length": 0, "chain_head": ""} for m in households])
    documents = [model.application_to_dict(m.application) for m in households]
    application_ids = _insert(db, APPLICATIONS, [
        {"household_id": m.household.id, "reference": m.application.application_id,
         "filed_on": on, "source": SOURCE, "document": canonical_json(doc)}
        for m, doc in zip(households, documents, strict=True)], returning=True)
    member_rows = [{"application_id": a, "position": position, "id_number": p.id_number,
                    "name": p.name, "relation": str(p.relation)}
                   for m, a in zip(households, application_ids, strict=True)
                   for position, p in enumerate(m.application.household.members)]
    member_ids = _insert(db, MEMBERS, member_rows, returning=True)
    members: dict[int, list[int]] = {}
    for row, member_id in zip(member_rows, member_ids, strict=True):
        members.setdefault(row["application_id"], []).append(member_id)
    sealed = {**_digests(db, HOUSEHOLDS, ids), **_digests(db, APPLICATIONS, application_ids),
              **_digests(db, MEMBERS, member_ids)}
    filed = [Filed(a, h, on, SOURCE, doc)
             for h, a, doc in zip(ids, application_ids, documents, strict=True)]
    heads = [_entry(h, 1, "", "application_filed", on, filed_entry(f), sealed,
                    [("households", h), ("applications", a),
                     *(("members", n) for n in members.get(a, ()))])
             for h, a, f in zip(ids, application_ids, filed, strict=True)]

    made = [StoredAssessment.of(m.stored, household_id=m.household.id, application_id=a,
                                case_id=None, on=on)
            for m, a in zip(households, application_ids, strict=True)]
    texts = [canonical_json(m.stored) for m in households]
    assessment_ids = _insert(db, ASSESSMENTS, [
        {"household_id": a.household_id, "application_id": a.application_id, "case_id": None,
         "on": on, "jurisdiction": a.jurisdiction, "rulebook_version": a.rulebook_version,
         "rulebook_digest": a.rulebook_digest, "policy_version": a.policy_version,
         "risk_level": a.risk_level, "result": text} for a, text in zip(made, texts,
                                                                         strict=True)],
        returning=True)
    db.execute(sa.update(HOUSEHOLDS).where(HOUSEHOLDS.c.id == sa.bindparam("key"))
               .values(risk_level=sa.bindparam("risk")),
               [{"key": a.household_id, "risk": a.risk_level} for a in made])
    sealed = {**_digests(db, ASSESSMENTS, assessment_ids), **_digests(db, HOUSEHOLDS, ids)}
    entries = [e for e, _ in heads]
    for (_, prev), a, n, text in zip(heads, made, assessment_ids, texts, strict=True):
        entry, _ = _entry(a.household_id, 2, prev, "assessed", on,
                          assessed_entry(attrs.evolve(a, id=n), _sha256(text)), sealed,
                          [("assessments", n), ("households", a.household_id)])
        entries.append(entry)
    _insert(db, ENTRIES, entries)
    db.execute(sa.update(HOUSEHOLDS).where(HOUSEHOLDS.c.id == sa.bindparam("key"))
               .values(chain_length=2, chain_head=sa.bindparam("head")),
               [{"key": e["household_id"], "head": e["hash"]} for e in entries[len(heads):]])
    moved = s.info.setdefault("heads", {})
    for e in entries[len(heads):]:
        moved[e["household_id"]] = (2, e["hash"])
    return assessment_ids


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _entry(household_id: str, seq: int, prev: str, kind: str, day: date,
           payload: dict[str, Any], sealed: dict[str, str], rows: list[tuple[str, Any]]
           ) -> tuple[dict[str, Any], str]:
    text = canonical_json(payload)
    seal = canonical_json({key: sealed[key] for key in
                           (integrity.row_key(table, n) for table, n in rows)})
    digest = entry_hash(prev, household_id, seq, kind, day, text, seal)
    return ({"household_id": household_id, "seq": seq, "kind": kind, "day": day,
             "payload": text, "prev_hash": prev, "hash": digest, "rows": seal,
             "form": CURRENT}, digest)


def _insert(db: sa.Connection, table: sa.Table, rows: list[dict[str, Any]],
            returning: bool = False) -> list[Any]:
    """Insert many rows in one statement (their texts checked first); their ids, in order."""
    for row in rows:
        check_values(table, row, f"{table.name.removesuffix('s').replace('_', ' ')} (new)")
    if not rows:
        return []
    if not returning:
        db.execute(sa.insert(table), rows)
        return []
    found = db.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
                       rows)
    return list(found.scalars())


def _digests(db: sa.Connection, table: sa.Table, ids: Sequence[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        found.update(integrity.digests(db, table, ids[start:start + 900]))
    return found
