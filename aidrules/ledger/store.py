"""The SQL store of the case file (SQLite or PostgreSQL): transactions, the household
chain as it is written, and the repository the use cases work through
(:class:`aidrules.casework.ports.UnitOfWork`).

Every unit is one transaction: it either happens whole, chain entry included, or not at
all. Rows written are sealed by the next chain entry of their household (see
:mod:`aidrules.ledger.integrity`); the chains a transaction moved on end in one ledger
head. A database error becomes a LedgerError that echoes no value; a concurrent writer
that won (a taken chain position, a stale case version, SQLite's lock held past the
wait) is a ConflictError.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlmodel import Session, col, select

from aidrules import model
from aidrules.casework.assessment import StoredAssessment, compact
from aidrules.casework.case import CASE_STEPS, Case, Clash, Decision, Enrolment, Exit, Review
from aidrules.casework.errors import ConflictError, LedgerError, NotFound
from aidrules.casework.loop import Referral, Task
from aidrules.casework.ports import Filed, HouseholdRef, Monitored
from aidrules.casework.procedure import State
from aidrules.ledger import bulk, integrity, lists
from aidrules.ledger import tables as t
from aidrules.ledger.chain import canonical_json, entry_hash
from aidrules.ledger.database import writing
from aidrules.ledger.limits import check_flush, check_values

CASES = t.metadata.tables["cases"]


class SqlStore:
    """Transactions on one engine; a :meth:`transaction` block makes every unit opened in
    it, in this thread, a part of it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writes = writing(engine)
        self._unit = threading.local()  # the session of a transaction() open in a thread

    @contextmanager
    def unit(self) -> Iterator[SqlUnit]:
        with self.tx() as s:
            yield SqlUnit(s)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make everything done inside the block, in this thread, one transaction:
        committed whole when the block ends, rolled back whole on any error. An operation
        inside the block joins it (so does a nested block), and reads see what it wrote.
        An operation that fails inside it fails the whole block, even if caught there."""
        if self.open_session() is not None:
            yield
            return
        with self.tx() as s:
            self._unit.session, self._unit.failed = s, None
            try:
                yield
            finally:
                self._unit.session = None
            if self._unit.failed is not None:
                raise LedgerError(f"nothing of this transaction was stored: an operation "
                                  f"in it failed ({self._unit.failed})")

    def open_session(self) -> Session | None:
        """The session of the transaction open in this thread, if any."""
        return getattr(self._unit, "session", None)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session to read with: the open transaction's, or one of its own; a database
        error (a dropped table) is one LedgerError."""
        open_session = self.open_session()
        if open_session is not None:
            yield open_session
            return
        try:
            with Session(self.engine, expire_on_commit=False) as s:
                yield s
        except SQLAlchemyError as exc:
            raise LedgerError(f"cannot read the ledger ({reason(exc)})") from None

    @contextmanager
    def tx(self) -> Iterator[Session]:
        """One transaction: committed whole, or rolled back whole on any error; inside
        :meth:`transaction`, a part of that one. Its rows' texts are checked before each
        flush; its chains' new heads end in one ledger head."""
        open_session = self.open_session()
        if open_session is not None:
            try:
                yield open_session
            except BaseException as exc:
                self._unit.failed = exc
                raise
            return
        try:
            with Session(self._writes, expire_on_commit=False) as session, session.begin():
                event.listen(session, "before_flush", check_flush)
                event.listen(session, "after_flush", _note_written)
                yield session
                _end_transaction(session)
        except IntegrityError as exc:
            if _is_duplicate(exc):  # e.g. a concurrent append took the same chain position
                raise ConflictError(f"a concurrent change won: {reason(exc)}") from None
            raise LedgerError(f"the database refused the change ({reason(exc)})") from None
        except OperationalError as exc:
            if _is_locked(exc):  # SQLite: another writer held the file past busy_timeout
                raise ConflictError("another writer held the ledger past the wait "
                                    f"({reason(exc)}); try again") from None
            raise LedgerError(f"the database refused the change ({reason(exc)})") from None
        except SQLAlchemyError as exc:
            raise LedgerError(f"the database refused the change ({reason(exc)})") from None


def append(s: Session, household_id: str, kind: str, day: date,
           payload: dict[str, Any]) -> None:
    """Append one entry to the household's chain, sealing the covered rows written since
    the previous entry (see :mod:`aidrules.ledger.integrity`)."""
    s.flush()
    house = get(s, t.Household, household_id)
    seq, prev = house.chain_length + 1, house.chain_head
    text, rows = canonical_json(payload), _seal(s)
    digest = entry_hash(prev, household_id, seq, kind, day, text, rows)
    s.add(t.ChainEntry(household_id=household_id, seq=seq, kind=kind, day=day,
                       payload=text, prev_hash=prev, hash=digest, rows=rows))
    moved = s.connection().execute(
        update(t.Household).where(col(t.Household.id) == household_id,
                                  col(t.Household.chain_length) == house.chain_length)
        .values(chain_length=seq, chain_head=digest)).rowcount
    if moved != 1:
        raise ConflictError(f"household {household_id}'s chain moved on; try again")
    s.flush()
    s.expire(house)
    s.info.setdefault("heads", {})[household_id] = (seq, digest)


def get(s: Session, table: Any, key: Any) -> Any:
    row = s.get(table, key)
    if row is None:
        raise NotFound(f"no {table.__tablename__[:-1].replace('_', ' ')} {key!r} in the ledger")
    return row


def latest(s: Session, table: Any, where: Any) -> Any:
    row = s.exec(select(table).where(where).order_by(table.id.desc())).first()
    if row is None:
        raise NotFound(f"no {table.__tablename__} found")
    return row


def ident(row: Any) -> int:
    """The id of a row written (flushed) or read: never None."""
    assert row.id is not None
    return int(row.id)


def written(s: Session, table: str, row_id: Any) -> None:
    s.info.setdefault("written", set()).add((table, row_id))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class SqlUnit:
    """The repository on one open transaction (:class:`aidrules.casework.ports.UnitOfWork`)."""

    def __init__(self, session: Session) -> None:
        self.s = session

    # ---- households, applications, assessments --------------------------------------

    def household(self, household_id: str) -> HouseholdRef | None:
        row = self.s.get(t.Household, household_id)
        return None if row is None else HouseholdRef(row.id, row.grid, row.jurisdiction)

    def known(self, household_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(household_ids), 900):  # SQLite's bound-parameter limit
            found.update(self.s.exec(select(t.Household.id).where(
                col(t.Household.id).in_(household_ids[start:start + 900]))))
        return found

    def add_household(self, household: HouseholdRef) -> None:
        self.s.add(t.Household(id=household.id, grid=household.grid,
                               jurisdiction=household.jurisdiction))
        self.s.flush()

    def set_risk(self, household_id: str, risk_level: str | None) -> None:
        self.s.connection().execute(update(t.Household).where(col(t.Household.id) == household_id)
                                    .values(risk_level=risk_level))
        written(self.s, "households", household_id)

    def add_application(self, household_id: str, application: model.Application,
                        on: date, source: str) -> Filed:
        doc = model.application_to_dict(application)
        row = t.Application(household_id=household_id, reference=application.application_id,
                            filed_on=on, source=source, document=canonical_json(doc))
        self.s.add(row)
        self.s.flush()
        for position, member in enumerate(application.household.members):
            self.s.add(t.Member(application_id=ident(row), position=position,
                                id_number=member.id_number, name=member.name,
                                relation=str(member.relation)))
        return Filed(ident(row), household_id, on, source, doc)

    def application(self, application_id: int) -> Filed:
        return _filed(get(self.s, t.Application, application_id))

    def latest_application(self, household_id: str) -> Filed:
        return _filed(latest(self.s, t.Application,
                             col(t.Application.household_id) == household_id))

    def add_assessment(self, assessment: StoredAssessment, document: dict[str, Any]
                       ) -> tuple[int, str]:
        a, full_sha256 = assessment, sha256(canonical_json(document))
        row = t.Assessment(household_id=a.household_id, application_id=a.application_id,
                           case_id=a.case_id, on=a.on, jurisdiction=a.jurisdiction,
                           rulebook_version=a.rulebook_version,
                           rulebook_digest=a.rulebook_digest, policy_version=a.policy_version,
                           risk_level=a.risk_level,
                           result=canonical_json(compact(document, full_sha256)))
        self.s.add(row)
        self.s.flush()
        assert row.id is not None
        return row.id, full_sha256

    def add_monitored(self, households: Sequence[Monitored], on: date,
                      filed_entry: Callable[[Filed], dict[str, Any]],
                      assessed_entry: Callable[[StoredAssessment, str], dict[str, Any]]
                      ) -> list[int]:
        return bulk.add_monitored(self.s, households, on, filed_entry, assessed_entry)

    def assessment(self, assessment_id: int) -> StoredAssessment:
        return stored_assessment(get(self.s, t.Assessment, assessment_id))

    def latest_assessment(self, case_id: int) -> StoredAssessment:
        return stored_assessment(latest(self.s, t.Assessment, col(t.Assessment.case_id) == case_id))

    def add_referrals(self, assessment: StoredAssessment, on: date, due_on: date
                      ) -> list[int]:
        rows = [t.Referral(household_id=assessment.household_id, assessment_id=ident(assessment),
                           brand=r.brand, departments=lists.dump(r.departments),
                           reason=r.reason, status="pushed", pushed_on=on, due_on=due_on)
                for r in assessment.referrals]
        self.s.add_all(rows)
        self.s.flush()
        return [ident(r) for r in rows]

    # ---- cases ------------------------------------------------------------------------

    def open_case(self, household_id: str) -> Case | None:
        row = self.s.exec(select(t.Case).where(
            col(t.Case.household_id) == household_id,
            col(t.Case.state).not_in([State.refused, State.exited]))).first()
        return None if row is None else self._case(row)

    def case(self, case_id: int) -> Case:
        return self._case(get(self.s, t.Case, case_id))

    def _case(self, row: t.Case) -> Case:
        return Case(household_id=row.household_id, application_id=row.application_id,
                    accepted_on=row.accepted_on, accepted_by=row.accepted_by,
                    state=State(row.state), version=row.version,
                    investigated_on=row.investigated_on,
                    investigators=tuple(lists.load(row.investigators)),
                    findings=row.findings, notice_from=row.notice_from,
                    notice_until=row.notice_until, has_objection=row.has_objection,
                    appraisal=row.appraisal, is_extended=row.is_extended,
                    refusal_notified_on=row.refusal_notified_on,
                    last_step=_last_step(self.s, row), id=row.id)

    def add_case(self, case: Case) -> int:
        row = t.Case(**_case_columns(case), version=case.version,
                     household_id=case.household_id, application_id=case.application_id,
                     accepted_on=case.accepted_on, accepted_by=case.accepted_by)
        self.s.add(row)
        self.s.flush()
        assert row.id is not None
        return row.id

    def save_case(self, case: Case) -> None:
        """Write the case only if nobody changed it since it was read."""
        changes = _case_columns(case)
        check_values(CASES, changes, f"case {case.id}")
        written(self.s, "cases", case.id)
        moved = self.s.connection().execute(
            update(t.Case).where(col(t.Case.id) == case.id, col(t.Case.version) == case.version)
            .values(version=case.version + 1, **changes)).rowcount
        if moved != 1:
            raise ConflictError(f"case {case.id} was changed by someone else "
                                f"(version {case.version} is stale); reload it and try again")
        case.version += 1
        row = self.s.get(t.Case, case.id)
        if row is not None:
            self.s.expire(row)

    def add_decision(self, decision: Decision) -> int:
        d = decision
        row = t.Decision(case_id=d.case_id, assessment_id=d.assessment_id, outcome=d.outcome,
                         aids=lists.dump(d.aids), reasons=d.reasons, decided_on=d.decided_on,
                         decided_by=d.decided_by)
        self.s.add(row)
        self.s.flush()
        assert row.id is not None
        return row.id

    def latest_decision(self, case_id: int) -> Decision:
        row = latest(self.s, t.Decision, col(t.Decision.case_id) == case_id)
        return Decision(row.case_id, row.assessment_id, row.outcome,
                        tuple(lists.load(row.aids)), row.reasons, row.decided_on,
                        row.decided_by, row.id)

    # ---- enrolments -------------------------------------------------------------------

    def household_enrolments(self, household_id: str) -> list[Enrolment]:
        return [_enrolment(r) for r in self.s.exec(select(t.Enrolment).where(
            col(t.Enrolment.household_id) == household_id).order_by(col(t.Enrolment.id)))]

    def open_enrolments(self, case_id: int) -> list[Enrolment]:
        return [_enrolment(r) for r in open_enrolments(self.s, case_id)]

    def add_enrolments(self, rows: Sequence[Enrolment]) -> list[int]:
        made = [t.Enrolment(household_id=e.household_id, case_id=e.case_id, aid=e.aid,
                            starts_on=e.starts_on, ends_on=e.ends_on,
                            monthly_amount=e.monthly_amount, period=e.period,
                            review_interval=e.review_interval, review_due=e.review_due)
                for e in rows]
        self.s.add_all(made)
        self.s.flush()
        for e, row in zip(rows, made, strict=True):
            e.id = row.id
        return [row.id for row in made if row.id is not None]

    def save_enrolments(self, rows: Sequence[Enrolment]) -> None:
        for e in rows:
            row = get(self.s, t.Enrolment, e.id)
            row.ends_on, row.review_due = e.ends_on, e.review_due

    def enrolled_elsewhere(self, case: Case, aid: str, starts: date) -> Clash | None:
        """A member of the case's application in another household's enrolment of ``aid``
        still in force on ``starts``."""
        ours = {m.id_number: m.position for m in self.s.exec(
            select(t.Member).where(col(t.Member.application_id) == case.application_id))}
        enrolment_t, member_t, case_t = t.Enrolment, t.Member, t.Case
        ends = col(enrolment_t.ends_on)
        found = self.s.exec(
            select(enrolment_t, member_t)
            .join(case_t, col(case_t.id) == col(enrolment_t.case_id))
            .join(member_t, col(member_t.application_id) == col(case_t.application_id))
            .where(col(enrolment_t.aid) == aid,
                   col(enrolment_t.household_id) != case.household_id,
                   col(member_t.id_number).in_(list(ours)),
                   ends.is_(None) | (ends >= starts))
            .order_by(col(enrolment_t.id))).first()
        if found is None:
            return None
        enrolment, member = found
        return Clash(ours[member.id_number], model.mask_id_number(member.id_number),
                     enrolment.household_id, enrolment.case_id, ident(enrolment),
                     enrolment.starts_on)

    def add_review(self, review: Review) -> int:
        row = t.Review(case_id=review.case_id, assessment_id=review.assessment_id,
                       reviewed_on=review.reviewed_on, reviewed_by=review.reviewed_by,
                       outcome=review.outcome)
        self.s.add(row)
        self.s.flush()
        assert row.id is not None
        return row.id

    def add_exit(self, exit: Exit) -> int:
        row = t.Exit(case_id=exit.case_id, decided_on=exit.decided_on,
                     decided_by=exit.decided_by, reason=exit.reason,
                     grace_months=exit.grace_months, paid_until=exit.paid_until)
        self.s.add(row)
        self.s.flush()
        assert row.id is not None
        return row.id

    # ---- the closed loop ------------------------------------------------------------

    def add_warning(self, household_id: str, department: str, reason: str, on: date,
                    risk_level: str | None) -> int:
        row = t.Warning(household_id=household_id, raised_on=on, department=department,
                        reason=reason, risk_level=risk_level)
        self.s.add(row)
        self.s.flush()
        return ident(row)

    def add_task(self, task: Task) -> int:
        row = t.VerificationTask(warning_id=task.warning_id, household_id=task.household_id,
                                 grid=task.grid, worker=task.worker, due_on=task.due_on)
        self.s.add(row)
        self.s.flush()
        return ident(row)

    def task(self, task_id: int) -> Task:
        row = get(self.s, t.VerificationTask, task_id)
        raised = get(self.s, t.Warning, row.warning_id).raised_on
        return Task(row.warning_id, row.household_id, row.grid, row.worker, row.due_on,
                    raised, row.done_on, row.findings, row.id)

    def save_task(self, task: Task) -> None:
        row = get(self.s, t.VerificationTask, task.id)
        row.done_on, row.findings = task.done_on, task.findings

    def referral(self, referral_id: int) -> Referral:
        row = get(self.s, t.Referral, referral_id)
        answers = tuple((f.department, f.given_on) for f in self.s.exec(
            select(t.Feedback).where(col(t.Feedback.referral_id) == referral_id)
            .order_by(col(t.Feedback.id))))
        return Referral(row.household_id, row.brand, tuple(lists.load(row.departments)),
                        row.status, row.pushed_on, answers, row.id)

    def add_feedback(self, referral_id: int, department: str, on: date, action: str) -> None:
        self.s.add(t.Feedback(referral_id=referral_id, department=department, given_on=on,
                              action=action))
        self.s.flush()

    def save_referral(self, referral: Referral) -> None:
        get(self.s, t.Referral, referral.id).status = referral.status

    # ---- the chain ------------------------------------------------------------------

    def record(self, household_id: str, kind: str, day: date, payload: dict[str, Any]
               ) -> None:
        append(self.s, household_id, kind, day, payload)


def stored_assessment(row: t.Assessment) -> StoredAssessment:
    """The assessment row as the typed value the procedure reads (its document read once)."""
    return StoredAssessment.of(json.loads(row.result), household_id=row.household_id,
                               application_id=row.application_id, case_id=row.case_id,
                               on=row.on, id=row.id)


def open_enrolments(s: Session, case_id: int) -> list[t.Enrolment]:
    return list(s.exec(select(t.Enrolment).where(col(t.Enrolment.case_id) == case_id,
                                                 col(t.Enrolment.ends_on).is_(None))
                       .order_by(col(t.Enrolment.id))))


def _filed(row: t.Application) -> Filed:
    return Filed(ident(row), row.household_id, row.filed_on, row.source,
                 json.loads(row.document))


def _enrolment(row: t.Enrolment) -> Enrolment:
    return Enrolment(household_id=row.household_id, case_id=row.case_id, aid=row.aid,
                     starts_on=row.starts_on, review_interval=row.review_interval,
                     monthly_amount=row.monthly_amount, period=row.period,
                     ends_on=row.ends_on, review_due=row.review_due, id=row.id)


def _case_columns(case: Case) -> dict[str, Any]:
    """The columns a move may change."""
    return {"state": str(case.state), "investigated_on": case.investigated_on,
            "investigators": lists.dump(case.investigators), "findings": case.findings,
            "notice_from": case.notice_from, "notice_until": case.notice_until,
            "has_objection": case.has_objection, "appraisal": case.appraisal,
            "is_extended": case.is_extended, "refusal_notified_on": case.refusal_notified_on}


def _last_step(s: Session, case: t.Case) -> tuple[str, date] | None:
    """The case's latest dated step (the chain entry's kind and day)."""
    steps = [(e.day, e.seq, e.kind) for e in s.exec(select(t.ChainEntry).where(
        col(t.ChainEntry.household_id) == case.household_id,
        col(t.ChainEntry.kind).in_(list(CASE_STEPS))))
        if json.loads(e.payload).get("case") == case.id]
    if not steps:
        return None
    day, _, kind = max(steps)
    return kind, day


# ---- transactions -------------------------------------------------------------------

def reason(exc: SQLAlchemyError) -> str:
    """The database's own first line (PostgreSQL puts the row's values on later lines)."""
    orig = getattr(exc, "orig", None)
    text = str(orig).strip() if orig is not None else ""
    return text.splitlines()[0] if text else type(exc).__name__


def _is_duplicate(exc: IntegrityError) -> bool:
    """A unique key taken (by a concurrent writer), not another constraint."""
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint" in str(exc.orig)


def _is_locked(exc: OperationalError) -> bool:
    """SQLite's "database is locked" (SQLITE_BUSY): another connection is writing."""
    return "database is locked" in str(exc.orig) or "database table is locked" in str(exc.orig)


def _note_written(session: Session, _context: Any) -> None:
    """After each flush: the covered rows it wrote, to be sealed by the next chain entry."""
    for row in (*session.new, *session.dirty):
        name = getattr(row, "__tablename__", None)
        if name in integrity.COVERED:
            written(session, name, row.id)


def _seal(s: Session) -> str | None:
    """The digests of the covered rows written since the last chain entry, as stored."""
    rows_written = s.info.pop("written", set())
    by_table: dict[str, list[Any]] = {}
    for table, row_id in rows_written:
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
