"""What the use cases need from a store: a unit of work (everything in it is kept whole
or not at all) holding the repository of households, applications, assessments, cases,
decisions, enrolments, and each household's chain of events.

Two stores implement it: the SQL ledger (:mod:`aidrules.ledger.store`, SQLite and
PostgreSQL) and :mod:`aidrules.casework.memory` (no database, for tests and trials).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any, Protocol

import attrs

from aidrules import model
from aidrules.casework.assessment import StoredAssessment
from aidrules.casework.case import Case, Clash, Decision, Enrolment, Exit, Review
from aidrules.casework.loop import Referral, Task


@attrs.frozen
class HouseholdRef:
    id: str
    grid: str
    jurisdiction: str


@attrs.frozen
class Filed:
    """An application as filed (or the facts as found since)."""
    id: int
    household_id: str
    filed_on: date
    source: str  # filed | findings | review | monitoring
    document: dict[str, Any]  # application_to_dict

    @property
    def application(self) -> model.Application:
        return model.application_from_dict(self.document)


@attrs.frozen
class Monitored:
    """A household new to the case file put under monitoring with its facts and the stored
    form of its screening row (docs/screening.md)."""
    household: HouseholdRef
    application: model.Application
    stored: dict[str, Any]


class UnitOfWork(Protocol):
    """One transaction. A refused move raises inside it, and nothing it did is kept."""

    # households
    def household(self, household_id: str) -> HouseholdRef | None: ...
    def known(self, household_ids: Sequence[str]) -> set[str]:
        """Those of the households already in the case file."""
        ...
    def add_household(self, household: HouseholdRef) -> None: ...
    def set_risk(self, household_id: str, risk_level: str | None) -> None: ...

    # applications and assessments
    def add_application(self, household_id: str, application: model.Application,
                        on: date, source: str) -> Filed: ...
    def application(self, application_id: int) -> Filed: ...
    def latest_application(self, household_id: str) -> Filed: ...
    def add_assessment(self, assessment: StoredAssessment, document: dict[str, Any]
                       ) -> tuple[int, str]:
        """Store it; returns its id and the sha256 of the document as stored."""
        ...
    def add_monitored(self, households: Sequence[Monitored], on: date,
                      filed_entry: Callable[[Filed], dict[str, Any]],
                      assessed_entry: Callable[[StoredAssessment, str], dict[str, Any]]
                      ) -> list[int]:
        """Add households new to the case file with their facts (source ``monitoring``)
        and their screening's stored form as given, each with its ``application_filed``
        and ``assessed`` chain entries (payloads from ``filed_entry`` and
        ``assessed_entry``, given the assessment and the sha256 of its stored form), and
        its risk colour; the assessments' ids, in order."""
        ...
    def assessment(self, assessment_id: int) -> StoredAssessment: ...
    def latest_assessment(self, case_id: int) -> StoredAssessment: ...
    def add_referrals(self, assessment: StoredAssessment, on: date, due_on: date
                      ) -> list[int]:
        """Push the assessment's referrals, one per brand, in its order; their ids."""
        ...

    # cases and what follows a decision
    def open_case(self, household_id: str) -> Case | None: ...
    def case(self, case_id: int) -> Case: ...
    def add_case(self, case: Case) -> int: ...
    def save_case(self, case: Case) -> None:
        """Write the case if its stored version is still ``case.version`` (then one more),
        else ConflictError."""
        ...
    def add_decision(self, decision: Decision) -> int: ...
    def latest_decision(self, case_id: int) -> Decision: ...
    def household_enrolments(self, household_id: str) -> list[Enrolment]: ...
    def open_enrolments(self, case_id: int) -> list[Enrolment]: ...
    def add_enrolments(self, rows: Sequence[Enrolment]) -> list[int]: ...
    def save_enrolments(self, rows: Sequence[Enrolment]) -> None: ...
    def enrolled_elsewhere(self, case: Case, aid: str, starts: date) -> Clash | None: ...
    def add_review(self, review: Review) -> int: ...
    def add_exit(self, exit: Exit) -> int: ...

    # the closed loop
    def add_warning(self, household_id: str, department: str, reason: str, on: date,
                    risk_level: str | None) -> int: ...
    def add_task(self, task: Task) -> int: ...
    def task(self, task_id: int) -> Task: ...
    def save_task(self, task: Task) -> None: ...
    def referral(self, referral_id: int) -> Referral: ...
    def add_feedback(self, referral_id: int, department: str, on: date, action: str
                     ) -> None: ...
    def save_referral(self, referral: Referral) -> None: ...

    # the household's chain
    def record(self, household_id: str, kind: str, day: date, payload: dict[str, Any]
               ) -> None:
        """Append one event to the household's chain (sealing what the step wrote)."""
        ...


class Store(Protocol):
    def unit(self) -> AbstractContextManager[UnitOfWork]: ...

