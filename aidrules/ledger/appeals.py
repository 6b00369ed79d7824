"""Challenges of a decision in the ledger: file one (with its deadline and body), record
the body's outcome, link the re-decision that carries it out. The law is
:mod:`aidrules.casework.appeals`; each step is an entry on the household's chain
(``challenged``, ``challenge_decided``, ``redecided``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, select

from aidrules.casework import appeals as law
from aidrules.casework.workdays import policy_calendar
from aidrules.errors import PolicyLookupError
from aidrules.ledger import payment_tables as pt
from aidrules.ledger import tables as t
from aidrules.ledger.errors import IllegalMove, NotFound
from aidrules.ledger.ledger import DueItem, Ledger, person

BODY_PARAMETER = {"reconsideration": "notice.reconsideration", "lawsuit": "notice.court"}


def file_challenge(ledger: Ledger, case_id: int, kind: str, knew_on: date, filed_on: date,
                   body: str | None = None, decision_id: int | None = None,
                   reconsidered_on: date | None = None, late_reason: str | None = None
                   ) -> int:
    """An applicant challenges the case's decision (the latest, or ``decision_id``). The
    body defaults to the jurisdiction's (notice.reconsideration / notice.court). Returns
    the challenge's id."""
    with ledger._tx() as s:
        case = _get(s, t.Case, case_id)
        decision = _decision(s, case_id, decision_id)
        if knew_on < decision.decided_on:
            raise IllegalMove(f"case {case_id}: the applicant cannot have known of decision "
                              f"{decision.id} ({decision.decided_on}) on {knew_on}")
        jurisdiction = _get(s, t.Household, case.household_id).jurisdiction
        policies = ledger.book.policies
        rules = law.ChallengeLaw.of(policies, jurisdiction, knew_on)
        calendar = policy_calendar(policies, jurisdiction, knew_on.year)
        try:
            deadline = law.filing_deadline(kind, knew_on, rules, calendar, reconsidered_on)
            law.check_filing(kind, filed_on, deadline, late_reason)
        except law.ChallengeError as exc:
            raise IllegalMove(f"case {case_id}: {exc}") from None
        body = body or _body(policies, kind, jurisdiction, filed_on, case_id)
        row = pt.Challenge(household_id=case.household_id, case_id=case_id,
                           decision_id=decision.id, kind=kind, body=body, knew_on=knew_on,
                           filed_on=filed_on, deadline=deadline,
                           decide_by=law.decide_by(kind, filed_on, rules))
        s.add(row)
        s.flush()
        ledger._append(s, case.household_id, "challenged", filed_on, {
            "case": case_id, "challenge": row.id, "decision": decision.id, "kind": kind,
            "body": body, "knew_on": knew_on, "deadline": deadline, "decide_by": row.decide_by,
            "late_reason": late_reason, "reconsidered_on": reconsidered_on})
        assert row.id is not None
        return row.id


def decide_challenge(ledger: Ledger, challenge_id: int, outcome: str, on: date, reasons: str,
                     redecide_by: date | None = None) -> None:
    """The body's outcome: upheld, changed or revoked (then a new decision by
    ``redecide_by``, the date the body set)."""
    with ledger._tx() as s:
        row = _get(s, pt.Challenge, challenge_id)
        if row.outcome is not None:
            raise IllegalMove(f"challenge {challenge_id} was decided on {row.decided_on} "
                              f"({row.outcome})")
        if on < row.filed_on:
            raise IllegalMove(f"challenge {challenge_id} was filed on {row.filed_on}; its "
                              f"outcome cannot be dated {on}")
        if not reasons.strip():
            raise IllegalMove(f"challenge {challenge_id}: record the body's reasons")
        try:
            law.check_outcome(outcome, redecide_by, on)
        except law.ChallengeError as exc:
            raise IllegalMove(f"challenge {challenge_id}: {exc}") from None
        row.outcome, row.decided_on, row.reasons, row.redecide_by = \
            outcome, on, reasons, redecide_by
        ledger._append(s, row.household_id, "challenge_decided", on, {
            "case": row.case_id, "challenge": challenge_id, "outcome": outcome,
            "reasons": reasons, "redecide_by": redecide_by})


def link_redecision(ledger: Ledger, challenge_id: int, decision_id: int, on: date,
                    by: str) -> None:
    """The new decision (made through the procedure) that carries out a changed or revoked
    outcome."""
    by = person(by, f"challenge {challenge_id}: the officer")
    with ledger._tx() as s:
        row = _get(s, pt.Challenge, challenge_id)
        decision = _get(s, t.Decision, decision_id)
        if row.outcome not in ("changed", "revoked"):
            raise IllegalMove(f"challenge {challenge_id} is {row.outcome or 'undecided'}: "
                              "only a changed or revoked decision is decided anew")
        if row.redecision_id is not None:
            raise IllegalMove(f"challenge {challenge_id} was carried out by decision "
                              f"{row.redecision_id}")
        if _get(s, t.Case, decision.case_id).household_id != row.household_id or \
                decision.id == row.decision_id or decision.decided_on < row.decided_on:
            raise IllegalMove(f"decision {decision_id} is not a new decision of household "
                              f"{row.household_id} after the outcome of {row.decided_on}")
        row.redecision_id = decision_id
        ledger._append(s, row.household_id, "redecided", on, {
            "case": row.case_id, "challenge": challenge_id, "decision": decision_id,
            "late": row.redecide_by is not None and decision.decided_on > row.redecide_by,
            "by": by})


def challenges(ledger: Ledger, case_id: int) -> list[dict[str, Any]]:
    with ledger._reading() as s:
        return [r.model_dump() for r in s.exec(select(pt.Challenge).where(
            pt.Challenge.case_id == case_id).order_by(col(pt.Challenge.id)))]


def due(ledger: Ledger) -> list[DueItem]:
    """What the county owes on challenges: outcomes awaited from a reconsideration body,
    and new decisions a changed or revoked outcome ordered."""
    items = []
    with ledger._reading() as s:
        for row in s.exec(select(pt.Challenge).where(col(pt.Challenge.redecision_id).is_(None))):
            ref = f"challenge {row.id}"
            if row.outcome is None and row.decide_by is not None:
                items.append(DueItem(row.decide_by, "reconsideration", row.household_id, ref,
                                     f"{row.body} to decide the reconsideration"))
            if row.outcome in ("changed", "revoked") and row.redecide_by is not None:
                items.append(DueItem(row.redecide_by, "re-decision", row.household_id, ref,
                                     f"decide case {row.case_id} anew ({row.outcome})"))
    return sorted(items, key=lambda i: (i.due_on, i.ref))


def _body(policies: Any, kind: str, jurisdiction: str, on: date, case_id: int) -> str:
    try:
        return str(policies.value(BODY_PARAMETER[kind], jurisdiction, on).value)
    except KeyError:
        raise IllegalMove(f"case {case_id}: a challenge is reconsideration or lawsuit, "
                          f"not {kind!r}") from None
    except PolicyLookupError:
        raise IllegalMove(f"case {case_id}: {jurisdiction} names no body for a {kind} "
                          f"({BODY_PARAMETER[kind]}); give it") from None


def _decision(s: Any, case_id: int, decision_id: int | None) -> t.Decision:
    query = select(t.Decision).where(t.Decision.case_id == case_id)
    if decision_id is not None:
        query = query.where(t.Decision.id == decision_id)
    found = s.exec(query.order_by(col(t.Decision.id).desc())).first()
    if found is None:
        raise NotFound(f"case {case_id} has no decision"
                       + (f" {decision_id}" if decision_id is not None else "") + " to challenge")
    return found


def _get(s: Any, table: Any, key: Any) -> Any:
    row = s.get(table, key)
    if row is None:
        raise NotFound(f"no {table.__tablename__[:-1].replace('_', ' ')} {key!r} in the ledger")
    return row
