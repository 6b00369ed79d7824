"""The month's figures read from the ledger, in the shape of the model county's own report:
people under monitoring, warnings by source department, people discovered, new enrolments
by aid type, temporary-aid cases, referrals and feedback by brand, overdue work, and the
households by risk level (red / yellow / blue: the households' grades, never the warnings'
colours, which are counted apart)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, true
from sqlmodel import select

from aidrules.ledger import tables as t
from aidrules.ledger.ledger import Ledger


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of ``YYYY-MM``."""
    first = date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def month_figures(ledger: Ledger, month: str, leave_out: str | None = None) -> dict[str, Any]:
    """What happened in ``month`` (YYYY-MM), and where the county stands at its last day.

    Households whose id starts with ``leave_out`` are not counted (the demo's examples)."""
    first, last = month_bounds(month)

    def kept(column: Any) -> Any:
        return true() if leave_out is None else ~column.startswith(leave_out, autoescape=True)

    def within(column: Any) -> Any:
        return column.between(first, last)

    with ledger._reading() as s:
        def count(query: Any) -> int:
            return s.exec(query).one()

        def grouped(query: Any) -> dict[str, int]:
            return {str(k): n for k, n in s.exec(query) if k is not None}

        department = func.coalesce(t.Warning.department, t.DiscoveredPerson.source, "")
        warned = (select(department, func.count()).select_from(t.EarlyWarning)
                  .outerjoin(t.Warning, t.Warning.id == t.EarlyWarning.warning_id)
                  .outerjoin(t.DiscoveredPerson,
                             t.DiscoveredPerson.id_number == t.EarlyWarning.id_number)
                  .where(within(t.EarlyWarning.raised_on), kept(t.EarlyWarning.household_id))
                  .group_by(department).order_by(department))
        return {
            "month": month, "first": first.isoformat(), "last": last.isoformat(),
            "people_monitored": count(
                select(func.count(func.distinct(t.Member.id_number)))
                .join(t.Application, t.Application.id == t.Member.application_id)
                .where(t.Application.filed_on <= last, kept(t.Application.household_id))),
            "households_monitored": count(
                select(func.count(func.distinct(t.Application.household_id)))
                .where(t.Application.filed_on <= last, kept(t.Application.household_id))),
            "warnings_by_department": grouped(warned),
            "warnings_by_colour": grouped(
                select(t.EarlyWarning.colour, func.count())
                .where(within(t.EarlyWarning.raised_on), kept(t.EarlyWarning.household_id))
                .group_by(t.EarlyWarning.colour).order_by(t.EarlyWarning.colour)),
            "discovered": count(select(func.count()).select_from(t.DiscoveredPerson)
                                .where(within(t.DiscoveredPerson.first_seen_on))),
            "enrolled_by_aid": grouped(
                select(t.Enrolment.aid, func.count(func.distinct(t.Enrolment.household_id)))
                .where(within(t.Enrolment.starts_on), kept(t.Enrolment.household_id))
                .group_by(t.Enrolment.aid).order_by(t.Enrolment.aid)),
            "temporary_assistance_cases": count(
                select(func.count()).select_from(t.Enrolment)
                .where(t.Enrolment.aid == "temporary_assistance",
                       within(t.Enrolment.starts_on), kept(t.Enrolment.household_id))),
            "referrals_by_brand": grouped(
                select(t.Referral.brand, func.count())
                .where(within(t.Referral.pushed_on), kept(t.Referral.household_id))
                .group_by(t.Referral.brand).order_by(t.Referral.brand)),
            "feedback_by_brand": grouped(
                select(t.Referral.brand, func.count()).select_from(t.Feedback)
                .join(t.Referral, t.Referral.id == t.Feedback.referral_id)
                .where(within(t.Feedback.given_on), kept(t.Referral.household_id))
                .group_by(t.Referral.brand).order_by(t.Referral.brand)),
            "tasks_overdue": count(
                select(func.count()).select_from(t.VerificationTask)
                .where(t.VerificationTask.due_on < last, kept(t.VerificationTask.household_id),
                       (t.VerificationTask.done_on.is_(None))
                       | (t.VerificationTask.done_on > last))),
            "referrals_overdue": count(
                select(func.count()).select_from(t.Referral)
                .where(t.Referral.due_on < last, t.Referral.pushed_on <= last,
                       t.Referral.status != "answered", kept(t.Referral.household_id))),
            "households_by_risk": grouped(
                select(t.Household.risk_level, func.count())
                .where(t.Household.risk_level.is_not(None), kept(t.Household.id))
                .group_by(t.Household.risk_level).order_by(t.Household.risk_level)),
        }
