"""Hypothesis over a real SQLite ledger: whenever the enrolment, the review, the exit and an
overpayment happen between the monthly rolls, the rolls pay each (household, aid, month)
once, what the enrolments entitle to, less what was recovered."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidrules.casework.payments import Grant, entitlements, plus_months
from aidrules.ledger import Ledger
from aidrules.ledger.payments import issue_roll, overpayments, read_roll, record_overpayment
from tests.ledger.households import wang

TIELI = "heilongjiang/yichun/tieli"
APRIL, DECEMBER = date(2025, 4, 1), date(2025, 12, 1)


@st.composite
def histories(draw):
    enrol_on = date(2025, 3, 12) + timedelta(days=draw(st.integers(0, 60)))
    review_on = enrol_on + timedelta(days=draw(st.integers(20, 120)))
    exit_on = review_on + timedelta(days=draw(st.integers(1, 120)))
    return {"enrol": enrol_on, "review": review_on if draw(st.booleans()) else None,
            "exit": exit_on if draw(st.booleans()) else None, "grace": draw(st.integers(0, 3)),
            "overpaid": draw(st.booleans())}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(histories())
def test_rolls_pay_each_month_once_what_the_enrolments_entitle_to(assessor, history):
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger.open(Path(folder) / "l.db", assessor=assessor)
        try:
            _live(ledger, history)
            _check(ledger)
        finally:
            ledger.close()


def _live(ledger, history):
    case = ledger.file_application(wang(), "H-1", by="受理员", grid="g")
    ledger.investigate(case, ["甲", "乙"], "属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    ledger.decide(case, True, "审批员", date(2025, 3, 12), aids=["dibao"])
    steps = [(history["enrol"], "enrol")]
    if history["review"]:
        steps.append((history["review"], "review"))
    if history["exit"]:
        steps.append((history["exit"], "exit"))
    month = APRIL
    while month <= DECEMBER:
        issued_on = month + timedelta(days=2)
        while steps and steps[0][0] < issued_on:
            on, what = steps.pop(0)
            _step(ledger, case, what, on, history)
        issue_roll(ledger, TIELI, month, issued_on, "发放员")
        month = plus_months(month, 1)


def _step(ledger, case, what, on, history):
    if what == "enrol":
        ledger.enrol(case, on)
    elif what == "review":
        ledger.review(case, "复核员", on, wang("2115.00"))
        paid = [p for p in _payments(ledger) if p.month < on.replace(day=1)]
        if history["overpaid"] and paid:
            first = paid[0]
            record_overpayment(ledger, case, "dibao", first.month, first.month,
                               first.gross - Decimal("20.00"), on, "复核员", "收入未申报")
    elif what == "exit" and ledger.case(case)["state"] == "enrolled":
        grace = history["grace"]
        ledger.exit(case, "审批员", on, "收入超标", grace_months=grace,
                    because_of_work=bool(grace))


def _payments(ledger):
    found, month = [], APRIL
    while True:
        try:
            found += [line.payment for line in read_roll(ledger, TIELI, month).lines]
        except LookupError:
            return found
        month = plus_months(month, 1)


def _check(ledger):
    paid = _payments(ledger)
    assert all(n == 1 for n in Counter((p.household, p.aid, p.month) for p in paid).values())
    grants = [Grant(e.household_id, e.aid, e.id, Decimal(e.monthly_amount), e.period,
                    e.starts_on, e.ends_on) for e in ledger.enrolments("H-1")]
    due = entitlements(grants, APRIL, DECEMBER)
    assert {(p.household, p.aid, p.month): p.gross for p in paid} == \
        {k: d.amount for k, d in due.items()}
    recovered = sum((Decimal(o["recovered"]) for o in overpayments(ledger, "H-1")), Decimal(0))
    assert all(Decimal(o["outstanding"]) >= 0 for o in overpayments(ledger, "H-1"))
    assert sum((p.net for p in paid), Decimal(0)) == \
        sum((d.amount for d in due.values()), Decimal(0)) - recovered
    assert ledger.verify() is None
