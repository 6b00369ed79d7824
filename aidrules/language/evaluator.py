"""Evaluating a checked expression on facts, exactly and in three values.

Numbers are :class:`fractions.Fraction` (money in yuan), so per-capita amounts and
thresholds like 1.5 × the standard are exact at the boundary. A fact that was not
reported is :data:`UNKNOWN`; it spreads through arithmetic, and ``and`` / ``or`` /
``any`` / ``all`` follow Kleene's logic (``false and unknown`` is false)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from aidrules.language import ast


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; test 'is UNKNOWN'")


UNKNOWN: Any = _Unknown()


class Env:
    """The facts of one entity (the household, a member, an income), inside its parent's."""

    __slots__ = ("fields", "parent")

    def __init__(self, fields: dict[str, Any], parent: Env | None = None) -> None:
        self.fields, self.parent = fields, parent

    def find(self, name: str) -> tuple[bool, Any]:
        env: Env | None = self
        while env is not None:
            if name in env.fields:
                return True, env.fields[name]
            env = env.parent
        return False, None


Parameters = Callable[[str], Any]  # dotted name → value (Fraction, str, bool, tuple, Rounding)
Statuses = Callable[[str], Any]  # aid id → True / False / UNKNOWN


def evaluate(node: ast.Expr, env: Env, parameters: Parameters,
             statuses: Statuses | None = None) -> Any:
    return _closure(node)(env, parameters, statuses)


def closure(node: ast.Expr) -> Closure:
    """``node`` as a function of (env, parameters, statuses): for a caller that evaluates
    the same expression many times, without looking it up each time."""
    return _closure(node)


def as_fraction(value: Any) -> Any:
    """Decimal and int become Fraction; everything else is returned as it is."""
    if isinstance(value, bool) or value is UNKNOWN:
        return value
    if isinstance(value, (int, Decimal)):
        return Fraction(value)
    return value


# Each tree is turned once into nested Python closures (no eval, no exec): the same
# semantics as walking the tree, without dispatching on node types at every visit.
Closure = Callable[[Env, Parameters, "Statuses | None"], Any]
_CLOSURES: dict[int, tuple[ast.Expr, Closure]] = {}  # by id; the node is kept so ids stay unique
_CLOSURES_KEPT = 50_000


def _closure(node: ast.Expr) -> Closure:
    found = _CLOSURES.get(id(node))
    if found is not None and found[0] is node:
        return found[1]
    if len(_CLOSURES) >= _CLOSURES_KEPT:
        _CLOSURES.clear()
    closure = _BUILDERS[type(node)](node)
    _CLOSURES[id(node)] = (node, closure)
    return closure


def _constant(value: Any) -> Closure:
    return lambda env, p, s: value


def _name(node: ast.Name) -> Closure:
    dotted, first = node.dotted, node.parts[0]
    if len(node.parts) > 1:
        def parameter(env, p, s):
            value = p(dotted)
            return value if type(value) is Fraction else as_fraction(value)
        return parameter

    def name(env, p, s):
        while env is not None:
            fields = env.fields
            if first in fields:
                return fields[first]
            env = env.parent
        return as_fraction(p(dotted))
    return name


def _list_of(node: ast.ListOf) -> Closure:
    items = [_closure(item) for item in node.items]
    return lambda env, p, s: tuple(item(env, p, s) for item in items)


def _neg(node: ast.Neg) -> Closure:
    operand = _closure(node.operand)

    def neg(env, p, s):
        value = operand(env, p, s)
        return UNKNOWN if value is UNKNOWN else -value
    return neg


def _arith(node: ast.Arith) -> Closure:
    left, right, op = _closure(node.left), _closure(node.right), _ARITH[node.op]

    def arith(env, p, s):
        a, b = left(env, p, s), right(env, p, s)
        return UNKNOWN if a is UNKNOWN or b is UNKNOWN else op(a, b)
    return arith


def _divide(a: Any, b: Any) -> Any:
    return UNKNOWN if b <= 0 else a / b  # a share of nothing is undefined


_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": _divide}


def _compare(node: ast.Compare) -> Closure:
    left, right, op = _closure(node.left), _closure(node.right), _COMPARE[node.op]

    def compare_(env, p, s):
        a, b = left(env, p, s), right(env, p, s)
        return UNKNOWN if a is UNKNOWN or b is UNKNOWN else op(a, b)
    return compare_


def _not(node: ast.Not) -> Closure:
    operand = _closure(node.operand)

    def not_(env, p, s):
        value = operand(env, p, s)
        return UNKNOWN if value is UNKNOWN else not value
    return not_


def _logic(node: ast.Logic) -> Closure:
    operands = [_closure(o) for o in node.operands]
    decisive = node.op == "or"  # as in kleene(), without a generator per evaluation

    def logic(env, p, s):
        unknown = False
        for operand in operands:
            value = operand(env, p, s)
            if value is UNKNOWN:
                unknown = True
            elif bool(value) is decisive:
                return decisive
        return UNKNOWN if unknown else not decisive
    return logic


def _if(node: ast.If) -> Closure:
    condition, then, otherwise = (_closure(node.condition), _closure(node.then),
                                  _closure(node.otherwise))

    def if_(env, p, s):
        value = condition(env, p, s)
        if value is UNKNOWN:
            return UNKNOWN
        return then(env, p, s) if value else otherwise(env, p, s)
    return if_


def _call(node: ast.Call) -> Closure:
    function = node.function
    if function == "eligible":
        aid = _collection(node)
        return lambda env, p, s: UNKNOWN if s is None else s(aid)
    args = [_closure(a) for a in node.args]
    first = node.args[0] if node.args else None
    over_collection = isinstance(first, ast.Name) and len(first.parts) == 1
    aggregate = _aggregate(node) if function in _AGGREGATES and over_collection else None
    collection = _collection(node) if aggregate is not None else ""

    def call(env, p, s):
        if aggregate is not None:
            found, items = env.find(collection)
            if found and (items is UNKNOWN or isinstance(items, (list, tuple))):
                return aggregate(items, p, s)
        values = [a(env, p, s) for a in args]
        if any(v is UNKNOWN for v in values):
            return UNKNOWN
        if function == "round":
            return Fraction(values[1].apply(values[0]))
        if function == "lookup":
            return entry(values[0], values[1])
        if function == "monthly":
            return values[0] / 12  # a yearly amount, exactly a twelfth per month
        if function == "yearly":
            return values[0] * 12
        return min(values) if function == "min" else max(values)
    return call


def entry(table: Mapping[Any, Any], key: Any) -> Any:
    """A table's entry: exactly the text key, or the step of a whole-number key (the entry
    of the largest key not above it); UNKNOWN where the table has none."""
    if isinstance(key, str):
        found = table.get(key, UNKNOWN)
    else:
        found = UNKNOWN
        for step, value in table.items():
            if step <= key:
                found = value
    return as_fraction(found)


_AGGREGATES = ("count", "sum", "any", "all", "min", "max")
_COUNTS = tuple(Fraction(n) for n in range(64))  # made once: Fraction() costs microseconds


def _aggregate(node: ast.Call) -> Closure:
    function = node.function
    where = None if node.where is None else _closure(node.where)
    each = _closure(node.args[1]) if len(node.args) > 1 else None

    def aggregate(items, p, s):  # the collection, found by call()
        if items is UNKNOWN:
            return UNKNOWN
        selected = []
        for item in items:
            keep = True if where is None else where(item, p, s)
            if keep is UNKNOWN:
                return UNKNOWN
            if keep:
                selected.append(item)
        if function == "count":
            return _COUNTS[len(selected)] if len(selected) < len(_COUNTS) else \
                Fraction(len(selected))
        return _fold(function, [each(item, p, s) for item in selected])
    return aggregate


_BUILDERS: dict[type, Callable[[Any], Closure]] = {
    ast.Number: lambda node: _constant(Fraction(node.value)),
    ast.Text: lambda node: _constant(node.value),
    ast.Bool: lambda node: _constant(node.value),
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


def _collection(node: ast.Call) -> str:
    """The name an aggregate (or eligible()) is over: the checker allows only a name."""
    first = node.args[0]
    assert isinstance(first, ast.Name), f"{node.function}() over {first!r}"
    return first.parts[0]


def _fold(function: str, values: list) -> Any:
    if function in ("any", "all"):
        op = "or" if function == "any" else "and"
        return kleene(op, values)
    if any(v is UNKNOWN for v in values):
        return UNKNOWN
    if function == "sum":
        return sum(values, _COUNTS[0])
    if not values:
        return UNKNOWN
    return min(values) if function == "min" else max(values)


def kleene(op: str, values) -> Any:
    """``and`` / ``or`` over true, false and UNKNOWN."""
    decisive = op == "or"  # True decides an 'or', False decides an 'and'
    unknown = False
    for value in values:
        if value is UNKNOWN:
            unknown = True
        elif bool(value) is decisive:
            return decisive
    return UNKNOWN if unknown else not decisive


def compare(op: str, left: Any, right: Any) -> bool:
    return _COMPARE[op](left, right)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne, "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b}
