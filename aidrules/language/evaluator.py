"""Evaluating a checked expression on facts, exactly and in three values.

Numbers are :class:`fractions.Fraction` (money in yuan), so per-capita amounts and
thresholds like 1.5 × the standard are exact at the boundary. A fact that was not
reported is :data:`UNKNOWN`; it spreads through arithmetic, and ``and`` / ``or`` /
``any`` / ``all`` follow Kleene's logic (``false and unknown`` is false)."""

from __future__ import annotations

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

    def __init__(self, fields: Mapping[str, Any], parent: Env | None = None) -> None:
        self.fields, self.parent = fields, parent

    def find(self, name: str) -> tuple[bool, Any]:
        env = self
        while env is not None:
            if name in env.fields:
                return True, env.fields[name]
            env = env.parent
        return False, None


Parameters = Callable[[str], Any]  # dotted name → value (Fraction, str, bool, tuple, Rounding)
Statuses = Callable[[str], Any]  # aid id → True / False / UNKNOWN


def evaluate(node: ast.Expr, env: Env, parameters: Parameters,
             statuses: Statuses | None = None) -> Any:
    return _Evaluator(parameters, statuses).value(node, env)


def as_fraction(value: Any) -> Any:
    """Decimal and int become Fraction; everything else is returned as it is."""
    if isinstance(value, bool) or value is UNKNOWN:
        return value
    if isinstance(value, (int, Decimal)):
        return Fraction(value)
    return value


class _Evaluator:
    def __init__(self, parameters: Parameters, statuses: Statuses | None) -> None:
        self.parameters, self.statuses = parameters, statuses

    def value(self, node: ast.Expr, env: Env) -> Any:
        return getattr(self, "eval_" + type(node).__name__.lower())(node, env)

    def eval_number(self, node, env):
        return Fraction(node.value)

    def eval_text(self, node, env):
        return node.value

    def eval_bool(self, node, env):
        return node.value

    def eval_listof(self, node, env):
        return tuple(self.value(item, env) for item in node.items)

    def eval_name(self, node, env):
        if len(node.parts) == 1:
            found, value = env.find(node.parts[0])
            if found:
                return value
        return as_fraction(self.parameters(node.dotted))

    def eval_neg(self, node, env):
        value = self.value(node.operand, env)
        return UNKNOWN if value is UNKNOWN else -value

    def eval_arith(self, node, env):
        left, right = self.value(node.left, env), self.value(node.right, env)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        match node.op:
            case "+":
                return left + right
            case "-":
                return left - right
            case "*":
                return left * right
        return UNKNOWN if right <= 0 else left / right  # a share of nothing is undefined

    def eval_compare(self, node, env):
        left, right = self.value(node.left, env), self.value(node.right, env)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        return compare(node.op, left, right)

    def eval_not(self, node, env):
        value = self.value(node.operand, env)
        return UNKNOWN if value is UNKNOWN else not value

    def eval_logic(self, node, env):
        return kleene(node.op, (self.value(o, env) for o in node.operands))

    def eval_if(self, node, env):
        condition = self.value(node.condition, env)
        if condition is UNKNOWN:
            return UNKNOWN
        return self.value(node.then if condition else node.otherwise, env)

    def eval_call(self, node, env):
        function = node.function
        if function in ("count", "sum", "any", "all", "min", "max") and _is_collection(node, env):
            return self.aggregate(node, env)
        if function == "eligible":
            return UNKNOWN if self.statuses is None else self.statuses(node.args[0].parts[0])
        values = [self.value(a, env) for a in node.args]
        if any(v is UNKNOWN for v in values):
            return UNKNOWN
        if function == "round":
            return Fraction(values[1].apply(values[0]))
        return min(values) if function == "min" else max(values)

    def aggregate(self, node, env):
        items = env.find(node.args[0].parts[0])[1]
        if items is UNKNOWN:
            return UNKNOWN
        selected = []
        for item in items:
            keep = True if node.where is None else self.value(node.where, item)
            if keep is UNKNOWN:
                return UNKNOWN
            if keep:
                selected.append(item)
        if node.function == "count":
            return Fraction(len(selected))
        values = [self.value(node.args[1], item) for item in selected]
        return _fold(node.function, values)


def _is_collection(node: ast.Call, env: Env) -> bool:
    first = node.args[0] if node.args else None
    if not isinstance(first, ast.Name) or len(first.parts) != 1:
        return False
    found, value = env.find(first.parts[0])
    return found and (value is UNKNOWN or isinstance(value, (list, tuple)))


def _fold(function: str, values: list) -> Any:
    if function in ("any", "all"):
        op = "or" if function == "any" else "and"
        return kleene(op, values)
    if any(v is UNKNOWN for v in values):
        return UNKNOWN
    if function == "sum":
        return sum(values, Fraction(0))
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
    match op:
        case "<":
            return left < right
        case "<=":
            return left <= right
        case ">":
            return left > right
        case ">=":
            return left >= right
        case "==":
            return left == right
        case "!=":
            return left != right
        case "in":
            return left in right
    return left not in right
