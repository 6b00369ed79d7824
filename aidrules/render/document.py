"""The assessment as a JSON document (docs/assessment-json.md): compact by default, the
full trace on request.

Compact is what a register, a ledger of many households or a stream of JSON Lines
needs: per aid type the outcome, the amount and what it is paid per, the facts missing
and what decided it (the rules that granted it, the criteria that failed or could not
be judged), in a few KB. Full adds the names, the sentences and every rule and
criterion with its values, thresholds and parameters.

Reads results as data and imports no engine code (the engine's results call it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from aidrules.render.words import money_text

if TYPE_CHECKING:
    from aidrules.engine.results import AidResult, Assessment, RuleTrace

SCHEMA = "aidrules.assessment/2"
DETAILS = ("compact", "full")


def document(assessment: Assessment, detail: str = "compact") -> dict[str, Any]:
    """``assessment`` as plain JSON (text, numbers as exact text, lists, mappings)."""
    if detail == "full":
        full = plain(attrs.asdict(assessment, recurse=True))
        for shown, result in zip(full["results"], assessment.results, strict=True):
            shown["deciding"] = deciding(result)  # one shape at every detail
        return {"schema": SCHEMA, "detail": "full", **full}
    if detail != "compact":
        raise ValueError(f"detail={detail!r}; expected one of {', '.join(DETAILS)}")
    return {
        "schema": SCHEMA, "detail": "compact",
        "application_id": assessment.application_id, "jurisdiction": assessment.jurisdiction,
        "on": assessment.on.isoformat(), "rulebook": dict(assessment.rulebook),
        "policy_version": assessment.policy_version,
        "results": [compact_result(r) for r in assessment.results],
        "risk_level": assessment.risk_level,
        "referrals": [{"brand": r.brand, "rule": r.rule, "departments": list(r.departments)}
                      for r in assessment.referrals],
    }


def compact_result(result: AidResult) -> dict[str, Any]:
    return {"aid": result.aid, "status": result.status.value,
            "amount": plain(result.amount), "amount_max": plain(result.amount_max),
            "period": result.period, "missing": list(result.missing),
            "members": list(result.members), "deciding": deciding(result)}


def deciding(result: AidResult) -> list[dict[str, Any]]:
    """What decided ``result``: for ``eligible`` the rules that granted it (those another
    granting rule overrides left out); for ``ineligible`` each rule that failed with the
    criteria that failed in it; for ``undetermined`` each rule that could not be judged
    with the criteria that could not. Read from the rule traces; without traces (an
    assessment made without reasons) from what the engine names, if anything."""
    if not result.rules:
        return [_named(item) for item in getattr(result, "deciding", None) or ()]
    if result.status == "eligible":
        granted = [t for t in result.rules if t.result == "true"]
        beaten = {rule for t in granted for rule in t.overrides}
        return [{"rule": t.rule, "member": t.member} for t in granted if t.rule not in beaten]
    wanted = "false" if result.status == "ineligible" else "unknown"
    return [{"rule": t.rule, "member": t.member, "criteria": _criteria(t, wanted)}
            for t in result.rules if t.result == wanted]


def _criteria(trace: RuleTrace, wanted: str) -> list[dict[str, Any]]:
    found = []
    for c in trace.criteria:
        if c.result == wanted:
            entry: dict[str, Any] = {"criterion": c.text}
            if isinstance(c.left, Fraction) and isinstance(c.right, Fraction):
                entry["left"], entry["right"] = money_text(c.left), money_text(c.right)
            found.append(entry)
    return found


def _named(item: Any) -> dict[str, Any]:
    """A deciding rule as the engine names it: an id, (id, member), or a record."""
    if isinstance(item, str):
        return {"rule": item, "member": None}
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return {"rule": item[0], "member": item[1]}
    return plain(attrs.asdict(item) if attrs.has(type(item)) else item)


def plain(value: Any) -> Any:
    """Decimals and fractions as exact text, dates as ISO text, enums as their value,
    containers recursively."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Fraction):
        return money_text(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
