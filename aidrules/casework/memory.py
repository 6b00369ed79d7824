"""A store that keeps the case file in memory: the same use cases, the same rules, no
database. For tests (the procedure's properties hold on both stores) and for trying a
procedure out. A unit that fails leaves the store as it was.

It keeps the chain's events in order per household but computes no hashes: sealing and
verifying the chain is the SQL ledger's job (:mod:`aidrules.ledger.chain`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from aidrules import model
from aidrules.casework.assessment import StoredAssessment
from aidrules.casework.case import (
    CASE_STEPS,
    OPEN_STATES,
    Case,
    Clash,
    Decision,
    Enrolment,
    Exit,
    Review,
)
from aidrules.casework.errors import ConflictError, NotFound
from aidrules.casework.loop import Referral, Task
from aidrules.casework.ports import Filed, HouseholdRef, Monitored


@attrs.frozen
class Event:
    """One event on a household's chain (as the SQL ledger's entries, without hashes)."""
    household_id: str
    seq: int
    kind: str
    day: date
    payload: str  # JSON text


@attrs.define
class _Tables:
    """Every value stored is replaced, never changed in place, so a copy of the dicts is a
    snapshot."""
    households: dict[str, HouseholdRef] = attrs.Factory(dict)
    risk: dict[str, str | None] = attrs.Factory(dict)
    applications: dict[int, Filed] = attrs.Factory(dict)
    assessments: dict[int, StoredAssessment] = attrs.Factory(dict)
    cases: dict[int, Case] = attrs.Factory(dict)
    decisions: dict[int, Decision] = attrs.Factory(dict)
    enrolments: dict[int, Enrolment] = attrs.Factory(dict)
    reviews: dict[int, Review] = attrs.Factory(dict)
    exits: dict[int, Exit] = attrs.Factory(dict)
    referrals: dict[int, Referral] = attrs.Factory(dict)
    warnings: dict[int, tuple[Any, ...]] = attrs.Factory(dict)
    tasks: dict[int, Task] = attrs.Factory(dict)
    feedback: dict[int, tuple[Any, ...]] = attrs.Factory(dict)
    chains: dict[str, tuple[Event, ...]] = attrs.Factory(dict)

    def copy(self) -> _Tables:
        return _Tables(**{f.name: dict(getattr(self, f.name)) for f in attrs.fields(_Tables)})


class MemoryStore:
    """The case file in memory (:class:`aidrules.casework.ports.Store`)."""

    def __init__(self) -> None:
        self.tables = _Tables()

    @contextmanager
    def unit(self) -> Iterator[MemoryUnit]:
        before = self.tables.copy()
        try:
            yield MemoryUnit(self.tables)
        except BaseException:
            self.tables = before
            raise

    # ---- reads ------------------------------------------------------------------------

    def snapshot(self) -> _Tables:
        return self.tables.copy()

    def case(self, case_id: int) -> dict[str, Any]:
        """The case as plain data, with its enrolments (as the SQL ledger shows it)."""
        case = _get(self.tables.cases, case_id, "case")
        return {**attrs.asdict(case, recurse=False), "state": str(case.state),
                "enrolments": [attrs.asdict(e) for e in self.enrolments()
                               if e.case_id == case_id]}

    def enrolments(self, household_id: str | None = None) -> list[Enrolment]:
        return [e for _, e in sorted(self.tables.enrolments.items())
                if household_id is None or e.household_id == household_id]

    def chain(self, household_id: str) -> list[Event]:
        if household_id not in self.tables.households:
            raise NotFound(f"no household {household_id!r} in the case file")
        return list(self.tables.chains.get(household_id, ()))

    def verify(self) -> str | None:
        """The first chain whose events are not numbered 1, 2, ... in order, or None."""
        for house, events in sorted(self.tables.chains.items()):
            if [e.seq for e in events] != list(range(1, len(events) + 1)):
                return f"household {house}: events out of sequence"
        return None


class MemoryUnit:
    """The repository on the store's tables (:class:`aidrules.casework.ports.UnitOfWork`)."""

    def __init__(self, tables: _Tables) -> None:
        self.t = tables

    def household(self, household_id: str) -> HouseholdRef | None:
        return self.t.households.get(household_id)

    def known(self, household_ids: Sequence[str]) -> set[str]:
        return {h for h in household_ids if h in self.t.households}

    def add_household(self, household: HouseholdRef) -> None:
        self.t.households[household.id] = household

    def set_risk(self, household_id: str, risk_level: str | None) -> None:
        self.t.risk[household_id] = risk_level

    def add_application(self, household_id: str, application: model.Application,
                        on: date, source: str) -> Filed:
        filed = Filed(_next(self.t.applications), household_id, on, source,
                      model.application_to_dict(application))
        self.t.applications[filed.id] = filed
        return filed

    def application(self, application_id: int) -> Filed:
        return _get(self.t.applications, application_id, "application")

    def latest_application(self, household_id: str) -> Filed:
        return _latest(self.t.applications, lambda f: f.household_id == household_id,
                       "application")

    def add_assessment(self, assessment: StoredAssessment, document: dict[str, Any]
                       ) -> tuple[int, str]:
        assessment_id = _next(self.t.assessments)
        self.t.assessments[assessment_id] = attrs.evolve(assessment, id=assessment_id)
        return assessment_id, hashlib.sha256(_json(document).encode()).hexdigest()

    def add_monitored(self, households: Sequence[Monitored], on: date,
                      filed_entry: Callable[[Filed], dict[str, Any]],
                      assessed_entry: Callable[[StoredAssessment, str], dict[str, Any]]
                      ) -> list[int]:
        made = []
        for m in households:
            self.add_household(m.household)
            filed = self.add_application(m.household.id, m.application, on, "monitoring")
            self.record(m.household.id, "application_filed", on, filed_entry(filed))
            stored = StoredAssessment.of(m.stored, household_id=m.household.id,
                                         application_id=filed.id, case_id=None, on=on)
            assessment_id, sha256 = self.add_assessment(stored, m.stored)
            self.set_risk(m.household.id, stored.risk_level)
            self.record(m.household.id, "assessed", on,
                        assessed_entry(attrs.evolve(stored, id=assessment_id), sha256))
            made.append(assessment_id)
        return made

    def assessment(self, assessment_id: int) -> StoredAssessment:
        return _get(self.t.assessments, assessment_id, "assessment")

    def latest_assessment(self, case_id: int) -> StoredAssessment:
        return _latest(self.t.assessments, lambda a: a.case_id == case_id, "assessment")

    def add_referrals(self, assessment: StoredAssessment, on: date, due_on: date
                      ) -> list[int]:
        ids = []
        for referral in assessment.referrals:
            ids.append(_next(self.t.referrals))
            self.t.referrals[ids[-1]] = Referral(assessment.household_id, referral.brand,
                                                 referral.departments, "pushed", on, (),
                                                 ids[-1])
        return ids

    def open_case(self, household_id: str) -> Case | None:
        for case_id, case in sorted(self.t.cases.items()):
            if case.household_id == household_id and case.state in OPEN_STATES:
                return self.case(case_id)
        return None

    def case(self, case_id: int) -> Case:
        case = _get(self.t.cases, case_id, "case")
        steps = [(e.day, e.seq, e.kind) for e in self.t.chains.get(case.household_id, ())
                 if e.kind in CASE_STEPS and json.loads(e.payload).get("case") == case_id]
        day, _, kind = max(steps) if steps else (None, 0, None)
        return attrs.evolve(case, last_step=(kind, day) if kind and day else None)

    def add_case(self, case: Case) -> int:
        case_id = _next(self.t.cases)
        self.t.cases[case_id] = attrs.evolve(case, id=case_id)
        return case_id

    def save_case(self, case: Case) -> None:
        stored = _get(self.t.cases, case.id or 0, "case")
        if stored.version != case.version:
            raise ConflictError(f"case {case.id} was changed by someone else "
                                f"(version {case.version} is stale); reload it and try again")
        case.version += 1
        self.t.cases[case.id or 0] = attrs.evolve(case, last_step=None)

    def add_decision(self, decision: Decision) -> int:
        decision_id = _next(self.t.decisions)
        self.t.decisions[decision_id] = attrs.evolve(decision, id=decision_id)
        return decision_id

    def latest_decision(self, case_id: int) -> Decision:
        return _latest(self.t.decisions, lambda d: d.case_id == case_id, "decision")

    def household_enrolments(self, household_id: str) -> list[Enrolment]:
        return [attrs.evolve(e) for _, e in sorted(self.t.enrolments.items())
                if e.household_id == household_id]

    def open_enrolments(self, case_id: int) -> list[Enrolment]:
        return [attrs.evolve(e) for _, e in sorted(self.t.enrolments.items())
                if e.case_id == case_id and e.ends_on is None]

    def add_enrolments(self, rows: Sequence[Enrolment]) -> list[int]:
        for row in rows:
            row.id = _next(self.t.enrolments)
            self.t.enrolments[row.id] = attrs.evolve(row)
        return [row.id or 0 for row in rows]

    def save_enrolments(self, rows: Sequence[Enrolment]) -> None:
        for row in rows:
            _get(self.t.enrolments, row.id or 0, "enrolment")
            self.t.enrolments[row.id or 0] = attrs.evolve(row)

    def enrolled_elsewhere(self, case: Case, aid: str, starts: date) -> Clash | None:
        ours = {m["id_number"]: i for i, m in enumerate(
            self.application(case.application_id).document["household"]["members"])}
        for enrolment_id, e in sorted(self.t.enrolments.items()):
            if e.aid != aid or e.household_id == case.household_id or not e.overlaps(starts):
                continue
            theirs = self.application(self.t.cases[e.case_id].application_id)
            for member in theirs.document["household"]["members"]:
                if member["id_number"] in ours:
                    return Clash(ours[member["id_number"]],
                                 model.mask_id_number(member["id_number"]), e.household_id,
                                 e.case_id, enrolment_id, e.starts_on)
        return None

    def add_review(self, review: Review) -> int:
        review_id = _next(self.t.reviews)
        self.t.reviews[review_id] = review
        return review_id

    def add_exit(self, exit: Exit) -> int:
        exit_id = _next(self.t.exits)
        self.t.exits[exit_id] = exit
        return exit_id

    def add_warning(self, household_id: str, department: str, reason: str, on: date,
                    risk_level: str | None) -> int:
        warning_id = _next(self.t.warnings)
        self.t.warnings[warning_id] = (household_id, department, reason, on, risk_level)
        return warning_id

    def add_task(self, task: Task) -> int:
        task_id = _next(self.t.tasks)
        self.t.tasks[task_id] = attrs.evolve(task, id=task_id)
        return task_id

    def task(self, task_id: int) -> Task:
        return attrs.evolve(_get(self.t.tasks, task_id, "task"))

    def save_task(self, task: Task) -> None:
        self.t.tasks[task.id or 0] = attrs.evolve(task)

    def referral(self, referral_id: int) -> Referral:
        return attrs.evolve(_get(self.t.referrals, referral_id, "referral"))

    def add_feedback(self, referral_id: int, department: str, on: date, action: str) -> None:
        self.t.feedback[_next(self.t.feedback)] = (referral_id, department, on, action)

    def save_referral(self, referral: Referral) -> None:
        self.t.referrals[referral.id or 0] = attrs.evolve(referral)

    def record(self, household_id: str, kind: str, day: date, payload: dict[str, Any]
               ) -> None:
        events = self.t.chains.get(household_id, ())
        self.t.chains[household_id] = (*events, Event(household_id, len(events) + 1, kind, day,
                                                      _json(payload)))


def _next(table: dict[int, Any]) -> int:
    return max(table, default=0) + 1


def _get(table: dict[Any, Any], key: Any, what: str) -> Any:
    if key not in table:
        raise NotFound(f"no {what} {key!r} in the case file")
    return table[key]


def _latest(table: dict[int, Any], where: Any, what: str) -> Any:
    found = [value for _, value in sorted(table.items()) if where(value)]
    if not found:
        raise NotFound(f"no {what} found")
    return found[-1]


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_plain)


def _plain(value: Any) -> str:
    if isinstance(value, date | Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not kept as JSON")
