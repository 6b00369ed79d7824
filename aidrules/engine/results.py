"""What an assessment returns: per aid type a status, an amount and the reasons behind it.

Results are data: an :class:`Outcome` per aid type, a :class:`Truth` per rule and
criterion, values, thresholds and parameters. The words for them and the JSON document
(``to_json``, compact or full, docs/assessment-json.md) are made in :mod:`aidrules.render`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs

from aidrules.errors import UnknownAidError
from aidrules.render.document import SCHEMA, document
from aidrules.render.words import money_text

__all__ = ["SCHEMA", "AidResult", "Assessment", "CriterionResult", "Outcome", "ParameterUse",
           "Referral", "RuleTrace", "Truth", "money_text"]


class Outcome(StrEnum):
    """An aid type's status. A str enum: it compares, hashes and serialises as its value."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    UNDETERMINED = "undetermined"


class Truth(StrEnum):
    """The three-valued result of a criterion or a rule (Kleene logic)."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


# Converters by lookup (a member is equal to its value): cheap on the hot path.
_OUTCOMES: dict[str, Outcome] = {o.value: o for o in Outcome}
_TRUTHS: dict[str, Truth] = {t.value: t for t in Truth}


def _outcome(value: str) -> Outcome:
    return _OUTCOMES[value]


def _truth(value: str) -> Truth:
    return _TRUTHS[value]


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
    result: Truth = attrs.field(converter=_truth)
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
    result: Truth = attrs.field(converter=_truth)
    fired: bool
    criteria: tuple[CriterionResult, ...]
    member: int | None = None
    overrides: tuple[str, ...] = ()  # the rules this one takes precedence over (rule files)
    special: bool = False  # a way in only some households take (rule files: special: true)


@attrs.frozen
class AidResult:
    aid: str
    name: str
    name_en: str
    status: Outcome = attrs.field(converter=_outcome)
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

    def to_json(self, detail: str = "compact") -> dict[str, Any]:
        """The JSON document: ``compact`` (statuses, amounts, missing facts, what decided)
        or ``full`` (every rule and criterion with its values and parameters)."""
        return document(self, detail)
