"""Challenges of a decision, pure: deadlines counted as the law counts them."""

from __future__ import annotations

from datetime import date

import pytest

from aidrules.casework.appeals import (
    ChallengeError,
    ChallengeLaw,
    check_filing,
    check_outcome,
    decide_by,
    filing_deadline,
)
from aidrules.casework.calendar import WorkCalendar, calendar_of

TIELI = "heilongjiang/yichun/tieli"


@pytest.fixture(scope="module")
def law(book):
    return ChallengeLaw.of(book.policies, TIELI, date(2025, 6, 1))


@pytest.fixture(scope="module")
def calendar(book):
    return calendar_of(book.policies, TIELI, [2025, 2026])


def test_the_periods_are_the_parameters_with_their_legal_basis(law, book):
    assert law == ChallengeLaw(60, 6, 15, 60, 30)
    basis = {name: book.policies.value(name, TIELI, date(2025, 6, 1)).source.article
             for name in ("notice.reconsideration_days", "notice.lawsuit_months",
                          "appeal.lawsuit_after_reconsideration_days",
                          "appeal.reconsideration_decision_days")}
    assert basis == {"notice.reconsideration_days": "第二十条",
                     "notice.lawsuit_months": "第四十六条",
                     "appeal.lawsuit_after_reconsideration_days": "第四十五条",
                     "appeal.reconsideration_decision_days": "第六十二条第一款"}


def test_sixty_days_from_knowing_the_day_itself_not_counted(law, calendar):
    # known Tuesday 3 June 2025: day 60 is Saturday 2 August, so Monday 4 August
    assert filing_deadline("reconsideration", date(2025, 6, 3), law, calendar) == \
        date(2025, 8, 4)
    # known Wednesday 4 June: day 60 is Sunday 3 August... Monday 4 August as well
    assert filing_deadline("reconsideration", date(2025, 6, 4), law, WorkCalendar()) == \
        date(2025, 8, 4)


def test_a_period_ending_in_the_national_day_holiday_ends_after_it(law, calendar):
    # known 2 August 2025: day 60 is Wednesday 1 October, off until the 8th
    assert filing_deadline("reconsideration", date(2025, 8, 2), law, calendar) == \
        date(2025, 10, 9)
    # without the calendar it would end on the holiday itself
    assert filing_deadline("reconsideration", date(2025, 8, 2), law, WorkCalendar()) == \
        date(2025, 10, 1)


def test_a_lawsuit_six_months_or_fifteen_days_after_reconsideration(law, calendar):
    assert filing_deadline("lawsuit", date(2025, 3, 31), law, calendar) == date(2025, 9, 30)
    assert filing_deadline("lawsuit", date(2025, 3, 13), law, calendar,
                           reconsidered_on=date(2025, 9, 16)) == date(2025, 10, 9)


def test_late_filings_outcomes_and_the_bodys_time_limit(law):
    with pytest.raises(ChallengeError, match="after its deadline"):
        check_filing("reconsideration", date(2025, 8, 5), date(2025, 8, 4), None)
    check_filing("reconsideration", date(2025, 8, 5), date(2025, 8, 4), "住院无法申请")
    assert decide_by("reconsideration", date(2025, 6, 10), law) == date(2025, 8, 9)
    assert decide_by("reconsideration", date(2025, 6, 10), law, extended=True) == \
        date(2025, 9, 8)
    assert decide_by("lawsuit", date(2025, 6, 10), law) is None
    with pytest.raises(ChallengeError, match="must be decided anew"):
        check_outcome("revoked", None, date(2025, 7, 1))
    with pytest.raises(ChallengeError, match="stands"):
        check_outcome("upheld", date(2025, 8, 1), date(2025, 7, 1))
    with pytest.raises(ChallengeError, match="not one of"):
        check_outcome("quashed", None, date(2025, 7, 1))
    with pytest.raises(ChallengeError, match="reconsideration or lawsuit"):
        filing_deadline("appeal", date(2025, 7, 1), law, WorkCalendar())
