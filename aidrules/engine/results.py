"""What an assessment returns: per aid type a status, an amount and the reasons behind it.

Everything converts to plain JSON (``to_json``) in a stable, versioned shape
documented in docs/assessment-json.md."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from aidrules.errors import UnknownAidError

SCHEMA = "aidrules.assessment/1"


@attrs.frozen
class ParameterUse:
    name: str
    value: Any
    unit: str
    effective_from: date
    jurisdiction: str
    source: str | None
    assumed: str | None


@attrs.frozen
class CriterionResult:
    text: str
    title: str | None
    title_en: str | None
    result: str  # true | false | unknown
    left: Any = None
    right: Any = None
    margin: Any = None  # left − right, for comparisons of numbers
    facts: dict[str, Any] = attrs.Factory(dict)
    parameters: tuple[ParameterUse, ...] = ()
    missing: tuple[str, ...] = ()
    member: int | None = None
    reason: str | None = None  # the rule file's plain words for when it does not hold
    reason_en: str | None = None


@attrs.frozen
class RuleTrace:
    rule: str
    title: str
    title_en: str
    basis: str
    result: str  # true | false | unknown
    fired: bool
    criteria: tuple[CriterionResult, ...]
    member: int | None = None


@attrs.frozen
class AidResult:
    aid: str
    name: str
    name_en: str
    status: str  # eligible | ineligible | undetermined
    amount: Decimal | None
    amount_max: Decimal | None
    summary: str
    summary_en: str
    missing: tuple[str, ...] = ()
    members: tuple[int, ...] = ()  # members enrolled on their own (单人保)
    rules: tuple[RuleTrace, ...] = ()
    period: str | None = None  # month | year | once: what amount and amount_max are paid per
    # the rules that settled the status: those that fired (eligible), every rule of the
    # aid type (ineligible), or those the engine could not settle (undetermined)
    deciding: tuple[str, ...] = ()


@attrs.frozen
class Referral:
    brand: str
    name: str
    departments: tuple[str, ...]
    reason: str
    reason_en: str
    rule: str


@attrs.frozen
class Assessment:
    application_id: str
    jurisdiction: str
    on: date
    rulebook: dict[str, str]
    policy_version: str
    results: tuple[AidResult, ...]
    risk_level: str | None
    risk_reason: str | None
    risk_reason_en: str | None
    referrals: tuple[Referral, ...]

    def result(self, aid: str) -> AidResult:
        """The result for ``aid``; UnknownAidError (with a did-you-mean) for an unknown id."""
        found = next((r for r in self.results if r.aid == aid), None)
        if found is None:
            raise UnknownAidError(aid, (r.aid for r in self.results))
        return found

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, **_plain(attrs.asdict(self, recurse=True))}


def _plain(value: Any) -> Any:
    """Decimals and fractions as exact text, dates as ISO text, containers recursively."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Fraction):
        return money_text(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def money_text(value: Fraction) -> str:
    """An exact number as text: 1420, 712.5, or 1/6 when no decimal is exact."""
    if value.denominator == 1:
        return str(value.numerator)
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        return format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return f"{value.numerator}/{value.denominator}"
