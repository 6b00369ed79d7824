"""An assessment as the case file keeps it: what a decision, an enrolment and a review
read from it, as one typed value read once from the assessment document (instead of
looking keys up in the JSON text wherever a step needs one)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from aidrules.casework.errors import IllegalMove
from aidrules.errors import UnknownAidError
from aidrules.rulebook.book import RuleBook


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


# ---- the stored form ------------------------------------------------------------------

STORED_SCHEMA = "aidrules.stored-assessment/1"
_KEPT = ("application_id", "jurisdiction", "on", "rulebook", "policy_version", "risk_level")


def compact(document: Mapping[str, Any], full_sha256: str) -> dict[str, Any]:
    """What the case file keeps of an assessment document: per aid its status, amounts
    and period, the facts missing, and the deciding criteria (each rule's result, with
    the criteria that did not hold: text, result, the two sides); the referrals; the
    rule book and policy version it was made under; and the sha256 of the full document,
    which is recomputed exactly from the facts on file (:func:`is_compact`)."""
    return {"schema": STORED_SCHEMA, "full_sha256": full_sha256,
            **{key: document[key] for key in _KEPT if key in document},
            "results": [_compact_result(r) for r in document["results"]],
            "referrals": [{"brand": r["brand"], "departments": list(r["departments"]),
                           "reason": r["reason"]} for r in document.get("referrals", ())]}


def _compact_result(result: Mapping[str, Any]) -> dict[str, Any]:
    return {**{key: result.get(key) for key in ("aid", "name", "name_en", "status", "amount",
                                                "amount_max", "period")},
            "missing": list(result.get("missing", ())),
            "members": list(result.get("members", ())),
            "deciding": [{"rule": trace["rule"], "member": trace.get("member"),
                          "result": trace["result"], "fired": trace["fired"],
                          "criteria": [{key: c.get(key) for key in
                                        ("text", "result", "left", "right", "member")}
                                       | {"missing": list(c.get("missing", ()))}
                                       for c in trace["criteria"] if c["result"] != "true"]}
                         for trace in result.get("rules", ())]}


def is_compact(stored: Mapping[str, Any]) -> bool:
    """Stored compact (since ledger schema 0009_casework), not as the full document."""
    return stored.get("schema") == STORED_SCHEMA


# ---- assessments made by the population screening ------------------------------------

SCREENING = "screening"  # made_by: the columnar screening's row, not a per-case document


def is_screened(stored: Mapping[str, Any]) -> bool:
    """Stored from a screening row (docs/screening.md): no full document was made, so
    none is hashed; the full reasons are recomputed on demand and must agree with it."""
    return stored.get("made_by") == SCREENING


def outcomes(document: Mapping[str, Any]) -> dict[str, Any]:
    """What a screening row and a per-case document both say, in one comparable shape:
    per aid its status, amounts in fen, period, facts missing and deciding rules (ids);
    the risk colour and the referral rules."""
    return {"risk_level": document.get("risk_level"),
            "referrals": sorted(r["rule"] for r in document.get("referrals", ())),
            "results": {r["aid"]: {"status": r["status"], "amount_fen": _fen(r.get("amount")),
                                   "amount_max_fen": _fen(r.get("amount_max")),
                                   "period": r.get("period") or "month",
                                   "missing": sorted(r.get("missing", ())),
                                   "deciding": sorted({d["rule"] for d in r.get("deciding", ())})}
                        for r in document["results"]}}


def _fen(amount: str | None) -> int | None:
    if amount is None:
        return None
    fen = Decimal(amount) * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"amount {amount} is not a whole number of fen")
    return int(fen)


def screened(book: RuleBook, row: Mapping[str, Any], jurisdiction: str, on: date,
                    policy_version: str) -> dict[str, Any]:
    """The stored form of one screening row (``Screener.screen(...).to_pylist()``), marked
    ``made_by: screening``: what the row says, and no hash of a full document, since none
    was made; the ledger recomputes the full reasons on demand and checks they agree."""
    return {"schema": STORED_SCHEMA, "made_by": SCREENING, "full_sha256": None,
            "application_id": row["application_id"], "jurisdiction": jurisdiction,
            "on": on.isoformat(),
            "rulebook": {"name": book.name, "version": book.version, "digest": book.digest},
            "policy_version": policy_version, "risk_level": row["risk_level"],
            "results": [_screened_result(book, aid, row) for aid in book.aids],
            "referrals": [_referral(book, rule_id) for rule_id in row["referrals"]]}


def _screened_result(book: RuleBook, aid: str, row: Mapping[str, Any]) -> dict[str, Any]:
    info = book.aids[aid]
    return {"aid": aid, "name": info.name, "name_en": info.name_en, "status": row[aid],
            "amount": _yuan(row[f"{aid}.amount_fen"]),
            "amount_max": _yuan(row[f"{aid}.amount_max_fen"]), "period": info.period,
            "missing": list(row[f"{aid}.missing"]), "members": [],
            "deciding": [{"rule": rule_id} for rule_id in row[f"{aid}.deciding"]]}


def _referral(book: RuleBook, rule_id: str) -> dict[str, Any]:
    rule = book.rule(rule_id)
    brand = book.brands[rule.conclusion.value]
    return {"brand": brand.id, "departments": list(brand.departments),
            "reason": rule.reason or rule.title, "rule": rule_id}


def _yuan(fen: int | None) -> str | None:
    return None if fen is None else str(Decimal(fen) / 100)
