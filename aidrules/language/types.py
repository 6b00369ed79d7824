"""The types the checker knows, and the schema of facts and parameters it checks against."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

NUMERIC = frozenset({"int", "number", "money"})
PERIODS = ("month", "year", "once")
PERIOD_NAMES = {"month": "an amount per month", "year": "an amount per year",
                "once": "a one-off amount"}
#: The period of a money parameter's unit.
UNIT_PERIODS = {"yuan/month": "month", "yuan/year": "year", "yuan": "once"}


@attrs.frozen
class Type:
    """``kind`` is one of bool, int, number, money, text, text_list, rounding, collection, aid,
    table.

    ``values`` lists the allowed texts of a closed vocabulary; ``entity`` names the
    items of a collection; ``literal`` marks a number written in the rule, which may
    stand for an amount of money of any period (``per_capita_income < 700``).

    ``period`` is what an amount of money is per: ``month``, ``year`` or ``once`` (a
    one-off sum, or a balance such as savings). For a whole number it may be ``months``:
    a count of months, so that a monthly amount times it is a sum (``once``)."""

    kind: str
    entity: str | None = None
    values: frozenset[str] | None = None
    literal: bool = False
    keys: tuple[str | int, ...] | None = None  # a table's keys, in declared order
    item: Type | None = None  # a table's entries
    period: str | None = None  # money: month | year | once; a whole number: months or None

    def __str__(self) -> str:
        if self.kind == "collection":
            return f"a list of {self.entity}s"
        if self.kind == "money" and self.period in PERIOD_NAMES:
            return PERIOD_NAMES[self.period]
        return {"bool": "true/false", "int": "a whole number", "number": "a number",
                "money": "an amount of money", "text": "a text", "text_list": "a list of texts",
                "rounding": "a rounding rule", "aid": "an aid type", "table": "a table"}[self.kind]

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC


BOOL = Type("bool")
INT = Type("int")
NUMBER = Type("number")
MONEY = Type("money", period="month")  # an amount per month, the usual case
MONEY_PER_YEAR = Type("money", period="year")
MONEY_ONCE = Type("money", period="once")
MONTHS = Type("int", period="months")  # a number of months
TEXT = Type("text")
TEXT_LIST = Type("text_list")
ROUNDING = Type("rounding")


def money_per(period: str) -> Type:
    """Money paid per ``period`` (month, year or once)."""
    return Type("money", period=period)


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
