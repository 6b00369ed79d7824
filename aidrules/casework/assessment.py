"""An assessment as the case file keeps it: what a decision, an enrolment and a review
read from it, as one typed value read once from the assessment document (instead of
looking keys up in the JSON text wherever a step needs one)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from aidrules.casework.errors import IllegalMove
from aidrules.errors import UnknownAidError


@attrs.frozen
class AidOutcome:
    """One aid's result: its status and, where eligible, the amount and what it is paid per."""
    aid: str
    status: str  # eligible | ineligible | undetermined | ...
    amount: str | None  # exact decimal text
    period: str  # month, or once (an aid paid once); assessments stored before periods: month


@attrs.frozen
class ReferralDue:
    """A referral the assessment found (a brand's departments, and why)."""
    brand: str
    departments: tuple[str, ...]
    reason: str


@attrs.frozen
class StoredAssessment:
    """The parts of an assessment the procedure acts on, with where and when it was made."""
    household_id: str
    application_id: int
    case_id: int | None
    on: date
    jurisdiction: str
    rulebook_version: str
    rulebook_digest: str
    policy_version: str
    risk_level: str | None
    results: tuple[AidOutcome, ...]
    referrals: tuple[ReferralDue, ...]
    id: int | None = None

    @classmethod
    def of(cls, document: Mapping[str, Any], *, household_id: str, application_id: int,
           case_id: int | None, on: date, id: int | None = None) -> StoredAssessment:
        """From an assessment document (``Assessment.to_json()``)."""
        return cls(
            household_id=household_id, application_id=application_id, case_id=case_id, on=on,
            jurisdiction=document["jurisdiction"],
            rulebook_version=document["rulebook"]["version"],
            rulebook_digest=document["rulebook"]["digest"],
            policy_version=document["policy_version"], risk_level=document.get("risk_level"),
            results=tuple(AidOutcome(r["aid"], r["status"], r.get("amount"),
                                     r.get("period") or "month")
                          for r in document["results"]),
            referrals=tuple(ReferralDue(r["brand"], tuple(r["departments"]), r["reason"])
                            for r in document.get("referrals", ())),
            id=id)

    @property
    def eligible(self) -> list[str]:
        return [r.aid for r in self.results if r.status == "eligible"]

    def outcome(self, aid: str) -> AidOutcome:
        for result in self.results:
            if result.aid == aid:
                return result
        raise UnknownAidError(aid, (r.aid for r in self.results))

    def approvable(self, case_id: int, aids: Sequence[str] | None) -> list[str]:
        """The aids a decision approves: those named (each must be eligible), or every
        eligible one; at least one."""
        eligible = self.eligible
        chosen = list(aids) if aids is not None else eligible
        for aid in chosen:
            self.outcome(aid)  # an aid the rule book does not know is its own error
        wrong = [aid for aid in chosen if aid not in eligible]
        if wrong or not chosen:
            raise IllegalMove(f"case {case_id}: cannot approve {', '.join(wrong) or 'nothing'}; "
                              f"the assessment finds eligible: {', '.join(eligible) or 'none'} "
                              "(refuse with reasons instead)")
        return chosen
