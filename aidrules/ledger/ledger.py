"""The case ledger (台账): one database holding cases through the procedure, the closed
loop and each household's chain. :class:`Ledger` is a facade: it opens the database and
hands each call to the room that does it —

- the procedure's moves to the use cases (:mod:`aidrules.casework.handlers`), which load
  the :class:`~aidrules.casework.case.Case` from the SQL store (:mod:`.store`), let it
  move or refuse, and save it;
- the closed loop to :class:`~aidrules.casework.handlers.ClosedLoop` on the same store;
  reads to :mod:`.views`; replay to :mod:`.replay`.

Every public operation is one transaction: it either happens whole, chain entry
included, or not at all. A refused move raises before anything is written. The case's
``version`` makes two officers acting on one case at once safe: the second gets
:class:`ConflictError`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from aidrules import model
from aidrules.casework.assessment import StoredAssessment
from aidrules.casework.case import CASE_STEPS
from aidrules.casework.errors import LedgerError, NotFound
from aidrules.casework.handlers import ClosedLoop, Procedure
from aidrules.casework.names import NAME_MOST, person
from aidrules.engine import Assessor
from aidrules.ledger import replay, views
from aidrules.ledger import tables as t
from aidrules.ledger.chain import BadEntry
from aidrules.ledger.database import (
    bring_up,
    database_url,
    engine_for,
    no_ledger,
    no_sqlite_file,
    revision,
)
from aidrules.ledger.integrity import Broken
from aidrules.ledger.store import SqlStore, append, get, stored_assessment
from aidrules.ledger.views import DueItem, Enrolled
from aidrules.policy import PolicyTree
from aidrules.rulebook import RuleBook

__all__ = ["CASE_STEPS", "NAME_MOST", "DueItem", "Enrolled", "Ledger", "database_url",
           "person"]


class Ledger:
    """The ledger in one database. Open with :meth:`open`."""

    def __init__(self, engine: Engine, book: RuleBook | None = None,
                 holidays: Collection[date] = (), assessor: Assessor | None = None) -> None:
        self.engine = engine
        self._book = assessor.book if assessor is not None else book
        self._assessor = assessor
        self.holidays = frozenset(holidays)
        self.store = SqlStore(engine)
        self.procedure = Procedure(self.store, lambda: self.assessor)
        self.loop = ClosedLoop(self.store, self.procedure)

    @classmethod
    def open(cls, url_or_path: str | Path = "aidrules.db", book: RuleBook | None = None,
             holidays: Collection[date] = (), upgrade: bool | None = None,
             assessor: Assessor | None = None, create: bool = True) -> Ledger:
        """Open the ledger. An SQLite file is brought up to date on opening (``upgrade``
        defaults to True for SQLite); other databases must be at the newest schema already
        (``aidrules ledger upgrade URL``). With ``create=False`` a database that holds no
        ledger yet (an SQLite file that does not exist) is refused instead of started.
        Pass an ``assessor`` to share its compiled rulesets; ``holidays`` are the county's
        public holidays (see workdays)."""
        url = database_url(url_or_path)
        if not create and no_sqlite_file(url):
            raise NotFound(no_ledger(url_or_path))
        engine = engine_for(url)
        try:
            at, head = bring_up(engine, url_or_path, upgrade, create)
        except BaseException:
            engine.dispose()
            raise
        if at != head:
            engine.dispose()
            raise LedgerError(f"the database {engine.url.render_as_string()} is at schema "
                              f"revision {at}, this aidrules needs {head}; "
                              f"run: aidrules ledger upgrade '{url}'")
        return cls(engine, book, holidays, assessor)

    @staticmethod
    def upgrade(url_or_path: str | Path) -> tuple[str | None, str | None]:
        """Bring a database to the newest schema, starting a ledger in it if it has none;
        returns the revisions (before, after)."""
        engine = engine_for(database_url(url_or_path))
        try:
            before = revision(engine, url_or_path)
            return before, bring_up(engine, url_or_path, True, True)[0]
        finally:
            engine.dispose()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def book(self) -> RuleBook:
        if self._book is None:
            raise LedgerError("this ledger was opened without a rule book; "
                              "pass book=load_rulebook(...) to Ledger.open")
        return self._book

    @property
    def assessor(self) -> Assessor:
        if self._assessor is None:
            self._assessor = Assessor(self.book)
        return self._assessor

    # ---- transactions -------------------------------------------------------------------

    def transaction(self) -> Any:
        """Make everything done on this ledger inside the block, in this thread, one
        transaction (see :meth:`SqlStore.transaction`)."""
        return self.store.transaction()

    def _tx(self) -> Any:  # kept for callers written before the store had its own module
        return self.store.tx()

    def _reading(self) -> Any:
        return self.store.reading()

    def _append(self, s: Session, household_id: str, kind: str, day: date,
                payload: dict[str, Any]) -> None:  # for modules that add their own events
        append(s, household_id, kind, day, payload)

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self.store.reading() as s:
            yield s

    # ---- monitoring and acceptance ------------------------------------------------------

    def register_household(self, household_id: str, grid: str, application: model.Application,
                           on: date) -> int:
        """Put a household under monitoring with its facts; returns the assessment id."""
        return self.procedure.register_households([(household_id, grid, application)], on)[0]

    def register_households(self, households: Iterable[tuple[str, str, model.Application]],
                            on: date) -> int:
        """Put many households (id, grid, facts) under monitoring in one transaction;
        returns how many."""
        return len(self.procedure.register_households(households, on))

    def register_screened(self, households: Iterable[tuple[str, str, model.Application,
                                                           dict[str, Any]]],
                          on: date) -> int:
        """Put many households (id, grid, facts, the stored form of their screening row)
        under monitoring in one transaction, without a per-case assessment each (see
        :func:`aidrules.month.monitor`); returns how many."""
        return len(self.procedure.register_screened(households, on))

    def file_application(self, application: model.Application, household_id: str, by: str,
                         grid: str | None = None, on: date | None = None) -> int:
        """Accept an application (受理): a new case, assessed at once. Returns the case id."""
        return self.procedure.file_application(application, household_id, by, grid, on)

    # ---- the procedure (see casework.handlers and casework.case) -------------------------

    def investigate(self, case_id: int, staff: Sequence[str], findings: str, on: date,
                    application: model.Application | None = None, is_extended: bool = False,
                    version: int | None = None) -> None:
        """Record the household investigation: at least two staff, their findings, and the
        facts as found (re-assessed) when they differ from the application."""
        self.procedure.investigate(case_id, staff, findings, on, application, is_extended,
                                   version)

    def publish_notice(self, case_id: int, on: date, version: int | None = None) -> date:
        """Post the preliminary opinion (公示); returns the last day of the notice."""
        return self.procedure.publish_notice(case_id, on, version)

    def record_objection(self, case_id: int, on: date, objection: str,
                         version: int | None = None) -> None:
        """An objection to the notice: the case then needs an appraisal before deciding."""
        self.procedure.record_objection(case_id, on, objection, version)

    def appraise(self, case_id: int, on: date, outcome: str, by: str,
                 version: int | None = None) -> None:
        """Re-investigation or democratic appraisal (民主评议), only after an objection."""
        self.procedure.appraise(case_id, on, outcome, by, version)

    def decide(self, case_id: int, approve: bool, by: str, on: date, reasons: str | None = None,
               aids: Sequence[str] | None = None, referrals_due: date | None = None,
               version: int | None = None) -> int:
        """Approve (the eligible aids, or those named) or refuse with written reasons.
        The officer who investigated may not decide. With ``referrals_due``, an approval
        also pushes the assessment's referrals, feedback due by then."""
        return self.procedure.decide(case_id, approve, by, on, reasons, aids, referrals_due,
                                     version)

    def notify_refusal(self, case_id: int, on: date, version: int | None = None) -> None:
        """The written refusal and its reasons were handed to the applicant."""
        self.procedure.notify_refusal(case_id, on, version)

    def enrol(self, case_id: int, on: date, version: int | None = None) -> list[int]:
        """Enrol the approved aids, paid from the month after the decision."""
        return self.procedure.enrol(case_id, on, version)

    def review(self, case_id: int, by: str, on: date,
               application: model.Application | None = None, version: int | None = None) -> str:
        """The periodic review (复核): re-assess on the facts now (or the latest on file).
        An unchanged amount is kept; a changed one ends this month and starts anew next
        month. Returns ``unchanged``, ``changed`` or ``ineligible`` (then :meth:`exit`)."""
        return self.procedure.review(case_id, by, on, application, version)

    def exit(self, case_id: int, by: str, on: date, reason: str, grace_months: int = 0,
             because_of_work: bool = False, version: int | None = None) -> date:
        """Take the household off the rolls. A grace period (渐退期) is allowed only when a
        member's job lifted the income, up to the policy's maximum. Returns the last day paid."""
        return self.procedure.exit(case_id, by, on, reason, grace_months, because_of_work,
                                   version)

    # ---- the closed loop (see casework.handlers.ClosedLoop) -----------------------------

    def record_warning(self, household_id: str, department: str, reason: str, on: date,
                       worker: str, due_on: date, risk_level: str | None = None
                       ) -> tuple[int, int]:
        """A data warning (数据预警) and its verification task for the household's grid.
        Returns (warning id, task id)."""
        return self.loop.record_warning(household_id, department, reason, on, worker,
                                        due_on, risk_level)

    def record_findings(self, task_id: int, worker: str, findings: str, on: date,
                        application: model.Application) -> int:
        """On-site verification (实地核查): the findings and the facts as found, re-assessed.
        Returns the assessment id."""
        return self.loop.record_findings(task_id, worker, findings, on, application)

    def push_referrals(self, assessment_id: int, on: date, due_on: date) -> list[int]:
        """Push the assessment's referrals (信息推送), feedback due by ``due_on``."""
        return self.loop.push_referrals(assessment_id, on, due_on)

    def record_feedback(self, referral_id: int, department: str, on: date, action: str) -> None:
        """A department reports what it did (跟踪反馈)."""
        self.loop.record_feedback(referral_id, department, on, action)

    # ---- reading (see views) ------------------------------------------------------------

    def case(self, case_id: int) -> dict[str, Any]:
        """The case, its decisions, enrolments and reviews, as plain data."""
        with self._read() as s:
            return views.case(s, case_id)

    def assessment(self, assessment_id: int) -> dict[str, Any]:
        """An assessment as it was made: its household, case, day and full result document
        (recomputed from the facts on file when it is kept compact: this needs the rule
        book it was made with)."""
        with self._read() as s:
            return views.assessment(s, assessment_id, self._document(s))

    def stored_assessment(self, assessment_id: int) -> StoredAssessment:
        """What the ledger keeps of an assessment (statuses, amounts, referrals), typed;
        needs no rule book."""
        with self._read() as s:
            return stored_assessment(get(s, t.Assessment, assessment_id))

    def _document(self, s: Session) -> Callable[[t.Assessment], dict[str, Any]]:
        return lambda row: replay.full_document(s, lambda: self.assessor, row)

    def referral(self, referral_id: int) -> dict[str, Any]:
        """A referral, its status, and the departments that have reported and not yet."""
        with self._read() as s:
            return views.referral(s, referral_id)

    def enrolled_applications(self, on: date) -> list[Enrolled]:
        """Every household with an enrolment in force on ``on`` (started, not ended), with
        the latest application on file by that day (as filed, or as found since by a
        verification or review), by household id. Reads only."""
        with self._read() as s:
            return views.enrolled_applications(s, on)

    def latest_assessment(self, case_id: int) -> dict[str, Any]:
        """The full document of the case's latest assessment (what a decision would rest
        on), recomputed when kept compact."""
        with self._read() as s:
            return self._document(s)(views.latest_assessment_row(s, case_id))

    def household(self, household_id: str) -> t.Household:
        with self._read() as s:
            house: t.Household = get(s, t.Household, household_id)
            return house

    def enrolments(self, household_id: str | None = None) -> list[t.Enrolment]:
        with self._read() as s:
            return views.enrolments(s, household_id)

    def chain(self, household_id: str) -> list[t.ChainEntry]:
        """The household's chain, oldest first; NotFound for a household not in the ledger."""
        with self._read() as s:
            return views.chain(s, household_id)

    def verify(self) -> BadEntry | Broken | None:
        """The first problem found, or None: an entry of a household's chain that does not
        verify, then a ledger head or a household the heads record that does not match,
        then a covered row that differs from what its chain entry sealed."""
        with self._read() as s:
            return views.verify(s)

    def head(self) -> tuple[int, str] | None:
        """The latest ledger head (its number and hash), or None in an empty ledger. Kept
        elsewhere (printed, archived), it shows later whether the ledger was rewritten."""
        with self._read() as s:
            return views.head(s)

    def due(self) -> list[DueItem]:
        """Everything outstanding, soonest first: investigations, decisions, written refusals,
        reviews, verification tasks and referrals awaiting feedback."""
        policies = self.book.policies
        assert isinstance(policies, PolicyTree)
        with self._read() as s:
            return views.due(s, policies, self.holidays)

    def overdue(self, on: date) -> list[DueItem]:
        return [item for item in self.due() if item.due_on < on]

    # ---- replay and public export (see replay) ------------------------------------------

    def replay(self, assessment_id: int) -> dict[str, Any]:
        """Re-assess from the chain's record of an assessment, under the rule book on hand,
        which must be the one it was made with; raises ReplayMismatch on any difference.
        Returns the replayed assessment document."""
        with self._read() as s:
            return replay.replay(s, self.assessor, assessment_id)

    def replay_decision(self, decision_id: int) -> dict[str, Any]:
        """Replay the assessment a decision rests on, and check the approved aids were
        eligible in it. Returns the decision as the chain recorded it."""
        with self._read() as s:
            return replay.replay_decision(s, self.assessor, decision_id)

    def public_notice(self, case_id: int) -> dict[str, Any]:
        """What a public notice (公示) may show: applicant's name and masked identity number,
        number of members, and the approved monthly amounts. Nothing else."""
        with self._read() as s:
            return views.public_notice(s, case_id)
