"""The ledger's side of monitoring: feed imports, their rows and rejects, early warnings
and discovered people, stored so that nothing is lost and nothing is counted twice.

- A file is known by (source, sha256): importing it again stores nothing.
- A row is known by its row key (``Event.key``, its whole content): the same rows in
  another file add no row; it is stored with its name and details.
- A reject is kept with its line, reason and cells, per import, never dropped.
- A warning is known by its deduplication key: the same situation is raised once; a
  warning on a household in the ledger creates a ledger warning and a verification task
  for the household's grid, with a ``warned`` chain entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs
from sqlalchemy import func, insert, true
from sqlmodel import Session, col, select

from aidrules.ledger import lists
from aidrules.ledger import tables as t
from aidrules.ledger.chain import canonical_json
from aidrules.ledger.ledger import Ledger
from aidrules.ledger.store import ident

if TYPE_CHECKING:
    from aidrules.monitoring import Discovered, EarlyWarning, Event, ImportReport, Reject

CHUNK = 500  # keys per IN (...) query


@attrs.frozen
class StoredImport:
    import_id: int
    is_repeat: bool  # this very file was imported before: nothing was stored
    new_events: tuple[Event, ...]  # rows whose key the ledger had not seen
    duplicates: int  # rows whose key was stored before (or twice in this file)


def row_key(event: Event) -> str:
    return "/".join(event.key)


def record_import(ledger: Ledger, report: ImportReport, sha256: str, events: Sequence[Event],
                  rejects: Sequence[Reject], on: date) -> StoredImport:
    """Store one imported file: its counts, its new rows and every reject, in one
    transaction. Returns the events not seen before, to be screened."""
    with ledger.store.tx() as s:
        known = s.exec(select(t.FeedImportRecord).where(
            col(t.FeedImportRecord.source) == report.source,
            col(t.FeedImportRecord.sha256) == sha256)).first()
        if known is not None:
            return StoredImport(ident(known), True, (), len(events))
        new = _new_events(s, events)
        record = t.FeedImportRecord(
            source=report.source, file_name=report.file, sha256=sha256, imported_on=on,
            rows=report.rows, imported=report.imported, new_rows=len(new),
            rejected=report.rejected, blank=report.blank,
            problems=canonical_json(list(report.problems)))
        s.add(record)
        s.flush()
        _insert(s, t.FeedRow, [
            {"import_id": record.id, "row_key": row_key(e), "id_number": e.id_number,
             "kind": e.kind, "day": e.on, "line": e.line,
             "amount": None if e.amount is None else f"{e.amount:.2f}", "name": e.name,
             "details": canonical_json(dict(e.details))} for e in new])
        _insert(s, t.FeedReject, [
            {"import_id": record.id, "line": r.line, "reason": r.reason,
             "cells": canonical_json([str(c) for c in r.raw])} for r in rejects])
        return StoredImport(ident(record), False, tuple(new), len(events) - len(new))


def _new_events(s: Session, events: Sequence[Event]) -> list[Event]:
    keys = [row_key(e) for e in events]
    new, seen = [], _stored(s, col(t.FeedRow.row_key), keys)
    for key, event in zip(keys, events, strict=True):
        if key not in seen:
            seen.add(key)
            new.append(event)
    return new


def _stored(s: Session, column: Any, values: Sequence[str]) -> set[str]:
    """Which of ``values`` the column already holds (asked in chunks)."""
    found: set[str] = set()
    for start in range(0, len(values), CHUNK):
        found.update(s.exec(select(column).where(column.in_(values[start:start + CHUNK]))))
    return found


def _insert(s: Session, table: type, rows: list[dict[str, Any]]) -> None:
    if rows:
        s.connection().execute(insert(table), rows)


def raised_keys(ledger: Ledger) -> set[str]:
    """Every warning key raised so far: the screening does not raise them again."""
    with ledger.store.reading() as s:
        return set(s.exec(select(col(t.EarlyWarning.key))))


def open_tasks(ledger: Ledger) -> list[tuple[int, str, date]]:
    """(task id, household, due date) of every verification task not yet done."""
    with ledger.store.reading() as s:
        return [(ident(task), task.household_id, task.due_on) for task in s.exec(
            select(t.VerificationTask).where(col(t.VerificationTask.done_on).is_(None))
            .order_by(col(t.VerificationTask.id)))]


def known_households(ledger: Ledger, household_ids: Iterable[str]) -> set[str]:
    with ledger.store.reading() as s:
        return _stored(s, col(t.Household.id), sorted(set(household_ids)))


def record_discovered(ledger: Ledger, discovered: Iterable[Discovered]) -> int:
    """Keep people nobody knew as candidates (主动发现); returns how many are new."""
    with ledger.store.tx() as s:
        people = {d.event.id_number: d.event for d in discovered}
        known = _stored(s, col(t.DiscoveredPerson.id_number), sorted(people))
        _insert(s, t.DiscoveredPerson, [
            {"id_number": n, "name": e.name, "source": e.source, "kind": e.kind,
             "first_seen_on": e.on, "row_key": row_key(e)}
            for n, e in sorted(people.items()) if n not in known])
        return len(people) - len(known)


@attrs.frozen
class StoredWarning:
    warning: EarlyWarning
    task_id: int | None  # None: the household is not in the ledger (a discovered person)


def record_warnings(ledger: Ledger, warnings: Iterable[EarlyWarning], on: date, due_on: date,
                    worker_of: Callable[[str], str]) -> list[StoredWarning]:
    """Store warnings whose key is new, in one transaction; each on a household in the
    ledger becomes a ledger warning with a verification task for its grid's worker."""
    warnings = list(warnings)
    stored = []
    with ledger.store.unit() as uow:
        s = uow.s
        raised = _stored(s, col(t.EarlyWarning.key), [w.key for w in warnings])
        for w in warnings:
            if w.key in raised:
                continue
            raised.add(w.key)
            task_id = warning_id = None
            if s.get(t.Household, w.household_id) is not None:
                warning_id, task_id = ledger.loop.warn(
                    uow, w.household_id, _department(w), w.reason_zh, on, worker_of(w.grid),
                    due_on, w.colour, {"rule": w.rule_id, "key": w.key})
            s.add(t.EarlyWarning(key=w.key, rule_id=w.rule_id, household_id=w.household_id,
                                 id_number=w.id_number, colour=w.colour,
                                 suggest=lists.dump(w.suggest), raised_on=on, event_on=w.on,
                                 event_key="/".join(w.event_key), warning_id=warning_id))
            stored.append(StoredWarning(w, task_id))
    return stored


def _department(w: EarlyWarning) -> str:
    """The source that gave the event; the county's own calendar for clock events."""
    return "civil_affairs" if w.event_key[0] == "clock" else w.event_key[0]


def pending_referrals(ledger: Ledger) -> list[tuple[int, str, list[str]]]:
    """(referral id, brand, departments) of every referral still awaiting feedback."""
    with ledger.store.reading() as s:
        return [(ident(r), r.brand, lists.load(r.departments)) for r in s.exec(
            select(t.Referral).where(col(t.Referral.status) == "pushed")
            .order_by(col(t.Referral.id)))]


def figures(ledger: Ledger, excluding: str | None = None, only: str | None = None
            ) -> dict[str, Any]:
    """The monthly figures, in the shape of the model county's own (docs/monitoring.md).

    Households whose id starts with ``excluding`` are left out, or only those starting
    with ``only`` are counted (the demo keeps its shipped examples, ``EX-…``, apart)."""
    def kept(column: Any) -> Any:
        if only is not None:
            return column.startswith(only, autoescape=True)
        if excluding is not None:
            return ~column.startswith(excluding, autoescape=True)
        return true()

    with ledger.store.reading() as s:
        def count(query: Any) -> int:
            return s.exec(query).one()

        def grouped(column: Any, query: Any) -> dict[str, int]:
            return {k: n for k, n in s.exec(query.group_by(column).order_by(column))}

        return {
            "households_monitored": count(select(func.count()).select_from(t.Household)
                                          .where(kept(col(t.Household.id)))),
            "people_monitored": count(select(func.count(func.distinct(col(t.Member.id_number))))
                                      .join(t.Application,
                                            col(t.Application.id) == col(t.Member.application_id))
                                      .where(kept(col(t.Application.household_id)))),
            "feed_rows": count(select(func.count()).select_from(t.FeedRow)),
            "feed_rejects": count(select(func.count()).select_from(t.FeedReject)),
            "warnings": count(select(func.count()).select_from(t.EarlyWarning)
                              .where(kept(col(t.EarlyWarning.household_id)))),
            "warnings_by_colour": grouped(col(t.EarlyWarning.colour), select(
                col(t.EarlyWarning.colour), func.count())
                .where(kept(col(t.EarlyWarning.household_id)))),
            "tasks": count(select(func.count()).select_from(t.VerificationTask)
                           .where(kept(col(t.VerificationTask.household_id)))),
            "tasks_done": count(select(func.count()).select_from(t.VerificationTask)
                                .where(col(t.VerificationTask.done_on).is_not(None),
                                       kept(col(t.VerificationTask.household_id)))),
            "discovered": count(select(func.count()).select_from(t.DiscoveredPerson)),
            "enrolled_by_aid": grouped(col(t.Enrolment.aid), select(
                col(t.Enrolment.aid), func.count(func.distinct(col(t.Enrolment.household_id))))
                .where(kept(col(t.Enrolment.household_id)))),
            "temporary_assistance_cases": count(
                select(func.count(func.distinct(col(t.Enrolment.case_id))))
                .where(col(t.Enrolment.aid) == "temporary_assistance",
                       kept(col(t.Enrolment.household_id)))),
            "referrals_by_brand": grouped(col(t.Referral.brand), select(
                col(t.Referral.brand), func.count()).where(kept(col(t.Referral.household_id)))),
            "feedback": count(select(func.count()).select_from(t.Feedback)
                              .join(t.Referral, col(t.Referral.id) == col(t.Feedback.referral_id))
                              .where(kept(col(t.Referral.household_id)))),
            "referrals_answered": count(select(func.count()).select_from(t.Referral)
                                        .where(col(t.Referral.status) == "answered",
                                               kept(col(t.Referral.household_id)))),
            "households_by_risk": grouped(col(t.Household.risk_level), select(
                col(t.Household.risk_level), func.count()).where(
                    col(t.Household.risk_level).is_not(None), kept(col(t.Household.id)))),
            "cases": count(select(func.count()).select_from(t.Case)
                           .where(kept(col(t.Case.household_id)))),
        }
