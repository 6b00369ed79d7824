"""Screening: matched events and the clock's due dates, through the warning rules.

The warning rules are compiled by the rules' compiler onto the shared engine, with the
thresholds in force on the screening day. One short-lived durable_rules session per
household: the household fact, then one fact per event (facts, not events, so every
rule that matches fires); what fires is what is warned. ``verify=True`` has the
library's exact evaluator re-check every (rule, event) pair; a disagreement is an
:class:`EngineError` (the tests screen so).

Warnings are collected per deduplication key, keeping the earliest event, and returned
sorted: the same events in any order give the same warnings. ``seen`` (row keys) and
``raised`` (warning keys) carry what earlier runs saw, so importing a feed again adds
nothing; the case ledger is where a county keeps them between runs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Protocol

import attrs

from aidrules.engine.assess import shared_engine
from aidrules.engine.compiler import SESSION_RULE, ConditionSet
from aidrules.engine.durable import Engine
from aidrules.errors import EngineError
from aidrules.model.identity import birth_date_of
from aidrules.monitoring.records import Event
from aidrules.monitoring.register import Discovered, Household, NameMismatch, Register
from aidrules.monitoring.warnings import NAMES, WarningBook, WarningRule

DUE_HORIZON_DAYS = 60  # review and grace-period dates this close raise clock events


class Clock(Protocol):
    def today(self) -> date: ...


@attrs.frozen
class FixedClock:
    """The clock tests (and replays) control."""

    day: date

    def today(self) -> date:
        return self.day


class SystemClock:
    def today(self) -> date:
        return date.today()


@attrs.frozen
class VerificationTask:
    """What the ledger tells the screening about one open verification task."""

    task_id: str
    household_id: str
    due_on: date
    is_done: bool = False


@attrs.frozen
class Occurrence:
    """Something that happened to a household: a matched event or a date coming due."""

    household_id: str
    kind: str
    on: date
    key: tuple[str, ...]  # the event's row key, or the clock's own
    id_number: str = ""
    name: str = ""
    values: tuple[tuple[str, Any], ...] = ()  # dotted field → value (Fraction for money)


@attrs.frozen
class EarlyWarning:
    """预警: a reason, the aid types to look at, a risk colour, and a deduplication key."""

    key: str
    rule_id: str
    household_id: str
    grid: str  # "" for a discovered person: no grid yet
    colour: str
    reason_zh: str
    reason_en: str
    suggest: tuple[str, ...]
    on: date
    id_number: str
    event_key: tuple[str, ...]


@attrs.define
class Screening:
    matched: int = 0
    duplicates: int = 0  # events whose row key was already seen: nothing new
    mismatches: list[NameMismatch] = attrs.Factory(list)
    discovered: dict[str, Discovered] = attrs.Factory(dict)  # by identity number
    warnings: list[EarlyWarning] = attrs.Factory(list)
    repeated: int = 0  # warnings whose key was raised before


_UNKNOWN_HOUSEHOLD = {"household.status": "unknown", "household.is_assisted": False,
                      "household.is_known": False, "household.members": 1}


class Monitor:
    """Screens events through ``book`` on ``engine`` (the process's shared engine unless
    one is given); ``verify`` re-checks every (rule, event) pair with the evaluator."""

    def __init__(self, register: Register, book: WarningBook, engine: Engine | None = None,
                 seen: set | None = None, raised: set | None = None,
                 verify: bool = False) -> None:
        self.register, self.book, self.verify = register, book, verify
        self.engine = engine or shared_engine()
        self.seen = set() if seen is None else seen
        self.raised = set() if raised is None else raised
        self._compiled: dict[str, ConditionSet] = {}  # by the parameter values folded in

    def screen(self, events: Iterable[Event], today: date,
               tasks: Iterable[VerificationTask] = ()) -> Screening:
        result = Screening()
        values = self.book.values(today)
        rules = self.compiled(values)
        by_household: dict[str, list[Occurrence]] = defaultdict(list)
        for event in events:
            occurrence = self._occurrence(event, result)
            if occurrence is not None:
                by_household[occurrence.household_id].append(occurrence)
        for occurrence in due_occurrences(self.register, today, tasks):
            if occurrence.key not in self.seen:
                self.seen.add(occurrence.key)
                by_household[occurrence.household_id].append(occurrence)
        found: dict[str, EarlyWarning] = {}
        for household_id in sorted(by_household):
            for warning in self._household(rules, values, household_id,
                                           by_household[household_id]):
                kept = found.get(warning.key)
                if kept is None or (warning.on, warning.event_key) < (kept.on, kept.event_key):
                    found[warning.key] = warning
        for key in sorted(found):
            if key in self.raised:
                result.repeated += 1
            else:
                self.raised.add(key)
                result.warnings.append(found[key])
        result.mismatches.sort(key=lambda m: m.event.key)
        return result

    def compiled(self, values: dict[str, Any]) -> ConditionSet:
        """The rules with these thresholds, compiled once and registered on the engine."""
        key = repr(sorted(values.items()))
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = self.book.compile(values)
            self.engine.register_rules(found.name, found.rules)
        return found

    def _occurrence(self, event: Event, result: Screening) -> Occurrence | None:
        if event.key in self.seen:
            result.duplicates += 1
            return None
        self.seen.add(event.key)
        matched, mismatch = self.register.match(event)
        if mismatch is not None:
            result.mismatches.append(mismatch)
        if isinstance(matched, Discovered):
            result.discovered.setdefault(event.id_number, matched)
            return event_occurrence(event, "D" + event.id_number, is_earner=False)
        result.matched += 1
        return event_occurrence(event, matched.household.household_id, matched.person.is_earner)

    def _household(self, rules: ConditionSet, values: dict[str, Any], household_id: str,
                   occurrences: list[Occurrence]) -> Iterator[EarlyWarning]:
        household = self.register.households.get(household_id)
        facts = household_values(household)
        occurrences = sorted(occurrences, key=lambda o: (o.on, o.key))
        with self.engine.match_session(rules.name) as session:
            session.assert_fact(rules.fact("household", _fields(facts)))
            for n, occurrence in enumerate(occurrences):
                session.assert_fact(dict(rules.fact("other", _fields(occurrence.values)), n=n))
            fired = {(rules.actions[rule], match["m"]["n"]) for rule, match in session.matches
                     if rule != SESSION_RULE}
        for n, occurrence in enumerate(occurrences):
            for rule in self.book.rules:
                if self.verify and self.book.holds(rule, {**facts, **dict(occurrence.values)},
                                                   values) != ((rule.id, n) in fired):
                    raise EngineError(f"durable_rules and the evaluator disagree on warning "
                                      f"{rule.id!r} for household {household_id}")
                if (rule.id, n) in fired:
                    yield _warning(rule, household, household_id, occurrence)


def _fields(values: Any) -> dict[str, Any]:
    """Dotted names (``event.amount``) → the engine's fields (``amount``)."""
    return {NAMES[dotted].field: value for dotted, value in dict(values).items()}


def event_occurrence(event: Event, household_id: str, is_earner: bool) -> Occurrence:
    values: dict[str, Any] = {"event.kind": event.kind, "event.is_earner": is_earner}
    if event.amount is not None:
        values["event.amount"] = Fraction(event.amount)
    born = birth_date_of(event.id_number)
    values["event.age"] = event.on.year - born.year - (
        (event.on.month, event.on.day) < (born.month, born.day))
    grade = event.detail("grade")
    if grade and grade.isdigit():
        values["event.grade"] = int(grade)
    return Occurrence(household_id, event.kind, event.on, event.key, event.id_number,
                      event.name, tuple(sorted(values.items())))


def household_values(household: Household | None) -> dict[str, Any]:
    if household is None:
        return dict(_UNKNOWN_HOUSEHOLD)
    return {"household.status": household.status, "household.is_assisted":
            household.is_assisted, "household.is_known": True,
            "household.members": household.members}


def due_occurrences(register: Register, today: date,
                    tasks: Iterable[VerificationTask] = ()) -> Iterator[Occurrence]:
    """Clock events: reviews and grace periods ending within the horizon, overdue tasks."""
    horizon = today + timedelta(days=DUE_HORIZON_DAYS)
    for household in register.households.values():
        for kind, due in (("review_due", household.review_on),
                          ("grace_period_ending", household.grace_ends_on)):
            if due is not None and due <= horizon:
                yield _clock(household.household_id, kind, due, today, "event.days_left",
                             (due - today).days)
    for task in tasks:
        if not task.is_done and task.due_on < today:
            yield _clock(task.household_id, "task_overdue", task.due_on, today,
                         "event.days_overdue", (today - task.due_on).days, task.task_id)


def _clock(household_id: str, kind: str, due: date, today: date, field: str, days: int,
           extra: str = "") -> Occurrence:
    # One clock event per household, kind and due date (and task): screening again on a
    # later day adds nothing new for a date already seen.
    key = ("clock", household_id, kind, due.isoformat(), extra)
    return Occurrence(household_id, kind, due, key,
                      values=(("event.kind", kind), (field, days)))


def _warning(rule: WarningRule, household: Household | None, household_id: str,
             occurrence: Occurrence) -> EarlyWarning:
    part = {"household": "", "person": occurrence.id_number,
            "month": occurrence.on.strftime("%Y-%m"), "event": "/".join(occurrence.key)}
    key = "|".join((rule.id, household_id, part[rule.once_per]))
    return EarlyWarning(key, rule.id, household_id, household.grid if household else "",
                        rule.colour, rule.reason_zh, rule.reason_en, rule.suggest,
                        occurrence.on, occurrence.id_number, occurrence.key)

