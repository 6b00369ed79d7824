"""Rule book + the policy values in force → a durable_rules ruleset (plain JSON data).

What reaches the engine is exact: money is sent as whole *engine units* (1/1200 yuan,
a twelfth of a fen, so yearly amounts in fen are whole monthly units too), parameters
are folded into integer constants, and every comparison is cross-multiplied so that
nothing is ever divided (``income / size < standard`` becomes ``0 < standard·size −
income``). Aggregates over members are computed by the library and sent as fields.
The compiler also makes the engine's crashes impossible: no division at all, a
positive ``kind`` discriminator on every pattern, guards for unreported values."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import unicodedata
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import attrs

from aidrules.errors import EngineError
from aidrules.language import ast
from aidrules.language.evaluator import UNKNOWN, as_fraction, compare, entry
from aidrules.rulebook.analysis import excluded_by
from aidrules.rulebook.book import Rule, RuleBook
from aidrules.rulebook.proofs import MAX_ALTERNATIVES, denominator

MONEY_UNITS = 1200  # engine units per yuan
MAX_DISJUNCTS = MAX_ALTERNATIVES  # proved at load: aidrules.rulebook.proofs
SESSION_RULE = "_session"
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_DURABLE_OP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "==": "$eq", "!=": "$neq"}
_ALIAS = {"household": "h", "member": "m"}


@attrs.frozen
class _Const:
    value: Any
    pos: tuple[int, int] = attrs.field(default=(1, 1), eq=False)


@attrs.frozen
class _Field:
    alias: str  # h | m
    name: str
    kind: str  # money, int, number, bool, text
    pos: tuple[int, int] = attrs.field(default=(1, 1), eq=False)
    scale: int = 0  # engine integer = value × scale; 0: by kind (money 1200, else 1)

    @property
    def units(self) -> int:
        return self.scale or (MONEY_UNITS if self.kind == "money" else 1)


@attrs.frozen
class _Status:
    aid: str
    positive: bool
    scope: str | None = None  # None: any scope; "household": the exclusion of a group
    pos: tuple[int, int] = attrs.field(default=(1, 1), eq=False)


@attrs.frozen
class Lifted:
    """A value the library computes and sends as a field (an aggregate, a rounding)."""

    name: str
    expr: ast.Expr
    entity: str  # household | member
    kind: str
    scale: int = 1  # sent to the engine as the whole number value × scale


@attrs.frozen
class Compiled:
    name: str  # the durable ruleset's name
    ruleset: dict  # durable JSON, without actions
    actions: dict[str, str]  # durable rule name → rule id
    fields: dict[str, dict[str, str]]  # entity → field → kind, as sent
    lifted: tuple[Lifted, ...]
    conclusions: dict[str, tuple[str, str, str]]  # rule id → (kind, value, scope)
    positive_aids: frozenset[str]  # aid types whose eligibility some rule matches
    negative_nodes: frozenset[tuple[str, str]]  # (aid, scope) whose ineligibility is matched
    scales: dict[str, dict[str, int]] = attrs.field(factory=dict)  # entity → field → scale
    inputs: dict[str, RuleInputs] = attrs.field(factory=dict)  # rule id → what it reads
    probes: dict[str, tuple[str, int, bool]] = attrs.field(factory=dict)
    # durable rule name → (rule id, criterion index, the value it shows the criterion has)


@attrs.frozen
class RuleInputs:
    """What one rule reads, so that the engine can settle it when it did not fire.

    Where every input is known, a rule that did not fire is false (two-valued logic).
    Where one is unknown, the runtime asserts an ``open`` fact carrying ``fields`` and the
    rule's *probes* fire on it: one per criterion and value (true / false), so the engine
    tells which criteria are known to hold, known not to hold, or undecided. Criteria that
    fold to a constant under the policy values in force are in ``constants``.
    Criteria are numbered as in the rule; an exclusive group's precedence comes after."""

    fields: tuple[tuple[str, str, str], ...]  # (entity, name, kind), as in Compiled.fields
    statuses: tuple[tuple[str, str | None], ...]  # (aid, scope or None: any scope)
    criteria: int  # how many criteria, precedence included
    constants: dict[int, bool] = attrs.field(factory=dict)

    household: frozenset[str] = frozenset()  # the names in fields, per entity
    member: frozenset[str] = frozenset()


def compile_book(book: RuleBook, parameters: Callable[[str], Any], name: str) -> Compiled:
    return _Compiler(book, parameters).run(name)


class _Compiler:
    def __init__(self, book: RuleBook, parameters: Callable[[str], Any]) -> None:
        self.book, self.parameters = book, parameters
        self.derived = {(f.scope, f.id): f for f in book.facts}
        self.lifted: dict[tuple, Lifted] = {}
        self.fields: dict[str, dict[str, str]] = {"household": {}, "member": {}}
        self.positive: set[str] = set()
        self.negative: set[tuple[str, str]] = set()
        self.scopes_of: dict[str, set[str]] = {}
        for rule in book.rules:
            if rule.aid:
                self.scopes_of.setdefault(rule.aid, set()).add(rule.scope)

    def run(self, name: str) -> Compiled:
        # durable_rules 2.0.28 only completes a session's state when an action has run in
        # it; deleting a session in which nothing fired crashes the process (measured,
        # see docs/engine.md). This rule fires once per session and does nothing else.
        rules, actions = {SESSION_RULE: {"all": [{"h": {"kind": "household"}}]}}, {}
        for rule in self.book.rules:
            for i, durable_rule in enumerate(self.rule(rule)):
                key = f"{rule.id}#{i}"
                rules[key] = durable_rule
                actions[key] = rule.id
        # what rules that decide read, asserted as soon as it is known; what only probes
        # read is asserted by the runtime just before an open fact that needs it
        positive, negative = frozenset(self.positive), frozenset(self.negative)
        inputs: dict[str, RuleInputs] = {}
        probes: dict[str, tuple[str, int, bool]] = {}
        for rule in self.book.rules:
            inputs[rule.id] = self.probes(rule, rules, probes)
        conclusions = {r.id: (r.conclusion.kind, r.conclusion.value, r.scope)
                       for r in self.book.rules}
        scales = {entity: {item.name: item.scale for item in self.lifted.values()
                           if item.entity == entity} for entity in self.fields}
        return Compiled(name, {name: rules}, actions, self.fields,
                        tuple(self.lifted.values()), conclusions, positive, negative, scales,
                        inputs, probes)

    # -- one rule -------------------------------------------------------------
    def rule(self, rule: Rule) -> list[dict]:
        disjuncts = self.disjuncts(rule)
        if len(disjuncts) > MAX_DISJUNCTS:
            raise EngineError(f"rule '{rule.id}' ({rule.at}) splits into {len(disjuncts)} "
                              f"alternatives for the engine; at most {MAX_DISJUNCTS}")
        return [self.patterns(rule, literals) for literals in disjuncts]

    def disjuncts(self, rule: Rule) -> list[list]:
        """The alternatives the engine tests ``rule`` as, each a list of literals (one durable
        rule each); past ``4 * MAX_DISJUNCTS`` the count is cut short. The load proof
        (aidrules.rulebook.proofs) counts at least as many without writing them out."""
        return _dnf(_simplify(_expand(_nnf(ast.Logic("and", tuple(self.tests(rule)))))))

    def tests(self, rule: Rule) -> list:
        """The rule's criteria prepared for the engine, an exclusive group's precedence last."""
        scope = ("household",) if rule.scope == "household" else ("household", "member")
        tests = [self.prepare(c.test, scope) for c in rule.criteria]
        return tests + [_Status(aid, False, "household")
                        for aid in excluded_by(rule, self.book.exclusive)]

    def probes(self, rule: Rule, rules: dict, probes: dict) -> RuleInputs:
        """For each criterion, durable rules that fire on an ``open`` fact of ``rule`` when
        the criterion is known to hold and when it is known not to (see RuleInputs)."""
        constants: dict[int, bool] = {}
        fields: set[tuple[str, str, str]] = set()
        statuses: list[tuple[str, str | None]] = []
        tests = self.tests(rule)
        for index, test in enumerate(tests):
            for holds in (True, False):
                alternatives = _dnf(_simplify(_expand(_nnf(test, not holds))))
                if alternatives in ([], [[]]):
                    if alternatives == [[]]:
                        constants[index] = holds
                    continue
                if len(alternatives) > MAX_DISJUNCTS:
                    raise EngineError(f"rule '{rule.id}' ({rule.at}): criterion {index + 1} "
                                      f"splits into {len(alternatives)} alternatives for the "
                                      f"engine; at most {MAX_DISJUNCTS}")
                for n, literals in enumerate(alternatives):
                    key = f"{rule.id}?{index}{'+' if holds else '-'}{n}"
                    rules[key] = self.probe_patterns(rule, literals, fields, statuses, holds)
                    probes[key] = (rule.id, index, holds)
        entities = {"h": "household", "m": "member"}
        return RuleInputs(tuple(sorted((entities[a], n, k) for a, n, k in fields)),
                          tuple(dict.fromkeys(statuses)), len(tests), constants,
                          frozenset(n for a, n, _ in fields if a == "h"),
                          frozenset(n for a, n, _ in fields if a == "m"))

    def probe_patterns(self, rule: Rule, literals: list, fields: set, statuses: list,
                       holds: bool) -> dict:
        """One alternative of a probe: every field is read from the rule's ``open`` fact
        (named ``h_<field>`` / ``m_<field>``), which a leading rule discriminator keeps
        apart from every other rule's alpha conditions (the engine allows 64 at once).
        The fact asks one question (``ask``): which criteria fail (enough to know the rule
        is false), or, asked only when none fails, which hold (what is missing)."""
        conditions: list = [{"kind": "open"}, {"rule": rule.id},
                            {"ask": "holds" if holds else "fails"}]
        patterns = []
        for literal in literals:
            if isinstance(literal, _Status):
                statuses.append((literal.aid, literal.scope))
                patterns.extend(self.status_patterns(literal))
                continue
            for field in _fields_in(literal):
                fields.add((field.alias, field.name, field.kind))
            for _, condition in self.conditions(_flattened(literal), rule):
                if condition not in conditions:
                    conditions.append(condition)
        return {"all": [{"o": {"$and": conditions}}, *({f"s{i}": p}
                                                       for i, p in enumerate(patterns))]}

    def patterns(self, rule: Rule, literals: list) -> dict:
        conditions = {"h": [{"kind": "household"}], "m": [{"kind": "member"}]}
        statuses = []
        for literal in literals:
            if isinstance(literal, _Status):
                statuses.extend(self.status_patterns(literal))
            else:
                for alias, condition in self.conditions(literal, rule):
                    if condition not in conditions[alias]:
                        conditions[alias].append(condition)
        patterns = [{"h": {"$and": conditions["h"]}}]
        if rule.scope == "member":
            patterns.append({"m": {"$and": conditions["m"]}})
        patterns += [{f"s{i}": p} for i, p in enumerate(statuses)]
        return {"all": patterns}

    def status_patterns(self, status: _Status) -> list[dict]:
        if status.positive:
            self.positive.add(status.aid)
            scoped = [{"scope": status.scope}] if status.scope else []
            return [{"$and": [{"kind": "status"}, {"aid": status.aid}, *scoped,
                              {"status": "eligible"}]}]
        scopes = [status.scope] if status.scope else sorted(self.scopes_of.get(status.aid, ()))
        patterns = []
        for scope in scopes:
            self.negative.add((status.aid, scope))
            patterns.append({"$and": [{"kind": "status"}, {"aid": status.aid},
                                      {"scope": scope}, {"status": "ineligible"}]})
        return patterns

    # -- names, parameters, aggregates ------------------------------------------
    def prepare(self, node: Any, scope: tuple[str, ...]) -> Any:
        """Inline derived facts and parameters; lift aggregates; keep fields and statuses."""
        match node:
            case ast.Name() if len(node.parts) == 1:
                return self.name(node, scope)
            case ast.Name():
                return _Const(as_fraction(self.parameters(node.dotted)), node.pos)
            case ast.Number(value):
                return _Const(Fraction(value), node.pos)
            case ast.Text(value) | ast.Bool(value):
                return _Const(value, node.pos)
            case ast.ListOf(items):
                constants: Any = items  # the checker allows only constants in a list
                return _Const(tuple(i.value for i in constants), node.pos)
            case ast.Call(function="eligible"):
                named: Any = node.args[0]  # the checker allows only an aid type's name
                return _Status(named.parts[0], True, pos=node.pos)
            case ast.Call(function="lookup"):
                return self.lookup(node, scope)
            case ast.Call(function="monthly" | "yearly", args=(amount,)):
                # exact arithmetic: the comparison is cross-multiplied, nothing divided
                op = "/" if node.function == "monthly" else "*"
                twelve: Any = _Const(Fraction(12))  # compiler leaves inside the tree
                return ast.Arith(op, self.prepare(amount, scope), twelve,
                                 pos=node.pos)
            case ast.Call(function="round") if self.leaves_exact(node):
                return self.prepare(node.args[0], scope)
            case ast.Call(function="round") | ast.Call(function="count" | "sum" | "any" | "all"):
                return self.lift(node, scope)
            case ast.Call(function="min" | "max") if self.is_aggregate(node, scope):
                return self.lift(node, scope)
        rebuilt = [self.prepare(child, scope) for child in ast.children(node)]
        return _rebuild(node, rebuilt)

    def name(self, node: ast.Name, scope: tuple[str, ...]) -> Any:
        name = node.parts[0]
        for entity in reversed(scope):
            fact = self.derived.get((entity, name))
            if fact is not None and (self.is_exact_round(fact.formula) or not
                                     _is_library_computed(fact.formula, self.book, entity)):
                inner = ("household",) if entity == "household" else ("household", "member")
                return self.prepare(fact.formula, inner)
            kind = self.book.schema.entities[entity].get(name)
            if kind is not None:
                self.fields[entity][name] = kind.kind
                return _Field(_ALIAS[entity], name, kind.kind, node.pos)
        raise EngineError(f"cannot compile the name '{name}'")  # the checker prevents this

    def lookup(self, node: Any, scope: tuple[str, ...]) -> Any:
        """A table's entry: a constant for a constant key, else computed by the library."""
        key = _fold(self.prepare(node.args[1], scope))
        if isinstance(key, _Const):
            found = entry(self.parameters(node.args[0].dotted), key.value)
            if found is UNKNOWN:
                raise EngineError(f"table '{node.args[0].dotted}' has no entry for {key.value}")
            return _Const(found, node.pos)
        return self.lift(node, scope)

    def is_exact_round(self, formula: ast.Expr) -> bool:
        return isinstance(formula, ast.Call) and formula.function == "round" and \
            self.leaves_exact(formula)

    def leaves_exact(self, node: Any) -> bool:
        """A rounding the policy declares as none: the figure is compared exactly."""
        return getattr(self.parameters(node.args[1].dotted), "mode", None) == "none"

    def is_aggregate(self, node: Any, scope) -> bool:
        return any(_is_aggregate_call(node, self.book, e) for e in scope)

    def lift(self, node: ast.Expr, scope: tuple[str, ...]) -> _Field:
        entity = scope[-1]
        key = (entity, node)
        if key not in self.lifted:
            from aidrules.language.checker import check
            checked = check(node, self.book.schema, scope, "<lifted>").type
            assert checked is not None  # the book was checked when it loaded
            kind = checked.kind
            scale = 1
            if kind in ("money", "int", "number"):
                bound = self.denominator(node, scope)
                if bound is None:  # refused at load (aidrules.rulebook.proofs)
                    raise EngineError(f"the value at line {node.pos[0]}, column "
                                      f"{node.pos[1]} cannot be sent to the engine exactly: "
                                      "its denominator is not bounded")
                scale = bound
                if kind == "money":  # money stays whole engine units
                    scale = math.lcm(scale, MONEY_UNITS)
            self.lifted[key] = Lifted(f"_v{len(self.lifted)}", node, entity, kind, scale)
        lifted = self.lifted[key]
        self.fields[entity][lifted.name] = lifted.kind
        return _Field(_ALIAS[entity], lifted.name, lifted.kind, node.pos, lifted.scale)

    def denominator(self, node: ast.Expr, scope: tuple[str, ...]) -> int | None:
        """A whole number D such that D × the value of ``node`` is always a whole number
        (for the policy values in force), or None when no such bound is known."""
        formulas = {f.id: f.formula for f in self.book.facts}
        entities = self.book.schema.entities.values()
        money = {n for fields in entities for n, k in fields.items() if k.kind == "money"}
        collections = {n for fields in entities for n, k in fields.items()
                       if k.kind == "collection"}
        return denominator(node, formulas, money, collections, self.parameters)

    # -- one literal → a durable condition --------------------------------------
    def conditions(self, literal: Any, rule: Rule) -> list[tuple[str, dict]]:
        """``[(alias, durable condition), ...]`` for one literal of a conjunction."""
        if isinstance(literal, _Field) and literal.kind == "bool":
            return [(literal.alias, {literal.name: True})]
        if isinstance(literal, ast.Not) and isinstance(literal.operand, _Field):
            return [(literal.operand.alias, {literal.operand.name: False})]
        if isinstance(literal, ast.Compare):
            left, right = literal.left, literal.right
            if literal.op in ("in", "not in") or _is_text(left) or _is_text(right):
                return [_text_condition(literal, rule)]
            return self.numeric_condition(literal, rule)
        raise EngineError(f"rule '{rule.id}' ({rule.at}): the engine cannot test "
                          f"{type(literal).__name__}")

    def numeric_condition(self, literal: ast.Compare, rule: Rule) -> list[tuple[str, dict]]:
        ln, ld = _rational(literal.left, rule)
        rn, rd = _rational(literal.right, rule)
        difference = _sub(_mul(ln, rd), _mul(rn, ld))  # left − right, over ld·rd > 0
        guards = [d for d in (ld, rd) if not _is_constant(d)]
        fields = _fields_of(difference) | {f for g in guards for f in _fields_of(g)}
        aliases = {f.alias for f in fields}
        alias = "m" if "m" in aliases else "o" if "o" in aliases else "h"
        # Unreported values are sent as 0 with <name>__known false: arithmetic on a
        # missing field is an engine error (311), so every field read must be guarded.
        out: list[tuple[str, dict[str, Any]]] = [
            (f.alias, {f"{f.name}__known": True}) for f in sorted(fields, key=_key)]
        out += [(alias, {"$lt": {"zero": _json(_integral(g), alias)}}) for g in guards]
        flipped = _DURABLE_OP[_FLIP[literal.op]]
        out.append((alias, {flipped: {"zero": _json(_integral(difference), alias)}}))
        return out


def _key(f: _Field):
    return (f.alias, f.name)


def _fields_in(node: Any) -> list[_Field]:
    if isinstance(node, _Field):
        return [node]
    if not isinstance(node, ast.Expr.__args__):
        return []
    return [f for child in ast.children(node) for f in _fields_in(child)]


def _flattened(node: Any) -> Any:
    """``node`` reading every field from the one ``open`` fact (alias ``o``)."""
    if isinstance(node, _Field):
        return attrs.evolve(node, alias="o", name=f"{node.alias}_{node.name}")
    if not isinstance(node, ast.Expr.__args__):
        return node
    return _rebuild(node, [_flattened(c) for c in ast.children(node)])


# -- tree rewriting ---------------------------------------------------------------
def _rebuild(node: ast.Expr, children: list) -> Any:
    match node:
        case ast.Neg():
            return ast.Neg(children[0], pos=node.pos)
        case ast.Not():
            return ast.Not(children[0], pos=node.pos)
        case ast.Arith(op):
            return ast.Arith(op, children[0], children[1], pos=node.pos)
        case ast.Compare(op):
            return ast.Compare(op, children[0], children[1], pos=node.pos)
        case ast.Logic(op):
            return ast.Logic(op, tuple(children), pos=node.pos)
        case ast.If():
            return ast.If(children[0], children[1], children[2], pos=node.pos)
        case ast.Call(function):
            return ast.Call(function, tuple(children), None, pos=node.pos)
    return node


def _is_library_computed(formula: ast.Expr, book: RuleBook, entity: str) -> bool:
    """A derived fact sent as a field rather than inlined: aggregates, and a fact that is
    a min or max (inlining one splits every rule reading it into alternatives)."""
    return _is_aggregate_call(formula, book, entity) or (
        isinstance(formula, ast.Call) and formula.function in ("min", "max"))


def _is_aggregate_call(node: ast.Expr, book: RuleBook, entity: str) -> bool:
    if not isinstance(node, ast.Call) or node.function not in ("count", "sum", "any", "all",
                                                               "min", "max", "round"):
        return False
    if node.function == "round" or node.function in ("count", "sum", "any", "all"):
        return True
    first = node.args[0] if node.args else None
    fields = book.schema.entities[entity]
    return isinstance(first, ast.Name) and len(first.parts) == 1 and \
        getattr(fields.get(first.parts[0]), "kind", None) == "collection"


def _nnf(node: Any, negate: bool = False) -> Any:
    """Push every 'not' down to the comparisons (exact in three-valued logic too)."""
    match node:
        case ast.Not(operand):
            return _nnf(operand, not negate)
        case ast.Logic(op, operands):
            op = {"and": "or", "or": "and"}[op] if negate else op
            return ast.Logic(op, tuple(_nnf(o, negate) for o in operands), pos=node.pos)
        case ast.Compare(op, left, right) if negate:
            return ast.Compare(ast.NEGATED[op], left, right, pos=node.pos)
        case _Status() if negate:
            return attrs.evolve(node, positive=not node.positive)
        case _Const(value) if negate and isinstance(value, bool):
            return _Const(not value)
        case ast.If(condition, then, otherwise):
            return ast.Logic("or", (
                ast.Logic("and", (_nnf(condition), _nnf(then, negate))),
                ast.Logic("and", (_nnf(condition, True), _nnf(otherwise, negate)))))
    return ast.Not(node, pos=node.pos) if negate else node


def _expand(node: Any) -> Any:
    """Replace if/min/max inside a comparison by alternatives: x < min(a, b) → x < a and x < b."""
    match node:
        case ast.Logic(op, operands):
            return ast.Logic(op, tuple(_expand(o) for o in operands), pos=node.pos)
        case ast.Compare(op, left, right):
            choice = _first_choice(left) or _first_choice(right)
            if choice is None:
                return node
            condition, then, otherwise, _ = choice
            first = _replace(node, choice[3], then)
            second = _replace(node, choice[3], otherwise)
            return _expand(ast.Logic("or", (
                ast.Logic("and", (_nnf(condition), first)),
                ast.Logic("and", (_nnf(condition, True), second)))))
    return node


def _first_choice(node: Any):
    match node:
        case ast.If(condition, then, otherwise):
            return condition, then, otherwise, node
        case ast.Call(function="min" | "max", args=args) if len(args) >= 2:
            op = "<=" if node.function == "min" else ">="
            first, rest = args[0], args[1:]
            other = rest[0] if len(rest) == 1 else ast.Call(node.function, rest)
            return ast.Compare(op, first, other), first, other, node
    for child in ast.children(node) if isinstance(node, ast.Expr.__args__) else ():
        found = _first_choice(child)
        if found:
            return found
    return None


def _replace(node: Any, old: Any, new: Any) -> Any:
    if node is old:
        return new
    if not isinstance(node, ast.Expr.__args__):
        return node
    return _rebuild(node, [_replace(c, old, new) for c in ast.children(node)])


def _simplify(node: Any) -> Any:
    """Fold comparisons of constants and drop constant operands of and / or."""
    match node:
        case ast.Logic(op, operands):
            kept = []
            for operand in (_simplify(o) for o in operands):
                if isinstance(operand, _Const):
                    if operand.value is (op == "or"):
                        return _Const(op == "or")
                    continue
                kept.append(operand)
            if not kept:
                return _Const(op == "and")
            return kept[0] if len(kept) == 1 else ast.Logic(op, tuple(kept))
        case ast.Compare(op, left, right):
            left, right = _fold(left), _fold(right)
            if isinstance(left, _Const) and isinstance(right, _Const):
                return _Const(compare(op, left.value, right.value))
            return ast.Compare(op, left, right, pos=node.pos)
        case ast.Not(_Const(value)):
            return _Const(not value)
    return node


def _fold(node: Any) -> Any:
    children = [_fold(c) for c in ast.children(node)] if isinstance(node, ast.Expr.__args__) \
        else []
    if children and all(isinstance(c, _Const) for c in children):
        values = [c.value for c in children]
        match node:
            case ast.Neg():
                return _Const(-values[0])
            case ast.Arith(op="+"):
                return _Const(values[0] + values[1])
            case ast.Arith(op="-"):
                return _Const(values[0] - values[1])
            case ast.Arith(op="*"):
                return _Const(values[0] * values[1])
            case ast.Arith(op="/") if values[1] > 0:
                return _Const(values[0] / values[1])
    return _rebuild(node, children) if children else node


def _dnf(node: Any) -> list[list]:
    match node:
        case _Const(value):
            return [[]] if value else []
        case ast.Logic(op="or", operands=operands):
            return [d for o in operands for d in _dnf(o)]
        case ast.Logic(op="and", operands=operands):
            combined: list[list] = [[]]
            for operand in operands:
                combined = [a + b for a in combined for b in _dnf(operand)]
                if len(combined) > MAX_DISJUNCTS * 4:
                    break
            return combined
    return [[node]]


# -- numbers: polynomials over fields with rational coefficients ------------------
Poly = dict  # tuple of _Field (sorted) → Fraction


def _rational(node: Any, rule: Rule) -> tuple[Poly, Poly]:
    """``node`` as numerator / denominator, the denominator positive where it is not constant."""
    match node:
        case _Const(value):
            return {(): Fraction(value)}, {(): Fraction(1)}
        case _Field():
            return {(node,): Fraction(1)}, {(): Fraction(1)}
        case ast.Neg(operand):
            n, d = _rational(operand, rule)
            return _scale(n, -1), d
        case ast.Arith(op, left, right):
            ln, ld = _rational(left, rule)
            rn, rd = _rational(right, rule)
            if op == "+":
                return _add(_mul(ln, rd), _mul(rn, ld)), _mul(ld, rd)
            if op == "-":
                return _sub(_mul(ln, rd), _mul(rn, ld)), _mul(ld, rd)
            if op == "*":
                return _mul(ln, rn), _mul(ld, rd)
            if _is_constant(rn) and rn.get((), Fraction(0)) <= 0:
                raise EngineError(f"rule '{rule.id}' ({rule.at}) divides by a number that is "
                                  "not positive")
            return _mul(ln, rd), _mul(ld, rn)
    raise EngineError(f"rule '{rule.id}' ({rule.at}): cannot compute "
                      f"{type(node).__name__} in the engine")


def _is_constant(poly: Poly) -> bool:
    return all(not k for k in poly)


def _add(a: Poly, b: Poly) -> Poly:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, Fraction(0)) + v
    return {k: v for k, v in out.items() if v}


def _scale(a: Poly, factor) -> Poly:
    return {k: v * factor for k, v in a.items() if v * factor}


def _sub(a: Poly, b: Poly) -> Poly:
    return _add(a, _scale(b, -1))


def _mul(a: Poly, b: Poly) -> Poly:
    out: Poly = {}
    for (ka, va), (kb, vb) in itertools.product(a.items(), b.items()):
        key = tuple(sorted(ka + kb, key=_key))
        out[key] = out.get(key, Fraction(0)) + va * vb
    return {k: v for k, v in out.items() if v}


def _fields_of(poly: Poly) -> set:
    return {f for key in poly for f in key}


def _integral(poly: Poly) -> dict:
    """Coefficients for engine units, multiplied to whole numbers (the sign is kept)."""
    converted = {k: v / math.prod(f.units for f in k) for k, v in poly.items()}
    common = math.lcm(*(c.denominator for c in converted.values())) if converted else 1
    return {k: int(v * common) for k, v in converted.items()}


def _json(poly: dict, alias: str) -> Any:
    terms = []
    for key, coefficient in sorted(poly.items(), key=lambda kv: [_key(f) for f in kv[0]]):
        term: Any = coefficient
        for f in key:
            ref = {"$m": f.name} if f.alias == alias else {f.alias: f.name}
            term = ref if term == 1 else {"$mul": {"$l": term, "$r": ref}}
        terms.append(term)
    if not terms:
        return 0
    total = terms[0]
    for term in terms[1:]:
        total = {"$add": {"$l": total, "$r": term}}
    return total


def _is_text(node: Any) -> bool:
    return (isinstance(node, _Field) and node.kind == "text") or (
        isinstance(node, _Const) and isinstance(node.value, (str, tuple)))


def _text_condition(literal: ast.Compare, rule: Rule) -> tuple[str, dict]:
    field, value = literal.left, literal.right
    if isinstance(field, _Const):
        field, value = value, field
    if not isinstance(field, _Field) or not isinstance(value, _Const):
        raise EngineError(f"rule '{rule.id}' ({rule.at}): the engine compares a text field "
                          "with fixed texts only")
    given = value.value if isinstance(value.value, tuple) else (value.value,)
    values = [unicodedata.normalize("NFC", v) for v in given]
    if literal.op in ("==", "in"):
        options = [{field.name: v} for v in values]
        return field.alias, options[0] if len(options) == 1 else {"$or": options}
    return field.alias, {"$and": [{"$neq": {field.name: v}} for v in values]} if values \
        else {"$ex": {field.name: 1}}



# -- a set of conditions over a household fact and one other fact ------------------
# The warning rules of the monitoring (aidrules.monitoring.warnings) are conditions in the
# rule language over ``household.*`` and ``event.*`` facts and dated parameters. They are
# compiled here, by the rules' own compiler: the same money unit, the same folding of
# parameters, cross-multiplication and guards; only the reading of names differs.

@attrs.frozen
class FactField:
    """A name a condition may read, as the engine's fact carries it."""

    entity: str  # "household" (the session's one household fact) or "other"
    field: str  # the field of the engine's fact
    kind: str  # money, int, number, bool, text


@attrs.frozen
class ConditionSet:
    """Compiled conditions: a plain JSON ruleset (the ``SESSION_RULE`` included, no
    actions) for one household fact (``kind: household``) and facts of ``kind: other``."""

    name: str  # the ruleset's name: by content, so equal names mean equal rules
    rules: dict[str, dict]  # durable rule name → rule
    actions: dict[str, str]  # durable rule name → the condition's id
    fields: dict[str, dict[str, str]]  # entity → field → kind: what the facts must carry

    def fact(self, entity: str, values: dict[str, Any]) -> dict[str, Any]:
        """The engine's fact for ``values`` (field → value, a field left out is unknown):
        numbers in whole engine units, each with its ``__known`` flag (see ``conditions``)."""
        fact: dict[str, Any] = {"kind": entity, "zero": 0}
        for name, kind in self.fields[entity].items():
            value = values.get(name, UNKNOWN)
            if kind in ("bool", "text"):
                if value is not UNKNOWN:
                    fact[name] = value
                continue
            fact[f"{name}__known"] = value is not UNKNOWN
            fact[name] = 0 if value is UNKNOWN else _whole_units(name, kind, value)
        return fact


def compile_conditions(conditions: dict[str, ast.Expr], names: dict[str, FactField],
                       parameters: Callable[[str], Any], prefix: str) -> ConditionSet:
    """``conditions`` (id → a checked boolean tree; a dotted name is a fact of ``names``
    or a parameter, read through ``parameters``) as one durable ruleset in which each
    condition joins the household fact and one ``other`` fact. A condition splits into
    alternatives like a rule (``or``, ``if``, ``min``, ``max``); a firing of any of them
    is a firing of the condition. Functions are not compiled (the caller refuses them)."""
    reserved = {f.field for f in names.values()} & {"kind", "zero", "sid"}
    if reserved:
        raise EngineError(f"a condition's fact may not have the field {sorted(reserved)[0]!r}: "
                          "the engine's facts use it")
    compiler = _ConditionCompiler(names, parameters)
    rules: dict[str, dict] = {SESSION_RULE: {"all": [{"h": {"kind": "household"}}]}}
    actions: dict[str, str] = {}
    for condition_id, tree in conditions.items():
        where = _Where(condition_id, "a condition")
        disjuncts = _dnf(_simplify(_expand(_nnf(compiler.prepare(tree, ())))))
        if len(disjuncts) > MAX_DISJUNCTS:
            raise EngineError(f"condition '{condition_id}' splits into {len(disjuncts)} "
                              f"alternatives for the engine; at most {MAX_DISJUNCTS}")
        for i, literals in enumerate(disjuncts):
            key = f"{condition_id}#{i}"
            rules[key] = compiler.join(literals, where)
            actions[key] = condition_id
    digest = hashlib.sha256(json.dumps(rules, sort_keys=True).encode()).hexdigest()
    fields: dict[str, dict[str, str]] = {"household": {}, "other": {}}
    for field in compiler.read:
        fields[field.entity][field.field] = field.kind
    return ConditionSet(f"{prefix}_{digest[:16]}", rules, actions, fields)


@attrs.frozen
class _Where:
    """What a message of the compiler names (a rule has the same two attributes)."""

    id: str
    at: str


class _ConditionCompiler(_Compiler):
    """The rules' compiler reading dotted names: a fact of ``names``, else a parameter."""

    def __init__(self, names: dict[str, FactField], parameters: Callable[[str], Any]) -> None:
        self.names, self.parameters = names, parameters
        self.read: set[FactField] = set()

    def prepare(self, node: ast.Expr, scope: tuple[str, ...]) -> Any:
        match node:
            case ast.Name() if node.dotted in self.names:
                fact = self.names[node.dotted]
                self.read.add(fact)
                alias = "h" if fact.entity == "household" else "m"
                return _Field(alias, fact.field, fact.kind, node.pos)
            case ast.Name():
                value = as_fraction(self.parameters(node.dotted))
                return _Const(tuple(value) if isinstance(value, list) else value, node.pos)
            case ast.Call(function="min" | "max"):
                rebuilt = [self.prepare(child, scope) for child in ast.children(node)]
                return _rebuild(node, rebuilt)
            case ast.Call():
                raise EngineError(f"a condition cannot call {node.function}() "
                                  f"(line {node.pos[0]}, column {node.pos[1]})")
        return super().prepare(node, scope)

    def join(self, literals: list, where: _Where) -> dict:
        conditions = {"h": [{"kind": "household"}], "m": [{"kind": "other"}]}
        for literal in literals:
            for alias, condition in self.conditions(literal, where):  # type: ignore[arg-type]
                if condition not in conditions[alias]:
                    conditions[alias].append(condition)
        return {"all": [{"h": {"$and": conditions["h"]}}, {"m": {"$and": conditions["m"]}}]}


def _whole_units(name: str, kind: str, value: Any) -> int:
    units = Fraction(value) * (MONEY_UNITS if kind == "money" else 1)
    if units.denominator != 1:
        raise EngineError(f"{name}={value} is not a whole number of engine units")
    return int(units)
