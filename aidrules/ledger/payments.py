"""Payments in the ledger: issue a jurisdiction's monthly roll, record an overpayment found
at review with its recovery plan, read a roll back. The arithmetic is
:mod:`aidrules.casework.payments`; this module reads its inputs from the tables and
stores what it returns, each household's lines sealed by a ``paid`` entry on its chain.

Rolls of a jurisdiction are issued month after month without a gap; the first one issued
is where the ledger starts paying (months before it were paid outside the ledger).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from sqlalchemy import func
from sqlmodel import Session, col, select

from aidrules.casework import payments as pay
from aidrules.casework.payment_file import RollLine
from aidrules.casework.workdays import first_of_next_month
from aidrules.ledger import payment_tables as pt
from aidrules.ledger import tables as t
from aidrules.ledger.chain import canonical_json
from aidrules.ledger.errors import IllegalMove, NotFound
from aidrules.ledger.ledger import Ledger, person

RECOVERY_INSTALMENTS = "payments.recovery_instalments"


@attrs.frozen
class Roll:
    roll_id: int
    jurisdiction: str
    month: date
    issued_on: date
    issued_by: str
    lines: tuple[RollLine, ...]

    @property
    def totals(self) -> pay.Totals:
        return pay.totals([line.payment for line in self.lines])


def issue_roll(ledger: Ledger, jurisdiction: str, month: date, on: date, by: str) -> Roll:
    """Issue the roll of ``jurisdiction`` (and the jurisdictions below it) for ``month``: one
    transaction, one ``paid`` chain entry per household paid."""
    by = person(by, f"the roll of {jurisdiction} for {month:%Y-%m}: the officer issuing")
    month = pay.month_of(month)
    with ledger._tx() as s:
        since = _check_next(s, jurisdiction, month, on)
        grants = _grants(s, jurisdiction, month)
        houses = {g.household for g in grants}
        lines = pay.roll(month, grants, _paid(s, houses), since, _recoveries(s, houses, month))
        row = pt.PaymentRoll(jurisdiction=jurisdiction, month=month, issued_on=on,
                             issued_by=by)
        s.add(row)
        s.flush()
        roll_id = _id(row)
        for household, theirs in _by_household(lines):
            stored = [_payment_row(roll_id, p) for p in theirs]
            s.add_all(stored)
            s.flush()
            ledger._append(s, household, "paid", on, {
                "roll": row.id, "jurisdiction": jurisdiction, "month": f"{month:%Y-%m}",
                "by": by, "payments": [_entry(r, p) for r, p in zip(stored, theirs, strict=True)]})
    return read_roll(ledger, jurisdiction, month)


def read_roll(ledger: Ledger, jurisdiction: str, month: date) -> Roll:
    """A roll as issued, its lines by household, aid and month paid for."""
    month = pay.month_of(month)
    with ledger._reading() as s:
        row = s.exec(select(pt.PaymentRoll).where(pt.PaymentRoll.jurisdiction == jurisdiction,
                                                  pt.PaymentRoll.month == month)).first()
        if row is None:
            raise NotFound(f"no roll of {jurisdiction} for {month:%Y-%m} has been issued")
        stored = list(s.exec(select(pt.Payment).where(pt.Payment.roll_id == row.id)
                             .order_by(col(pt.Payment.household_id), col(pt.Payment.aid),
                                       col(pt.Payment.month))))
        heads = _heads(s, {p.household_id for p in stored})
        lines = tuple(RollLine(_payment(p, row.month), _id(p), *heads[p.household_id])
                      for p in stored)
        return Roll(_id(row), row.jurisdiction, row.month, row.issued_on, row.issued_by, lines)


def record_overpayment(ledger: Ledger, case_id: int, aid: str, first: date, last: date,
                       entitled: Decimal | str, on: date, by: str, reason: str,
                       instalments: int | None = None) -> int:
    """Months ``first``..``last`` of ``aid`` were paid above ``entitled`` a month (found at
    review): record the overpayment and its plan, recovered from the same aid's payments
    from the month after ``on`` in ``instalments`` (default: the policy parameter
    payments.recovery_instalments of the household's jurisdiction). Returns its id."""
    by = person(by, f"case {case_id}: the officer recording an overpayment")
    if not reason.strip():
        raise IllegalMove(f"case {case_id}: an overpayment needs its written reasons")
    try:
        entitled = pay.fen(entitled, f"case {case_id}: the amount entitled")
    except pay.PaymentError as exc:
        raise IllegalMove(str(exc)) from None
    first, last = pay.month_of(first), pay.month_of(last)
    if last < first:
        raise IllegalMove(f"case {case_id}: the overpaid months end ({last:%Y-%m}) before "
                          f"they start ({first:%Y-%m})")
    with ledger._tx() as s:
        case = s.get(t.Case, case_id)
        if case is None:
            raise NotFound(f"no case {case_id!r} in the ledger")
        jurisdiction = _jurisdiction(s, case.household_id)
        policies: Any = ledger.book.policies
        count = instalments if instalments is not None else int(
            policies.value(RECOVERY_INSTALMENTS, jurisdiction, on).value)
        months = [pay.plus_months(first, n) for n in range(pay.months_between(first, last) + 1)]
        paid = {p.month: Decimal(p.gross) for p in s.exec(select(pt.Payment).where(
            pt.Payment.household_id == case.household_id, pt.Payment.aid == aid,
            col(pt.Payment.month).between(first, last)))}
        try:
            total = pay.overpaid(paid, entitled, months)
            plan = pay.instalments(total, count)
        except pay.PaymentError as exc:
            raise IllegalMove(f"case {case_id}: {aid}: {exc}") from None
        starts = first_of_next_month(on)
        row = pt.Overpayment(household_id=case.household_id, case_id=case_id, aid=aid,
                             first_month=first, last_month=last, entitled=str(entitled),
                             total=str(total), plan=canonical_json([str(a) for a in plan]),
                             starts=starts, found_on=on, found_by=by, reason=reason)
        s.add(row)
        s.flush()
        ledger._append(s, case.household_id, "overpayment_found", on, {
            "case": case_id, "overpayment": row.id, "aid": aid,
            "months": [f"{first:%Y-%m}", f"{last:%Y-%m}"], "entitled": entitled,
            "total": total, "plan": list(plan), "starts": f"{starts:%Y-%m}",
            "instalments_basis": RECOVERY_INSTALMENTS if instalments is None else "given",
            "reason": reason, "by": by})
        return _id(row)


def overpayments(ledger: Ledger, household_id: str) -> list[dict[str, Any]]:
    """A household's overpayments, each with what has been recovered and what is left."""
    with ledger._reading() as s:
        rows = list(s.exec(select(pt.Overpayment).where(
            pt.Overpayment.household_id == household_id).order_by(col(pt.Overpayment.id))))
        taken = _recovered(s, [_id(r) for r in rows])
        return [{**r.model_dump(), "plan": json.loads(r.plan),
                 "recovered": str(taken.get(_id(r), Decimal("0.00"))),
                 "outstanding": str(Decimal(r.total) - taken.get(_id(r), Decimal(0)))}
                for r in rows]


# ---- reading the inputs ----------------------------------------------------------------

def jurisdictions(ledger: Ledger) -> list[str]:
    """The jurisdictions of the ledger's households, sorted."""
    with ledger._reading() as s:
        return sorted(set(s.exec(select(t.Household.jurisdiction))))


def _check_next(s: Session, jurisdiction: str, month: date, on: date) -> date:
    """The month the jurisdiction's rolls start from; refuses a roll issued twice, out of
    order or dated before its month."""
    months: list[date] = sorted(s.exec(select(col(pt.PaymentRoll.month)).where(
        col(pt.PaymentRoll.jurisdiction) == jurisdiction)))
    if month in months:
        raise IllegalMove(f"the roll of {jurisdiction} for {month:%Y-%m} was issued already")
    if months and month != pay.plus_months(months[-1], 1):
        raise IllegalMove(f"the last roll of {jurisdiction} is for {months[-1]:%Y-%m}; issue "
                          f"{pay.plus_months(months[-1], 1):%Y-%m} next, not {month:%Y-%m}")
    if on < month:
        raise IllegalMove(f"the roll for {month:%Y-%m} cannot be issued on {on}, before "
                          "the month starts")
    return months[0] if months else month


def _grants(s: Session, jurisdiction: str, month: date) -> list[pay.Grant]:
    """The enrolments with an amount, of households in or below ``jurisdiction``."""
    below = col(t.Household.jurisdiction).startswith(jurisdiction + "/", autoescape=True)
    query = (select(t.Enrolment, t.Exit)
             .join(t.Household, col(t.Household.id) == col(t.Enrolment.household_id))
             .outerjoin(t.Exit, col(t.Exit.case_id) == col(t.Enrolment.case_id))
             .where((col(t.Household.jurisdiction) == jurisdiction) | below,
                    col(t.Enrolment.monthly_amount).is_not(None), t.Enrolment.starts_on <= month)
             .order_by(col(t.Enrolment.id)))
    grants = []
    for row, exit_ in s.exec(query):
        grace = (first_of_next_month(exit_.decided_on)
                 if exit_ is not None and exit_.grace_months else None)
        grants.append(pay.Grant(row.household_id, row.aid, _id(row),
                                Decimal(row.monthly_amount or "0"),
                                row.period, row.starts_on, row.ends_on, grace))
    return grants


def _paid(s: Session, houses: set[str]) -> set[pay.Key]:
    if not houses:
        return set()
    return {(h, a, m) for h, a, m in s.exec(select(
        col(pt.Payment.household_id), col(pt.Payment.aid), col(pt.Payment.month))
        .where(col(pt.Payment.household_id).in_(sorted(houses))))}


def _recovered(s: Session, ids: Sequence[int]) -> dict[int, Decimal]:
    taken: dict[int, Decimal] = {}
    if ids:
        for overpayment, amount in s.exec(
                select(col(pt.Payment.overpayment_id), col(pt.Payment.recovered))
                .where(col(pt.Payment.overpayment_id).in_(list(ids)))):
            if overpayment is not None:
                taken[overpayment] = taken.get(overpayment, Decimal(0)) + Decimal(amount)
    return taken


def _recoveries(s: Session, houses: set[str], month: date) -> list[pay.Recovery]:
    if not houses:
        return []
    rows = list(s.exec(select(pt.Overpayment).where(
        col(pt.Overpayment.household_id).in_(sorted(houses)), pt.Overpayment.starts <= month)))
    taken = _recovered(s, [_id(r) for r in rows])
    return [pay.Recovery(_id(r), r.household_id, r.aid,
                         tuple(Decimal(a) for a in json.loads(r.plan)), r.starts,
                         taken.get(_id(r), Decimal(0))) for r in rows]


def _heads(s: Session, houses: set[str]) -> dict[str, tuple[str, str, int]]:
    """Each household's head (name, identity number) and size, from its latest application."""
    found: dict[str, tuple[str, str, int]] = {}
    if not houses:
        return found
    latest = (select(t.Application.household_id, func.max(t.Application.id))
              .where(col(t.Application.household_id).in_(sorted(houses)))
              .group_by(t.Application.household_id))
    for household, application in s.exec(latest):
        members = list(s.exec(select(t.Member).where(t.Member.application_id == application)
                              .order_by(col(t.Member.position))))
        head = next((m for m in members if m.relation == "head"), members[0])
        found[household] = (head.name, head.id_number, len(members))
    return found


# ---- rows and entries -------------------------------------------------------------------

def _by_household(lines: Iterable[pay.Payment]) -> list[tuple[str, list[pay.Payment]]]:
    grouped: dict[str, list[pay.Payment]] = {}
    for line in lines:
        grouped.setdefault(line.household, []).append(line)
    return sorted(grouped.items())


def _id(row: Any) -> int:
    """A stored row's id (set once flushed)."""
    assert row.id is not None, f"{type(row).__name__} was not flushed"
    return int(row.id)


def _jurisdiction(s: Session, household_id: str) -> str:
    house = s.get(t.Household, household_id)
    if house is None:
        raise NotFound(f"no household {household_id!r} in the ledger")
    return house.jurisdiction


def _payment_row(roll_id: int, p: pay.Payment) -> pt.Payment:
    return pt.Payment(roll_id=roll_id, household_id=p.household, enrolment_id=p.enrolment,
                      aid=p.aid, month=p.month, basis=p.basis, gross=str(p.gross),
                      recovered=str(p.recovered.quantize(pay.FEN)),
                      overpayment_id=p.overpayment)


def _payment(row: pt.Payment, roll_month: date) -> pay.Payment:
    return pay.Payment(row.household_id, row.aid, row.month, roll_month, row.basis,
                       Decimal(row.gross), row.enrolment_id, Decimal(row.recovered),
                       row.overpayment_id)


def _entry(row: pt.Payment, p: pay.Payment) -> dict[str, Any]:
    return {"payment": row.id, "aid": p.aid, "month": f"{p.month:%Y-%m}", "basis": p.basis,
            "arrears": p.arrears, "gross": p.gross, "recovered": p.recovered.quantize(pay.FEN),
            "net": p.net.quantize(pay.FEN), "enrolment": p.enrolment,
            "overpayment": p.overpayment}
