"""One month of monitoring against the case ledger: import the department feeds, match
them to the register, screen them through the warning rules, and store what is new.

Thin on purpose: monitoring (pure) and the ledger (storage) do the work; this module
only wires them, so imports point one way (month → ledger → monitoring). See
docs/monitoring.md, "The month".
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path

import attrs

from aidrules.casework.assessment import screened
from aidrules.columnar import Screener
from aidrules.engine.durable import Engine
from aidrules.ledger import Ledger
from aidrules.ledger import monitoring as store
from aidrules.model import Application
from aidrules.monitoring import (
    Event,
    FeedImport,
    FeedMapping,
    ImportReport,
    Monitor,
    Register,
    Reject,
    Screening,
    VerificationTask,
    WarningBook,
)

TASK_DAYS = 10  # days a grid worker has to verify; no national text sets it (docs/ledger.md)


@attrs.frozen
class FeedFile:
    mapping: FeedMapping
    path: Path


@attrs.frozen
class ImportResult:
    report: ImportReport
    stored: store.StoredImport


@attrs.define
class MonthResult:
    imports: list[ImportResult] = attrs.Factory(list)
    screening: Screening = attrs.Factory(Screening)
    warnings: list[store.StoredWarning] = attrs.Factory(list)  # new this run
    discovered: int = 0  # candidates new this run
    registered: int = 0  # households put under monitoring because a warning concerned them
    seconds: dict[str, float] = attrs.Factory(dict)  # per phase, for the benchmark


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(ledger: Ledger, feed: FeedFile, on: date) -> ImportResult:
    """Read one file (every row an event or a kept reject) and store it."""
    reading = FeedImport(feed.mapping, feed.path)
    events: list[Event] = []
    rejects: list[Reject] = []
    for item in reading:
        if isinstance(item, Event):
            events.append(item)
        else:
            rejects.append(item)
    stored = store.record_import(ledger, reading.report, sha256_of(feed.path), events,
                                 rejects, on)
    return ImportResult(reading.report, stored)


def run_month(ledger: Ledger, register: Register, book: WarningBook, feeds: Iterable[FeedFile],
              today: date, application_of: Callable[[str], Application | None] | None = None,
              worker_of: Callable[[str], str] = lambda grid: f"{grid}网格员",
              engine: Engine | None = None, task_days: int = TASK_DAYS,
              screener: Screener | None = None) -> MonthResult:
    """Import ``feeds``, screen the rows not seen before (and the clock's due dates) on
    ``today``, and store the new warnings with their verification tasks.

    A warning on a household of the register that the ledger does not yet hold puts it
    under monitoring first, with the facts ``application_of`` gives (None: the warning is
    stored without a task), screened in one pass (:func:`monitor`).

    The month is one transaction: the imports, the people discovered, the households
    registered and the warnings with their tasks are committed together or not at all, so
    a month that fails or is killed part-way leaves the ledger as it was and simply runs
    again (docs/monitoring.md, "The month")."""
    result = MonthResult()
    clock = _Phases(result.seconds)
    with ledger.transaction():
        new_events = _import(ledger, feeds, today, result)
        clock.lap("import")
        _screen(ledger, register, book, engine, new_events, today, result)
        clock.lap("screen")
        if application_of is not None:
            result.registered = _register_warned(ledger, register, result.screening, today,
                                                 application_of, screener)
        clock.lap("register")
        result.warnings = store.record_warnings(ledger, result.screening.warnings, today,
                                                today + timedelta(days=task_days), worker_of)
        clock.lap("store warnings")
    clock.lap("commit")
    return result


def _import(ledger: Ledger, feeds: Iterable[FeedFile], today: date,
            result: MonthResult) -> list[Event]:
    """Import each file; the events new to the ledger, to be screened."""
    new_events: list[Event] = []
    for feed in feeds:
        imported = import_file(ledger, feed, today)
        result.imports.append(imported)
        new_events.extend(imported.stored.new_events)
    return new_events


def _screen(ledger: Ledger, register: Register, book: WarningBook, engine: Engine | None,
            events: list[Event], today: date, result: MonthResult) -> None:
    """Screen the new events and the clock's due dates; keep the people nobody knew."""
    monitor = Monitor(register, book, engine, raised=store.raised_keys(ledger))
    tasks = [VerificationTask(str(n), household, due) for n, household, due
             in store.open_tasks(ledger)]
    result.screening = monitor.screen(events, today, tasks)
    result.discovered = store.record_discovered(ledger, result.screening.discovered.values())


class _Phases:
    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds, self.last = seconds, time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase], self.last = now - self.last, now


def _register_warned(ledger: Ledger, register: Register, screening: Screening, today: date,
                     application_of: Callable[[str], Application | None],
                     screener: Screener | None) -> int:
    warned = {w.household_id for w in screening.warnings
              if w.household_id in register.households}
    missing = sorted(warned - store.known_households(ledger, warned))
    found = ((h, register.households[h].grid, application_of(h)) for h in missing)
    return monitor(ledger, ((h, g, a) for h, g, a in found if a is not None), today, screener)


def monitor(ledger: Ledger, households: Iterable[tuple[str, str, Application]], on: date,
            screener: Screener | None = None) -> int:
    """Put households (id, grid, facts) under monitoring on ``on``, screened in one pass
    on DuckDB instead of assessed one by one; the ledger keeps each screening row (the
    full reasons are recomputed from the facts on demand). Returns how many."""
    chosen = list(households)
    if not chosen:
        return 0
    screener = screener or Screener(ledger.book)
    rows = screener.screen_each((a, on, None) for _, _, a in chosen).to_pylist()
    return ledger.register_screened(
        ((h, grid, a, screened(screener.book, row, a.jurisdiction, on,
                              screener.compiled(a.jurisdiction, on).policy_version))
         for (h, grid, a), row in zip(chosen, rows, strict=True)), on)
