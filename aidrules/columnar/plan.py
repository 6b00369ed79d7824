"""A rule book and a policy snapshot as one SQL query over the entity tables.

The query is a chain of common table expressions: each step adds columns to one
entity's table (a derived fact, the rules of one conclusion, their amounts), reading
the latest table of the entity and of its ancestors, and aggregates over a list as a
grouped sub-query joined on the owner's keys. Conclusions are settled in the per-case
path's dependency order, with its exclusive groups and overrides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from aidrules.columnar.expressions import (
    Column,
    Link,
    NotCompiled,
    Num,
    Scope,
    Sql,
    Value,
    compile_expr,
    floor_division,
    num,
    text,
)
from aidrules.columnar.tables import MONEY_UNITS, PARENT, entity_of, ident, table_of
from aidrules.language import ast
from aidrules.rulebook.schema import BASE_FACTS

ALIAS = {"household": "h", "member": "m", "income": "i", "household_income": "hi",
         "vehicle": "v", "expenditure": "x", "supporter": "s", "emergency": "g"}


def base_columns(table: str) -> dict[str, Column]:
    found = {}
    for name, kind in BASE_FACTS[entity_of(table)].items():
        if kind.kind == "collection":
            found[name] = Column("collection", entity=table_of(table, name))
            found[f"{name}__known"] = Column("sql")
        elif kind.kind in ("int", "number", "money"):
            found[name] = Column("num", MONEY_UNITS if kind.kind == "money" else 1)
        else:
            found[name] = Column("sql")
    return found


GroupKey = tuple[str, str, frozenset[str]]  # item, owner, aliases of the tables read


@attrs.define
class Step:
    """One SELECT that adds columns to an entity's table."""

    entity: str
    columns: list[str] = attrs.Factory(list)  # SQL "expr AS name"
    joins: list[str] = attrs.Factory(list)
    used: set[str] = attrs.Factory(set)
    # grouped sub-queries joined on: (item, owner, tables read) → (alias, {column: SQL})
    groups: dict[GroupKey, tuple[str, dict[str, str]]] = attrs.Factory(dict)


class Plan:
    """The growing query: the latest table name and columns of every entity."""

    def __init__(self, parameters: Callable[[str], Any], tables: dict[str, str]) -> None:
        self.parameters = parameters
        self.latest = dict(tables)  # entity → relation name
        self.fields = {entity: base_columns(entity) for entity in PARENT}
        self.ctes: list[str] = []
        self.nodes: dict[str, list[tuple[str, str]]] = {}  # aid → [(column, scope)]
        self.step: Step | None = None
        self.never: set[str] = set()  # rules that cannot hold under the snapshot
        self.lifted: dict[tuple[str, ast.Call], str] = {}  # (entity, aggregate) → column

    # -- scopes ---------------------------------------------------------------------
    def chain(self, entity: str) -> list[Link]:
        found = []
        level: str | None = entity
        while level is not None:
            found.append(Link(level, ALIAS[level], self.fields[level]))
            level = PARENT[level][0]
        return found

    def scope(self, entity: str, owner: str, statuses: bool = True) -> Scope:
        scope = Scope(self.chain(entity), self.parameters, self.aggregate,
                      self.status if statuses else None, owner)
        scope.lifted = {call: name for (e, call), name in self.lifted.items()
                        if e == entity and name in self.fields[entity]}
        return scope

    # -- steps ----------------------------------------------------------------------
    def begin(self, entity: str) -> Step:
        self.step = Step(entity)
        return self.step

    @property
    def open_step(self) -> Step:
        """The step between :meth:`begin` and :meth:`end`."""
        assert self.step is not None, "columns are added only between begin() and end()"
        return self.step

    def add(self, name: str, value: Value, scope: Scope) -> None:
        """Add ``value`` as the column ``name`` of the step's entity."""
        step = self.open_step
        step.used |= scope.used
        if isinstance(value, Num):
            step.columns.append(f'{value.num} AS "{name}"')
            den: int | str = value.den
            if not isinstance(den, int):
                step.columns.append(f'{den} AS "{name}__den"')
                den = f"{name}__den"
                self.fields[step.entity][den] = Column("sql")
            self.fields[step.entity][name] = Column("num", den)
        elif isinstance(value, Sql):
            step.columns.append(f'{value.sql} AS "{name}"')
            self.fields[step.entity][name] = Column("sql")
        else:
            self.fields[step.entity][name] = Column("constant", value=value)

    def add_sql(self, name: str, sql: str) -> None:
        step = self.open_step
        step.columns.append(f'{sql} AS "{name}"')
        self.fields[step.entity][name] = Column("sql")

    def end(self) -> None:
        step = self.open_step
        step.joins += [self.group_join(key, name, columns)
                       for key, (name, columns) in step.groups.items()]
        self.step = None
        if not step.columns and not step.joins:
            return
        entity, alias = step.entity, ALIAS[step.entity]
        sql = [f"SELECT {alias}.*" + "".join(f", {c}" for c in step.columns),
               f"FROM {self.latest[entity]} {alias}"]
        sql += self.ancestor_joins(entity, step.used)
        sql += step.joins
        name = f"s{len(self.ctes)}_{entity}"
        self.ctes.append(f"{name} AS ({' '.join(sql)})")
        self.latest[entity] = name

    def ancestor_joins(self, entity: str, used: set[str]) -> list[str]:
        joins = []
        parent = PARENT[entity][0]
        while parent is not None:
            alias = ALIAS[parent]
            if alias in used:
                key = ident(parent)
                joins.append(f"JOIN {self.latest[parent]} {alias} "
                             f"ON {alias}.{key} = {ALIAS[entity]}.{key}")
            parent = PARENT[parent][0]
        return joins

    # -- aggregates over a list -------------------------------------------------------
    def aggregate(self, node: ast.Call, scope: Scope) -> Value:
        # the compiler hands over only aggregates over a list named in scope, and a list's
        # column names the table of its items
        collection = node.args[0]
        assert isinstance(collection, ast.Name), node
        found = scope.find(collection.parts[0])
        assert found is not None and found[1].entity is not None, node
        owner_link, item = found[0], found[1].entity
        inner = Scope(self.chain(item), self.parameters, None, None, scope.owner)
        where = None if node.where is None else text(compile_expr(node.where, inner))
        each = compile_expr(node.args[1], inner) if len(node.args) > 1 else None
        parts = self.group(item, owner_link.entity, _aggregate_parts(node, where, each, scope),
                           inner.used)
        known = scope.column(f"{collection.parts[0]}__known")
        return _aggregate_result(node, parts, known, each)

    def group(self, item: str, owner: str, parts: dict[str, str],
              used: set[str]) -> dict[str, str]:
        """Columns of a sub-query of ``item`` rows grouped by ``owner``, joined onto the
        step; sub-queries over the same rows share one GROUP BY. Returns each part's SQL."""
        groups = self.open_step.groups
        key = (item, owner, frozenset(used - {ALIAS[item]}))
        name, columns = groups.setdefault(key, (f"a{len(groups)}", {}))
        found = {}
        for part, expr in parts.items():
            column = next((c for c, e in columns.items() if e == expr), None)
            if column is None:
                column = f"p{len(columns)}"
                columns[column] = expr
            found[part] = f"{name}.{column}"
        return found

    def group_join(self, group: GroupKey, name: str, columns: dict[str, str]) -> str:
        item, owner, used = group
        alias, key = ALIAS[item], ident(owner)
        sql = [f"SELECT {alias}.{key}"
               + "".join(f", {expr} AS {column}" for column, expr in columns.items()),
               f"FROM {self.latest[item]} {alias}"]
        sql += self.ancestor_joins(item, set(used))
        sql.append(f"GROUP BY {alias}.{key}")
        return f"LEFT JOIN ({' '.join(sql)}) {name} ON {name}.{key} = " \
               f"{ALIAS[self.open_step.entity]}.{key}"

    # -- conclusions --------------------------------------------------------------------
    def status(self, aid: str, scope: Scope, only: str | None = None) -> str:
        """``eligible(aid)``: Kleene 'or' over the aid's settled conclusions (none: false)."""
        columns = [scope.column(c) for c, s in self.nodes.get(aid, ()) if only in (None, s)]
        return "(" + " OR ".join(columns) + ")" if columns else "FALSE"


def _aggregate_parts(node: ast.Call, where: str | None, each: Value | None,
                     scope: Scope) -> dict[str, str]:
    """The grouped columns an aggregate needs: ``u`` some ``where`` unknown, ``c`` how many
    selected, ``s`` the sum (min, max), ``t``/``f`` some selected true/false, ``n`` some
    selected value unknown."""
    selected = "" if where is None else f" FILTER (WHERE {where})"
    both = "" if where is None else f"({where}) AND "
    parts = {} if where is None else {"u": f"bool_or(({where}) IS NULL)"}
    parts["c"] = f"count(*){selected}"
    function = node.function
    if function in ("sum", "min", "max"):
        number = num(each)
        if not isinstance(number.den, int):
            raise scope.refuse(f"{function}(...) of a value whose denominator varies by item",
                               node)
        parts["s"] = f"{function}({number.num}){selected}"
        parts["n"] = f"bool_or({both}{number.num} IS NULL)"
    elif function in ("any", "all"):
        condition = text(each)
        parts["t"] = f"bool_or({both}({condition}))"
        parts["f"] = f"bool_or({both}NOT ({condition}))"
        parts["n"] = f"bool_or({both}({condition}) IS NULL)"
    elif function != "count":
        raise scope.refuse(f"the aggregate '{function}'", node)
    return parts


def _aggregate_result(node: ast.Call, parts: dict[str, str], known: str,
                      each: Value | None) -> Value:
    def some(part: str) -> str:
        return f"coalesce({parts[part]}, FALSE)" if part in parts else "FALSE"

    head = f"CASE WHEN NOT {known} THEN NULL WHEN {some('u')} THEN NULL"
    function, count = node.function, f"coalesce({parts['c']}, 0)"
    if function == "count":
        return Num(f"({head} ELSE {count} END)")
    if function == "sum":
        return Num(f"({head} WHEN {some('n')} THEN NULL "
                   f"ELSE coalesce({parts['s']}, 0) END)", num(each).den)
    if function in ("min", "max"):
        return Num(f"({head} WHEN {some('n')} OR {count} = 0 "
                   f"THEN NULL ELSE {parts['s']} END)", num(each).den)
    decisive, value = ("t", "TRUE") if function == "any" else ("f", "FALSE")
    rest = "FALSE" if function == "any" else "TRUE"
    return Sql(f"({head} WHEN {some(decisive)} THEN {value} "
               f"WHEN {some('n')} THEN NULL ELSE {rest} END)")


def to_fen(value: Num) -> str:
    """An exact amount in whole fen, half up (away from zero), as the per-case path."""
    top, bottom = f"(100 * {value.num})", value.den
    up = floor_division(f"(2 * {top} + {bottom})", f"(2 * {bottom})")
    down = floor_division(f"(2 * (-{top}) + {bottom})", f"(2 * {bottom})")
    return f"CAST(CASE WHEN {value.num} >= 0 THEN {up} ELSE -{down} END AS BIGINT)"


__all__ = ["Plan", "NotCompiled", "to_fen"]
