"""Working days (工作日): weekends skipped, plus the county's own public-holiday calendar.

No public-holiday calendar ships with aidrules: the State Council publishes the
holidays and the make-up working days each year, and a county passes them in
(``Ledger.open(..., holidays=...)``). Without them, only weekends are skipped and a
deadline that crosses a holiday comes out early, never late.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, count: int, holidays: Collection[date] = ()) -> date:
    """The ``count``-th working day after ``start`` (the day itself is not counted)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count -= 1
    return day


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
