"""Applications as tables: one table per entity of the fact schema, one row per item.

The rows come from the same base facts the per-case path reads
(:func:`aidrules.rulebook.facts.base_facts`), so both paths start from identical values.
Money is a whole number of :data:`MONEY_UNITS` per yuan (1/1200 yuan: whole fen, and a
yearly amount in fen over twelve months, are both whole); an unreported value is NULL,
and an unreported list is marked by ``<list>__known = false`` on its owner."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs
import pyarrow as pa

from aidrules import model
from aidrules.errors import AidrulesError
from aidrules.language.evaluator import UNKNOWN, Env
from aidrules.language.types import Type
from aidrules.rulebook.facts import base_facts
from aidrules.rulebook.schema import BASE_FACTS

MONEY_UNITS = 1200  # per yuan

# table → (its parent table, the key column it adds to its parent's keys). A table holds
# one entity of the schema; incomes of members and of the household are two tables.
PARENT: dict[str, tuple[str | None, str]] = {
    "household": (None, "household"),
    "member": ("household", "member"),
    "income": ("member", "income"),
    "household_income": ("household", "household_income"),
    "vehicle": ("household", "vehicle"),
    "expenditure": ("household", "expenditure"),
    "supporter": ("household", "supporter"),
    "emergency": ("household", "emergency"),
}


class TableError(AidrulesError, ValueError):
    """An application value that has no exact place in the tables."""


def keys(table: str) -> tuple[str, ...]:
    """The key columns of a table: its ancestors' keys, then its own (unique in the table,
    so a row joins its parent on one column)."""
    parent, own = PARENT[table]
    return (*(keys(parent) if parent else ()), f"{own}_key")


def ident(table: str) -> str:
    """The column that identifies a row of ``table``, and its children's rows' parent."""
    return keys(table)[-1]


ENTITY = {"household_income": "income"}  # table → the schema entity of its rows
_TABLE_OF = {("household", "household_incomes"): "household_income"}


def entity_of(table: str) -> str:
    return ENTITY.get(table, table)


def table_of(owner: str, collection: str) -> str:
    """The table holding the items of ``owner``'s ``collection``."""
    if (owner, collection) in _TABLE_OF:
        return _TABLE_OF[owner, collection]
    item = BASE_FACTS[entity_of(owner)][collection].entity
    if item is None:
        raise ValueError(f"{owner}.{collection} is not a list")
    return item


@attrs.define
class Tables:
    """Row lists per entity, turned into Arrow tables by :meth:`arrow`."""

    rows: dict[str, list[dict[str, Any]]] = attrs.Factory(lambda: {e: [] for e in PARENT})
    application_ids: list[str] = attrs.Factory(list)

    counts: dict[str, int] = attrs.Factory(lambda: dict.fromkeys(PARENT, 0))

    def add(self, application: model.Application) -> None:
        self.application_ids.append(application.application_id)
        facts = base_facts(application)
        self._add("household", facts.household, ())

    def _add(self, table: str, env: Env, ancestors: tuple[int, ...]) -> None:
        key = (*ancestors, self.counts[table])
        self.counts[table] += 1
        row = dict(zip(keys(table), key, strict=True))
        for name, kind in BASE_FACTS[entity_of(table)].items():
            value = env.fields.get(name, UNKNOWN)
            if kind.kind == "collection":
                row[f"{name}__known"] = value is not UNKNOWN
                for item in () if value is UNKNOWN else value:
                    self._add(table_of(table, name), item, key)
            else:
                row[name] = cell(name, kind, value)
        self.rows[table].append(row)

    def arrow(self) -> dict[str, pa.Table]:
        found = {entity: pa.Table.from_pylist(rows, schema=arrow_schema(entity))
                 for entity, rows in self.rows.items()}
        found["household"] = found["household"].append_column(
            "application_id", pa.array(self.application_ids, pa.string()))
        return found


def tables_from_applications(applications: Iterable[model.Application]) -> dict[str, pa.Table]:
    """One Arrow table per entity (household, member, income, vehicle, …)."""
    tables = Tables()
    for application in applications:
        tables.add(application)
    return tables.arrow()


def cell(name: str, kind: Type, value: Any) -> Any:
    if value is UNKNOWN:
        return None
    if kind.kind == "money":
        scaled = Fraction(value) * MONEY_UNITS
        if scaled.denominator != 1:
            raise TableError(f"{name}={value} is not a whole number of 1/{MONEY_UNITS} yuan")
        return int(scaled)
    if kind.kind in ("int", "number"):
        if Fraction(value).denominator != 1:
            raise TableError(f"{name}={value} must be a whole number")
        return int(value)
    return value


_ARROW = {"bool": pa.bool_(), "text": pa.string(), "int": pa.int64(), "number": pa.int64(),
          "money": pa.int64()}


def arrow_schema(table: str) -> pa.Schema:
    fields = [pa.field(k, pa.int64()) for k in keys(table)]
    for name, kind in BASE_FACTS[entity_of(table)].items():
        if kind.kind == "collection":
            fields.append(pa.field(f"{name}__known", pa.bool_()))
        else:
            fields.append(pa.field(name, _ARROW[kind.kind]))
    return pa.schema(fields)
