"""What loading proves about a rule book, so that no assessment can fail on it.

Three proofs, each a problem at ``file:line:col`` when it does not hold:

- **No division by a value that can be 0.** A divisor is a positive number, a parameter
  whose every value in every jurisdiction is positive, a derived fact declared
  ``nonzero: true`` (the application's validation guarantees it, as for household_size),
  ``count(members)`` (an application lists at least one member), a product of such, or it
  is guarded: inside ``if x > 0 then … / x else …``, or in a
  rule one of whose conditions is ``x > 0`` (or ``x >= 1``, ``x != 0``).
- **Bounded alternatives.** The engine tests a rule as alternatives: each ``if``,
  ``min`` or ``max`` inside a comparison doubles them (``x < min(a, b)`` is
  ``a <= b and x < a`` or ``a > b and x < b``). They are counted here without being
  written out, so a nest of ``min`` is refused at once instead of taking minutes.
  The count is never below what the compiler builds: a ``round(x, p)`` whose rounding
  ``p`` is ``mode: none`` in some layer or at some date (or has no value to read) is
  compared exactly, so the compiler writes ``x`` out, and so is it counted here.
- **Bounded depth** once derived facts are written out into the rules that read them
  (the compiler inlines plain arithmetic facts), so compiling never runs out of stack.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any, TypeGuard

import attrs

from aidrules.errors import Problem
from aidrules.language import ast
from aidrules.language.evaluator import as_fraction
from aidrules.language.printer import to_text
from aidrules.rulebook.book import DerivedFact, Rule

MAX_ALTERNATIVES = 64  # the most alternatives one rule may split into for the engine
MAX_INLINED_DEPTH = 160  # nesting of a condition with its derived facts written out
_MONEY_UNITS = 1200  # engine units per yuan (aidrules.engine.compiler.MONEY_UNITS)
_AGGREGATES = ("count", "sum", "any", "all")
_SCOPES = {"household": ("household",), "member": ("household", "member")}


def prove(facts: Iterable[DerivedFact], rules: Iterable[Rule],
          parameter_values: Callable[[str], list[Any]], collections: Mapping[str, set[str]],
          readable: set[str]) -> list[Problem]:
    """Every problem with the book's divisions, alternatives and depth.

    ``parameter_values(name)`` gives every value a parameter takes (any layer, any date),
    with its file and line; ``collections[entity]`` names the entity's list fields;
    ``readable`` every fact that loaded (a divisor naming another one is already reported)."""
    facts = list(facts)
    sizes = _Sizes(facts, collections, _may_stay_exact(parameter_values))
    divisions = _Divisions(facts, parameter_values, readable)
    problems: list[Problem] = []
    for fact in facts:
        problems += divisions.check(fact.formula, fact.at.file, ())
    for rule in rules:
        guards = tuple(c.test for c in rule.criteria)
        for expr in [*(c.test for c in rule.criteria), rule.amount, rule.amount_max]:
            if expr is not None:
                problems += divisions.check(expr, rule.at.file, guards)
        problems += sizes.check(rule)
    problems += _unbounded_lifted(facts, rules, set().union(*collections.values()))
    return problems


def _unbounded_lifted(facts: list[DerivedFact], rules: Iterable[Rule],
                      collections: set[str]) -> list[Problem]:
    """The engine is sent a value the library computes (an aggregate, a rounding, a
    lookup) as a whole number over a denominator fixed when the book is compiled: a value
    whose denominator varies from case to case (``sum(members, income / age)``) cannot
    reach it exactly, so a condition reading one is refused here, never at assessment."""
    by_id = {f.id: f for f in facts}
    formulas = {f.id: f.formula for f in facts}
    problems, seen = [], set()
    stack = [(c.test, rule.at.file) for rule in rules for c in rule.criteria]
    while stack:
        node, file = stack.pop()
        if isinstance(node, ast.Name) and len(node.parts) == 1 and node.parts[0] in by_id:
            fact = by_id[node.parts[0]]
            if fact.id not in seen:
                seen.add(fact.id)
                stack.append((fact.formula, fact.at.file))
            continue
        if _sent_as_one_value(node, collections) and \
                denominator(node, formulas, set(), collections) is None:
            problems.append(Problem(
                file, *node.pos, f"'{to_text(node)}' is sent to the engine as one value, "
                "and its denominator varies from case to case, so it cannot be sent "
                "exactly", expected="a division by a constant or a parameter inside "
                f"{node.function}(...), or the division outside it"))
            continue
        stack += [(child, file) for child in ast.children(node)]
    return problems


def _sent_as_one_value(node: ast.Expr, collections: set[str]) -> TypeGuard[ast.Call]:
    return isinstance(node, ast.Call) and (node.function in ("round", "lookup") or (
        node.function in ("sum", "min", "max") and len(node.args) == 2
        and isinstance(node.args[0], ast.Name) and node.args[0].parts[0] in collections))


# -- division ------------------------------------------------------------------------
class _Divisions:
    def __init__(self, facts: list[DerivedFact], parameter_values, readable: set[str]) -> None:
        self.facts = {f.id: f for f in facts}
        self.parameter_values, self.readable = parameter_values, readable

    def check(self, expr: ast.Expr, file: str, guards: tuple[ast.Expr, ...]) -> list[Problem]:
        found = []
        stack = [(expr, guards)]
        while stack:
            node, held = stack.pop()
            if isinstance(node, ast.Arith) and node.op == "/":
                found += self.divisor_problems(node.right, held, file)
            stack += [(child, (*held, *guards_of))
                      for child, guards_of in _guarded_children(node)]
        return found

    def divisor_problems(self, divisor: ast.Expr, guards, file: str) -> list[Problem]:
        if any(_guards(g, divisor) for g in guards):
            return []
        zero = self.zero_parameter(divisor)
        if zero is not None and isinstance(divisor, ast.Name):
            return [Problem(file, *divisor.pos, f"division by the parameter "
                            f"'{divisor.dotted}', whose value is {zero.value} in "
                            f"{zero.jurisdiction} from {zero.effective_from} "
                            f"({zero.file}:{zero.line})",
                            expected="a parameter whose every value is above 0, or a guard "
                            f"such as 'if {divisor.dotted} > 0 then ... else ...'")]
        if self.never_zero(divisor):
            return []
        shown = to_text(divisor)
        return [Problem(file, *divisor.pos, f"division by '{shown}', which can be 0",
                        expected=f"a guard such as 'if {shown} > 0 then ... else ...', a "
                        f"condition '{shown} > 0' in the rule, or a divisor that cannot be 0 "
                        "(a derived fact declared 'nonzero: true')")]

    def zero_parameter(self, divisor: ast.Expr) -> Any:
        if not isinstance(divisor, ast.Name) or len(divisor.parts) < 2:
            return None
        return next((v for v in self.parameter_values(divisor.dotted)
                     if (n := _number(v.value)) is not None and n <= 0), None)

    def never_zero(self, node: ast.Expr) -> bool:
        match node:
            case ast.Number(value):
                return value > 0
            case ast.Name(parts) if len(parts) > 1:
                return True  # every value is above 0, or zero_parameter said which is not
            case ast.Name(parts):
                fact = self.facts.get(parts[0])
                return parts[0] not in self.readable or fact is not None and (
                    getattr(fact, "nonzero", False) or self.never_zero(fact.formula))
            case ast.Call("count", (ast.Name(("members",)),), None):
                return True  # an application lists at least one member
            case ast.Arith("*" | "/", left, right):
                return self.never_zero(left) and self.never_zero(right)
        return False


def _guarded_children(node: ast.Expr) -> list[tuple[ast.Expr, tuple[ast.Expr, ...]]]:
    """Each child with the conditions that hold wherever its value counts: the branch of
    an 'if', the other operands of an 'and', the 'where' of an aggregate."""
    match node:
        case ast.If(condition, then, otherwise):
            return [(condition, ()), (then, (condition,)), (otherwise, (ast.Not(condition),))]
        case ast.Logic("and", operands):
            return [(o, tuple(x for x in operands if x is not o)) for o in operands]
        case ast.Call(args=args, where=where) if where is not None:
            return [(where, ()), *((a, (where,)) for a in args)]
    return [(child, ()) for child in ast.children(node)]


def _guards(guard: ast.Expr, divisor: ast.Expr) -> bool:
    """Whether ``guard`` holding means ``divisor`` is not 0."""
    match guard:
        case ast.Logic("and", operands):
            return any(_guards(o, divisor) for o in operands)
        case ast.Not(ast.Compare(op, left, right)):
            return _guards(ast.Compare(ast.NEGATED[op], left, right), divisor)
        case ast.Not(ast.Logic("or", operands)):
            return any(_guards(ast.Not(o), divisor) for o in operands)
        case ast.Compare(op, left, ast.Number(bound)) if left == divisor:
            return _excludes_zero(op, bound)
        case ast.Compare(op, ast.Number(bound), right) if right == divisor:
            return _excludes_zero(_MIRROR[op], bound)
    return False


_MIRROR = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=",
           "in": "in", "not in": "not in"}


def _excludes_zero(op: str, bound) -> bool:
    return (op == ">" and bound >= 0) or (op == ">=" and bound > 0) or (
        op == "<" and bound <= 0) or (op == "<=" and bound < 0) or (
        op == "!=" and bound == 0) or (op == "==" and bound != 0)


def _number(value: Any) -> Fraction | None:
    try:
        return Fraction(value) if not isinstance(value, (bool, str)) else None
    except (TypeError, ValueError):
        return None


# -- alternatives and depth ------------------------------------------------------------
@attrs.frozen
class _Size:
    true: int  # alternatives when the condition must hold
    false: int  # alternatives when it must fail
    choices: int  # alternative values of a number (if, min, max inside it)
    depth: int  # nesting once inlined facts are written out


_ONE = _Size(1, 1, 1, 1)
_CAP = MAX_ALTERNATIVES + 1  # counts saturate here: beyond it, only "too many" matters


def _cap(n: int) -> int:
    return min(n, _CAP)


class _Sizes:
    """Alternatives and depth of expressions, the compiler's way, never expanding them."""

    def __init__(self, facts: list[DerivedFact], collections: Mapping[str, set[str]],
                 exact: Callable[[ast.Expr], bool] = lambda rounding: True) -> None:
        """``exact(rounding)``: whether that rounding parameter may be ``mode: none``
        anywhere, so that the compiler writes out what it rounds (by default: always)."""
        self.collections, self.exact = collections, exact
        self.facts: dict[tuple[str, str], _Size] = {}
        for fact in facts:  # in dependency order: each fact's size is known before it is read
            sent_as_field = _sent_as_field(fact.formula, self.exact)
            self.facts[(fact.scope, fact.id)] = _ONE if sent_as_field else \
                self.size(fact.formula, _SCOPES[fact.scope])

    def check(self, rule: Rule) -> list[Problem]:
        scope = _SCOPES.get(rule.scope, ("household",))
        sizes = [(c, self.size(c.test, scope)) for c in rule.criteria]
        problems = [Problem(c.at.file, *c.test.pos, "this condition is nested too deeply once "
                            f"the derived facts it reads are written out (depth {s.depth}, at "
                            f"most {MAX_INLINED_DEPTH})", expected="fewer facts built on one "
                            "another, or a min, max or aggregate fact (sent as one value)")
                    for c, s in sizes if s.depth > MAX_INLINED_DEPTH]
        total = _alternatives(s for _, s in sizes)
        if total > MAX_ALTERNATIVES:
            worst = max(sizes, key=lambda cs: cs[1].true)[0]
            problems.append(Problem(
                worst.at.file, *worst.test.pos, f"rule '{rule.id}' splits into more than "
                f"{MAX_ALTERNATIVES} alternatives for the engine (each if, min or max inside a "
                "comparison doubles them)", expected=f"at most {MAX_ALTERNATIVES}: make the "
                "min, max or if a derived fact of its own (it is then sent as one value)"))
        return problems

    def alternatives(self, rule: Rule) -> int:
        """How many alternatives the engine tests ``rule`` as, at least (at most _CAP)."""
        scope = _SCOPES.get(rule.scope, ("household",))
        return _alternatives(self.size(c.test, scope) for c in rule.criteria)

    def size(self, node: ast.Expr, scope: tuple[str, ...]) -> _Size:
        """The size of ``node``, children first, with an explicit stack (no recursion)."""
        done: dict[int, _Size] = {}
        stack = [(node, False)]
        while stack:
            current, ready = stack.pop()
            if ready:
                done[id(current)] = self.combine(current, scope, done)
                continue
            stack.append((current, True))
            if not self.is_leaf(current, scope):
                stack += [(child, False) for child in ast.children(current)]
        return done[id(node)]

    def is_leaf(self, node: ast.Expr, scope) -> bool:
        return isinstance(node, ast.Call) and (
            node.function == "eligible" or self.is_aggregate(node, scope)
            or node.function == "round" and not _exact_round(node, self.exact))

    def is_aggregate(self, node: ast.Call, scope) -> bool:
        return node.function in _AGGREGATES or (
            node.function in ("min", "max") and bool(node.args)
            and isinstance(node.args[0], ast.Name) and len(node.args[0].parts) == 1
            and any(node.args[0].parts[0] in self.collections.get(e, ()) for e in scope))

    def combine(self, node: ast.Expr, scope, done: dict[int, _Size]) -> _Size:
        parts = [done[id(c)] for c in ast.children(node) if id(c) in done]
        depth = 1 + max((p.depth for p in parts), default=0)
        match node:
            case ast.Name(parts=(name,)):
                fact = next((self.facts[(e, name)] for e in reversed(scope)
                             if (e, name) in self.facts), _ONE)
                return attrs.evolve(fact, depth=fact.depth + 1)
            case ast.Logic(op, _):
                # 'not (a and b)' is 'not a or not b': the alternatives of each failing add up
                true, false = _conjunction(parts) if op == "and" else _disjunction(parts)
                return _Size(true, false, 1, depth)
            case ast.Not():
                return _Size(parts[0].false, parts[0].true, 1, depth)
            case ast.Compare():
                n = _cap(parts[0].choices * parts[1].choices)
                return _Size(n, n, 1, depth)
            case ast.If():
                c, t, o = parts
                choices = _cap(c.true * t.choices + c.false * o.choices)
                return _Size(_cap(c.true * t.true + c.false * o.true),
                             _cap(c.true * t.false + c.false * o.false), choices, depth)
            case ast.Call(function="min" | "max") if len(parts) >= 2 and not \
                    self.is_aggregate(node, scope):
                return _Size(1, 1, _min_max_choices([p.choices for p in parts]), depth)
        choices = 1
        for p in parts:
            choices = _cap(choices * p.choices)
        return _Size(1, 1, choices, depth)


def _alternatives(sizes: Iterable[_Size]) -> int:
    total = 1
    for size in sizes:
        total = _cap(total * size.true)
    return total


def _conjunction(parts: list[_Size]) -> tuple[int, int]:
    """(alternatives for 'all hold', for 'not all hold') of an 'and'."""
    true, false = 1, 0
    for p in parts:
        true, false = _cap(true * p.true), _cap(false + p.false)
    return true, max(false, 1)


def _disjunction(parts: list[_Size]) -> tuple[int, int]:
    """(alternatives for 'one holds', for 'none holds') of an 'or'."""
    true, false = 0, 1
    for p in parts:
        true, false = _cap(true + p.true), _cap(false * p.false)
    return max(true, 1), false


def _min_max_choices(choices: list[int]) -> int:
    """min(a, b, c) is min(a, min(b, c)); min(a, b) has a·b·(a + b) alternative values."""
    total = choices[-1]
    for first in reversed(choices[:-1]):
        total = _cap(first * total * (first + total))
    return total


def _sent_as_field(formula: ast.Expr, exact: Callable[[ast.Expr], bool]) -> bool:
    """A derived fact the engine gets as one value: an aggregate, a min or max, a rounding
    that rounds everywhere (one that may be ``mode: none`` is written out by the compiler)."""
    return isinstance(formula, ast.Call) and (formula.function in (*_AGGREGATES, "min", "max")
                                              or formula.function == "round"
                                              and not _exact_round(formula, exact))


def _exact_round(node: ast.Call, exact: Callable[[ast.Expr], bool]) -> bool:
    """Whether the compiler may inline this ``round(x, p)`` (``p`` of mode none)."""
    return len(node.args) < 2 or exact(node.args[1])


def _may_stay_exact(parameter_values: Callable[[str], list[Any]]) -> Callable[[ast.Expr], bool]:
    """Whether a rounding parameter is ``mode: none`` in some layer at some date, or cannot
    be read (then the worst is assumed): the compiler then compares what it rounds exactly."""
    def exact(rounding: ast.Expr) -> bool:
        if not isinstance(rounding, ast.Name) or len(rounding.parts) < 2:
            return True
        values = parameter_values(rounding.dotted)
        return not values or any(getattr(v.value, "mode", "none") == "none" for v in values)
    return exact


# -- the denominators of values the engine is sent ----------------------------------------------
_DENOMINATOR_DEPTH = 64


def denominator(node: ast.Expr, formulas: Mapping[str, ast.Expr], money: set[str],
                collections: set[str], parameters: Callable[[str], Any] | None = None,
                depth: int = 0) -> int | None:
    """A whole number D with D × value whole for every application, or None if unbounded.

    Money read from an application is whole engine units (1/1200 yuan); whole-number
    fields, counts and yes/no are whole; a table's entries and a rounding's step are
    the policy values in force (with ``parameters`` None: any values, only the shape is
    judged). Division by anything but a constant has no bound."""
    if depth > _DENOMINATOR_DEPTH:
        return None

    def rec(child: ast.Expr) -> int | None:
        return denominator(child, formulas, money, collections, parameters, depth + 1)

    def lcm(children) -> int | None:
        found = [rec(c) for c in children]
        return None if None in found else math.lcm(*(f for f in found if f is not None))

    match node:
        case ast.Number(value):
            return Fraction(value).denominator
        case ast.Bool() | ast.Text() | ast.ListOf():
            return 1
        case ast.Name() if len(node.parts) > 1:
            if parameters is None:
                return 1
            value = as_fraction(parameters(node.dotted))
            return value.denominator if isinstance(value, Fraction) else 1
        case ast.Name():
            name = node.parts[0]
            if name in formulas:
                return rec(formulas[name])
            return _MONEY_UNITS if name in money else 1
        case ast.Neg(operand):
            return rec(operand)
        case ast.Arith(op="+" | "-", left=left, right=right):
            return lcm((left, right))
        case ast.Arith(op="*", left=left, right=right):
            a, b = rec(left), rec(right)
            return None if a is None or b is None else a * b
        case ast.Arith(op="/", left=left, right=right):
            divisor = _constant_value(right, parameters)
            a = rec(left)
            if a is None or divisor is None or divisor <= 0:
                return None
            return a * divisor.numerator
        case ast.If(_, then, otherwise):
            return lcm((then, otherwise))
        case ast.Call(function="count" | "any" | "all" | "eligible"):
            return 1
        case ast.Call(function="sum" | "min" | "max", args=args):
            if len(args) == 2 and isinstance(args[0], ast.Name) and len(args[0].parts) == 1 \
                    and args[0].parts[0] in collections:
                return rec(args[1])  # over a collection: each item's value
            return lcm(args)
        case ast.Call(function="monthly", args=(amount,)):
            found = rec(amount)
            return None if found is None else found * 12
        case ast.Call(function="yearly", args=(amount,)):
            return rec(amount)
        case ast.Call(function="lookup", args=(ast.Name() as table, _)):
            if parameters is None:
                return 1
            values = [as_fraction(v) for v in parameters(table.dotted).values()]
            return math.lcm(*(v.denominator for v in values if isinstance(v, Fraction)), 1)
        case ast.Call(function="round", args=(amount, ast.Name() as rounding)):
            if parameters is None:
                return rec(amount)
            how = parameters(rounding.dotted)
            if getattr(how, "mode", None) == "none":
                return rec(amount)
            step = Fraction(how.to)
            return step.denominator * (12 if how.per == "year" else 1)
    return None


def _constant_value(node: ast.Expr, parameters) -> Fraction | None:
    match node:
        case ast.Number(value):
            return Fraction(value)
        case ast.Name() if len(node.parts) > 1 and parameters is not None:
            value = as_fraction(parameters(node.dotted))
            return value if isinstance(value, Fraction) else None
        case ast.Name() if len(node.parts) > 1:
            return Fraction(1)  # the shape: a parameter (proved positive at load)
    return None

