"""Deadlines in working days skip weekends and the county's public holidays; the time limits
come from the policy parameters of the household's jurisdiction."""

from __future__ import annotations

from datetime import date

from aidrules.casework.workdays import add_months, add_working_days, first_of_next_month
from aidrules.ledger import Ledger, TimeLimits
from tests.ledger.households import wang

NATIONAL_DAY = [date(2025, 10, d) for d in range(1, 9)]


def test_three_working_days_after_a_friday_is_the_wednesday():
    assert add_working_days(date(2025, 3, 7), 3) == date(2025, 3, 12)


def test_public_holidays_are_skipped_when_the_county_gives_them():
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 1)
    assert add_working_days(date(2025, 9, 30), 1, NATIONAL_DAY) == date(2025, 10, 9)


def test_payment_starts_the_month_after_and_months_end_on_the_last_day():
    assert first_of_next_month(date(2025, 12, 15)) == date(2026, 1, 1)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_the_time_limits_are_the_national_parameters(book):
    limits = TimeLimits.of(book.policies, "heilongjiang/yichun/tieli", date(2025, 3, 1))
    assert (limits.investigation_start_wd, limits.total_wd, limits.total_extended_wd,
            limits.notice_days, limits.refusal_notice_wd, limits.min_investigators,
            limits.review_months, limits.grace_max_months) == \
        (3, 30, 45, 7, 3, 2, {"stable": 12, "unstable": 6}, 6)


def test_an_accepted_case_is_due_for_investigation_in_three_working_days(tmp_path, assessor):
    ledger = Ledger.open(tmp_path / "l.db", assessor=assessor, holidays=[date(2025, 3, 5)])
    case = ledger.file_application(wang(on=date(2025, 2, 28)), "H-1", "受理员", "g-1")
    due = {i.kind: i.due_on for i in ledger.due()}
    # Friday 28 February: Monday 3, Tuesday 4, (Wednesday 5 a holiday), Thursday 6 March.
    assert due == {"investigation": date(2025, 3, 6),
                   "decision": date(2025, 4, 15)}  # 30 working days, Qingming (4 April) off
    assert [i.ref for i in ledger.overdue(date(2025, 3, 7))] == [f"case {case}"]
    ledger.close()


def test_check_strict_knows_every_parameter_the_procedure_reads(book):
    """`aidrules check --strict` does not call them unused: its list is the procedure's."""
    from aidrules.rulebook.lint import PROCEDURE_PARAMETERS

    class Reading:  # the real tree, noting each name asked for
        names: set[str] = set()

        def value(self, name, jurisdiction, on):
            self.names.add(name)
            return book.policies.value(name, jurisdiction, on)

    reading = Reading()
    TimeLimits.of(reading, "heilongjiang/yichun/tieli", date(2025, 3, 1))
    assert reading.names == PROCEDURE_PARAMETERS


def test_a_deadline_across_national_day_skips_the_holiday_and_counts_the_make_up_saturday(
        tmp_path, assessor):
    """2025: 1-8 October off, Sunday 28 September and Saturday 11 October worked (国办发明电
    〔2024〕12号). Accepted on Tuesday 30 September, the investigation starts within 3 working
    days: Thursday 9, Friday 10 and Saturday 11 October, not Friday 3 October."""
    ledger = Ledger.open(tmp_path / "l.db", assessor=assessor)
    ledger.file_application(wang(on=date(2025, 9, 30)), "H-1", "受理员", "g-1")
    assert {i.kind: i.due_on for i in ledger.due()}["investigation"] == date(2025, 10, 11)
    assert add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 3)  # weekends only
    ledger.close()
