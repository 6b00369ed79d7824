"""Working days from the State Council's calendar kept in policies/national/calendar/."""

from __future__ import annotations

from datetime import date

import pytest

from aidrules.casework.calendar import CalendarError, WorkCalendar, calendar_of, parse_days

TIELI = "heilongjiang/yichun/tieli"


@pytest.fixture(scope="module")
def policies(book):
    return book.policies


def test_national_day_2025_and_its_make_up_days(policies):
    calendar = calendar_of(policies, TIELI, [2025])
    assert calendar.years == frozenset({2025})
    assert not any(calendar.is_working_day(date(2025, 10, d)) for d in range(1, 9))
    assert calendar.is_working_day(date(2025, 9, 28))  # a Sunday worked
    assert calendar.is_working_day(date(2025, 10, 11))  # a Saturday worked
    assert calendar.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert calendar.add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_every_year_2021_to_2026_is_known_and_well_formed(policies):
    calendar = calendar_of(policies, TIELI, range(2021, 2027))
    assert calendar.years == frozenset(range(2021, 2027))
    # a make-up working day is a weekend day, and never also a holiday
    assert all(d.weekday() >= 5 for d in calendar.workdays)
    assert not calendar.workdays & calendar.holidays
    # the Spring Festival 2026: 15-23 February off, Saturdays 14 and 28 February worked
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert calendar.add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)


def test_a_year_not_on_file_counts_weekends_only(policies):
    calendar = calendar_of(policies, TIELI, [2030])
    assert calendar.years == frozenset() and not calendar.holidays
    assert calendar.add_working_days(date(2030, 9, 30), 1) == date(2030, 10, 1)


def test_a_county_adds_its_own_days_off(policies):
    calendar = WorkCalendar().with_holidays([date(2025, 3, 3)])
    assert calendar.add_working_days(date(2025, 2, 28), 1) == date(2025, 3, 4)


def test_a_bad_day_is_named_with_where_it_is():
    with pytest.raises(CalendarError, match=r"calendar.holidays\[1\]: '2025-13-01'"):
        parse_days(["2025-10-01..2025-10-08", "2025-13-01"], "calendar.holidays")
    with pytest.raises(CalendarError, match="ends before it starts"):
        parse_days(["2025-10-08..2025-10-01"], "x")
