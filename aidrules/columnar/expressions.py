"""One checked expression as SQL, exactly and in three values.

A number is a pair: an integer numerator (HUGEINT SQL) over a positive denominator that
is either a constant or an integer SQL expression, so nothing is ever divided or
rounded by the database; comparisons are cross-multiplied. An unknown value is NULL:
SQL's AND, OR and NOT are Kleene's logic, the same as the per-case evaluator. Parameters
and everything computed from them alone are folded into constants here, in Python, with
the evaluator's own semantics."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, TypeGuard

import attrs

from aidrules.errors import AidrulesError, PolicyLookupError
from aidrules.language import ast
from aidrules.language.evaluator import UNKNOWN, as_fraction, compare, entry, kleene
from aidrules.policy import Rounding


class NotCompiled(AidrulesError, ValueError):
    """A construct the columnar executor cannot yet compile; names the rule or fact."""


@attrs.frozen
class Num:
    """An exact number: ``num`` / ``den``, the denominator positive whenever ``num`` is known."""

    num: str
    den: int | str = 1


@attrs.frozen
class Sql:
    """A yes/no or text value as SQL (NULL when unknown)."""

    sql: str


Constant = Any  # a Python value folded here: Fraction, str, bool, tuple, Rounding, UNKNOWN…
Value = Num | Sql | Constant


@attrs.frozen
class Column:
    """What a name of an entity is in its table: a number (``den`` a constant or the name
    of its denominator column), a yes/no or text (``sql``), a list of ``entity`` items,
    or a ``constant`` folded from the policy."""

    kind: str  # num | sql | collection | constant
    den: int | str = 1
    entity: str | None = None
    value: Any = None


@attrs.frozen
class Link:
    """One level of names in scope: an entity, its SQL alias and its columns."""

    entity: str
    alias: str
    fields: dict[str, Column]


class Scope:
    """What a name means where an expression is compiled: the innermost entity first."""

    def __init__(self, chain: list[Link], parameters: Callable[[str], Any],
                 aggregate: Callable[[ast.Call, Scope], Value] | None = None,
                 status: Callable[[str, Scope], str] | None = None, owner: str = "") -> None:
        self.chain, self.parameters, self.owner = chain, parameters, owner
        self.aggregate, self.status = aggregate, status
        self.used: set[str] = set()  # aliases read
        self.lifted: dict[ast.Call, str] = {}  # aggregates already computed as columns

    def find(self, name: str) -> tuple[Link, Column] | None:
        for link in self.chain:
            if name in link.fields:
                return link, link.fields[name]
        return None

    def column(self, name: str) -> str:
        """The SQL of a column in scope, marking its table as read."""
        found = self.find(name)
        # callers name only columns they found in scope or placed there (a list's
        # ``__known``, a number's denominator column, a settled conclusion)
        assert found is not None, name
        link = found[0]
        self.used.add(link.alias)
        return f'{link.alias}."{name}"'

    def refuse(self, what: str, node: ast.Expr) -> NotCompiled:
        line, col = node.pos
        return NotCompiled(f"{self.owner}: cannot compile {what} to columns yet "
                           f"(expression position {line}:{col})")


def compile_expr(node: ast.Expr, scope: Scope) -> Value:
    builder = _BUILDERS.get(type(node))
    if builder is None:
        raise scope.refuse(f"the construct {type(node).__name__}", node)
    return builder(node, scope)


def _name(node: ast.Name, scope: Scope) -> Value:
    found = scope.find(node.parts[0]) if len(node.parts) == 1 else None
    if found is None:
        try:
            return scope.parameters(node.dotted)
        except PolicyLookupError as exc:
            return absent(str(exc))
    name, column = node.parts[0], found[1]
    if column.kind == "constant":
        return column.value
    if column.kind == "collection":
        raise scope.refuse(f"the list '{name}' outside an aggregate", node)
    sql = scope.column(name)
    if column.kind == "sql":
        return Sql(sql)
    den = column.den if isinstance(column.den, int) else scope.column(column.den)
    return Num(sql, den)


def absent(message: str) -> Sql:
    """A parameter with no value in force: an error raised by the database for a household
    whose screening reaches it, where the per-case path raises the same for that household."""
    return Sql("error('" + message.replace("'", "''") + "')")


def _list_of(node: ast.ListOf, scope: Scope) -> Value:
    items = tuple(compile_expr(i, scope) for i in node.items)
    if not all(_constant(i) for i in items):
        raise scope.refuse("a list of values that are not constants", node)
    return items


def _neg(node: ast.Neg, scope: Scope) -> Value:
    value = compile_expr(node.operand, scope)
    if _constant(value):
        return UNKNOWN if value is UNKNOWN else -value
    number = num(value)
    return Num(f"(-{number.num})", number.den)


def _arith(node: ast.Arith, scope: Scope) -> Value:
    a, b = compile_expr(node.left, scope), compile_expr(node.right, scope)
    if _constant(a) and _constant(b):
        if UNKNOWN in (a, b):
            return UNKNOWN
        return {"+": a + b, "-": a - b, "*": a * b}.get(node.op) if node.op != "/" else \
            (UNKNOWN if b <= 0 else a / b)
    left, right = num(a), num(b)
    if node.op == "*":
        return Num(f"({left.num} * {right.num})", _times(left.den, right.den))
    if node.op == "/":
        return _divide(left, right)
    return plus(left, right, node.op)


def plus(a: Num, b: Num, sign: str = "+") -> Num:
    """a + b (or a − b) over a common denominator."""
    if isinstance(a.den, int) and isinstance(b.den, int):
        common = math.lcm(a.den, b.den)
        return Num(f"({_scaled(a.num, common // a.den)} {sign} "
                   f"{_scaled(b.num, common // b.den)})", common)
    return Num(f"({_scaled(a.num, b.den)} {sign} {_scaled(b.num, a.den)})", _times(a.den, b.den))


def _divide(a: Num, b: Num) -> Num:
    """a / b; unknown unless b > 0, as in the evaluator (a share of nothing is undefined)."""
    guard = f"{b.num} > 0"
    return Num(f"(CASE WHEN {guard} THEN {_scaled(a.num, b.den)} END)",
               f"(CASE WHEN {guard} THEN {_scaled(b.num, a.den)} ELSE 1 END)")


def _times(a: int | str, b: int | str) -> int | str:
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    return _scaled(a, b) if not isinstance(a, int) else _scaled(b, a)


def _scaled(sql: str | int, factor: int | str) -> str:
    if factor == 1:
        return str(sql)
    return f"({sql} * {factor})"


def num(value: Value) -> Num:
    """A number as SQL: constants become literals."""
    if isinstance(value, Num):
        return value
    if value is UNKNOWN:
        return Num("CAST(NULL AS HUGEINT)")
    if isinstance(value, Sql):  # only an absent parameter is a number written as SQL
        return Num(f"CAST({value.sql} AS HUGEINT)")
    value = Fraction(value)
    return Num(f"CAST({value.numerator} AS HUGEINT)", value.denominator)


def _compare(node: ast.Compare, scope: Scope) -> Value:
    a, b = compile_expr(node.left, scope), compile_expr(node.right, scope)
    if _constant(a) and _constant(b):
        return UNKNOWN if UNKNOWN in (a, b) else compare(node.op, a, b)
    if node.op in ("in", "not in"):
        return _membership(node, a, b, scope)
    if isinstance(a, (Num, Fraction)) or isinstance(b, (Num, Fraction)):
        return Sql(compare_numbers(node.op, num(a), num(b)))
    return Sql(f"({text(a)} {_SQL_OP[node.op]} {text(b)})")


_SQL_OP = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "=", "!=": "<>"}


def compare_numbers(op: str, a: Num, b: Num) -> str:
    if isinstance(a.den, int) and isinstance(b.den, int):
        common = math.lcm(a.den, b.den)
        left, right = _scaled(a.num, common // a.den), _scaled(b.num, common // b.den)
    else:
        left, right = _scaled(a.num, b.den), _scaled(b.num, a.den)
    return f"({left} {_SQL_OP[op]} {right})"


def _membership(node: ast.Compare, a: Value, b: Value, scope: Scope) -> Sql:
    if isinstance(b, Sql) and b.sql.startswith("error("):
        return b
    if not isinstance(b, tuple) or not _constant(a) and not isinstance(a, Sql):
        raise scope.refuse("membership in a list that is not a list of texts", node)
    negated = "NOT " if node.op == "not in" else ""
    left = text(a)
    if not b:
        return Sql(f"(CASE WHEN {left} IS NULL THEN NULL ELSE {negated != ''} END)")
    items = ", ".join(text(item) for item in b)
    return Sql(f"({left} {negated}IN ({items}))")


def text(value: Value) -> str:
    """A text or yes/no value as SQL."""
    if isinstance(value, Sql):
        return value.sql
    if value is UNKNOWN:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise NotCompiled(f"not a text or yes/no value: {value!r}")


def _not(node: ast.Not, scope: Scope) -> Value:
    value = compile_expr(node.operand, scope)
    if _constant(value):
        return UNKNOWN if value is UNKNOWN else not value
    return Sql(f"(NOT {text(value)})")


def _logic(node: ast.Logic, scope: Scope) -> Value:
    values = [compile_expr(o, scope) for o in node.operands]
    constants = [v for v in values if _constant(v)]
    decided = kleene(node.op, constants) if constants else None
    if decided is (node.op == "or"):
        return decided  # a constant true decides an 'or', false an 'and'
    rest = [text(v) for v in values if not _constant(v)]
    if decided is UNKNOWN:
        rest.append("NULL")
    if not rest:
        return decided
    return Sql("(" + f" {node.op.upper()} ".join(rest) + ")")


def _if(node: ast.If, scope: Scope) -> Value:
    condition = compile_expr(node.condition, scope)
    if _constant(condition):
        if condition is UNKNOWN:
            return UNKNOWN
        return compile_expr(node.then if condition else node.otherwise, scope)
    then, otherwise = compile_expr(node.then, scope), compile_expr(node.otherwise, scope)
    return choose(text(condition), then, otherwise)


def choose(condition: str, then: Value, otherwise: Value) -> Value:
    """``if condition then … else …``: unknown when the condition is."""
    head = f"CASE WHEN ({condition}) IS NULL THEN NULL WHEN {condition} THEN"
    if not isinstance(then, (Num, Fraction)) and not isinstance(otherwise, (Num, Fraction)):
        return Sql(f"({head} {text(then)} ELSE {text(otherwise)} END)")
    a, b = num(then), num(otherwise)
    if isinstance(a.den, int) and isinstance(b.den, int):
        common = math.lcm(a.den, b.den)
        return Num(f"({head} {_scaled(a.num, common // a.den)} ELSE "
                   f"{_scaled(b.num, common // b.den)} END)", common)
    return Num(f"({head} {a.num} ELSE {b.num} END)", f"({head} {a.den} ELSE {b.den} END)")


def _call(node: ast.Call, scope: Scope) -> Value:
    if node in scope.lifted:
        return _name(ast.Name((scope.lifted[node],)), scope)
    if node.function == "eligible":
        if scope.status is None:
            raise scope.refuse("eligible(...) in a derived fact", node)
        aid = node.args[0]
        if not isinstance(aid, ast.Name):
            raise scope.refuse("eligible(...) of something other than an aid's name", node)
        return Sql(scope.status(aid.parts[0], scope))
    first = node.args[0] if node.args else None
    if isinstance(first, ast.Name) and len(first.parts) == 1 and _is_collection(first, scope):
        if scope.aggregate is None:
            raise scope.refuse(f"{node.function}(...) over a list inside another list's "
                               "aggregate", node)
        return scope.aggregate(node, scope)
    values = [compile_expr(a, scope) for a in node.args]
    if node.function == "round":
        return _round(values[0], values[1], node, scope)
    if node.function in ("min", "max"):
        return _extreme(node.function, values)
    if node.function == "lookup":
        return _lookup(values[0], values[1], node, scope)
    if node.function in ("monthly", "yearly"):
        return _per_period(node.function, values[0])
    raise scope.refuse(f"the function '{node.function}'", node)


def _per_period(function: str, value: Value) -> Value:
    """``monthly(x)``, a twelfth of a yearly amount, or ``yearly(x)``, twelve months, exactly."""
    if _constant(value):
        return UNKNOWN if value is UNKNOWN else value / 12 if function == "monthly" \
            else value * 12
    number = num(value)
    if function == "monthly":
        return Num(number.num, _times(number.den, 12))
    return Num(f"({number.num} * 12)", number.den)


def _lookup(table: Any, key: Value, node: ast.Call, scope: Scope) -> Value:
    """A table's entry, as the evaluator's ``entry``: a text key exactly; a whole-number
    key the last entry, in the table's order, whose key is not above it; else unknown."""
    if isinstance(table, Sql):
        return num(table)  # absent
    if not isinstance(table, Mapping):
        raise scope.refuse("lookup(...) in a table that is not a policy constant", node)
    if _constant(key):
        return UNKNOWN if key is UNKNOWN else entry(table, key)
    entries = [(k, as_fraction(v)) for k, v in reversed(list(table.items()))]
    if isinstance(key, Sql):
        tests = [f"{key.sql} = {text(k)}" for k, _ in entries]
    else:
        tests = [compare_numbers("<=", num(Fraction(k)), key) for k, _ in entries]
    values = [v for _, v in entries]
    if not values:
        return UNKNOWN
    if all(isinstance(v, Fraction) for v in values):
        common = math.lcm(*(v.denominator for v in values))
        cases = "".join(f" WHEN {t} THEN CAST({v * common} AS HUGEINT)"
                        for t, v in zip(tests, values, strict=True))
        return Num(f"(CASE{cases} END)", common)
    cases = "".join(f" WHEN {t} THEN {text(v)}" for t, v in zip(tests, values, strict=True))
    return Sql(f"(CASE{cases} END)")


def _is_collection(name: ast.Name, scope: Scope) -> bool:
    found = scope.find(name.parts[0])
    return found is not None and found[1].kind == "collection"


def _extreme(function: str, values: list[Value]) -> Value:
    if all(_constant(v) for v in values):
        return UNKNOWN if UNKNOWN in values else (min if function == "min" else max)(values)
    result = num(values[0])
    for value in values[1:]:
        result = _pair(function, result, num(value))
    return result


def _pair(function: str, a: Num, b: Num) -> Num:
    """The smaller (larger) of two numbers; unknown when either is."""
    op = "<=" if function == "min" else ">="
    unknown = f"{a.num} IS NULL OR {b.num} IS NULL"
    first = compare_numbers(op, a, b)
    if isinstance(a.den, int) and isinstance(b.den, int):
        common = math.lcm(a.den, b.den)
        return Num(f"(CASE WHEN {unknown} THEN NULL WHEN {first} THEN "
                   f"{_scaled(a.num, common // a.den)} ELSE {_scaled(b.num, common // b.den)}"
                   " END)", common)
    return Num(f"(CASE WHEN {unknown} THEN NULL WHEN {first} THEN {a.num} ELSE {b.num} END)",
               f"(CASE WHEN {unknown} THEN 1 WHEN {first} THEN {a.den} ELSE {b.den} END)")


def _round(value: Value, rounding: Any, node: ast.Call, scope: Scope) -> Value:
    """``round(value, rounding)`` as ``policy.Rounding.apply``: to a step, by a mode, on the
    month's figure or on the year's (then the month is a twelfth of it)."""
    if isinstance(rounding, Sql):
        return num(rounding)  # absent
    if not isinstance(rounding, Rounding):
        raise scope.refuse("round(...) with a rounding that is not a policy constant", node)
    if _constant(value):
        return UNKNOWN if value is UNKNOWN else Fraction(rounding.apply(value))
    if rounding.mode == "none":
        return value
    number = num(value)
    yearly = rounding.per == "year"
    if yearly:
        number = Num(f"({number.num} * 12)", number.den)
    assert rounding.to is not None  # every mode but 'none' has a step (Rounding checks it)
    step = Fraction(rounding.to)
    # steps = value / step = (num * step.den) / (den * step.num)
    top, bottom = _scaled(number.num, step.denominator), _scaled(number.den, step.numerator)
    count = _steps(rounding.mode, top, bottom)
    return Num(_scaled(count, step.numerator), _times(step.denominator, 12 if yearly else 1))


def _steps(mode: str, top: str, bottom: str | int) -> str:
    """The whole number of steps ``top / bottom`` rounds to, by ``mode``."""
    if mode == "up":
        return f"(-{floor_division(f'(-{top})', bottom)})"
    if mode == "down":
        return floor_division(top, bottom)
    if mode == "half_up":
        return floor_division(f"(2 * {top} + {bottom})", f"(2 * {bottom})")
    whole = floor_division(top, bottom)  # half_even: ties to the even step
    twice_rest = f"(2 * ({top} - {whole} * {bottom}))"
    return (f"(CASE WHEN {twice_rest} > {bottom} THEN {whole} + 1 "
            f"WHEN {twice_rest} < {bottom} THEN {whole} "
            f"ELSE {whole} + (({whole} % 2) + 2) % 2 END)")


def floor_division(top: str, bottom: str | int) -> str:
    """⌊top / bottom⌋ for a positive ``bottom``, in integers (SQL's // truncates)."""
    return f"(({top}) // ({bottom}) - CASE WHEN ({top}) % ({bottom}) < 0 THEN 1 ELSE 0 END)"


def _constant(value: Value) -> TypeGuard[Constant]:
    """Whether ``value`` was folded in Python (then it is no SQL)."""
    return not isinstance(value, (Num, Sql))


_BUILDERS: dict[type, Callable[[Any, Scope], Value]] = {
    ast.Number: lambda node, scope: Fraction(node.value),
    ast.Text: lambda node, scope: node.value,
    ast.Bool: lambda node, scope: node.value,
    ast.Name: _name,
    ast.ListOf: _list_of,
    ast.Neg: _neg,
    ast.Arith: _arith,
    ast.Compare: _compare,
    ast.Not: _not,
    ast.Logic: _logic,
    ast.If: _if,
    ast.Call: _call,
}
