"""The payment roll, pure: entitlements month by month, arrears, grace, yearly and one-off
amounts, overpayment recovery; Hypothesis properties over random histories."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidrules.casework.payments import (
    Grant,
    PaymentError,
    Recovery,
    entitlements,
    instalments,
    overpaid,
    plus_months,
    roll,
    totals,
)

JAN = date(2025, 1, 1)


def grant(amount="500.00", starts=JAN, ends=None, period="month", enrolment=1, aid="dibao",
          grace_from=None, household="H"):
    return Grant(household, aid, enrolment, Decimal(amount), period, starts, ends, grace_from)


def test_a_monthly_aid_is_paid_each_month_and_a_late_enrolment_as_arrears():
    lines = roll(date(2025, 3, 1), [grant()], paid=[], since=JAN)
    assert [(p.month.month, p.arrears, p.net) for p in lines] == [
        (1, True, Decimal("500.00")), (2, True, Decimal("500.00")), (3, False, Decimal("500.00"))]
    again = roll(date(2025, 4, 1), [grant()], paid=[(p.household, p.aid, p.month) for p in lines],
                 since=JAN)
    assert [(p.month.month, p.arrears) for p in again] == [(4, False)]


def test_grace_months_yearly_and_one_off_amounts():
    exit_grace = grant(ends=date(2025, 4, 30), grace_from=date(2025, 3, 1))
    yearly = grant("1200.00", starts=date(2025, 2, 1), period="year", aid="y", enrolment=2)
    once = grant("800.00", starts=date(2025, 2, 1), ends=date(2025, 2, 28), period="once",
                 aid="temporary_assistance", enrolment=3)
    due = entitlements([exit_grace, yearly, once], JAN, date(2026, 3, 1))
    assert {(a, m.isoformat()[:7], d.basis) for (_, a, m), d in due.items()} == {
        ("dibao", "2025-01", "month"), ("dibao", "2025-02", "month"),
        ("dibao", "2025-03", "grace"), ("dibao", "2025-04", "grace"),
        ("y", "2025-02", "year"), ("y", "2026-02", "year"),
        ("temporary_assistance", "2025-02", "once")}


def test_two_enrolments_for_one_month_are_refused():
    with pytest.raises(PaymentError, match="enrolments 1 and 2 both entitle"):
        entitlements([grant(), grant(enrolment=2, starts=date(2025, 2, 1))], JAN, date(2025, 3, 1))


def test_an_overpayment_is_recovered_in_instalments_never_below_zero():
    plan = instalments(Decimal("100.01"), 3)
    assert plan == (Decimal("33.34"), Decimal("33.34"), Decimal("33.33"))  # the odd fen first
    assert overpaid({JAN: Decimal("500.00"), date(2025, 2, 1): Decimal("500.00")},
                    Decimal("450.00"), [JAN, date(2025, 2, 1)]) == Decimal("100.00")
    recovery = Recovery(7, "H", "dibao", (Decimal("400.00"), Decimal("400.00")), JAN)
    lines = roll(JAN, [grant("300.00")], paid=[], since=JAN, recoveries=[recovery])
    assert [(p.gross, p.recovered, p.net) for p in lines] == [
        (Decimal("300.00"), Decimal("300.00"), Decimal("0.00"))]
    later = attrs_evolve(recovery, recovered=Decimal("300.00"))
    lines = roll(date(2025, 2, 1), [grant("300.00")], paid=[("H", "dibao", JAN)], since=JAN,
                 recoveries=[later])
    assert lines[0].recovered == Decimal("300.00")  # 500 due by February, 300 covered


def test_an_overpayment_needs_paid_months_paid_above_what_was_found():
    with pytest.raises(PaymentError, match="not paid by a roll"):
        overpaid({}, Decimal("1"), [JAN])
    with pytest.raises(PaymentError, match="no overpayment that month"):
        overpaid({JAN: Decimal("5.00")}, Decimal("5.00"), [JAN])


def attrs_evolve(obj, **changes):
    import attrs
    return attrs.evolve(obj, **changes)


# ---- properties over random histories ---------------------------------------------------

AMOUNTS = st.integers(min_value=1, max_value=200_000).map(lambda c: Decimal(c) / 100)


@st.composite
def histories(draw):
    """One household's enrolments per aid, one after another (reviews that change the
    amount, exits with grace), each visible to the rolls from a month on (late enrolment);
    and overpayments found at some roll."""
    grants, visible = [], {}
    number = 0
    for aid in draw(st.lists(st.sampled_from(["dibao", "tekun", "y", "t"]), min_size=1,
                             max_size=3, unique=True)):
        start = draw(st.integers(0, 6))
        period = {"y": "year", "t": "once"}.get(aid, "month")
        for _ in range(draw(st.integers(1, 3))):
            number += 1
            length = draw(st.integers(1, 14))
            starts = plus_months(JAN, start)
            open_ended = draw(st.booleans())
            ends = None if open_ended else plus_months(starts, length) - _day
            if period == "once":
                ends = plus_months(starts, 1) - _day
            grace = None
            if ends is not None and period == "month" and draw(st.booleans()):
                grace = plus_months(starts, draw(st.integers(0, length - 1)))
            grants.append(Grant("H", aid, number, draw(AMOUNTS), period, starts, ends, grace))
            visible[number] = min(plus_months(starts, draw(st.integers(-1, 3))), LAST)
            if ends is None:
                break
            start += length
    findings = draw(st.lists(st.tuples(st.integers(1, 20), st.integers(1, 5),
                                       st.integers(1, 6)), max_size=3))
    return grants, visible, findings


_day = date(2025, 1, 2) - JAN
LAST = plus_months(JAN, 24)  # the last roll of a history


@settings(max_examples=300, deadline=None)
@given(histories(), st.integers(0, 3))
def test_payments_never_overlap_and_add_up_to_the_entitlement(history, first_roll):
    grants, visible, findings = history
    since = plus_months(JAN, first_roll)
    last = LAST
    paid: list = []
    recoveries: list[Recovery] = []
    month, number = since, 100
    while month <= last:
        shown = [g for g in grants if visible[g.enrolment] <= month]
        lines = roll(month, shown, [(p.household, p.aid, p.month) for p in paid], since,
                     recoveries)
        paid += lines
        recovered = Counter()
        for p in lines:
            if p.overpayment is not None:
                recovered[p.overpayment] += p.recovered
        recoveries = [attrs_evolve(r, recovered=r.recovered + recovered[r.overpayment])
                      for r in recoveries]
        for at, size, count in findings:  # an overpayment found at this roll
            if plus_months(since, at) == month:
                earlier = [p for p in paid if p.month < month and p.gross > size][:1]
                for p in earlier:
                    number += 1
                    total = overpaid({p.month: p.gross}, p.gross - size, [p.month])
                    recoveries.append(Recovery(number, "H", p.aid, instalments(total, count),
                                               plus_months(month, 1)))
        month = plus_months(month, 1)
    # one payment per household, aid and month
    keys = Counter((p.household, p.aid, p.month) for p in paid)
    assert all(n == 1 for n in keys.values())
    # month by month, the gross is what the decisions entitle to
    due = entitlements(grants, since, last)
    assert {(p.household, p.aid, p.month): p.gross for p in paid} == \
        {k: d.amount for k, d in due.items()}
    # nothing is ever paid negative, and recovery never takes more than was overpaid
    assert all(p.net >= 0 and p.recovered >= 0 for p in paid)
    for r in recoveries:
        taken = sum((p.recovered for p in paid if p.overpayment == r.overpayment), Decimal(0))
        assert taken == r.recovered <= r.total
        # a plan alone on its aid, with a line able to cover it in every roll from its
        # first instalment to its last, is recovered in full
        alone = sum(1 for x in recoveries if x.aid == r.aid) == 1
        end = plus_months(r.starts, len(r.plan) - 1)
        months = [plus_months(r.starts, n) for n in range(len(r.plan))]
        if alone and end <= last and all(any(p.aid == r.aid and p.roll_month == m and
                                             p.gross >= r.total for p in paid) for m in months):
            assert taken == r.total
    # the sum of the payments is the entitlement less what was recovered
    sums = totals(paid)
    assert sums.net == sum((d.amount for d in due.values()), Decimal(0)) - \
        sum((r.recovered for r in recoveries), Decimal(0))
