"""An applicant's challenge of a decision: administrative reconsideration (行政复议) or a
lawsuit (行政诉讼); its deadline, the body's time limit, the outcome, and the re-decision
an outcome orders. Pure: the periods are policy parameters with their legal basis.

- Reconsideration: within ``notice.reconsideration_days`` (60) of the day the applicant
  knew or should have known of the decision (《行政复议法》(2023修订) 第二十条); the body
  decides within ``appeal.reconsideration_decision_days`` (60) of accepting it, extended
  by at most ``appeal.reconsideration_extension_days`` (30) with approval (第六十二条).
- Lawsuit: within ``notice.lawsuit_months`` (6) of knowing the decision (《行政诉讼法》
  第四十六条), or within ``appeal.lawsuit_after_reconsideration_days`` (15) of receiving the
  reconsideration decision (第四十五条).
- Counting: the first day is not counted, and a period whose last day is a public holiday
  or rest day ends on the next working day (the Civil Procedure Law's rules on periods,
  which 《行政复议法》第八十八条 and 《行政诉讼法》第一百零一条 apply).
- Outcomes: ``upheld`` (维持 / 驳回), ``changed`` (变更, the body changed the decision
  itself) or ``revoked`` (撤销, the body orders a new decision by a date it sets).
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

import attrs

from aidrules.casework.calendar import WorkCalendar
from aidrules.errors import AidrulesError

KINDS = ("reconsideration", "lawsuit")
OUTCOMES = ("upheld", "changed", "revoked")
PARAMETERS = {
    "reconsideration_days": "notice.reconsideration_days",
    "lawsuit_months": "notice.lawsuit_months",
    "lawsuit_after_reconsideration_days": "appeal.lawsuit_after_reconsideration_days",
    "decision_days": "appeal.reconsideration_decision_days",
    "extension_days": "appeal.reconsideration_extension_days",
}


class ChallengeError(AidrulesError, ValueError):
    """A challenge the law does not allow as given (late, an unknown outcome, ...)."""


@attrs.frozen
class ChallengeLaw:
    """The periods in force for one jurisdiction on one day."""
    reconsideration_days: int
    lawsuit_months: int
    lawsuit_after_reconsideration_days: int
    decision_days: int
    extension_days: int

    @classmethod
    def of(cls, policies: object, jurisdiction: str, on: date) -> ChallengeLaw:
        value = policies.value  # type: ignore[attr-defined]
        return cls(**{field: int(value(name, jurisdiction, on).value)
                      for field, name in PARAMETERS.items()})


def period_end(last: date, calendar: WorkCalendar) -> date:
    """A period's last day, moved to the next working day when it is a day off."""
    while not calendar.is_working_day(last):
        last += timedelta(days=1)
    return last


def plus_months(day: date, months: int) -> date:
    """The corresponding day ``months`` later, or that month's last day when it has none
    (a period counted in months ends on the corresponding day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def filing_deadline(kind: str, knew_on: date, law: ChallengeLaw, calendar: WorkCalendar,
                    reconsidered_on: date | None = None) -> date:
    """The last day to file: ``knew_on`` is the day the applicant knew of the decision
    (for a lawsuit after reconsideration, ``reconsidered_on`` is the day the
    reconsideration decision was received)."""
    if kind == "reconsideration":
        return period_end(knew_on + timedelta(days=law.reconsideration_days), calendar)
    if kind == "lawsuit" and reconsidered_on is not None:
        return period_end(reconsidered_on + timedelta(
            days=law.lawsuit_after_reconsideration_days), calendar)
    if kind == "lawsuit":
        return period_end(plus_months(knew_on, law.lawsuit_months), calendar)
    raise ChallengeError(f"a challenge is {' or '.join(KINDS)}, not {kind!r}")


def check_filing(kind: str, filed_on: date, deadline: date, late_reason: str | None) -> None:
    """A challenge filed after its deadline needs the reason (force majeure or another
    justified cause, 《行政复议法》第二十条第二款) recorded; otherwise it is refused."""
    if filed_on > deadline and not (late_reason or "").strip():
        raise ChallengeError(f"the {kind} was filed on {filed_on}, after its deadline "
                             f"{deadline}; record why the deadline was missed (a justified "
                             "cause) or refuse it")


def decide_by(kind: str, filed_on: date, law: ChallengeLaw, extended: bool = False
              ) -> date | None:
    """The reconsideration body's own time limit (None for a court: it is not ours)."""
    if kind != "reconsideration":
        return None
    return filed_on + timedelta(days=law.decision_days + (law.extension_days if extended else 0))


def check_outcome(outcome: str, redecide_by: date | None, decided_on: date) -> None:
    """A revocation orders a new decision by a date; the other outcomes may set one."""
    if outcome not in OUTCOMES:
        raise ChallengeError(f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
    if outcome == "revoked" and redecide_by is None:
        raise ChallengeError("a revoked decision must be decided anew: give the date the "
                             "body set for it (redecide_by)")
    if redecide_by is not None and redecide_by < decided_on:
        raise ChallengeError(f"the new decision cannot be due ({redecide_by}) before the "
                             f"outcome ({decided_on})")
    if outcome == "upheld" and redecide_by is not None:
        raise ChallengeError("an upheld decision stands: no new decision is due")
