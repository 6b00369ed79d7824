"""What a loaded rule book holds: aid types, derived facts, rules and how they combine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from aidrules.language import ast
from aidrules.language.types import Schema, Type

if TYPE_CHECKING:
    from aidrules.policy import PolicyTree


@attrs.frozen
class Basis:
    """The legal basis of a rule: the document and, where known, the article."""

    document: str
    article: str | None = None

    def __str__(self) -> str:
        return f"{self.document} {self.article}" if self.article else self.document


@attrs.frozen
class Aid:
    id: str
    name: str  # Chinese
    name_en: str
    brand: str | None = None  # 助医, 助学, …: the brand whose department receives referrals
    period: str | None = None  # month | year | once: what an amount of this aid is paid per


PERIODS = ("month", "year", "once")


@attrs.frozen
class Brand:
    id: str
    name: str
    name_en: str
    departments: tuple[str, ...]


@attrs.frozen
class Located:
    file: str
    line: int
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@attrs.frozen
class DerivedFact:
    id: str
    title: str
    title_en: str
    scope: str  # household | member
    formula: ast.Expr
    type: Type
    reads: frozenset[str]  # facts and parameters the formula reads
    at: Located
    nonzero: bool = False  # declared never 0 (validation guarantees it): a safe divisor


@attrs.frozen
class Criterion:
    test: ast.Expr
    text: str  # as written
    title: str | None
    title_en: str | None
    reads: frozenset[str]
    aids: frozenset[str]  # aid types whose status it reads
    at: Located
    reason: str | None = None  # plain words for when it does not hold: {value} {compare} {limit}
    reason_en: str | None = None


@attrs.frozen
class Conclusion:
    """What a rule concludes when it holds: an aid, a referral under a brand, or a risk level."""

    kind: str  # aid | referral | risk
    value: str  # aid id, brand id or colour


@attrs.frozen
class Rule:
    id: str
    title: str
    title_en: str
    conclusion: Conclusion
    scope: str
    basis: Basis
    criteria: tuple[Criterion, ...]
    amount: ast.Expr | None
    amount_max: ast.Expr | None
    overrides: tuple[str, ...]
    reason: str | None
    reason_en: str | None
    at: Located
    note: str | None = None  # free text for readers, shown in the generated rule-book page
    # The `examples:` list as written (YAML mappings that keep their line marks), read as
    # cases by aidrules.cases; the rule book itself does not interpret them.
    examples: Sequence[Any] = attrs.field(default=(), eq=False, repr=False)
    # `special: true`: a way into the aid only some households take (a grace period for
    # those already receiving it), not the household's own test: a refusal gives its
    # reasons only when the ordinary rules have none (docs/rule-language.md)
    special: bool = False

    @property
    def aid(self) -> str | None:
        return self.conclusion.value if self.conclusion.kind == "aid" else None


@attrs.frozen
class ExclusiveGroup:
    """Aid types of which one household holds at most one; earlier ones win."""

    id: str
    title: str
    order: tuple[str, ...]
    basis: Basis
    at: Located
    reason: str | None = None  # why a lower aid is not granted: {aid} names the one held
    reason_en: str | None = None

    def higher_than(self, aid: str) -> tuple[str, ...]:
        return self.order[: self.order.index(aid)] if aid in self.order else ()


@attrs.frozen
class RuleBook:
    name: str
    version: str  # as declared in book.yaml
    digest: str  # sha256 of every rule file: what caches key on
    aids: Mapping[str, Aid]
    brands: Mapping[str, Brand]
    risk_levels: tuple[str, ...]  # most severe first
    exclusive: tuple[ExclusiveGroup, ...]
    facts: tuple[DerivedFact, ...]  # in the order they are computed
    rules: tuple[Rule, ...]
    schema: Schema
    policies: PolicyTree

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def group_of(self, aid: str) -> ExclusiveGroup | None:
        return next((g for g in self.exclusive if aid in g.order), None)

    def depends_on(self, names: Iterable[str]) -> set[str]:
        """The names given and every name they read, through the derived facts."""
        derived = {f.id: f for f in self.facts}
        seen: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(derived[name].reads if name in derived else ())
        return seen

    def rules_for(self, aid: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.aid == aid)
