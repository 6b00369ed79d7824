"""Working days (工作日) and months for the ledger's deadlines and payments.

Working days follow the jurisdiction's calendar of public holidays and make-up working
days from the policies (:mod:`aidrules.casework.calendar`), plus any days off the county
passes in (``Ledger.open(..., holidays=...)``). Without a calendar, only weekends are
skipped and a deadline that crosses a holiday comes out early, never late.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from datetime import date, timedelta

from aidrules.casework.calendar import WorkCalendar, calendar_of
from aidrules.policy import PolicyTree


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    return WorkCalendar(frozenset(holidays)).is_working_day(day)


def add_working_days(start: date, count: int, holidays: Collection[date] = (),
                     calendar: WorkCalendar | None = None) -> date:
    """The ``count``-th working day after ``start`` (the day itself is not counted), by
    ``calendar`` (weekends only without one) with ``holidays`` off as well."""
    return (calendar or WorkCalendar()).with_holidays(holidays).add_working_days(start, count)


@functools.lru_cache(maxsize=64)
def policy_calendar(policies: PolicyTree, jurisdiction: str, year: int) -> WorkCalendar:
    """The jurisdiction's calendar for ``year`` and the year after (a deadline of up to a
    year's working days)."""
    return calendar_of(policies, jurisdiction, (year, year + 1))


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def last_of_month(day: date) -> date:
    return first_of_next_month(day) - timedelta(days=1)
