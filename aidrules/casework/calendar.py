"""Working days (工作日) from the State Council's calendar of public holidays and make-up
working days (调休上班), kept as dated policy parameters with each year's notice:

- ``calendar.holidays``: the days off, one value per year (dated 1 January of it);
- ``calendar.workdays``: the weekend days worked in exchange (调休上班);
- ``calendar.local_holidays``: days a county adds (an autonomous area's festivals).

A year the policies do not cover counts weekends only, so a deadline comes out early,
never late; :attr:`WorkCalendar.years` says which years are covered.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Protocol

import attrs

from aidrules.errors import AidrulesError, PolicyLookupError

CALENDAR_PARAMETERS = ("calendar.holidays", "calendar.workdays", "calendar.local_holidays")


class CalendarError(AidrulesError, ValueError):
    """A calendar entry that is not a day or a run of days."""


class Values(Protocol):  # a PolicyTree, or anything that answers the same question
    def value(self, name: str, jurisdiction: str, on: date) -> object: ...


@attrs.frozen
class WorkCalendar:
    """Public holidays and make-up working days; a weekday is a working day unless it is a
    holiday, a weekend day is not unless it is a make-up working day."""
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    years: frozenset[int] = frozenset()  # the years whose State Council notice is known

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (the day itself is not counted)."""
        day = start
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def with_holidays(self, extra: Iterable[date]) -> WorkCalendar:
        """This calendar with more days off (a county's own, passed in by the caller)."""
        return attrs.evolve(self, holidays=self.holidays | frozenset(extra))


def parse_days(items: Iterable[str], where: str) -> frozenset[date]:
    """``2025-10-01`` or a run ``2025-10-01..2025-10-08`` (both ends included)."""
    days: set[date] = set()
    for position, item in enumerate(items):
        first, _, last = str(item).partition("..")
        try:
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if last else start
        except ValueError:
            raise CalendarError(f"{where}[{position}]: {item!r} is not a day (YYYY-MM-DD) or "
                                "a run of days (YYYY-MM-DD..YYYY-MM-DD)") from None
        if end < start:
            raise CalendarError(f"{where}[{position}]: {item!r} ends before it starts")
        days.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    return frozenset(days)


def calendar_of(policies: Values, jurisdiction: str, years: Iterable[int]) -> WorkCalendar:
    """The jurisdiction's calendar for ``years``: each year's value of the three parameters
    (the one in force on its 31 December), keeping only the days that fall in that year."""
    holidays: set[date] = set()
    workdays: set[date] = set()
    known: set[int] = set()
    for year in sorted(set(years)):
        def days(name: str, year: int = year) -> frozenset[date]:
            found = _value(policies, name, jurisdiction, date(year, 12, 31))
            return frozenset(d for d in parse_days(found, f"{name} ({jurisdiction}, {year})")
                             if d.year == year)
        national = days("calendar.holidays")
        if national:
            known.add(year)
        holidays |= national | days("calendar.local_holidays")
        workdays |= days("calendar.workdays")
    return WorkCalendar(frozenset(holidays), frozenset(workdays), frozenset(known))


def _value(policies: Values, name: str, jurisdiction: str, on: date) -> tuple[str, ...]:
    try:
        found = policies.value(name, jurisdiction, on)
    except PolicyLookupError:  # before the first year on file
        return ()
    return tuple(getattr(found, "value", ()))
