"""The types the checker knows, and the schema of facts and parameters it checks against."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

NUMERIC = frozenset({"int", "number", "money"})


@attrs.frozen
class Type:
    """``kind`` is one of bool, int, number, money, text, text_list, rounding, collection, aid,
    table.

    ``values`` lists the allowed texts of a closed vocabulary; ``entity`` names the
    items of a collection; ``literal`` marks a number written in the rule, which may
    stand for an amount of money (``per_capita_income < 700``)."""

    kind: str
    entity: str | None = None
    values: frozenset[str] | None = None
    literal: bool = False
    keys: tuple[str | int, ...] | None = None  # a table's keys, in declared order
    item: Type | None = None  # a table's entries

    def __str__(self) -> str:
        if self.kind == "collection":
            return f"a list of {self.entity}s"
        return {"bool": "true/false", "int": "a whole number", "number": "a number",
                "money": "an amount of money", "text": "a text", "text_list": "a list of texts",
                "rounding": "a rounding rule", "aid": "an aid type", "table": "a table"}[self.kind]

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC


BOOL = Type("bool")
INT = Type("int")
NUMBER = Type("number")
MONEY = Type("money")
TEXT = Type("text")
TEXT_LIST = Type("text_list")
ROUNDING = Type("rounding")


def text_of(*values: str) -> Type:
    return Type("text", values=frozenset(values))


def table_of(keys: tuple[str | int, ...], item: Type) -> Type:
    """A table parameter: ``lookup(table, key)`` gives an ``item``."""
    return Type("table", keys=keys, item=item)


def collection_of(entity: str) -> Type:
    return Type("collection", entity=entity)


@attrs.frozen
class Schema:
    """What an expression may name: entity fields (household, member, …), parameters, aids.

    ``entities['household']`` maps fact names to types; a collection field points at
    another entity (``members`` → ``member``)."""

    entities: Mapping[str, Mapping[str, Type]]
    parameters: Mapping[str, Type]
    aids: frozenset[str]

    def with_fields(self, entity: str, fields: Mapping[str, Type]) -> Schema:
        merged = dict(self.entities)
        merged[entity] = {**self.entities[entity], **fields}
        return attrs.evolve(self, entities=merged)
