"""The closed loop without a database: a verification task (done once, by a named worker,
with findings, never dated before its warning) and a referral (answered by the
departments it went to, never dated before its push or the latest answer; answered when
every one has reported)."""

from __future__ import annotations

from datetime import date

import attrs

from aidrules.casework.case import not_before
from aidrules.casework.errors import IllegalMove
from aidrules.casework.names import person


@attrs.define
class Task:
    """On-site verification (实地核查) for a warning, by the household's grid worker."""
    warning_id: int
    household_id: str
    grid: str
    worker: str
    due_on: date
    raised_on: date  # the warning's day
    done_on: date | None = None
    findings: str | None = None
    id: int | None = None

    def record_findings(self, worker: str, findings: str, on: date) -> str:
        """Done with what was found; returns the worker's name as kept."""
        worker = person(worker, f"task {self.id}: the worker")
        if self.done_on is not None:
            raise IllegalMove(f"task {self.id} was already done on {self.done_on}")
        not_before(f"task {self.id}", "raised", self.raised_on, "findings", on)
        if not findings.strip():
            raise IllegalMove(f"task {self.id}: record what was found")
        self.done_on, self.findings = on, findings
        return worker


@attrs.define
class Referral:
    """A referral (信息推送) to its departments and the answers (跟踪反馈) so far."""
    household_id: str
    brand: str
    departments: tuple[str, ...]
    status: str  # pushed | answered
    pushed_on: date
    answers: tuple[tuple[str, date], ...] = ()  # (department, day)
    id: int | None = None

    def answer(self, department: str, on: date) -> None:
        if department not in self.departments:
            raise IllegalMove(f"referral {self.id} went to {', '.join(self.departments)}, "
                              f"not {department}")
        last, did = max([(self.pushed_on, "pushed"),
                         *((day, "answered") for _, day in self.answers)])
        not_before(f"referral {self.id}", did, last, "feedback", on)
        self.answers = (*self.answers, (department, on))
        if {d for d, _ in self.answers} >= set(self.departments):
            self.status = "answered"
