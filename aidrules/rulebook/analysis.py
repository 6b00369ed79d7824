"""Checks across rules: overrides, conflicts, exclusive groups, and the order of evaluation.

Two rules of one aid type that can both hold, with no declared priority between them,
are an error found here, when the book is loaded, not when a household is decided."""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping

from aidrules.errors import Problem, did_you_mean
from aidrules.language import ast
from aidrules.rulebook.book import ExclusiveGroup, Rule

Node = tuple[str, str, str]  # (conclusion kind, value, scope)


def fact_order(facts: Mapping[str, tuple[str, ast.Expr]]) -> tuple[list[str], list[str]]:
    """Derived facts in an order where each comes after those it reads; and a cycle, if any."""
    graph = {name: {n for n in _names(formula) if n in facts and n != name} |
             ({name} if name in _names(formula) else set())
             for name, (_, formula) in facts.items()}
    sorter = graphlib.TopologicalSorter(graph)
    try:
        return list(sorter.static_order()), []
    except graphlib.CycleError as exc:
        cycle = list(exc.args[1])
        acyclic = {k: v for k, v in graph.items() if k not in cycle}
        order = [n for n in _safe_order(acyclic) if n not in cycle]
        return order, cycle


def _safe_order(graph):
    done, order = set(), []
    progress = True
    while progress:
        progress = False
        for name, deps in graph.items():
            if name not in done and deps <= done:
                done.add(name)
                order.append(name)
                progress = True
    return order


def _names(expr: ast.Expr) -> set[str]:
    return {n.parts[0] for n in ast.walk(expr) if isinstance(n, ast.Name) and len(n.parts) == 1}


def names_read(expr: ast.Expr) -> set[str]:
    """The plain (undotted) names an expression reads: facts, not parameters."""
    return _names(expr)


def node_of(rule: Rule) -> Node:
    return (rule.conclusion.kind, rule.conclusion.value, rule.scope)


def dependencies(rules: Iterable[Rule], exclusive: Iterable[ExclusiveGroup]) -> dict[Node, set]:
    """Which conclusions must be settled before each conclusion can be."""
    rules = list(rules)
    nodes_of_aid: dict[str, set[Node]] = {}
    for rule in rules:
        if rule.aid:
            nodes_of_aid.setdefault(rule.aid, set()).add(node_of(rule))
    graph: dict[Node, set[Node]] = {}
    for rule in rules:
        deps = graph.setdefault(node_of(rule), set())
        for criterion in rule.criteria:
            for aid in criterion.aids:
                deps |= nodes_of_aid.get(aid, set())
        for higher in excluded_by(rule, exclusive):
            deps |= {n for n in nodes_of_aid.get(higher, ()) if n[2] == "household"}
    return graph


def excluded_by(rule: Rule, exclusive: Iterable[ExclusiveGroup]) -> tuple[str, ...]:
    """The aid types that, when the household holds them, exclude this rule's aid."""
    if rule.aid is None or rule.scope != "household":
        return ()
    for group in exclusive:
        if rule.aid in group.order:
            return group.higher_than(rule.aid)
    return ()


def evaluation_order(rules: Iterable[Rule], exclusive: Iterable[ExclusiveGroup]) -> list[Node]:
    return list(graphlib.TopologicalSorter(dependencies(rules, exclusive)).static_order())


def check_rules(rules: list[Rule], aids, brands, risk_levels,
                exclusive: list[ExclusiveGroup], unreadable: frozenset[str] = frozenset(),
                ) -> list[Problem]:
    """Problems between rules; ``unreadable`` are ids of rules already reported as broken,
    which other rules may name without a second, misleading problem."""
    problems: list[Problem] = []
    by_id: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in by_id:
            problems.append(_at(rule, f"rule id '{rule.id}' is used twice (first at "
                                      f"{by_id[rule.id].at})"))
        by_id.setdefault(rule.id, rule)
    problems += _check_overrides(rules, by_id, unreadable)
    problems += _check_conflicts(rules)
    problems += _check_groups(exclusive)
    try:
        evaluation_order(rules, exclusive)
    except graphlib.CycleError as exc:
        cycle = " → ".join(f"{kind} {value} ({scope})" for kind, value, scope in exc.args[1])
        first = next(r for r in rules if node_of(r) == exc.args[1][0])
        problems.append(_at(first, f"conclusions depend on each other in a circle: {cycle}",
                            expected="eligible(...) conditions and exclusive groups that "
                                     "settle one aid type before the next"))
    return problems


def _at(rule: Rule, message: str, expected: str | None = None,
        suggestion: str | None = None) -> Problem:
    return Problem(rule.at.file, rule.at.line, rule.at.col, message, expected, suggestion)


def _check_overrides(rules, by_id, unreadable=frozenset()) -> list[Problem]:
    problems = []
    for rule in rules:
        for target in rule.overrides:
            other = by_id.get(target)
            if other is None and target in unreadable:
                continue
            if other is None:
                problems.append(_at(rule, f"rule '{rule.id}' overrides unknown rule '{target}'",
                                    suggestion=did_you_mean(target, by_id)))
            elif other.conclusion != rule.conclusion:
                problems.append(_at(rule, f"rule '{rule.id}' overrides '{target}', which "
                                          f"concludes {other.conclusion.kind} "
                                          f"'{other.conclusion.value}', not "
                                          f"'{rule.conclusion.value}'"))
    return problems


def _check_conflicts(rules: list[Rule]) -> list[Problem]:
    """Two rules with amounts for one aid type that may both hold need a priority."""
    problems = []
    priced = [r for r in rules if r.aid and r.amount is not None]
    for i, first in enumerate(priced):
        for second in priced[i + 1:]:
            if node_of(first) != node_of(second) or _ordered(first, second):
                continue
            if not disjoint(first, second):
                problems.append(_at(second, (
                    f"rules '{first.id}' ({first.at}) and '{second.id}' can both hold for one "
                    f"household and give different amounts, and neither overrides the other"),
                    expected=f"'overrides: [{first.id}]' on one of them, or a condition that "
                             f"excludes the other"))
    return problems


def _ordered(a: Rule, b: Rule) -> bool:
    return a.id in b.overrides or b.id in a.overrides


def disjoint(a: Rule, b: Rule) -> bool:
    """True when some condition of one rule is the plain negation of a condition of the other."""
    tests_a = [c.test for c in a.criteria]
    tests_b = [c.test for c in b.criteria]
    return any(_contradict(x, y) for x in tests_a for y in tests_b)


def _contradict(x: ast.Expr, y: ast.Expr) -> bool:
    if negate(x) == y:
        return True
    if isinstance(x, ast.Compare) and isinstance(y, ast.Compare) and x.op == y.op == "==":
        a, b = x.right, y.right
        return x.left == y.left and isinstance(a, ast.Text) and isinstance(b, ast.Text) and \
            a.value != b.value
    return False


def negate(expr: ast.Expr) -> ast.Expr:
    """The condition that holds exactly when ``expr`` does not (for known values)."""
    match expr:
        case ast.Not(operand):
            return operand
        case ast.Compare(op, left, right):
            return ast.Compare(ast.NEGATED[op], left, right, pos=expr.pos)
        case ast.Logic(op, operands):
            flipped = "or" if op == "and" else "and"
            return ast.Logic(flipped, tuple(negate(o) for o in operands), pos=expr.pos)
        case ast.Bool(value):
            return ast.Bool(not value, pos=expr.pos)
    return ast.Not(expr, pos=expr.pos)


def _check_groups(exclusive: list[ExclusiveGroup]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for group in exclusive:
        for aid in group.order:
            if aid in seen and seen[aid] != group.id:
                problems.append(Problem(group.at.file, group.at.line, group.at.col,
                                        f"aid type '{aid}' is in two exclusive groups, "
                                        f"'{seen[aid]}' and '{group.id}'",
                                        expected="each aid type in at most one group"))
            seen[aid] = group.id
    return problems
