"""A screening row as the case file keeps an assessment: the compact stored form
(``aidrules.stored-assessment/1``) marked ``made_by: screening``. It holds what the row
says (statuses, amounts, deciding rules, missing facts, risk, referrals) and no hash of a
full document, since none was made: the ledger recomputes the full reasons on demand and
checks they agree with it (aidrules.ledger.replay)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from aidrules.rulebook.book import RuleBook

SCREENING = "screening"  # as aidrules.casework.assessment.SCREENING (columnar may not import it)
STORED_SCHEMA = "aidrules.stored-assessment/1"


def stored_document(book: RuleBook, row: Mapping[str, Any], jurisdiction: str, on: date,
                    policy_version: str) -> dict[str, Any]:
    """The stored form of one screening row (``Screener.screen(...).to_pylist()``)."""
    return {"schema": STORED_SCHEMA, "made_by": SCREENING, "full_sha256": None,
            "application_id": row["application_id"], "jurisdiction": jurisdiction,
            "on": on.isoformat(),
            "rulebook": {"name": book.name, "version": book.version, "digest": book.digest},
            "policy_version": policy_version, "risk_level": row["risk_level"],
            "results": [_result(book, aid, row) for aid in book.aids],
            "referrals": [_referral(book, rule_id) for rule_id in row["referrals"]]}


def _result(book: RuleBook, aid: str, row: Mapping[str, Any]) -> dict[str, Any]:
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
