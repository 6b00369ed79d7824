"""The use cases of the procedure, over any store (:mod:`aidrules.casework.ports`): each is
one unit of work that loads the case, lets it move (or refuse, changing nothing), saves
what changed and appends the step to the household's chain. The ledger's facade, the
command line and the service call these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import attrs

from aidrules import model
from aidrules.casework.assessment import StoredAssessment
from aidrules.casework.case import Case, Review, not_before, refuse_clash, review_interval
from aidrules.casework.errors import IllegalMove, NotFound
from aidrules.casework.loop import Task
from aidrules.casework.names import NAME_MOST, check_text, person
from aidrules.casework.ports import Filed, HouseholdRef, Monitored, Store, UnitOfWork
from aidrules.casework.procedure import TimeLimits
from aidrules.casework.workdays import add_months, first_of_next_month
from aidrules.engine import Assessor
from aidrules.policy import PolicyTree

HOUSEHOLD_ID_MOST = 64
REFERENCE_MOST = 64  # an application's own application_id


class Procedure:
    """The procedure's use cases on one store. ``assessor`` gives the assessor when one
    is first needed (a ledger may be opened without a rule book, to read it)."""

    def __init__(self, store: Store, assessor: Callable[[], Assessor]) -> None:
        self.store = store
        self._assessor = assessor

    def limits(self, uow: UnitOfWork, case: Case) -> TimeLimits:
        house = uow.household(case.household_id)
        assert house is not None
        policies = self._assessor().book.policies
        assert isinstance(policies, PolicyTree)
        return TimeLimits.of(policies, house.jurisdiction, case.accepted_on)

    # ---- facts and assessments (also the closed loop's) ---------------------------------

    def file_facts(self, uow: UnitOfWork, household_id: str, application: model.Application,
                   on: date, source: str) -> Filed:
        """Keep an application (or facts as found) and put it on the chain."""
        _check_filed(household_id, application)
        filed = uow.add_application(household_id, application, on, source)
        uow.record(household_id, "application_filed", on, _filed_entry(filed))
        return filed

    def assess(self, uow: UnitOfWork, household_id: str, filed: Filed,
               application: model.Application, on: date, case_id: int | None
               ) -> StoredAssessment:
        """Assess the facts on ``on``; the household's risk colour follows."""
        result = self._assessor().assess(application, on=on)
        document = result.to_json(detail="full")  # the chain's sha256 is of the whole trace
        made = StoredAssessment.of(document, household_id=household_id,
                                   application_id=filed.id, case_id=case_id, on=on)
        assessment_id, sha256 = uow.add_assessment(made, document)
        uow.set_risk(household_id, result.risk_level)
        uow.record(household_id, "assessed", on, {
            "assessment": assessment_id, "application": filed.id, "case": case_id, "on": on,
            "jurisdiction": result.jurisdiction, "rulebook": result.rulebook,
            "policy_version": result.policy_version, "risk_level": result.risk_level,
            "result_sha256": sha256})
        return attrs.evolve(made, id=assessment_id)

    def household(self, uow: UnitOfWork, household_id: str, grid: str | None,
                  application: model.Application) -> HouseholdRef:
        house = uow.household(household_id)
        if house is None:
            check_text(household_id, "the household id", HOUSEHOLD_ID_MOST)
            if grid is None:
                raise IllegalMove(f"household {household_id} is new: give its grid (网格)")
            house = HouseholdRef(household_id, grid, application.jurisdiction)
            uow.add_household(house)
        return house

    def push(self, uow: UnitOfWork, assessment: StoredAssessment, on: date, due_on: date
             ) -> list[int]:
        """Push the assessment's referrals (信息推送), feedback due by ``due_on``."""
        assert assessment.id is not None
        pushed = uow.add_referrals(assessment, on, due_on)
        uow.record(assessment.household_id, "referred", on, {
            "assessment": assessment.id, "due_on": due_on,
            "referrals": [{"id": i, "brand": r.brand, "departments": list(r.departments)}
                          for i, r in zip(pushed, assessment.referrals, strict=True)]})
        return pushed

    # ---- monitoring and acceptance --------------------------------------------------

    def register_households(self, households: Iterable[tuple[str, str, model.Application]],
                            on: date) -> list[int]:
        """Put households (id, grid, facts) under monitoring in one unit; their
        assessments' ids."""
        made = []
        with self.store.unit() as uow:
            for household_id, grid, application in households:
                self.household(uow, household_id, grid, application)
                filed = self.file_facts(uow, household_id, application, on, "monitoring")
                stored = self.assess(uow, household_id, filed, application, on, None)
                made.append(stored.id or 0)
        return made

    def register_screened(self, households: Iterable[tuple[str, str, model.Application,
                                                           dict[str, Any]]],
                          on: date) -> list[int]:
        """Put households (id, grid, facts, the stored form of their screening row) under
        monitoring in one unit, as :meth:`register_households` does but with the
        screening's statuses instead of a per-case assessment each: the chain records the
        sha256 of the stored form, marked ``made_by: screening``, and the full reasons are
        recomputed on demand and checked against it (docs/screening.md). Households new to
        the case file are written in bulk; one already in it is assessed as before."""
        made: dict[str, int] = {}
        chosen = list(households)
        with self.store.unit() as uow:
            new: list[Monitored] = []
            known = uow.known([h for h, _, _, _ in chosen])
            for household_id, grid, application, stored in chosen:
                _check_filed(household_id, application)
                if household_id in made:
                    raise IllegalMove(f"household {household_id} is listed twice")
                if household_id in known:
                    filed = self.file_facts(uow, household_id, application, on, "monitoring")
                    made[household_id] = self.assess(uow, household_id, filed, application,
                                                     on, None).id or 0
                    continue
                check_text(household_id, "the household id", HOUSEHOLD_ID_MOST)
                made[household_id] = 0
                new.append(Monitored(HouseholdRef(household_id, grid, application.jurisdiction),
                                     application, stored))
            ids = uow.add_monitored(new, on, _filed_entry, _assessed_entry)
            made.update((m.household.id, n) for m, n in zip(new, ids, strict=True))
        return list(made.values())

    def file_application(self, application: model.Application, household_id: str, by: str,
                         grid: str | None = None, on: date | None = None) -> int:
        """Accept an application (受理): a new case, assessed at once. Returns the case id."""
        on = on or application.applied_on
        by = person(by, f"household {household_id}: the officer accepting")
        with self.store.unit() as uow:
            self.household(uow, household_id, grid, application)
            open_case = uow.open_case(household_id)
            if open_case is not None:
                raise IllegalMove(f"household {household_id} already has case {open_case.id} "
                                  f"({open_case.state}); review or exit it first")
            filed = self.file_facts(uow, household_id, application, on, "filed")
            case = Case(household_id, filed.id, on, by)
            case.id = uow.add_case(case)
            uow.record(household_id, "accepted", on, {"case": case.id, "by": by})
            self.assess(uow, household_id, filed, application, on, case.id)
            return case.id

    # ---- the procedure ------------------------------------------------------------------

    def investigate(self, case_id: int, staff: Sequence[str], findings: str, on: date,
                    application: model.Application | None = None, is_extended: bool = False,
                    version: int | None = None) -> None:
        with self.store.unit() as uow:
            case = _begin(uow, case_id, "investigate", on, version)
            team = case.investigate(staff, findings, on, self.limits(uow, case), is_extended)
            uow.save_case(case)
            uow.record(case.household_id, "investigated", on,
                       {"case": case_id, "staff": team, "findings": findings,
                        "is_extended": is_extended})
            if application is not None:
                filed = self.file_facts(uow, case.household_id, application, on, "findings")
                self.assess(uow, case.household_id, filed, application, on, case_id)

    def publish_notice(self, case_id: int, on: date, version: int | None = None) -> date:
        with self.store.unit() as uow:
            case = _begin(uow, case_id, "notice", on, version)
            until = case.notice(on, self.limits(uow, case))
            uow.save_case(case)
            uow.record(case.household_id, "noticed", on,
                       {"case": case_id, "from": on, "until": until})
            return until

    def record_objection(self, case_id: int, on: date, objection: str,
                         version: int | None = None) -> None:
        with self.store.unit() as uow:
            case = _begin(uow, case_id, "object", on, version)
            case.object(on, objection)
            uow.save_case(case)
            uow.record(case.household_id, "objected", on,
                       {"case": case_id, "objection": objection})

    def appraise(self, case_id: int, on: date, outcome: str, by: str,
                 version: int | None = None) -> None:
        with self.store.unit() as uow:
            case = _begin(uow, case_id, "appraise", on, version)
            by = case.appraise(on, outcome, by)
            uow.save_case(case)
            uow.record(case.household_id, "appraised", on,
                       {"case": case_id, "outcome": outcome, "by": by})

    def decide(self, case_id: int, approve: bool, by: str, on: date,
               reasons: str | None = None, aids: Sequence[str] | None = None,
               referrals_due: date | None = None, version: int | None = None) -> int:
        with self.store.unit() as uow:
            case = _begin(uow, case_id, "decide", on, version)
            assessment = uow.latest_assessment(case_id)
            decision = case.decide(approve, by, on, reasons, assessment, aids)
            decision_id = uow.add_decision(decision)
            uow.save_case(case)
            uow.record(case.household_id, "decided", on, {
                "case": case_id, "decision": decision_id, "assessment": assessment.id,
                "outcome": decision.outcome, "aids": list(decision.aids), "reasons": reasons,
                "by": decision.decided_by})
            if approve and referrals_due is not None:
                self.push(uow, assessment, on, referrals_due)
            return decision_id

    def notify_refusal(self, case_id: int, on: date, version: int | None = None) -> None:
        with self.store.unit() as uow:
            case = _begin(uow, case_id, "notify_refusal", on, version)
            case.notify_refusal(on)
            uow.save_case(case)
            uow.record(case.household_id, "refusal_notified", on, {"case": case_id})

    def enrol(self, case_id: int, on: date, version: int | None = None) -> list[int]:
        with self.store.unit() as uow:
            case = _begin(uow, case_id, "enrol", on, version)
            decision = uow.latest_decision(case_id)
            assessment = uow.assessment(decision.assessment_id)
            limits = self.limits(uow, case)
            interval = review_interval(uow.application(case.application_id).document,
                                       limits.unstable_work_abilities)
            rows = case.enrol(on, decision, assessment, interval, limits,
                              uow.household_enrolments(case.household_id))
            for row in rows:
                refuse_clash(case_id, row.aid, uow.enrolled_elsewhere(case, row.aid,
                                                                       row.starts_on))
            ids = uow.add_enrolments(rows)
            uow.save_case(case)
            starts = first_of_next_month(decision.decided_on)
            uow.record(case.household_id, "enrolled", on, {
                "case": case_id, "starts_on": starts,
                "review_due": add_months(starts, limits.review_months[interval]),
                "enrolments": [{"id": r.id, "aid": r.aid, "monthly_amount": r.monthly_amount,
                                "period": r.period} for r in rows]})
            return ids

    def review(self, case_id: int, by: str, on: date,
               application: model.Application | None = None, version: int | None = None
               ) -> str:
        with self.store.unit() as uow:
            case = _begin(uow, case_id, "review", on, version)
            by = person(by, f"case {case_id}: the reviewing officer")
            if application is not None:
                filed = self.file_facts(uow, case.household_id, application, on, "review")
            else:  # the latest facts on file: as filed, or as found since
                filed = uow.latest_application(case.household_id)
            assessment = self.assess(uow, case.household_id, filed,
                                     application or filed.application, on, case_id)
            running = uow.open_enrolments(case_id)
            outcome, new = case.review(on, assessment, running, self.limits(uow, case))
            uow.save_enrolments(running)
            uow.add_enrolments(new)
            uow.add_review(Review(case_id, assessment.id or 0, on, by, outcome))
            uow.save_case(case)
            uow.record(case.household_id, "reviewed", on,
                       {"case": case_id, "assessment": assessment.id, "outcome": outcome,
                        "by": by})
            return outcome

    def exit(self, case_id: int, by: str, on: date, reason: str, grace_months: int = 0,
             because_of_work: bool = False, version: int | None = None) -> date:
        with self.store.unit() as uow:
            case = _begin(uow, case_id, "exit", on, version)
            running = uow.open_enrolments(case_id)
            made = case.exit(by, on, reason, grace_months, because_of_work,
                             self.limits(uow, case), running)
            uow.save_enrolments(running)
            uow.add_exit(made)
            uow.save_case(case)
            uow.record(case.household_id, "exited", on, {
                "case": case_id, "reason": reason, "grace_months": grace_months,
                "paid_until": made.paid_until, "by": made.decided_by})
            return made.paid_until


class ClosedLoop:
    """The closed loop's use cases: a data warning and its verification task, the findings
    on site (re-assessed), referrals pushed and the departments' feedback."""

    def __init__(self, store: Store, procedure: Procedure) -> None:
        self.store = store
        self.procedure = procedure

    def warn(self, uow: UnitOfWork, household_id: str, department: str, reason: str,
             on: date, worker: str, due_on: date, risk_level: str | None,
             extra: dict[str, Any] | None = None) -> tuple[int, int]:
        """A data warning (数据预警) and its verification task for the household's grid, in
        an open unit. Returns (warning id, task id)."""
        house = uow.household(household_id)
        if house is None:
            raise NotFound(f"no household {household_id!r} in the ledger")
        worker = person(worker, f"household {household_id}: the grid worker")
        warning_id = uow.add_warning(household_id, department, reason, on, risk_level)
        task_id = uow.add_task(Task(warning_id, household_id, house.grid, worker, due_on, on))
        uow.record(household_id, "warned", on, {
            "warning": warning_id, "department": department, "reason": reason,
            "risk_level": risk_level, "task": task_id, "grid": house.grid,
            "worker": worker, "due_on": due_on, **(extra or {})})
        return warning_id, task_id

    def record_warning(self, household_id: str, department: str, reason: str, on: date,
                       worker: str, due_on: date, risk_level: str | None = None
                       ) -> tuple[int, int]:
        with self.store.unit() as uow:
            return self.warn(uow, household_id, department, reason, on, worker, due_on,
                             risk_level)

    def record_findings(self, task_id: int, worker: str, findings: str, on: date,
                        application: model.Application) -> int:
        """On-site verification (实地核查): the findings and the facts as found, re-assessed
        (the household's risk colour follows). Returns the assessment id."""
        with self.store.unit() as uow:
            task = uow.task(task_id)
            worker = task.record_findings(worker, findings, on)
            uow.save_task(task)
            uow.record(task.household_id, "verified", on,
                       {"task": task_id, "worker": worker, "findings": findings})
            filed = self.procedure.file_facts(uow, task.household_id, application, on,
                                              "findings")
            made = self.procedure.assess(uow, task.household_id, filed, application, on, None)
            assert made.id is not None
            return made.id

    def push_referrals(self, assessment_id: int, on: date, due_on: date) -> list[int]:
        """Push the assessment's referrals (信息推送), feedback due by ``due_on`` (no
        national time limit exists; the county sets it)."""
        with self.store.unit() as uow:
            assessment = uow.assessment(assessment_id)
            not_before(f"assessment {assessment_id}", "made", assessment.on, "refer", on)
            return self.procedure.push(uow, assessment, on, due_on)

    def record_feedback(self, referral_id: int, department: str, on: date, action: str
                        ) -> None:
        """A department reports what it did (跟踪反馈); the referral is answered when every
        department it went to has reported."""
        with self.store.unit() as uow:
            referral = uow.referral(referral_id)
            referral.answer(department, on)
            uow.add_feedback(referral_id, department, on, action)
            uow.save_referral(referral)
            uow.record(referral.household_id, "feedback", on, {
                "referral": referral_id, "department": department, "action": action})


def _begin(uow: UnitOfWork, case_id: int, move: str, on: date, version: int | None) -> Case:
    case = uow.case(case_id)
    case.begin(move, on, version)
    return case


def _filed_entry(filed: Filed) -> dict[str, Any]:
    return {"application": filed.id, "source": filed.source, "document": filed.document}


def _assessed_entry(made: StoredAssessment, sha256: str) -> dict[str, Any]:
    """The chain's record of an assessment made by the screening."""
    return {"assessment": made.id, "application": made.application_id, "case": made.case_id,
            "on": made.on, "jurisdiction": made.jurisdiction,
            "rulebook": {"version": made.rulebook_version, "digest": made.rulebook_digest},
            "policy_version": made.policy_version, "risk_level": made.risk_level,
            "result_sha256": sha256, "made_by": "screening"}


def _check_filed(household_id: str, application: model.Application) -> None:
    """What the application puts in fields of their own, by its path in the document."""
    where = f"household {household_id}: application"
    check_text(application.application_id, f"{where} $.application_id", REFERENCE_MOST)
    for position, member in enumerate(application.household.members):
        check_text(member.name, f"{where} $.household.members[{position}].name", NAME_MOST)

