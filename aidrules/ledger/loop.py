"""The closed loop in the ledger: a data warning and its verification task, the findings
on site (re-assessed), referrals pushed to departments and their feedback. Each step is
one transaction with its chain entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from aidrules import model
from aidrules.casework.case import not_before
from aidrules.casework.errors import IllegalMove
from aidrules.casework.handlers import Procedure
from aidrules.casework.names import person
from aidrules.ledger import lists
from aidrules.ledger import tables as t
from aidrules.ledger.store import SqlStore, SqlUnit, append, get, ident, stored_assessment


def warn(s: Session, household_id: str, department: str, reason: str, on: date,
         worker: str, due_on: date, risk_level: str | None,
         extra: dict[str, Any] | None = None) -> tuple[int, int]:
    """A data warning (数据预警) and its verification task for the household's grid, in an
    open transaction. Returns (warning id, task id)."""
    house = get(s, t.Household, household_id)
    worker = person(worker, f"household {household_id}: the grid worker")
    warning = t.Warning(household_id=household_id, raised_on=on, department=department,
                        reason=reason, risk_level=risk_level)
    s.add(warning)
    s.flush()
    task = t.VerificationTask(warning_id=ident(warning), household_id=household_id,
                              grid=house.grid, worker=worker, due_on=due_on)
    s.add(task)
    s.flush()
    append(s, household_id, "warned", on, {
        "warning": warning.id, "department": department, "reason": reason,
        "risk_level": risk_level, "task": task.id, "grid": house.grid,
        "worker": worker, "due_on": due_on, **(extra or {})})
    assert warning.id is not None and task.id is not None
    return warning.id, task.id


def record_findings(store: SqlStore, procedure: Procedure, task_id: int, worker: str,
                    findings: str, on: date, application: model.Application) -> int:
    """On-site verification (实地核查): the findings and the facts as found, re-assessed
    (the household's risk colour follows). Returns the assessment id."""
    with store.tx() as s:
        task = get(s, t.VerificationTask, task_id)
        worker = person(worker, f"task {task_id}: the worker")
        if task.done_on is not None:
            raise IllegalMove(f"task {task_id} was already done on {task.done_on}")
        raised = get(s, t.Warning, task.warning_id).raised_on
        not_before(f"task {task_id}", "raised", raised, "findings", on)
        if not findings.strip():
            raise IllegalMove(f"task {task_id}: record what was found")
        task.done_on, task.findings = on, findings
        append(s, task.household_id, "verified", on,
               {"task": task_id, "worker": worker, "findings": findings})
        uow = SqlUnit(s)
        filed = procedure.file_facts(uow, task.household_id, application, on, "findings")
        made = procedure.assess(uow, task.household_id, filed, application, on, None)
        assert made.id is not None
        return made.id


def push_referrals(store: SqlStore, procedure: Procedure, assessment_id: int, on: date,
                   due_on: date) -> list[int]:
    """Push the assessment's referrals (信息推送) to their departments, feedback due by
    ``due_on`` (no national time limit exists; the county sets it)."""
    with store.tx() as s:
        assessment = stored_assessment(get(s, t.Assessment, assessment_id))
        not_before(f"assessment {assessment_id}", "made", assessment.on, "refer", on)
        return procedure.push(SqlUnit(s), assessment, on, due_on)


def record_feedback(store: SqlStore, referral_id: int, department: str, on: date,
                    action: str) -> None:
    """A department reports what it did (跟踪反馈); the referral is answered when every
    department it went to has reported."""
    with store.tx() as s:
        referral = get(s, t.Referral, referral_id)
        departments = lists.load(referral.departments)
        if department not in departments:
            raise IllegalMove(f"referral {referral_id} went to {', '.join(departments)}, "
                              f"not {department}")
        given = [f.given_on for f in s.exec(
            select(t.Feedback).where(col(t.Feedback.referral_id) == referral_id))]
        last, did = max([(referral.pushed_on, "pushed"), *((g, "answered") for g in given)])
        not_before(f"referral {referral_id}", did, last, "feedback", on)
        s.add(t.Feedback(referral_id=referral_id, department=department, given_on=on,
                         action=action))
        s.flush()
        answered = {f.department for f in s.exec(
            select(t.Feedback).where(col(t.Feedback.referral_id) == referral_id))}
        if answered >= set(departments):
            referral.status = "answered"
        append(s, referral.household_id, "feedback", on, {
            "referral": referral_id, "department": department, "action": action})
