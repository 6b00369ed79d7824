"""The dibao procedure as a state machine, and its time limits as policy parameters.

    accepted → investigated → noticed ─────────────→ approved → enrolled → exited
                               └→ (objection) appraised ↗ └→ refused
                                                             enrolled ↺ reviewed / changed

The moves and their preconditions live here; the ledger applies them. Sources:
民发〔2021〕57号 art. 15–22, 31–33; 民发〔2022〕83号 一（三）, 四（一）.
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from aidrules.casework.errors import IllegalMove
from aidrules.casework.workdays import add_months
from aidrules.policy import PolicyTree


class State(enum.StrEnum):
    accepted = "accepted"
    investigated = "investigated"
    noticed = "noticed"  # preliminary opinion posted (公示)
    appraised = "appraised"  # objection handled by re-investigation or democratic appraisal
    approved = "approved"
    refused = "refused"
    enrolled = "enrolled"
    exited = "exited"


MOVES: dict[str, frozenset[State]] = {
    "investigate": frozenset({State.accepted}),
    "notice": frozenset({State.investigated}),
    "object": frozenset({State.noticed}),
    "appraise": frozenset({State.noticed}),
    "decide": frozenset({State.noticed, State.appraised}),
    "notify_refusal": frozenset({State.refused}),
    "enrol": frozenset({State.approved}),
    "review": frozenset({State.enrolled}),
    "exit": frozenset({State.enrolled}),
}


def require_move(case_id: int, state: str, move: str) -> None:
    allowed = MOVES[move]
    if State(state) not in allowed:
        raise IllegalMove(f"case {case_id} is {state}; '{move}' needs it to be "
                          + " or ".join(sorted(allowed)))


@attrs.frozen
class TimeLimits:
    """The national time limits in force for one jurisdiction on one date."""
    investigation_start_wd: int
    total_wd: int
    total_extended_wd: int
    notice_days: int
    refusal_notice_wd: int
    min_investigators: int
    review_months: dict[str, int]  # stable / unstable
    grace_max_months: int
    validity_months: dict[str, int]  # aid -> longest a determination stands before review
    unstable_work_abilities: tuple[str, ...] = ("full", "partial")  # the shorter interval

    def review_due(self, aid: str, interval: str, starts: date) -> date:
        """The next review: after the household's interval, and no later than the end of
        the aid's validity (刚性支出困难家庭认定办法第十条: at most 12 months)."""
        due = add_months(starts, self.review_months[interval])
        if aid in self.validity_months:
            due = min(due, add_months(starts, self.validity_months[aid]))
        return due

    @classmethod
    def of(cls, policies: PolicyTree, jurisdiction: str, on: date) -> TimeLimits:
        def value(name: str) -> int:
            return int(policies.value(name, jurisdiction, on).value)
        return cls(
            investigation_start_wd=value("deadline.investigation_start_wd"),
            total_wd=value("deadline.total_wd"),
            total_extended_wd=value("deadline.total_extended_wd"),
            notice_days=value("public_notice.days"),
            refusal_notice_wd=value("deadline.refusal_notice_wd"),
            min_investigators=value("procedure.min_investigators"),
            review_months={kind: value(f"review.interval_months.{kind}")
                           for kind in ("stable", "unstable")},
            grace_max_months=value("grace_period.max_months"),
            validity_months={"rigid_expenditure": value("rigid.validity_months")},
            unstable_work_abilities=tuple(policies.value(
                "review.unstable_work_abilities", jurisdiction, on).value),
        )
