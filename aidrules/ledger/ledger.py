"""The case ledger (台账): cases through the procedure, the closed loop, the household chain.

Every public operation is one transaction: it either happens whole, chain entry
included, or not at all. A refused move raises before anything is written. The case's
``version`` makes two officers acting on one case at once safe: the second gets
:class:`ConflictError`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
from sqlalchemy import create_engine, event, make_url, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from aidrules import model
from aidrules.casework.intervals import review_interval
from aidrules.engine import Assessor
from aidrules.errors import UnknownAidError
from aidrules.ledger import integrity, migrate
from aidrules.ledger import tables as t
from aidrules.ledger.chain import BadEntry, canonical_json, entry_hash, first_bad
from aidrules.ledger.errors import ConflictError, IllegalMove, LedgerError, NotFound, ReplayMismatch
from aidrules.ledger.integrity import Broken
from aidrules.ledger.limits import check_flush, check_text, check_values
from aidrules.ledger.procedure import State, TimeLimits, require_move
from aidrules.ledger.workdays import (
    add_months,
    add_working_days,
    first_of_next_month,
    last_of_month,
    policy_calendar,
)
from aidrules.rulebook import RuleBook


def database_url(url_or_path: str | Path) -> str:
    """A URL as given, or ``sqlite:///path`` for a plain file path."""
    text = str(url_or_path)
    return text if "://" in text else f"sqlite:///{text}"


@attrs.frozen
class DueItem:
    """Something the county owes by a date: an investigation, a decision, a review, ..."""
    due_on: date
    kind: str
    household: str
    ref: str  # case 3, task 5, referral 7
    what: str


@attrs.frozen
class Enrolled:
    """A household enrolled on a day, with its latest facts on file by then."""
    household_id: str
    jurisdiction: str
    application: model.Application  # as filed, or as found since (findings, review)
    filed_on: date
    monthly_amounts: dict[str, str | None]  # aid → amount in force (exact decimal text)


class Ledger:
    """The ledger in one database. Open with :meth:`open`."""

    def __init__(self, engine: Engine, book: RuleBook | None = None,
                 holidays: Collection[date] = (), assessor: Assessor | None = None) -> None:
        self.engine = engine
        self._book = assessor.book if assessor is not None else book
        self._assessor = assessor
        self.holidays = frozenset(holidays)
        self._unit = threading.local()  # the session of a transaction() open in a thread

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
        if not create and _no_sqlite_file(url):
            raise NotFound(_no_ledger(url_or_path))
        engine = _engine(url)
        try:
            at, head = _bring_up(engine, url_or_path, upgrade, create)
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
        engine = _engine(database_url(url_or_path))
        try:
            before = _revision(engine, url_or_path)
            return before, _bring_up(engine, url_or_path, True, True)[0]
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

    # ---- transactions and the chain -----------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make everything done on this ledger inside the block, in this thread, one
        transaction: committed whole when the block ends, rolled back whole on any error,
        and a crash before the end leaves the ledger as it was. An operation inside the
        block joins it (so does a nested block), and reads see what it wrote. An operation
        that fails inside it fails the whole block, even if the error is caught there."""
        if self._open_session() is not None:
            yield
            return
        with self._tx() as s:
            self._unit.session, self._unit.failed = s, None
            try:
                yield
            finally:
                self._unit.session = None
            if self._unit.failed is not None:
                raise LedgerError(f"nothing of this transaction was stored: an operation "
                                  f"in it failed ({self._unit.failed})")

    def _open_session(self) -> Session | None:
        """The session of the transaction open in this thread, if any."""
        return getattr(self._unit, "session", None)

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """A session to read with: the open transaction's, or one of its own; a database
        error (a dropped table) is one LedgerError."""
        open_session = self._open_session()
        if open_session is not None:
            yield open_session
            return
        try:
            with Session(self.engine, expire_on_commit=False) as s:
                yield s
        except SQLAlchemyError as exc:
            raise LedgerError(f"cannot read the ledger ({_reason(exc)})") from None

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """One transaction: committed whole, or rolled back whole on any error; inside
        :meth:`transaction`, a part of that one. Its rows' texts are checked before each
        flush; its chains' new heads end in one ledger head. A database error becomes a
        LedgerError that echoes no value."""
        open_session = self._open_session()
        if open_session is not None:
            try:
                yield open_session
            except BaseException as exc:
                self._unit.failed = exc
                raise
            return
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                event.listen(session, "before_flush", check_flush)
                event.listen(session, "after_flush", _note_written)
                yield session
                _end_transaction(session)
        except IntegrityError as exc:
            if _is_duplicate(exc):  # e.g. a concurrent append took the same chain position
                raise ConflictError(f"a concurrent change won: {_reason(exc)}") from None
            raise LedgerError(f"the database refused the change ({_reason(exc)})") from None
        except SQLAlchemyError as exc:
            raise LedgerError(f"the database refused the change ({_reason(exc)})") from None

    def _append(self, s: Session, household_id: str, kind: str, day: date,
                payload: dict[str, Any]) -> None:
        """Append one entry to the household's chain, sealing the covered rows written
        since the previous entry (see :mod:`aidrules.ledger.integrity`)."""
        s.flush()
        house = _get(s, t.Household, household_id)
        seq, prev = house.chain_length + 1, house.chain_head
        text, rows = canonical_json(payload), _seal(s)
        digest = entry_hash(prev, household_id, seq, kind, day, text, rows)
        s.add(t.ChainEntry(household_id=household_id, seq=seq, kind=kind, day=day,
                           payload=text, prev_hash=prev, hash=digest, rows=rows))
        moved = s.connection().execute(
            update(t.Household).where(t.Household.id == household_id,
                                      t.Household.chain_length == house.chain_length)
            .values(chain_length=seq, chain_head=digest)).rowcount
        if moved != 1:
            raise ConflictError(f"household {household_id}'s chain moved on; try again")
        s.flush()
        s.expire(house)
        s.info.setdefault("heads", {})[household_id] = (seq, digest)

    def _save_case(self, s: Session, case: t.Case, **changes: Any) -> None:
        """Write ``changes`` only if nobody changed the case since it was read."""
        check_values(t.Case.__table__, changes, f"case {case.id}")
        _written(s, "cases", case.id)
        moved = s.connection().execute(
            update(t.Case).where(t.Case.id == case.id, t.Case.version == case.version)
            .values(version=case.version + 1, **changes)).rowcount
        if moved != 1:
            raise ConflictError(f"case {case.id} was changed by someone else "
                                f"(version {case.version} is stale); reload it and try again")
        s.expire(case)

    def _case(self, s: Session, case_id: int, move: str, version: int | None,
              on: date) -> t.Case:
        case = _get(s, t.Case, case_id)
        if version is not None and version != case.version:
            raise ConflictError(f"case {case_id} is at version {case.version}, "
                                f"not {version}: someone else changed it; reload it")
        require_move(case_id, case.state, move)
        did, last = _last_step(s, case)
        _not_before(f"case {case_id}", did, last, move, on)
        return case

    def _limits(self, s: Session, case: t.Case) -> TimeLimits:
        jurisdiction = _get(s, t.Household, case.household_id).jurisdiction
        return TimeLimits.of(self.book.policies, jurisdiction, case.accepted_on)

    # ---- applications, assessments ------------------------------------------------------

    def _file(self, s: Session, household_id: str, application: model.Application,
              on: date, source: str) -> t.Application:
        _check_filed(household_id, application)
        doc = model.application_to_dict(application)
        row = t.Application(household_id=household_id, reference=application.application_id,
                            filed_on=on, source=source, document=canonical_json(doc))
        s.add(row)
        s.flush()
        for position, member in enumerate(application.household.members):
            s.add(t.Member(application_id=row.id, position=position, id_number=member.id_number,
                           name=member.name, relation=str(member.relation)))
        self._append(s, household_id, "application_filed", on,
                     {"application": row.id, "source": source, "document": doc})
        return row

    def _assess(self, s: Session, household_id: str, filed: t.Application,
                application: model.Application, on: date, case_id: int | None) -> t.Assessment:
        result = self.assessor.assess(application, on=on)
        document = result.to_json(detail="full")  # the ledger keeps the whole trace
        row = t.Assessment(household_id=household_id, application_id=filed.id, case_id=case_id,
                           on=on, jurisdiction=result.jurisdiction,
                           rulebook_version=result.rulebook["version"],
                           rulebook_digest=result.rulebook["digest"],
                           policy_version=result.policy_version, risk_level=result.risk_level,
                           result=canonical_json(document))
        s.add(row)
        s.flush()
        s.connection().execute(update(t.Household).where(t.Household.id == household_id)
                               .values(risk_level=result.risk_level))
        _written(s, "households", household_id)
        self._append(s, household_id, "assessed", on, {
            "assessment": row.id, "application": filed.id, "case": case_id, "on": on,
            "jurisdiction": result.jurisdiction, "rulebook": result.rulebook,
            "policy_version": result.policy_version, "risk_level": result.risk_level,
            "result_sha256": _sha(row.result)})
        return row

    def _household(self, s: Session, household_id: str, grid: str | None,
                   application: model.Application) -> t.Household:
        house = s.get(t.Household, household_id)
        if house is None:
            check_text(household_id, "the household id", t.Household.__table__.c.id.type.length)
            if grid is None:
                raise IllegalMove(f"household {household_id} is new: give its grid (网格)")
            house = t.Household(id=household_id, grid=grid,
                                jurisdiction=application.jurisdiction)
            s.add(house)
            s.flush()
        return house

    def register_household(self, household_id: str, grid: str, application: model.Application,
                           on: date) -> int:
        """Put a household under monitoring with its facts; returns the assessment id."""
        with self._tx() as s:
            self._household(s, household_id, grid, application)
            filed = self._file(s, household_id, application, on, "monitoring")
            return self._assess(s, household_id, filed, application, on, None).id

    def register_households(self, households: Iterable[tuple[str, str, model.Application]],
                            on: date) -> int:
        """Put many households (id, grid, facts) under monitoring in one transaction, as
        :meth:`register_household` does one by one; returns how many."""
        count = 0
        with self._tx() as s:
            for household_id, grid, application in households:
                self._household(s, household_id, grid, application)
                filed = self._file(s, household_id, application, on, "monitoring")
                self._assess(s, household_id, filed, application, on, None)
                count += 1
        return count

    def file_application(self, application: model.Application, household_id: str, by: str,
                         grid: str | None = None, on: date | None = None) -> int:
        """Accept an application (受理): a new case, assessed at once. Returns the case id."""
        on = on or application.applied_on
        by = person(by, f"household {household_id}: the officer accepting")
        with self._tx() as s:
            self._household(s, household_id, grid, application)
            open_case = s.exec(select(t.Case).where(
                t.Case.household_id == household_id,
                t.Case.state.not_in([State.refused, State.exited]))).first()
            if open_case is not None:
                raise IllegalMove(f"household {household_id} already has case {open_case.id} "
                                  f"({open_case.state}); review or exit it first")
            filed = self._file(s, household_id, application, on, "filed")
            case = t.Case(household_id=household_id, application_id=filed.id,
                          state=State.accepted, accepted_on=on, accepted_by=by)
            s.add(case)
            s.flush()
            self._append(s, household_id, "accepted", on, {"case": case.id, "by": by})
            self._assess(s, household_id, filed, application, on, case.id)
            return case.id

    # ---- the procedure -------------------------------------------------------------------

    def investigate(self, case_id: int, staff: Sequence[str], findings: str, on: date,
                    application: model.Application | None = None, is_extended: bool = False,
                    version: int | None = None) -> None:
        """Record the household investigation: at least two staff, their findings, and the
        facts as found (re-assessed) when they differ from the application."""
        with self._tx() as s:
            case = self._case(s, case_id, "investigate", version, on)
            team = sorted({person(name, f"case {case_id}: the investigating staff")
                           for name in staff})
            check_text(",".join(team), f"case {case_id}: the investigating staff "
                       f"({len(team)} names, comma-separated)", INVESTIGATORS_MOST)
            need = self._limits(s, case).min_investigators
            if len(team) < need:
                raise IllegalMove(f"case {case_id}: the investigation needs at least {need} "
                                  f"different staff, got {len(team)} ({', '.join(team)})")
            if not findings.strip():
                raise IllegalMove(f"case {case_id}: record the investigation's findings")
            self._save_case(s, case, state=State.investigated, investigated_on=on,
                            investigators=",".join(team), findings=findings,
                            is_extended=is_extended)
            self._append(s, case.household_id, "investigated", on,
                         {"case": case_id, "staff": team, "findings": findings,
                          "is_extended": is_extended})
            if application is not None:
                filed = self._file(s, case.household_id, application, on, "findings")
                self._assess(s, case.household_id, filed, application, on, case_id)

    def publish_notice(self, case_id: int, on: date, version: int | None = None) -> date:
        """Post the preliminary opinion (公示); returns the last day of the notice."""
        with self._tx() as s:
            case = self._case(s, case_id, "notice", version, on)
            until = _plus_days(on, self._limits(s, case).notice_days)
            self._save_case(s, case, state=State.noticed, notice_from=on, notice_until=until)
            self._append(s, case.household_id, "noticed", on,
                         {"case": case_id, "from": on, "until": until})
            return until

    def record_objection(self, case_id: int, on: date, objection: str,
                         version: int | None = None) -> None:
        """An objection to the notice: the case then needs an appraisal before deciding."""
        with self._tx() as s:
            case = self._case(s, case_id, "object", version, on)
            if not objection.strip():
                raise IllegalMove(f"case {case_id}: an objection needs its text")
            self._save_case(s, case, has_objection=True)
            self._append(s, case.household_id, "objected", on,
                         {"case": case_id, "objection": objection})

    def appraise(self, case_id: int, on: date, outcome: str, by: str,
                 version: int | None = None) -> None:
        """Re-investigation or democratic appraisal (民主评议), only after an objection."""
        with self._tx() as s:
            case = self._case(s, case_id, "appraise", version, on)
            by = person(by, f"case {case_id}: the appraisal")
            if not case.has_objection:
                raise IllegalMove(f"case {case_id}: democratic appraisal is held only when "
                                  "the notice draws an objection, and none was recorded")
            self._save_case(s, case, state=State.appraised, appraisal=outcome)
            self._append(s, case.household_id, "appraised", on,
                         {"case": case_id, "outcome": outcome, "by": by})

    def decide(self, case_id: int, approve: bool, by: str, on: date, reasons: str | None = None,
               aids: Sequence[str] | None = None, referrals_due: date | None = None,
               version: int | None = None) -> int:
        """Approve (the eligible aids, or those named) or refuse with written reasons.
        The officer who investigated may not decide. With ``referrals_due``, an approval
        also pushes the assessment's referrals, feedback due by then."""
        with self._tx() as s:
            case = self._case(s, case_id, "decide", version, on)
            by = person(by, f"case {case_id}: the deciding officer")
            _check_decider(case, by)
            _check_notice_over(case, on)
            assessment = _latest_assessment(s, case_id)
            chosen = _approved_aids(case_id, assessment, aids) if approve else []
            if not approve and not (reasons or "").strip():
                raise IllegalMove(f"case {case_id}: a refusal needs written reasons")
            outcome = State.approved if approve else State.refused
            row = t.Decision(case_id=case_id, assessment_id=assessment.id, outcome=outcome,
                             aids=",".join(chosen), reasons=reasons, decided_on=on, decided_by=by)
            s.add(row)
            self._save_case(s, case, state=outcome)
            s.flush()
            self._append(s, case.household_id, "decided", on, {
                "case": case_id, "decision": row.id, "assessment": assessment.id,
                "outcome": outcome, "aids": chosen, "reasons": reasons, "by": by})
            if approve and referrals_due is not None:
                self._push(s, assessment, on, referrals_due)
            return row.id

    def notify_refusal(self, case_id: int, on: date, version: int | None = None) -> None:
        """The written refusal and its reasons were handed to the applicant."""
        with self._tx() as s:
            case = self._case(s, case_id, "notify_refusal", version, on)
            if case.refusal_notified_on is not None:
                raise IllegalMove(f"case {case_id}: the refusal was notified on "
                                  f"{case.refusal_notified_on}")
            self._save_case(s, case, refusal_notified_on=on)
            self._append(s, case.household_id, "refusal_notified", on, {"case": case_id})

    def enrol(self, case_id: int, on: date, version: int | None = None) -> list[int]:
        """Enrol the approved aids, paid from the month after the decision."""
        with self._tx() as s:
            case = self._case(s, case_id, "enrol", version, on)
            decision = _latest(s, t.Decision, t.Decision.case_id == case_id)
            assessment = _get(s, t.Assessment, decision.assessment_id)
            starts = first_of_next_month(decision.decided_on)
            limits = self._limits(s, case)
            interval = _review_interval(_get(s, t.Application, case.application_id).document,
                                        limits.unstable_work_abilities)
            due = add_months(starts, limits.review_months[interval])
            rows = []
            for aid in filter(None, decision.aids.split(",")):
                _check_no_overlap(s, case.household_id, aid, starts)
                _check_not_enrolled_elsewhere(s, case, aid, starts)
                once = _period(assessment, aid) == "once"  # a one-off payment: one month
                rows.append(t.Enrolment(household_id=case.household_id, case_id=case_id, aid=aid,
                                        starts_on=starts, review_interval=interval,
                                        review_due=None if once else limits.review_due(
                                            aid, interval, starts),
                                        ends_on=last_of_month(starts) if once else None,
                                        period=_period(assessment, aid),  # month, year or once
                                        monthly_amount=_amount(assessment, aid)))
            s.add_all(rows)
            self._save_case(s, case, state=State.enrolled)
            s.flush()
            self._append(s, case.household_id, "enrolled", on, {
                "case": case_id, "starts_on": starts, "review_due": due,
                "enrolments": [{"id": r.id, "aid": r.aid, "monthly_amount": r.monthly_amount,
                                "period": r.period} for r in rows]})
            return [r.id for r in rows]

    def review(self, case_id: int, by: str, on: date,
               application: model.Application | None = None, version: int | None = None) -> str:
        """The periodic review (复核): re-assess on the facts now (or the latest on file). An
        unchanged amount is kept; a changed one ends this month and starts anew next month. Returns
        ``unchanged``, ``changed`` or ``ineligible`` (then :meth:`exit` the case)."""
        with self._tx() as s:
            case = self._case(s, case_id, "review", version, on)
            by = person(by, f"case {case_id}: the reviewing officer")
            if application is not None:
                filed = self._file(s, case.household_id, application, on, "review")
            else:  # the latest facts on file: as filed, or as found since
                filed = _latest(s, t.Application,
                                t.Application.household_id == case.household_id)
            app = application or model.application_from_dict(json.loads(filed.document))
            assessment = self._assess(s, case.household_id, filed, app, on, case_id)
            outcome = self._apply_review(s, case, assessment, on)
            s.add(t.Review(case_id=case_id, assessment_id=assessment.id, reviewed_on=on,
                           reviewed_by=by, outcome=outcome))
            self._save_case(s, case)
            self._append(s, case.household_id, "reviewed", on,
                         {"case": case_id, "assessment": assessment.id, "outcome": outcome,
                          "by": by})
            return outcome

    def _apply_review(self, s: Session, case: t.Case, assessment: t.Assessment, on: date) -> str:
        result = json.loads(assessment.result)
        status = {r["aid"]: r for r in result["results"]}
        limits = self._limits(s, case)
        outcome = "unchanged"
        for row in _open_enrolments(s, case.id):
            if status[row.aid]["status"] != "eligible":
                outcome = "ineligible"
                continue
            new_amount = _amount(assessment, row.aid)
            due = limits.review_due(row.aid, row.review_interval, on)
            if new_amount == row.monthly_amount:
                row.review_due = due
                continue
            outcome = "changed" if outcome == "unchanged" else outcome
            row.ends_on, row.review_due = last_of_month(on), None
            s.add(t.Enrolment(household_id=row.household_id, case_id=row.case_id, aid=row.aid,
                              starts_on=first_of_next_month(on), monthly_amount=new_amount,
                              review_interval=row.review_interval, review_due=due))
        return outcome

    def exit(self, case_id: int, by: str, on: date, reason: str, grace_months: int = 0,
             because_of_work: bool = False, version: int | None = None) -> date:
        """Take the household off the rolls. A grace period (渐退期) is allowed only when a
        member's job lifted the income, up to the policy's maximum. Returns the last day paid."""
        with self._tx() as s:
            case = self._case(s, case_id, "exit", version, on)
            by = person(by, f"case {case_id}: the deciding officer")
            most = self._limits(s, case).grace_max_months
            if grace_months and not because_of_work:
                raise IllegalMove(f"case {case_id}: a grace period is allowed only when a "
                                  "member's work lifted the income (because_of_work)")
            if not 0 <= grace_months <= most:
                raise IllegalMove(f"case {case_id}: grace_months={grace_months} is outside "
                                  f"0..{most} (grace_period.max_months)")
            if not reason.strip():
                raise IllegalMove(f"case {case_id}: an exit needs written reasons")
            paid_until = last_of_month(add_months(on, grace_months))
            for row in _open_enrolments(s, case_id):  # one not yet started ends before it starts
                row.ends_on, row.review_due = paid_until, None
            s.add(t.Exit(case_id=case_id, decided_on=on, decided_by=by, reason=reason,
                         grace_months=grace_months, paid_until=paid_until))
            self._save_case(s, case, state=State.exited)
            self._append(s, case.household_id, "exited", on, {
                "case": case_id, "reason": reason, "grace_months": grace_months,
                "paid_until": paid_until, "by": by})
            return paid_until

    # ---- the closed loop -----------------------------------------------------------------

    def record_warning(self, household_id: str, department: str, reason: str, on: date,
                       worker: str, due_on: date, risk_level: str | None = None
                       ) -> tuple[int, int]:
        """A data warning (数据预警) and its verification task for the household's grid.
        Returns (warning id, task id)."""
        with self._tx() as s:
            return self._warn(s, household_id, department, reason, on, worker, due_on,
                              risk_level)

    def _warn(self, s: Session, household_id: str, department: str, reason: str, on: date,
              worker: str, due_on: date, risk_level: str | None,
              extra: dict[str, Any] | None = None) -> tuple[int, int]:
        house = _get(s, t.Household, household_id)
        worker = person(worker, f"household {household_id}: the grid worker")
        warning = t.Warning(household_id=household_id, raised_on=on, department=department,
                            reason=reason, risk_level=risk_level)
        s.add(warning)
        s.flush()
        task = t.VerificationTask(warning_id=warning.id, household_id=household_id,
                                  grid=house.grid, worker=worker, due_on=due_on)
        s.add(task)
        s.flush()
        self._append(s, household_id, "warned", on, {
            "warning": warning.id, "department": department, "reason": reason,
            "risk_level": risk_level, "task": task.id, "grid": house.grid,
            "worker": worker, "due_on": due_on, **(extra or {})})
        return warning.id, task.id

    def record_findings(self, task_id: int, worker: str, findings: str, on: date,
                        application: model.Application) -> int:
        """On-site verification (实地核查): the findings and the facts as found, re-assessed
        (the household's risk colour follows). Returns the assessment id."""
        with self._tx() as s:
            task = _get(s, t.VerificationTask, task_id)
            worker = person(worker, f"task {task_id}: the worker")
            if task.done_on is not None:
                raise IllegalMove(f"task {task_id} was already done on {task.done_on}")
            raised = _get(s, t.Warning, task.warning_id).raised_on
            _not_before(f"task {task_id}", "raised", raised, "findings", on)
            if not findings.strip():
                raise IllegalMove(f"task {task_id}: record what was found")
            task.done_on, task.findings = on, findings
            self._append(s, task.household_id, "verified", on,
                         {"task": task_id, "worker": worker, "findings": findings})
            filed = self._file(s, task.household_id, application, on, "findings")
            return self._assess(s, task.household_id, filed, application, on, None).id

    def push_referrals(self, assessment_id: int, on: date, due_on: date) -> list[int]:
        """Push the assessment's referrals (信息推送) to their departments, feedback due by
        ``due_on`` (no national time limit exists; the county sets it)."""
        with self._tx() as s:
            assessment = _get(s, t.Assessment, assessment_id)
            _not_before(f"assessment {assessment_id}", "made", assessment.on, "refer", on)
            return self._push(s, assessment, on, due_on)

    def _push(self, s: Session, assessment: t.Assessment, on: date, due_on: date) -> list[int]:
        rows = [t.Referral(household_id=assessment.household_id, assessment_id=assessment.id,
                           brand=r["brand"], departments=",".join(r["departments"]),
                           reason=r["reason"], status="pushed", pushed_on=on, due_on=due_on)
                for r in json.loads(assessment.result)["referrals"]]
        s.add_all(rows)
        s.flush()
        self._append(s, assessment.household_id, "referred", on, {
            "assessment": assessment.id, "due_on": due_on,
            "referrals": [{"id": r.id, "brand": r.brand, "departments": r.departments}
                          for r in rows]})
        return [r.id for r in rows]

    def record_feedback(self, referral_id: int, department: str, on: date, action: str) -> None:
        """A department reports what it did (跟踪反馈); the referral is answered when every
        department it went to has reported."""
        with self._tx() as s:
            referral = _get(s, t.Referral, referral_id)
            departments = referral.departments.split(",")
            if department not in departments:
                raise IllegalMove(f"referral {referral_id} went to {', '.join(departments)}, "
                                  f"not {department}")
            given = [f.given_on for f in s.exec(
                select(t.Feedback).where(t.Feedback.referral_id == referral_id))]
            last, did = max([(referral.pushed_on, "pushed"),
                             *((g, "answered") for g in given)])
            _not_before(f"referral {referral_id}", did, last, "feedback", on)
            s.add(t.Feedback(referral_id=referral_id, department=department, given_on=on,
                             action=action))
            s.flush()
            answered = {f.department for f in s.exec(
                select(t.Feedback).where(t.Feedback.referral_id == referral_id))}
            if answered >= set(departments):
                referral.status = "answered"
            self._append(s, referral.household_id, "feedback", on, {
                "referral": referral_id, "department": department, "action": action})

    # ---- reading -------------------------------------------------------------------------

    def case(self, case_id: int) -> dict[str, Any]:
        """The case, its decisions, enrolments and reviews, as plain data."""
        with self._reading() as s:
            case = _get(s, t.Case, case_id)
            return {
                **case.model_dump(),
                "risk_level": _get(s, t.Household, case.household_id).risk_level,
                "decisions": [d.model_dump() for d in s.exec(
                    select(t.Decision).where(t.Decision.case_id == case_id))],
                "enrolments": [e.model_dump() for e in s.exec(
                    select(t.Enrolment).where(t.Enrolment.case_id == case_id)
                    .order_by(t.Enrolment.id))],
                "reviews": [r.model_dump() for r in s.exec(
                    select(t.Review).where(t.Review.case_id == case_id))],
            }

    def assessment(self, assessment_id: int) -> dict[str, Any]:
        """An assessment as it was made: its household, case, day and result document."""
        with self._reading() as s:
            row = _get(s, t.Assessment, assessment_id)
            return {"id": row.id, "household_id": row.household_id, "case_id": row.case_id,
                    "on": row.on, "risk_level": row.risk_level, **json.loads(row.result)}

    def referral(self, referral_id: int) -> dict[str, Any]:
        """A referral, its status, and the departments that have reported and not yet."""
        with self._reading() as s:
            row = _get(s, t.Referral, referral_id)
            answered = sorted({f.department for f in s.exec(
                select(t.Feedback).where(t.Feedback.referral_id == referral_id))})
            departments = row.departments.split(",")
            return {**row.model_dump(), "answered": answered,
                    "awaiting": [d for d in departments if d not in answered]}

    def enrolled_applications(self, on: date) -> list[Enrolled]:
        """Every household with an enrolment in force on ``on`` (started, not ended), with
        the latest application on file by that day (as filed, or as found since by a
        verification or review), by household id. Reads only."""
        with self._reading() as s:
            paid: dict[str, dict[str, str | None]] = {}
            cases: dict[str, int] = {}
            for row in s.exec(select(t.Enrolment).where(
                    t.Enrolment.starts_on <= on,
                    t.Enrolment.ends_on.is_(None) | (t.Enrolment.ends_on >= on))
                    .order_by(t.Enrolment.household_id, t.Enrolment.aid)):
                paid.setdefault(row.household_id, {})[row.aid] = row.monthly_amount
                cases[row.household_id] = row.case_id
            return [self._enrolled(s, house, amounts, cases[house], on)
                    for house, amounts in sorted(paid.items())]

    def _enrolled(self, s: Session, household_id: str, amounts: dict[str, str | None],
                  case_id: int, on: date) -> Enrolled:
        filed = s.exec(select(t.Application).where(
            t.Application.household_id == household_id, t.Application.filed_on <= on)
            .order_by(t.Application.filed_on.desc(), t.Application.id.desc())).first()
        if filed is None:  # dated after ``on`` by the officer: the case's own application
            filed = _get(s, t.Application, _get(s, t.Case, case_id).application_id)
        return Enrolled(household_id, _get(s, t.Household, household_id).jurisdiction,
                        model.application_from_dict(json.loads(filed.document)),
                        filed.filed_on, amounts)

    def latest_assessment(self, case_id: int) -> dict[str, Any]:
        """The document of the case's latest assessment (what a decision would rest on)."""
        with self._reading() as s:
            return json.loads(_latest_assessment(s, case_id).result)

    def household(self, household_id: str) -> t.Household:
        with self._reading() as s:
            return _get(s, t.Household, household_id)

    def enrolments(self, household_id: str | None = None) -> list[t.Enrolment]:
        with self._reading() as s:
            query = select(t.Enrolment).order_by(t.Enrolment.id)
            if household_id is not None:
                query = query.where(t.Enrolment.household_id == household_id)
            return list(s.exec(query))

    def chain(self, household_id: str) -> list[t.ChainEntry]:
        """The household's chain, oldest first; NotFound for a household not in the ledger."""
        with self._reading() as s:
            _get(s, t.Household, household_id)
            return list(s.exec(select(t.ChainEntry).where(t.ChainEntry.household_id ==
                                                          household_id).order_by(t.ChainEntry.seq,
                                                                                 t.ChainEntry.id)))

    def verify(self) -> BadEntry | Broken | None:
        """The first problem found, or None: an entry of a household's chain that does not
        verify, then a ledger head or a household the heads record that does not match,
        then a covered row that differs from what its chain entry sealed."""
        with self._reading() as s:
            sealed: dict[str, integrity.Seal] = {}
            houses = list(s.exec(select(t.Household).order_by(t.Household.id)))
            for house in houses:
                entries = list(s.exec(select(t.ChainEntry).where(
                    t.ChainEntry.household_id == house.id).order_by(t.ChainEntry.seq,
                                                                    t.ChainEntry.id)))
                bad = first_bad(house.id, house.chain_length, house.chain_head, entries)
                if bad is not None:
                    return bad
                integrity.fold_seals(sealed, house.id, entries)
            strays = s.exec(select(t.ChainEntry).where(
                t.ChainEntry.household_id.not_in([h.id for h in houses]))).first()
            if strays is not None:
                return BadEntry(strays.household_id, strays.seq, strays.id, "no such household")
            heads = s.exec(select(t.LedgerHead).order_by(t.LedgerHead.seq))
            return integrity.head_problem(
                heads, {h.id: (h.chain_length, h.chain_head) for h in houses}) or \
                integrity.row_problem(integrity.all_digests(s.connection(), t.metadata.tables),
                                      sealed)

    def head(self) -> tuple[int, str] | None:
        """The latest ledger head (its number and hash), or None in an empty ledger. Kept
        elsewhere (printed, archived), it shows later whether the ledger was rewritten."""
        with self._reading() as s:
            last = s.exec(select(t.LedgerHead).order_by(t.LedgerHead.seq.desc())).first()
            return None if last is None else (last.seq, last.hash)

    def due(self) -> list[DueItem]:
        """Everything outstanding, soonest first: investigations, decisions, written refusals,
        reviews, verification tasks and referrals awaiting feedback."""
        with self._reading() as s:
            items = [*self._case_items(s), *_task_items(s), *_referral_items(s)]
        return sorted(items, key=lambda i: (i.due_on, i.kind, i.ref))

    def overdue(self, on: date) -> list[DueItem]:
        return [item for item in self.due() if item.due_on < on]

    def _case_items(self, s: Session) -> Iterator[DueItem]:
        for case in s.exec(select(t.Case).where(t.Case.state.not_in([State.exited]))):
            limits, ref = self._limits(s, case), f"case {case.id}"
            add = functools.partial(self._wd, jurisdiction=_get(
                s, t.Household, case.household_id).jurisdiction)
            if case.state == State.accepted:
                yield DueItem(add(case.accepted_on, limits.investigation_start_wd), "investigation",
                              case.household_id, ref, "start the household investigation")
            if case.state in (State.accepted, State.investigated, State.noticed, State.appraised):
                days = limits.total_extended_wd if case.is_extended else limits.total_wd
                yield DueItem(add(case.accepted_on, days), "decision", case.household_id, ref,
                              f"decide within {days} working days of acceptance")
            if case.state == State.refused and case.refusal_notified_on is None:
                decided = _latest(s, t.Decision, t.Decision.case_id == case.id).decided_on
                yield DueItem(add(decided, limits.refusal_notice_wd), "refusal notice",
                              case.household_id, ref, "give the written reasons for refusal")
            if case.state == State.enrolled:
                dues = [e.review_due for e in _open_enrolments(s, case.id) if e.review_due]
                if dues:
                    yield DueItem(min(dues), "review", case.household_id, ref, "periodic review")

    def _wd(self, start: date, count: int, jurisdiction: str) -> date:
        calendar = policy_calendar(self.book.policies, jurisdiction, start.year)
        return add_working_days(start, count, self.holidays, calendar)

    # ---- replay and public export --------------------------------------------------------

    def replay(self, assessment_id: int) -> dict[str, Any]:
        """Re-assess from the chain's record of an assessment, under the rule book on hand,
        which must be the one it was made with; raises ReplayMismatch on any difference.
        Returns the replayed assessment document."""
        with self._reading() as s:
            row = _get(s, t.Assessment, assessment_id)
            entries = self.chain(row.household_id)
        made = next((json.loads(e.payload) for e in entries if e.kind == "assessed"
                     and json.loads(e.payload)["assessment"] == assessment_id), None)
        if made is None:
            raise ReplayMismatch(f"assessment {assessment_id} is not in its household's chain")
        filed = next(json.loads(e.payload) for e in entries if e.kind == "application_filed"
                     and json.loads(e.payload)["application"] == made["application"])
        if made["rulebook"]["digest"] != self.book.digest:
            raise ReplayMismatch(f"assessment {assessment_id} was made with rule book digest "
                                 f"{made['rulebook']['digest']}; this one is {self.book.digest}")
        on = date.fromisoformat(made["on"])
        application = model.application_from_dict(filed["document"])
        replayed = self.assessor.assess(application, on=on, jurisdiction=made["jurisdiction"])
        if replayed.policy_version != made["policy_version"]:
            raise ReplayMismatch(f"assessment {assessment_id} used policy version "
                                 f"{made['policy_version']}; the policies here give "
                                 f"{replayed.policy_version}")
        document = replayed.to_json(detail="full")
        if _sha(canonical_json(document)) != made["result_sha256"]:
            raise ReplayMismatch(f"assessment {assessment_id} replays to a different result")
        return document

    def replay_decision(self, decision_id: int) -> dict[str, Any]:
        """Replay the assessment a decision rests on, and check the approved aids were
        eligible in it. Returns the decision as the chain recorded it."""
        with self._reading() as s:
            decision = _get(s, t.Decision, decision_id)
            household = _get(s, t.Case, decision.case_id).household_id
        recorded = next(json.loads(e.payload) for e in self.chain(household)
                        if e.kind == "decided" and json.loads(e.payload)["decision"] == decision_id)
        document = self.replay(recorded["assessment"])
        eligible = {r["aid"] for r in document["results"] if r["status"] == "eligible"}
        if not set(recorded["aids"]) <= eligible:
            raise ReplayMismatch(f"decision {decision_id} approved {recorded['aids']}, "
                                 f"the replayed assessment finds eligible only {sorted(eligible)}")
        return recorded

    def public_notice(self, case_id: int) -> dict[str, Any]:
        """What a public notice (公示) may show: applicant's name and masked identity number,
        number of members, and the approved monthly amounts. Nothing else."""
        with self._reading() as s:
            case = _get(s, t.Case, case_id)
            members = list(s.exec(select(t.Member).where(
                t.Member.application_id == case.application_id).order_by(t.Member.position)))
            amounts = {e.aid: e.monthly_amount for e in _open_enrolments(s, case_id)}
        head = members[0]
        return {"case": case_id, "name": head.name,
                "id_number": model.mask_id_number(head.id_number),
                "members": len(members), "monthly_amounts": amounts}


# ---- helpers ----------------------------------------------------------------------------

def _engine(url: str) -> Engine:
    """An engine whose errors never echo a statement's parameters (names, identity numbers)."""
    return create_engine(url, hide_parameters=True)


def _reason(exc: SQLAlchemyError) -> str:
    """The database's own first line (PostgreSQL puts the row's values on later lines)."""
    orig = getattr(exc, "orig", None)
    text = str(orig).strip() if orig is not None else ""
    return text.splitlines()[0] if text else type(exc).__name__


def _is_duplicate(exc: IntegrityError) -> bool:
    """A unique key taken (by a concurrent writer), not another constraint."""
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint" in str(exc.orig)


def _note_written(session: Session, _context: Any) -> None:
    """After each flush: the covered rows it wrote, to be sealed by the next chain entry."""
    for row in (*session.new, *session.dirty):
        name = getattr(row, "__tablename__", None)
        if name in integrity.COVERED:
            _written(session, name, row.id)


def _written(s: Session, table: str, row_id: Any) -> None:
    s.info.setdefault("written", set()).add((table, row_id))


def _seal(s: Session) -> str | None:
    """The digests of the covered rows written since the last chain entry, as stored."""
    written = s.info.pop("written", set())
    by_table: dict[str, list[Any]] = {}
    for table, row_id in written:
        by_table.setdefault(table, []).append(row_id)
    rows: dict[str, str] = {}
    for table, ids in by_table.items():
        rows.update(integrity.digests(s.connection(), t.metadata.tables[table], ids))
    return canonical_json(rows) if rows else None


def _end_transaction(s: Session) -> None:
    """Every covered row written is sealed by a chain entry; the chains moved on end in
    one ledger head."""
    s.flush()
    if s.info.get("written"):
        unsealed = sorted(f"{table}:{row_id}" for table, row_id in s.info["written"])
        raise LedgerError(f"internal error: rows written with no chain entry: {unsealed}")
    moved = s.info.pop("heads", None)
    if moved:
        integrity.append_head(s.connection(), moved)


def _shown(url_or_path: str | Path) -> str:
    """A path as given; a URL with its password masked."""
    text = str(url_or_path)
    return make_url(text).render_as_string() if "://" in text else text


def _no_ledger(url_or_path: str | Path) -> str:
    where = _shown(url_or_path)
    return f"{where}: no ledger here; create one with 'aidrules ledger upgrade {where}'"


def _no_sqlite_file(url: str) -> bool:
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None
    return path is not None and path not in ("", ":memory:") and not Path(path).is_file()


def _bring_up(engine: Engine, url_or_path: str | Path, upgrade: bool | None,
              create: bool) -> tuple[str | None, str | None]:
    """Upgrade where asked; the revision the database is at and the one needed. A file that
    is not a database, or a directory that does not exist, is a LedgerError, not a traceback."""
    at = _revision(engine, url_or_path)
    try:
        if at is None and not create:
            raise NotFound(_no_ledger(url_or_path))
        if upgrade if upgrade is not None else engine.dialect.name == "sqlite":
            migrate.upgrade(engine)
            at = migrate.current_revision(engine)
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise LedgerError(f"{_shown(url_or_path)}: cannot open it as a ledger ({reason})") from None
    return at, migrate.head_revision()


def _revision(engine: Engine, url_or_path: str | Path) -> str | None:
    try:
        return migrate.current_revision(engine)
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise LedgerError(f"{_shown(url_or_path)}: cannot open it as a ledger ({reason})") from None


NAME_MOST = 64  # characters in a person's name, as every name column keeps


def person(name: str, role: str) -> str:
    """An officer's or worker's name as stored and compared: surrounding whitespace
    stripped, Unicode NFC; an empty name, one over 64 characters or one with a control or
    formatting character (NUL, a right-to-left mark) is refused (so " 李" is 李)."""
    clean = unicodedata.normalize("NFC", name.strip())
    if not clean:
        raise IllegalMove(f"{role}: give the name of the person acting")
    check_text(clean, role, NAME_MOST)
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in clean):
        raise IllegalMove(f"{role}: a name has no control or formatting characters")
    return clean


def _check_filed(household_id: str, application: model.Application) -> None:
    """What the application puts in columns of their own, by its path in the document."""
    where = f"household {household_id}: application"
    check_text(application.application_id, f"{where} $.application_id", 64)
    for position, member in enumerate(application.household.members):
        check_text(member.name, f"{where} $.household.members[{position}].name", NAME_MOST)


def _get(s: Session, table: type, key: Any) -> Any:
    row = s.get(table, key)
    if row is None:
        raise NotFound(f"no {table.__tablename__[:-1].replace('_', ' ')} {key!r} in the ledger")
    return row


def _latest(s: Session, table: type, where: Any) -> Any:
    row = s.exec(select(table).where(where).order_by(table.id.desc())).first()
    if row is None:
        raise NotFound(f"no {table.__tablename__} found")
    return row


# A case's dated steps, as its chain entries record them, and how a message names each.
CASE_STEPS = {"accepted": "accepted", "investigated": "investigated", "noticed": "put on notice",
              "objected": "objected to", "appraised": "appraised", "decided": "decided",
              "refusal_notified": "notified of its refusal", "enrolled": "enrolled",
              "reviewed": "reviewed", "exited": "exited"}


def _last_step(s: Session, case: t.Case) -> tuple[str, date]:
    """The case's latest dated step (what was done, on which day), from the chain."""
    steps = [(e.day, e.seq, e.kind) for e in s.exec(select(t.ChainEntry).where(
        t.ChainEntry.household_id == case.household_id,
        t.ChainEntry.kind.in_(list(CASE_STEPS))))
        if json.loads(e.payload).get("case") == case.id]
    day, _, kind = max(steps, default=(case.accepted_on, 0, "accepted"))
    return CASE_STEPS[kind], day


def _not_before(what: str, did: str, last: date, move: str, on: date) -> None:
    """A dated move may not come before the previous step of the same case, task or
    referral (the same day is fine)."""
    if on < last:
        raise IllegalMove(f"{what} was {did} on {last}; '{move}' cannot be dated {on}, "
                          "before it")


def _latest_assessment(s: Session, case_id: int) -> t.Assessment:
    return _latest(s, t.Assessment, t.Assessment.case_id == case_id)


def _open_enrolments(s: Session, case_id: int) -> list[t.Enrolment]:
    return list(s.exec(select(t.Enrolment).where(t.Enrolment.case_id == case_id,
                                                 t.Enrolment.ends_on.is_(None))
                       .order_by(t.Enrolment.id)))


def _check_decider(case: t.Case, by: str) -> None:
    investigators = {unicodedata.normalize("NFC", n.strip())
                     for n in case.investigators.split(",")}
    if by in investigators:
        raise IllegalMove(f"case {case.id}: {by} investigated this case and may not also "
                          "decide it (two different people)")


INVESTIGATORS_MOST = t.Case.__table__.c.investigators.type.length


def _check_notice_over(case: t.Case, on: date) -> None:
    if case.state == State.noticed and case.has_objection:
        raise IllegalMove(f"case {case.id}: the notice drew an objection; appraise first")
    if case.state == State.noticed and on <= case.notice_until:
        raise IllegalMove(f"case {case.id}: the public notice runs until {case.notice_until}; "
                          f"decide after it ends, not on {on}")


def _approved_aids(case_id: int, assessment: t.Assessment, aids: Sequence[str] | None
                   ) -> list[str]:
    results = json.loads(assessment.result)["results"]
    eligible = [r["aid"] for r in results if r["status"] == "eligible"]
    chosen = list(aids) if aids is not None else eligible
    for aid in chosen:
        if aid not in {r["aid"] for r in results}:
            raise UnknownAidError(aid, (r["aid"] for r in results))
    wrong = [aid for aid in chosen if aid not in eligible]
    if wrong or not chosen:
        raise IllegalMove(f"case {case_id}: cannot approve {', '.join(wrong) or 'nothing'}; "
                          f"the assessment finds eligible: {', '.join(eligible) or 'none'} "
                          "(refuse with reasons instead)")
    return chosen


def _check_no_overlap(s: Session, household_id: str, aid: str, starts: date) -> None:
    clash = s.exec(select(t.Enrolment).where(
        t.Enrolment.household_id == household_id, t.Enrolment.aid == aid,
        (t.Enrolment.ends_on.is_(None)) | (t.Enrolment.ends_on >= starts))).first()
    if clash is not None:
        raise IllegalMove(f"household {household_id} is already enrolled in {aid} "
                          f"(enrolment {clash.id} from {clash.starts_on}); it cannot overlap")


def _check_not_enrolled_elsewhere(s: Session, case: t.Case, aid: str, starts: date) -> None:
    """One person is enrolled in an aid in one household at a time: no member of the case's
    application may be in another household's enrolment of ``aid`` still in force on
    ``starts`` (the new enrolment runs open-ended from then)."""
    ours = {m.id_number: m.position for m in s.exec(
        select(t.Member).where(t.Member.application_id == case.application_id))}
    clash = s.exec(select(t.Enrolment, t.Member)
                   .join(t.Case, t.Case.id == t.Enrolment.case_id)
                   .join(t.Member, t.Member.application_id == t.Case.application_id)
                   .where(t.Enrolment.aid == aid,
                          t.Enrolment.household_id != case.household_id,
                          t.Member.id_number.in_(list(ours)),
                          t.Enrolment.ends_on.is_(None) | (t.Enrolment.ends_on >= starts))
                   .order_by(t.Enrolment.id)).first()
    if clash is not None:
        enrolment, member = clash
        raise IllegalMove(
            f"case {case.id}: $.household.members[{ours[member.id_number]}] "
            f"({model.mask_id_number(member.id_number)}) is already enrolled in {aid} in "
            f"household {enrolment.household_id} (case {enrolment.case_id}, enrolment "
            f"{enrolment.id}, from {enrolment.starts_on}); a person is enrolled in an aid "
            "in one household at a time")


def _amount(assessment: t.Assessment, aid: str) -> str | None:
    return _result(assessment, aid)["amount"]


def _period(assessment: t.Assessment, aid: str) -> str:
    """month, or once for an aid paid once (assessments stored before periods: month)."""
    return _result(assessment, aid).get("period") or "month"


def _result(assessment: t.Assessment, aid: str) -> dict[str, Any]:
    return next(r for r in json.loads(assessment.result)["results"] if r["aid"] == aid)


def _review_interval(document: str, unstable: Sequence[str]) -> str:
    """The household's review interval by its members' work abilities (57号 art. 31;
    which abilities count is the parameter review.unstable_work_abilities)."""
    members = json.loads(document)["household"]["members"]
    return review_interval((m.get("work_ability") for m in members), unstable)


def _task_items(s: Session) -> Iterator[DueItem]:
    for task in s.exec(select(t.VerificationTask).where(t.VerificationTask.done_on.is_(None))):
        yield DueItem(task.due_on, "verification", task.household_id, f"task {task.id}",
                      f"grid {task.grid}: {task.worker} to verify on site")


def _referral_items(s: Session) -> Iterator[DueItem]:
    for ref in s.exec(select(t.Referral).where(t.Referral.status == "pushed")):
        yield DueItem(ref.due_on, "referral", ref.household_id, f"referral {ref.id}",
                      f"feedback from {ref.departments} ({ref.brand})")


def _plus_days(day: date, days: int) -> date:
    return day + timedelta(days=days - 1)  # the notice's first day counts


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
