"""What the ledger shows, read apart from the moves that change it: a case with its
decisions, an assessment, a referral, enrolments, chains, what is due, the enrolled
households of a day, verification of the chains and heads."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from datetime import date
from typing import Any

import attrs
from sqlmodel import Session, col, select

from aidrules import model
from aidrules.casework.procedure import State, TimeLimits
from aidrules.casework.workdays import add_working_days, policy_calendar
from aidrules.ledger import integrity, lists
from aidrules.ledger import tables as t
from aidrules.ledger.chain import BadEntry, first_bad
from aidrules.ledger.integrity import Broken
from aidrules.ledger.store import get, ident, latest, open_enrolments
from aidrules.policy import PolicyTree


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


def case(s: Session, case_id: int) -> dict[str, Any]:
    row = get(s, t.Case, case_id)
    return {
        **row.model_dump(), "investigators": lists.load(row.investigators),
        "risk_level": get(s, t.Household, row.household_id).risk_level,
        "decisions": [{**d.model_dump(), "aids": lists.load(d.aids)} for d in s.exec(
            select(t.Decision).where(col(t.Decision.case_id) == case_id))],
        "enrolments": [e.model_dump() for e in s.exec(
            select(t.Enrolment).where(col(t.Enrolment.case_id) == case_id)
            .order_by(col(t.Enrolment.id)))],
        "reviews": [r.model_dump() for r in s.exec(
            select(t.Review).where(col(t.Review.case_id) == case_id))],
    }


def assessment(s: Session, assessment_id: int,
               document: Callable[[t.Assessment], dict[str, Any]]) -> dict[str, Any]:
    """The assessment's household, case, day and result ``document`` (full or stored)."""
    row = get(s, t.Assessment, assessment_id)
    return {"id": row.id, "household_id": row.household_id, "case_id": row.case_id,
            "on": row.on, "risk_level": row.risk_level, **document(row)}


def latest_assessment_row(s: Session, case_id: int) -> t.Assessment:
    row: t.Assessment = latest(s, t.Assessment, col(t.Assessment.case_id) == case_id)
    return row


def referral(s: Session, referral_id: int) -> dict[str, Any]:
    row = get(s, t.Referral, referral_id)
    answered = sorted({f.department for f in s.exec(
        select(t.Feedback).where(col(t.Feedback.referral_id) == referral_id))})
    departments = lists.load(row.departments)
    return {**row.model_dump(), "departments": departments, "answered": answered,
            "awaiting": [d for d in departments if d not in answered]}


def enrolled_applications(s: Session, on: date) -> list[Enrolled]:
    paid: dict[str, dict[str, str | None]] = {}
    cases: dict[str, int] = {}
    for row in s.exec(select(t.Enrolment).where(
            col(t.Enrolment.starts_on) <= on,
            col(t.Enrolment.ends_on).is_(None) | (col(t.Enrolment.ends_on) >= on))
            .order_by(col(t.Enrolment.household_id), col(t.Enrolment.aid))):
        paid.setdefault(row.household_id, {})[row.aid] = row.monthly_amount
        cases[row.household_id] = row.case_id
    return [_enrolled(s, house, amounts, cases[house], on)
            for house, amounts in sorted(paid.items())]


def _enrolled(s: Session, household_id: str, amounts: dict[str, str | None],
              case_id: int, on: date) -> Enrolled:
    filed = s.exec(select(t.Application).where(
        col(t.Application.household_id) == household_id, col(t.Application.filed_on) <= on)
        .order_by(col(t.Application.filed_on).desc(), col(t.Application.id).desc())).first()
    if filed is None:  # dated after ``on`` by the officer: the case's own application
        filed = get(s, t.Application, get(s, t.Case, case_id).application_id)
    return Enrolled(household_id, get(s, t.Household, household_id).jurisdiction,
                    model.application_from_dict(json.loads(filed.document)),
                    filed.filed_on, amounts)


def enrolments(s: Session, household_id: str | None = None) -> list[t.Enrolment]:
    query = select(t.Enrolment).order_by(col(t.Enrolment.id))
    if household_id is not None:
        query = query.where(col(t.Enrolment.household_id) == household_id)
    return list(s.exec(query))


def chain(s: Session, household_id: str) -> list[t.ChainEntry]:
    get(s, t.Household, household_id)
    return list(s.exec(select(t.ChainEntry).where(col(t.ChainEntry.household_id) == household_id)
                       .order_by(col(t.ChainEntry.seq), col(t.ChainEntry.id))))


def verify(s: Session) -> BadEntry | Broken | None:
    sealed: dict[str, integrity.Seal] = {}
    houses = list(s.exec(select(t.Household).order_by(col(t.Household.id))))
    for house in houses:
        entries = list(s.exec(select(t.ChainEntry).where(
            col(t.ChainEntry.household_id) == house.id).order_by(col(t.ChainEntry.seq),
                                                            col(t.ChainEntry.id))))
        bad = first_bad(house.id, house.chain_length, house.chain_head, entries)
        if bad is not None:
            return bad
        integrity.fold_seals(sealed, house.id, entries)
    strays = s.exec(select(t.ChainEntry).where(
        col(t.ChainEntry.household_id).not_in([h.id for h in houses]))).first()
    if strays is not None:
        return BadEntry(strays.household_id, strays.seq, strays.id, "no such household")
    heads = s.exec(select(t.LedgerHead).order_by(col(t.LedgerHead.seq)))
    return integrity.head_problem(
        heads, {h.id: (h.chain_length, h.chain_head) for h in houses}) or \
        integrity.row_problem(integrity.all_digests(s.connection(), t.metadata.tables), sealed)


def head(s: Session) -> tuple[int, str] | None:
    last = s.exec(select(t.LedgerHead).order_by(col(t.LedgerHead.seq).desc())).first()
    return None if last is None else (last.seq, last.hash)


def due(s: Session, policies: PolicyTree, holidays: Collection[date]) -> list[DueItem]:
    items = [*_case_items(s, policies, holidays), *_task_items(s), *_referral_items(s)]
    return sorted(items, key=lambda i: (i.due_on, i.kind, i.ref))


def _case_items(s: Session, policies: PolicyTree, holidays: Collection[date]
                ) -> Iterator[DueItem]:
    for row in s.exec(select(t.Case).where(col(t.Case.state).not_in([State.exited]))):
        jurisdiction = get(s, t.Household, row.household_id).jurisdiction

        def add(start: date, count: int, jurisdiction: str = jurisdiction) -> date:
            calendar = policy_calendar(policies, jurisdiction, start.year)
            return add_working_days(start, count, holidays, calendar)

        limits, ref = TimeLimits.of(policies, jurisdiction, row.accepted_on), f"case {row.id}"
        if row.state == State.accepted:
            yield DueItem(add(row.accepted_on, limits.investigation_start_wd), "investigation",
                          row.household_id, ref, "start the household investigation")
        if row.state in (State.accepted, State.investigated, State.noticed, State.appraised):
            days = limits.total_extended_wd if row.is_extended else limits.total_wd
            yield DueItem(add(row.accepted_on, days), "decision", row.household_id, ref,
                          f"decide within {days} working days of acceptance")
        if row.state == State.refused and row.refusal_notified_on is None:
            decided = latest(s, t.Decision, col(t.Decision.case_id) == row.id).decided_on
            yield DueItem(add(decided, limits.refusal_notice_wd), "refusal notice",
                          row.household_id, ref, "give the written reasons for refusal")
        if row.state == State.enrolled:
            dues = [e.review_due for e in open_enrolments(s, ident(row)) if e.review_due]
            if dues:
                yield DueItem(min(dues), "review", row.household_id, ref, "periodic review")


def _task_items(s: Session) -> Iterator[DueItem]:
    for task in s.exec(select(t.VerificationTask).where(col(t.VerificationTask.done_on).is_(None))):
        yield DueItem(task.due_on, "verification", task.household_id, f"task {task.id}",
                      f"grid {task.grid}: {task.worker} to verify on site")


def _referral_items(s: Session) -> Iterator[DueItem]:
    for ref in s.exec(select(t.Referral).where(col(t.Referral.status) == "pushed")):
        yield DueItem(ref.due_on, "referral", ref.household_id, f"referral {ref.id}",
                      f"feedback from {', '.join(lists.load(ref.departments))} ({ref.brand})")


def public_notice(s: Session, case_id: int) -> dict[str, Any]:
    """What a public notice (公示) may show: applicant's name and masked identity number,
    number of members, and the approved monthly amounts. Nothing else."""
    row = get(s, t.Case, case_id)
    members = list(s.exec(select(t.Member).where(
        col(t.Member.application_id) == row.application_id).order_by(col(t.Member.position))))
    amounts = {e.aid: e.monthly_amount for e in open_enrolments(s, case_id)}
    first = members[0]
    return {"case": case_id, "name": first.name,
            "id_number": model.mask_id_number(first.id_number),
            "members": len(members), "monthly_amounts": amounts}
