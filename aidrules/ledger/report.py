"""The month's figures read from the ledger, in the shape of the model county's own report:
people under monitoring, warnings by source department, people discovered, new enrolments
by aid type, temporary-aid cases, referrals and feedback by brand, overdue work, and the
households by risk level (red / yellow / blue: the households' grades, never the warnings'
colours, which are counted apart)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, true
from sqlmodel import col, select

from aidrules.ledger import lists
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

    due = payments_due(ledger, month, leave_out=leave_out)
    with ledger.store.reading() as s:
        def count(query: Any) -> int:
            return s.exec(query).one()

        def grouped(query: Any) -> dict[str, int]:
            return {str(k): n for k, n in s.exec(query) if k is not None}

        department = func.coalesce(col(t.Warning.department), col(t.DiscoveredPerson.source), "")
        warned = (select(department, func.count()).select_from(t.EarlyWarning)
                  .outerjoin(t.Warning, col(t.Warning.id) == col(t.EarlyWarning.warning_id))
                  .outerjoin(t.DiscoveredPerson,
                             col(t.DiscoveredPerson.id_number) == col(t.EarlyWarning.id_number))
                  .where(within(col(t.EarlyWarning.raised_on)),
                         kept(col(t.EarlyWarning.household_id)))
                  .group_by(department).order_by(department))
        return {
            "month": month, "first": first.isoformat(), "last": last.isoformat(),
            "people_monitored": count(
                select(func.count(func.distinct(col(t.Member.id_number))))
                .join(t.Application, col(t.Application.id) == col(t.Member.application_id))
                .where(col(t.Application.filed_on) <= last, kept(col(t.Application.household_id)))),
            "households_monitored": count(
                select(func.count(func.distinct(col(t.Application.household_id))))
                .where(col(t.Application.filed_on) <= last, kept(col(t.Application.household_id)))),
            "warnings_by_department": grouped(warned),
            "warnings_by_colour": grouped(
                select(col(t.EarlyWarning.colour), func.count())
                .where(within(col(t.EarlyWarning.raised_on)),
                       kept(col(t.EarlyWarning.household_id)))
                .group_by(col(t.EarlyWarning.colour)).order_by(col(t.EarlyWarning.colour))),
            "discovered": count(select(func.count()).select_from(t.DiscoveredPerson)
                                .where(within(col(t.DiscoveredPerson.first_seen_on)))),
            "enrolled_by_aid": grouped(
                select(col(t.Enrolment.aid),
                       func.count(func.distinct(col(t.Enrolment.household_id))))
                .where(within(col(t.Enrolment.starts_on)), kept(col(t.Enrolment.household_id)))
                .group_by(col(t.Enrolment.aid)).order_by(col(t.Enrolment.aid))),
            "temporary_assistance_cases": count(
                select(func.count()).select_from(t.Enrolment)
                .where(col(t.Enrolment.aid) == "temporary_assistance",
                       within(col(t.Enrolment.starts_on)), kept(col(t.Enrolment.household_id)))),
            "referrals_by_brand": grouped(
                select(col(t.Referral.brand), func.count())
                .where(within(col(t.Referral.pushed_on)), kept(col(t.Referral.household_id)))
                .group_by(col(t.Referral.brand)).order_by(col(t.Referral.brand))),
            "feedback_by_brand": grouped(
                select(col(t.Referral.brand), func.count()).select_from(t.Feedback)
                .join(t.Referral, col(t.Referral.id) == col(t.Feedback.referral_id))
                .where(within(col(t.Feedback.given_on)), kept(col(t.Referral.household_id)))
                .group_by(col(t.Referral.brand)).order_by(col(t.Referral.brand))),
            "tasks_overdue": count(
                select(func.count()).select_from(t.VerificationTask)
                .where(col(t.VerificationTask.due_on) < last,
                       kept(col(t.VerificationTask.household_id)),
                       (col(t.VerificationTask.done_on).is_(None))
                       | (col(t.VerificationTask.done_on) > last))),
            "referrals_overdue": count(
                select(func.count()).select_from(t.Referral)
                .where(col(t.Referral.due_on) < last, col(t.Referral.pushed_on) <= last,
                       col(t.Referral.status) != "answered", kept(col(t.Referral.household_id)))),
            "households_by_risk": grouped(
                select(col(t.Household.risk_level), func.count())
                .where(col(t.Household.risk_level).is_not(None), kept(col(t.Household.id)))
                .group_by(col(t.Household.risk_level)).order_by(col(t.Household.risk_level))),
            # households the month's payment roll pays for the month (docs/payments.md)
            "households_paid_by_aid": {aid: d["households"] for aid, d in due.items()},
        }


def _heads(s: Any, household_ids: set[str]) -> dict[str, tuple[str, str, int]]:
    """Each household's head (name, identity number) and size, from its latest application."""
    found: dict[str, tuple[str, str, int]] = {}
    latest = (select(col(t.Application.household_id), func.max(col(t.Application.id)))
              .where(col(t.Application.household_id).in_(household_ids))
              .group_by(col(t.Application.household_id)))
    for household, application in s.exec(latest):
        members = s.exec(select(t.Member).where(col(t.Member.application_id) == application)
                         .order_by(col(t.Member.position))).all()
        head = next((m for m in members if m.relation == "head"), members[0] if members else None)
        if head is not None:
            found[household] = (head.name, head.id_number, len(members))
    return found


def referral_sheet(ledger: Ledger, brand: str, month: str) -> list[dict[str, Any]]:
    """The referrals pushed under ``brand`` in ``month``, oldest first, with each household's
    head (name and identity number in full: the caller masks what it shows)."""
    first, last = month_bounds(month)
    with ledger.store.reading() as s:
        referrals = s.exec(select(t.Referral).where(
            col(t.Referral.brand) == brand, col(t.Referral.pushed_on).between(first, last))
            .order_by(col(t.Referral.pushed_on), col(t.Referral.id))).all()
        heads = _heads(s, {r.household_id for r in referrals})
        return [{"household": r.household_id, "head": heads.get(r.household_id),
                 "departments": lists.load(r.departments), "reason": r.reason,
                 "pushed_on": r.pushed_on.isoformat(), "due_on": r.due_on.isoformat(),
                 "status": r.status} for r in referrals]


def task_sheet(ledger: Ledger, grid: str, on: date) -> list[dict[str, Any]]:
    """The grid's verification tasks not done by ``on``, the earliest due first, with the
    warning's reason and the household's head."""
    with ledger.store.reading() as s:
        rows = s.exec(select(t.VerificationTask, t.Warning)
                      .join(t.Warning, col(t.Warning.id) == col(t.VerificationTask.warning_id))
                      .where(col(t.VerificationTask.grid) == grid,
                             (col(t.VerificationTask.done_on).is_(None))
                             | (col(t.VerificationTask.done_on) > on),
                             col(t.Warning.raised_on) <= on)
                      .order_by(col(t.VerificationTask.due_on), col(t.VerificationTask.id))).all()
        heads = _heads(s, {task.household_id for task, _ in rows})
        return [{"task": task.id, "household": task.household_id,
                 "head": heads.get(task.household_id), "worker": task.worker,
                 "due_on": task.due_on.isoformat(), "overdue": task.due_on < on,
                 "reason": warning.reason, "department": warning.department,
                 "risk_level": warning.risk_level} for task, warning in rows]


def publicity_rows(ledger: Ledger, start: date, end: date,
                   aids: tuple[str, ...] = ("dibao", "tekun")) -> list[dict[str, Any]]:
    """The households whose notice period (公示) begins between ``start`` and ``end``,
    with the amounts the case's latest assessment found for ``aids`` (full name and
    identity number: the caller masks what it shows)."""
    import json
    with ledger.store.reading() as s:
        cases = s.exec(select(t.Case).where(col(t.Case.notice_from).between(start, end))
                       .order_by(col(t.Case.notice_from), col(t.Case.id))).all()
        heads = _heads(s, {c.household_id for c in cases})
        rows = []
        for case in cases:
            stored = s.exec(select(col(t.Assessment.result))
                            .where(col(t.Assessment.case_id) == case.id)
                            .order_by(col(t.Assessment.id).desc())).first()
            head = heads.get(case.household_id)
            if stored is None or head is None:
                continue
            for result in json.loads(stored)["results"]:
                if result["aid"] in aids and result["status"] == "eligible":
                    rows.append({"name": head[0], "id_number": head[1], "size": head[2],
                                 "aid": result["name"], "amount": result["amount"],
                                 "period": result.get("period") or "month"})
        return rows


def payments_due(ledger: Ledger, month: str, jurisdiction: str | None = None,
                 leave_out: str | None = None) -> dict[str, dict[str, Any]]:
    """What the enrolments in force in ``month`` entitle to for that month, by aid: the
    households and the sum of their amounts (monthly aids, and one-off payments starting
    that month), read from the enrolments alone. The month's payment roll pays the same
    for the month itself (its arrears are earlier months')."""
    from decimal import Decimal
    first, last = month_bounds(month)
    with ledger._reading() as s:
        query = (select(t.Enrolment.aid, t.Enrolment.household_id, t.Enrolment.monthly_amount)
                 .join(t.Household, col(t.Household.id) == col(t.Enrolment.household_id))
                 .where(col(t.Enrolment.monthly_amount).is_not(None),
                        col(t.Enrolment.starts_on) <= last,
                        col(t.Enrolment.ends_on).is_(None) | (col(t.Enrolment.ends_on) >= first),
                        col(t.Enrolment.period).in_(["month", "once"])))
        if leave_out is not None:
            query = query.where(~col(t.Household.id).startswith(leave_out, autoescape=True))
        if jurisdiction is not None:
            query = query.where((col(t.Household.jurisdiction) == jurisdiction)
                                | col(t.Household.jurisdiction).startswith(jurisdiction + "/",
                                                                           autoescape=True))
        due: dict[str, dict[str, Any]] = {}
        for aid, household, amount in s.exec(query):
            entry = due.setdefault(aid, {"households": set(), "amount": Decimal("0.00")})
            entry["households"].add(household)
            entry["amount"] += Decimal(amount)
        return {aid: {"households": len(e["households"]), "amount": e["amount"]}
                for aid, e in sorted(due.items())}
