"""Working days and month arithmetic: in :mod:`aidrules.casework.workdays` (the domain
needs them without a database); kept here so existing imports still work."""

from aidrules.casework.workdays import (
    add_months,
    add_working_days,
    first_of_next_month,
    is_working_day,
    last_of_month,
    policy_calendar,
)

__all__ = ["add_months", "add_working_days", "first_of_next_month", "is_working_day",
           "last_of_month", "policy_calendar"]
