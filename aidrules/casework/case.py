"""A case (one application through the procedure) and the enrolments it pays, as plain
objects that enforce the procedure: the state machine, dates that never go backwards,
four eyes (two investigators; whoever investigated does not decide), the public notice
running its days, no overlapping enrolments, the grace period and its cap. No database:
a store loads them, a move changes them or refuses (changing nothing), the store saves.

Sources: 民发〔2021〕57号 art. 15–22 (procedure), 31 (review intervals), 33 (渐退期).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import attrs

from aidrules.casework import intervals
from aidrules.casework.assessment import StoredAssessment
from aidrules.casework.errors import ConflictError, IllegalMove
from aidrules.casework.names import person
from aidrules.casework.procedure import State, TimeLimits, require_move
from aidrules.casework.workdays import add_months, first_of_next_month, last_of_month

# A case's dated steps (the chain entries that record them) and how a message names each.
CASE_STEPS = {"accepted": "accepted", "investigated": "investigated", "noticed": "put on notice",
              "objected": "objected to", "appraised": "appraised", "decided": "decided",
              "refusal_notified": "notified of its refusal", "enrolled": "enrolled",
              "reviewed": "reviewed", "exited": "exited"}

OPEN_STATES = frozenset(State) - {State.refused, State.exited}  # one open case per household


def not_before(what: str, did: str, last: date, move: str, on: date) -> None:
    """A dated move may not come before the previous step of the same case, task or
    referral (the same day is fine)."""
    if on < last:
        raise IllegalMove(f"{what} was {did} on {last}; '{move}' cannot be dated {on}, "
                          "before it")


@attrs.define
class Enrolment:
    """An aid paid to a household from ``starts_on`` (to ``ends_on`` inclusive, or open)."""
    household_id: str
    case_id: int
    aid: str
    starts_on: date
    review_interval: str  # stable | unstable
    monthly_amount: str | None = None  # exact decimal text
    period: str = "month"  # month, or once (one month, no review)
    ends_on: date | None = None
    review_due: date | None = None
    id: int | None = None

    def overlaps(self, starts: date) -> bool:
        """In force on or after ``starts`` (a new open-ended enrolment from then)."""
        return self.ends_on is None or self.ends_on >= starts


@attrs.frozen
class Decision:
    case_id: int
    assessment_id: int
    outcome: str  # approved | refused
    aids: tuple[str, ...]
    reasons: str | None
    decided_on: date
    decided_by: str
    id: int | None = None


@attrs.frozen
class Review:
    case_id: int
    assessment_id: int
    reviewed_on: date
    reviewed_by: str
    outcome: str  # unchanged | changed | ineligible


@attrs.frozen
class Exit:
    case_id: int
    decided_on: date
    decided_by: str
    reason: str
    grace_months: int
    paid_until: date  # last day paid, grace period included


@attrs.frozen
class Clash:
    """A member of the case's application enrolled in the aid in another household."""
    position: int  # in the application's members
    masked_id: str
    household_id: str
    case_id: int
    enrolment_id: int
    starts_on: date


def review_interval(application: dict[str, Any], unstable: Iterable[str]) -> str:
    """The household's review interval by its members' work abilities (57号 art. 31;
    which abilities count is the parameter review.unstable_work_abilities)."""
    return intervals.review_interval(
        (m.get("work_ability") for m in application["household"]["members"]), unstable)


def check_no_overlap(household_id: str, enrolments: Iterable[Enrolment], aid: str,
                     starts: date) -> None:
    """A household is enrolled in one aid once at a time."""
    for e in sorted(enrolments, key=lambda e: e.id or 0):
        if e.aid == aid and e.overlaps(starts):
            raise IllegalMove(f"household {household_id} is already enrolled in {aid} "
                              f"(enrolment {e.id} from {e.starts_on}); it cannot overlap")


def refuse_clash(case_id: int, aid: str, clash: Clash | None) -> None:
    """One person is enrolled in an aid in one household at a time."""
    if clash is not None:
        raise IllegalMove(
            f"case {case_id}: $.household.members[{clash.position}] ({clash.masked_id}) is "
            f"already enrolled in {aid} in household {clash.household_id} (case "
            f"{clash.case_id}, enrolment {clash.enrolment_id}, from {clash.starts_on}); a "
            "person is enrolled in an aid in one household at a time")


@attrs.define
class Case:
    """One application through the procedure. ``version`` is the one loaded: a store
    saves the case only if nobody changed it since (else ConflictError)."""
    household_id: str
    application_id: int
    accepted_on: date
    accepted_by: str
    state: State = State.accepted
    version: int = 1
    investigated_on: date | None = None
    investigators: tuple[str, ...] = ()
    findings: str | None = None
    notice_from: date | None = None
    notice_until: date | None = None
    has_objection: bool = False
    appraisal: str | None = None
    is_extended: bool = False  # the 45-working-day limit applies
    refusal_notified_on: date | None = None
    last_step: tuple[str, date] | None = None  # (chain entry kind, day) of the latest step
    id: int | None = None

    @property
    def ref(self) -> str:
        return f"case {self.id}"

    def begin(self, move: str, on: date, version: int | None = None) -> None:
        """Refuse a move the state does not allow, on a stale version or dated before the
        case's latest step."""
        if version is not None and version != self.version:
            raise ConflictError(f"case {self.id} is at version {self.version}, "
                                f"not {version}: someone else changed it; reload it")
        require_move(self.id or 0, self.state, move)
        kind, last = self.last_step or ("accepted", self.accepted_on)
        not_before(self.ref, CASE_STEPS[kind], last, move, on)

    def stepped(self, kind: str, on: date) -> None:
        self.last_step = (kind, on)

    # ---- the moves ------------------------------------------------------------------

    def investigate(self, staff: Sequence[str], findings: str, on: date, limits: TimeLimits,
                    is_extended: bool = False) -> list[str]:
        """At least two different staff (four eyes), and their findings. Returns the team."""
        team = sorted({person(name, f"{self.ref}: the investigating staff") for name in staff})
        if len(team) < limits.min_investigators:
            raise IllegalMove(f"{self.ref}: the investigation needs at least "
                              f"{limits.min_investigators} different staff, got {len(team)} "
                              f"({', '.join(team)})")
        if not findings.strip():
            raise IllegalMove(f"{self.ref}: record the investigation's findings")
        self.state, self.investigated_on = State.investigated, on
        self.investigators, self.findings, self.is_extended = tuple(team), findings, is_extended
        self.stepped("investigated", on)
        return team

    def notice(self, on: date, limits: TimeLimits) -> date:
        """Post the preliminary opinion (公示); returns its last day (the first counts)."""
        until = on + timedelta(days=limits.notice_days - 1)
        self.state, self.notice_from, self.notice_until = State.noticed, on, until
        self.stepped("noticed", on)
        return until

    def object(self, on: date, objection: str) -> None:
        if not objection.strip():
            raise IllegalMove(f"{self.ref}: an objection needs its text")
        self.has_objection = True
        self.stepped("objected", on)

    def appraise(self, on: date, outcome: str, by: str) -> str:
        """Re-investigation or democratic appraisal (民主评议), only after an objection."""
        by = person(by, f"{self.ref}: the appraisal")
        if not self.has_objection:
            raise IllegalMove(f"{self.ref}: democratic appraisal is held only when "
                              "the notice draws an objection, and none was recorded")
        self.state, self.appraisal = State.appraised, outcome
        self.stepped("appraised", on)
        return by

    def decide(self, approve: bool, by: str, on: date, reasons: str | None,
               assessment: StoredAssessment, aids: Sequence[str] | None) -> Decision:
        """Approve (the eligible aids, or those named) or refuse with written reasons, by
        someone who did not investigate, after the notice ran (and any objection was
        appraised)."""
        by = person(by, f"{self.ref}: the deciding officer")
        if by in {unicodedata.normalize("NFC", n.strip()) for n in self.investigators}:
            raise IllegalMove(f"{self.ref}: {by} investigated this case and may not also "
                              "decide it (two different people)")
        if self.state == State.noticed and self.has_objection:
            raise IllegalMove(f"{self.ref}: the notice drew an objection; appraise first")
        if self.state == State.noticed and self.notice_until is not None \
                and on <= self.notice_until:
            raise IllegalMove(f"{self.ref}: the public notice runs until {self.notice_until}; "
                              f"decide after it ends, not on {on}")
        chosen = assessment.approvable(self.id or 0, aids) if approve else []
        if not approve and not (reasons or "").strip():
            raise IllegalMove(f"{self.ref}: a refusal needs written reasons")
        self.state = State.approved if approve else State.refused
        self.stepped("decided", on)
        assert assessment.id is not None and self.id is not None
        return Decision(self.id, assessment.id, self.state, tuple(chosen), reasons, on, by)

    def notify_refusal(self, on: date) -> None:
        if self.refusal_notified_on is not None:
            raise IllegalMove(f"{self.ref}: the refusal was notified on "
                              f"{self.refusal_notified_on}")
        self.refusal_notified_on = on
        self.stepped("refusal_notified", on)

    def enrol(self, on: date, decision: Decision, assessment: StoredAssessment,
              interval: str, limits: TimeLimits, household: Iterable[Enrolment]
              ) -> list[Enrolment]:
        """The approved aids, paid from the month after the decision; none may overlap an
        enrolment of the household in the same aid. (A member enrolled in another
        household is the store's question: see :func:`refuse_clash`.)"""
        assert self.id is not None
        starts = first_of_next_month(decision.decided_on)
        household = list(household)
        rows = []
        for aid in decision.aids:
            check_no_overlap(self.household_id, household, aid, starts)
            result = assessment.outcome(aid)
            once = result.period == "once"  # a one-off payment: one month, no review
            rows.append(Enrolment(
                household_id=self.household_id, case_id=self.id, aid=aid, starts_on=starts,
                review_interval=interval, monthly_amount=result.amount,
                period=result.period,  # month, year or once
                ends_on=last_of_month(starts) if once else None,
                review_due=None if once else limits.review_due(aid, interval, starts)))
        self.state = State.enrolled
        self.stepped("enrolled", on)
        return rows

    def review(self, on: date, assessment: StoredAssessment, enrolments: Iterable[Enrolment],
               limits: TimeLimits) -> tuple[str, list[Enrolment]]:
        """The periodic review (复核) on a fresh assessment: an unchanged amount is kept
        (next review set); a changed one ends this month and starts anew next month.
        Returns the outcome (unchanged / changed / ineligible) and the new enrolments."""
        outcome, new = "unchanged", []
        for row in enrolments:
            result = assessment.outcome(row.aid)
            if result.status != "eligible":
                outcome = "ineligible"
                continue
            due = limits.review_due(row.aid, row.review_interval, on)
            if result.amount == row.monthly_amount:
                row.review_due = due
                continue
            outcome = "changed" if outcome == "unchanged" else outcome
            row.ends_on, row.review_due = last_of_month(on), None
            new.append(Enrolment(household_id=row.household_id, case_id=row.case_id,
                                 aid=row.aid, starts_on=first_of_next_month(on),
                                 monthly_amount=result.amount,
                                 review_interval=row.review_interval, review_due=due))
        self.stepped("reviewed", on)
        return outcome, new

    def exit(self, by: str, on: date, reason: str, grace_months: int, because_of_work: bool,
             limits: TimeLimits, enrolments: Iterable[Enrolment]) -> Exit:
        """Off the rolls. A grace period (渐退期) only when a member's job lifted the income,
        up to the policy's maximum; every open enrolment ends on the last day paid."""
        by = person(by, f"{self.ref}: the deciding officer")
        most = limits.grace_max_months
        if grace_months and not because_of_work:
            raise IllegalMove(f"{self.ref}: a grace period is allowed only when a "
                              "member's work lifted the income (because_of_work)")
        if not 0 <= grace_months <= most:
            raise IllegalMove(f"{self.ref}: grace_months={grace_months} is outside "
                              f"0..{most} (grace_period.max_months)")
        if not reason.strip():
            raise IllegalMove(f"{self.ref}: an exit needs written reasons")
        paid_until = last_of_month(add_months(on, grace_months))
        for row in enrolments:  # one not yet started ends before it starts
            row.ends_on, row.review_due = paid_until, None
        self.state = State.exited
        self.stepped("exited", on)
        assert self.id is not None
        return Exit(self.id, on, by, reason, grace_months, paid_until)
