"""Who is enrolled on a day, with the facts on file then: what an impact study re-assesses."""

from __future__ import annotations

from datetime import date

from tests.ledger.households import enrolled, wang


def _wages(found):
    return [(e.household_id, str(e.application.household.members[0].incomes[0].amount))
            for e in found]


def test_enrolled_households_are_those_paid_on_the_day_with_their_latest_facts(ledger):
    case = enrolled(ledger, "H-1", wang(), ["dibao"])
    ledger.review(case, "复核员", date(2025, 10, 1), wang("2115.00"))
    gone = enrolled(ledger, "H-2", wang("2010.00", family=2), ["dibao"])
    ledger.exit(gone, "审批员", date(2025, 6, 2), "户籍迁出")
    ledger.register_household("H-3", "grid-07", wang("1000.00"), date(2025, 3, 1))  # monitored
    working = enrolled(ledger, "H-4", wang("2050.00", family=4), ["dibao"])
    ledger.exit(working, "审批员", date(2025, 11, 3), "就业", grace_months=3,
                because_of_work=True)  # paid in its grace period until 2026-02-28

    assert ledger.enrolled_applications(date(2025, 3, 31)) == []  # paid from April
    assert _wages(ledger.enrolled_applications(date(2025, 6, 30))) == [
        ("H-1", "2100.00"), ("H-2", "2010.00"), ("H-4", "2050.00")]
    on_new_year = ledger.enrolled_applications(date(2026, 1, 1))
    assert _wages(on_new_year) == [("H-1", "2115.00"), ("H-4", "2050.00")]  # H-1 as reviewed
    assert _wages(ledger.enrolled_applications(date(2026, 3, 1))) == [("H-1", "2115.00")]
    h1 = on_new_year[0]
    assert (h1.filed_on, h1.monthly_amounts) == (date(2025, 10, 1), {"dibao": "15.00"})
    assert h1.jurisdiction == "heilongjiang/yichun/tieli"
    assert ledger.verify() is None  # reading appends nothing
