"""Compiling a loaded rule book, as of one policy snapshot, into a screening query.

The result per household: for every aid type its status (eligible, ineligible,
undetermined) and amounts in whole fen, the risk colour and the referral rules that
held. Anything the executor cannot yet compile raises :class:`NotCompiled` here, naming
the rule or fact, before any data is read."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import attrs

from aidrules.columnar.expressions import (
    UNKNOWN,
    NotCompiled,
    Num,
    Scope,
    Sql,
    Value,
    choose,
    compile_expr,
    num,
    plus,
    text,
)
from aidrules.columnar.missing import Missing, criterion_columns
from aidrules.columnar.plan import Plan, to_fen
from aidrules.language import ast
from aidrules.language.evaluator import as_fraction, kleene
from aidrules.policy import PolicySnapshot
from aidrules.rulebook.analysis import evaluation_order, excluded_by, node_of
from aidrules.rulebook.book import Rule, RuleBook
from aidrules.rulebook.schema import BASE_FACTS

AGGREGATES = ("count", "sum", "any", "all", "min", "max")

TABLES = {"household": "households", "member": "members", "income": "incomes",
          "household_income": "household_incomes", "vehicle": "vehicles",
          "expenditure": "expenditures", "supporter": "supporters", "emergency": "emergencies"}


@attrs.frozen
class Screening:
    """The compiled query and the names of its result columns."""

    sql: str
    aids: tuple[str, ...]
    policy_version: str


def parameters_of(snapshot: PolicySnapshot):
    values = {name: as_fraction(used.value) for name, used in snapshot.items()}

    def parameter(name: str) -> Any:
        return values[name] if name in values else snapshot[name].value  # absent: raises why
    return parameter


def compile_screening(book: RuleBook, snapshot: PolicySnapshot) -> Screening:
    plan = Plan(parameters_of(snapshot), TABLES)
    items = [_fact_item(fact) for fact in book.facts]
    rules = {}
    for node in evaluation_order(book.rules, book.exclusive):
        rules[node] = [r for r in book.rules if node_of(r) == node]
        items += _node_items(plan, book, node, rules[node])
    _schedule(plan, items)
    _amounts(plan, book, rules)
    missing = Missing(plan, book, rules)
    missing.build()
    return Screening(_select(plan, book, rules, missing), tuple(book.aids), snapshot.version)


@attrs.frozen
class Item:
    """A column to add to an entity's table once the columns it reads exist."""

    name: str
    entity: str
    reads: frozenset[str]
    build: Callable[[Plan], None]


def _schedule(plan: Plan, items: list[Item]) -> None:
    """Each item in the first step of its entity after every step it reads from, so the
    query has few steps: household steps are even, member steps odd."""
    step_of: dict[str, int] = {}
    for item in items:
        after = max((step_of[n] for n in item.reads if n in step_of), default=-1)
        first = after + 1
        step_of[item.name] = first + ((first % 2) != (item.entity == "member"))
    for step in sorted(set(step_of.values())):
        chosen = [i for i in items if step_of[i.name] == step]
        plan.begin(chosen[0].entity)
        for item in chosen:
            item.build(plan)
        plan.end()


def _fact_item(fact) -> Item:
    def build(plan: Plan) -> None:
        scope = plan.scope(fact.scope, f"{fact.at}: fact '{fact.id}'", statuses=False)
        plan.add(fact.id, compile_expr(fact.formula, scope), scope)
    return Item(fact.id, fact.scope, fact.reads, build)


def held(plan: Plan, book: RuleBook, rule: Rule) -> tuple[Value, Scope, list[Value]]:
    """Whether every criterion of ``rule`` holds (Kleene 'and'), for each subject; and
    each criterion's value."""
    scope = plan.scope(rule.scope, f"{rule.at}: rule '{rule.id}'")
    values = [compile_expr(c.test, scope) for c in rule.criteria]
    criteria = list(values)
    for higher in excluded_by(rule, book.exclusive):
        values.append(Sql(f"(NOT {plan.status(higher, scope, 'household')})"))
    return all_of(values), scope, criteria


def all_of(values: list[Value]) -> Value:
    constants = [v for v in values if not isinstance(v, (Num, Sql))]
    decided = kleene("and", constants) if constants else True
    if decided is False:
        return False
    rest = [text(v) for v in values if isinstance(v, Sql)] + (["NULL"] if decided is UNKNOWN
                                                              else [])
    return Sql("(" + " AND ".join(rest) + ")") if rest else decided


def _node_items(plan: Plan, book: RuleBook, node: tuple, rules: list[Rule]) -> list[Item]:
    """The rules of one conclusion, each for its subjects, then the conclusion."""
    kind, value, scope_name = node
    items: list[Item] = []
    for rule in rules:
        lifted = _lift(plan, rule, items)
        reads = {n for c in rule.criteria for n in c.reads} | lifted
        reads |= {column for c in rule.criteria for aid in c.aids
                  for column, _ in plan.nodes.get(aid, ())}
        reads |= {column for higher in excluded_by(rule, book.exclusive)
                  for column, _ in plan.nodes.get(higher, ())}
        items.append(Item(f"rule:{rule.id}", scope_name, frozenset(reads), _held_builder(
            book, rule)))
    column = f"node:{kind}:{value}:{scope_name}"

    def conclude(plan: Plan) -> None:
        if scope_name == "household":
            columns = [f'h."rule:{r.id}"' for r in rules]
            plan.add_sql(column, "(" + " OR ".join(columns) + ")" if columns else "FALSE")
        else:
            _any_member(plan, column, " OR ".join(f'm."rule:{r.id}"' for r in rules))
    items.append(Item(column, "household", frozenset(i.name for i in items), conclude))
    plan.nodes.setdefault(value if kind == "aid" else f"{kind}:{value}", []).append(
        (column, scope_name))
    return items


def _lift(plan: Plan, rule: Rule, items: list[Item]) -> set[str]:
    """The aggregates in ``rule``'s criteria, each a column of its own computed once for
    every rule that reads it (the same aggregate in two rules is one GROUP BY)."""
    names = set()
    for call in (a for c in rule.criteria for a in _aggregates(c.test, rule.scope)):
        key = (rule.scope, call)
        if key not in plan.lifted:
            plan.lifted[key] = name = f"aggregate:{len(plan.lifted)}"
            items.append(Item(name, rule.scope, frozenset(_names(call)),
                              _lifted_builder(name, rule, call)))
        names.add(plan.lifted[key])
    return names


def _aggregates(expr: ast.Expr, entity: str):
    """The aggregates over a list of ``entity`` or its household, outermost only."""
    lists = {n for e in {entity, "household"} for n, t in BASE_FACTS[e].items()
             if t.kind == "collection"}
    if isinstance(expr, ast.Call) and expr.function in AGGREGATES and expr.args and \
            isinstance(expr.args[0], ast.Name) and expr.args[0].dotted in lists:
        yield expr
        return
    for child in ast.children(expr):
        yield from _aggregates(child, entity)


def _names(expr: ast.Expr) -> set[str]:
    return {n.parts[0] for n in ast.walk(expr) if isinstance(n, ast.Name) and len(n.parts) == 1}


def _lifted_builder(name: str, rule: Rule, call: ast.Call) -> Callable[[Plan], None]:
    def build(plan: Plan) -> None:
        scope = plan.scope(rule.scope, f"{rule.at}: rule '{rule.id}'")
        plan.add(name, compile_expr(call, scope), scope)
    return build


def _held_builder(book: RuleBook, rule: Rule) -> Callable[[Plan], None]:
    def build(plan: Plan) -> None:
        result, scope, criteria = held(plan, book, rule)
        if result is False:  # never holds under this policy: its amount is never computed
            plan.never.add(rule.id)
        plan.add(f"rule:{rule.id}", Sql(text(result)), scope)
        if rule.aid:  # which criteria are unknown: what an undecided rule misses
            criterion_columns(plan, book, rule, criteria)
    return build


def _any_member(plan: Plan, column: str, condition: str) -> None:
    """Kleene 'or' over the members (none: false)."""
    parts = plan.group("member", "household", {"t": f"bool_or({condition})",
                                               "n": f"bool_or(({condition}) IS NULL)"}, {"m"})
    plan.add_sql(column, f"(CASE WHEN coalesce({parts['t']}, FALSE) THEN TRUE "
                         f"WHEN coalesce({parts['n']}, FALSE) THEN NULL ELSE FALSE END)")


def _winning(rules: list[Rule], rule: Rule, alias: str, held: str = "rule") -> str:
    """The rule held (``held``: the column saying so) and no rule of its conclusion that
    overrides it held."""
    over = [r for r in rules if rule.id in r.overrides]
    beaten = "".join(f' AND NOT coalesce(h."won-any:{r.id}", FALSE)' for r in over)
    return f'({alias}."{held}:{rule.id}" IS TRUE{beaten})'


def _amounts(plan: Plan, book: RuleBook, rules: dict[tuple, list[Rule]]) -> None:
    plan.begin("household")  # which rules held for any subject, for overrides
    for node_rules in rules.values():
        for rule in node_rules:
            alias = "h" if rule.scope == "household" else "m"
            if alias == "h":
                plan.add_sql(f"won-any:{rule.id}", f'h."rule:{rule.id}" IS TRUE')
                plan.add_sql(f"open-any:{rule.id}", f'h."rule:{rule.id}" IS NULL')
            else:
                parts = plan.group("member", "household",
                                   {"t": f'bool_or(m."rule:{rule.id}" IS TRUE)',
                                    "n": f'bool_or(m."rule:{rule.id}" IS NULL)'}, {"m"})
                plan.add_sql(f"won-any:{rule.id}", f"coalesce({parts['t']}, FALSE)")
                plan.add_sql(f"open-any:{rule.id}", f"coalesce({parts['n']}, FALSE)")
    plan.end()
    for field in ("amount", "amount_max"):
        _member_amounts(plan, rules, field)
        _household_amounts(plan, book, rules, field)


def _member_amounts(plan: Plan, rules, field: str) -> None:
    """Per member: whether each member rule won, and its amount; summed per household."""
    priced = [(r, node_rules) for node_rules in rules.values() for r in node_rules
              if r.scope == "member" and getattr(r, field) is not None
              and r.id not in plan.never]
    if not priced:
        return
    plan.begin("member")
    for rule, node_rules in priced:
        scope = plan.scope("member", f"{rule.at}: rule '{rule.id}' ({field})")
        scope.used.add("h")
        plan.add_sql(f"won:{rule.id}", _winning(node_rules, rule, "m"))
        # computed only where the rule won, as the per-case path computes amounts
        value = num(choose(_winning(node_rules, rule, "m"),
                           compile_expr(getattr(rule, field), scope), UNKNOWN))
        if not isinstance(value.den, int):
            raise scope.refuse(f"an {field} whose denominator varies by member",
                               getattr(rule, field))
        plan.add(f"{field}:{rule.id}", value, scope)
    plan.end()
    plan.begin("household")
    for rule, _ in priced:
        won, amount = f'm."won:{rule.id}"', f'm."{field}:{rule.id}"'
        den = plan.fields["member"][f"{field}:{rule.id}"].den
        parts = plan.group("member", "household",
                           {"s": f"sum({amount}) FILTER (WHERE {won})",
                            "n": f"bool_or({won} AND {amount} IS NULL)",
                            "w": f"bool_or({won})"}, {"m"})
        plan.add(f"{field}-sum:{rule.id}", Num(
            f"(CASE WHEN coalesce({parts['n']}, FALSE) THEN NULL "
            f"ELSE coalesce({parts['s']}, 0) END)", den), Scope([], plan.parameters))
        plan.add_sql(f"won-any-priced:{rule.id}", f"coalesce({parts['w']}, FALSE)")
    plan.end()


def _household_amounts(plan: Plan, book: RuleBook, rules, field: str) -> None:
    """Each household rule's amount, then per aid the sum over the rules that won, in
    fen: three short steps, so that no expression repeats another's text."""
    priced = [(r, node_rules) for node_rules in rules.values() for r in node_rules
              if r.aid and getattr(r, field) is not None and r.id not in plan.never]
    plan.begin("household")
    for rule, node_rules in priced:
        if rule.scope == "household":  # computed only where the rule won, as per case
            scope = plan.scope("household", f"{rule.at}: rule '{rule.id}' ({field})")
            amount = compile_expr(getattr(rule, field), scope)
            plan.add(f"{field}:{rule.id}", choose(_winning(node_rules, rule, "h"), amount,
                                                  UNKNOWN), scope)
    plan.end()
    plan.begin("household")
    for aid in book.aids:
        mine = [(r, n) for r, n in priced if r.aid == aid]
        if mine:
            _aid_total(plan, aid, field, mine)
    plan.end()
    plan.begin("household")
    for aid in book.aids:
        total = f"{aid}.{field}-total"
        if total in plan.fields["household"]:
            status = plan.status(aid, plan.scope("household", aid))
            value = num(_read(plan, total))
            plan.add_sql(f"{aid}.{field}_fen", f"(CASE WHEN ({status}) IS TRUE AND "
                                               f'h."{total}:won" THEN {to_fen(value)} END)')
            plan.add_sql(f"{aid}.{field}-pending", f'(({status}) IS TRUE AND h."{total}:won" '
                                                   f"AND {value.num} IS NULL)")
    plan.end()


def _aid_total(plan: Plan, aid: str, field: str, priced) -> None:
    total: Num = num(Fraction(0))
    won = []
    for rule, node_rules in priced:
        if rule.scope == "member":
            total = plus(total, num(_read(plan, f"{field}-sum:{rule.id}")))
            won.append(f'h."won-any-priced:{rule.id}"')
            continue
        wins = _winning(node_rules, rule, "h")
        total = plus(total, num(choose(wins, _read(plan, f"{field}:{rule.id}"), Fraction(0))))
        won.append(wins)
    scope = Scope([], plan.parameters)
    plan.add(f"{aid}.{field}-total", total, scope)
    plan.add_sql(f"{aid}.{field}-total:won", "(" + " OR ".join(won) + ")")


def _read(plan: Plan, name: str) -> Value:
    """A household column already computed, as a value."""
    column = plan.fields["household"][name]
    if column.kind == "constant":
        return column.value
    if column.kind == "sql":
        return Sql(f'h."{name}"')
    den = column.den if isinstance(column.den, int) else f'h."{column.den}"'
    return Num(f'h."{name}"', den)


def _select(plan: Plan, book: RuleBook, rules, missing: Missing) -> str:
    scope = plan.scope("household", "the result")
    columns = ["h.application_id"]
    for aid in book.aids:
        status = plan.status(aid, scope)
        columns.append(f"CASE WHEN ({status}) IS NULL THEN 'undetermined' WHEN {status} "
                       f"THEN 'eligible' ELSE 'ineligible' END AS \"{aid}\"")
        for field in ("amount", "amount_max"):
            name = f"{aid}.{field}_fen"
            columns.append(f'h."{name}" AS "{name}"' if name in plan.fields["household"]
                           else f'CAST(NULL AS BIGINT) AS "{name}"')
        pending = [f'h."{aid}.{f}-pending"' for f in ("amount", "amount_max")
                   if f"{aid}.{f}-pending" in plan.fields["household"]]
        pending_sql = " OR ".join(pending) or "FALSE"
        columns.append(f'({pending_sql}) AS "{aid}.amount_pending"')
        columns.append(_deciding(rules, aid, status) + f' AS "{aid}.deciding"')
        columns.append(missing.column(aid, status, pending_sql, _won(rules, aid))
                       + f' AS "{aid}.missing"')
    columns.append(_risk(plan, book, scope) + " AS risk_level")
    columns.append(_referrals(rules) + " AS referrals")
    return (f"WITH {', '.join(plan.ctes)} SELECT {', '.join(columns)} "
            f"FROM {plan.latest['household']} h ORDER BY h.household_key")


def _deciding(rules, aid: str, status: str) -> str:
    """The rules that settled the aid type's status, as the per-case path lists them
    (AidResult.deciding): those that held and were not overridden (eligible), those left
    undecided for some subject (undetermined), every rule of the aid type (ineligible)."""
    mine = _aid_rules(rules, aid)
    won = _ids(_won(rules, aid))
    open_ = _ids([(f'h."open-any:{r.id}"', r) for r, _ in mine])
    every = "[" + ", ".join(f"'{r.id}'" for r, _ in mine) + "]" if mine else _NO_IDS
    return f"(CASE WHEN ({status}) IS NULL THEN {open_} WHEN {status} THEN {won} " \
           f"ELSE {every} END)"


_NO_IDS = "CAST([] AS VARCHAR[])"


def _aid_rules(rules, aid: str) -> list[tuple[Rule, list[Rule]]]:
    """The rules of the aid type, each with the rules of its conclusion, in order."""
    return [(r, node_rules) for node, node_rules in rules.items()
            if node[0] == "aid" and node[1] == aid for r in node_rules]


def _won(rules, aid: str) -> list[tuple[str, Rule]]:
    """Each rule of the aid type, with when it held for a subject and was not overridden."""
    return [(_winning(n, r, "h", "won-any"), r) for r, n in _aid_rules(rules, aid)]


def _ids(conditions: list[tuple[str, Rule]]) -> str:
    """The ids of the rules whose condition holds, in order."""
    if not conditions:
        return _NO_IDS
    items = ", ".join(f"CASE WHEN {condition} THEN '{rule.id}' END"
                      for condition, rule in conditions)
    return f"list_filter([{items}], lambda x: x IS NOT NULL)"


def _risk(plan: Plan, book: RuleBook, scope: Scope) -> str:
    cases = "".join(f" WHEN ({plan.status(f'risk:{level}', scope)}) IS TRUE THEN '{level}'"
                    for level in book.risk_levels)
    return f"(CASE{cases} END)" if cases else "CAST(NULL AS VARCHAR)"


def _referrals(rules) -> str:
    """The referral rules that held, in the order the per-case path settles them."""
    found = [(r, node_rules) for node_rules in rules.values() for r in node_rules
             if r.conclusion.kind == "referral"]
    for rule, _ in found:
        if rule.scope != "household":
            raise NotCompiled(f"rule '{rule.id}': cannot compile a referral for each member "
                              "to columns yet")
    return _ids([(_winning(node_rules, r, "h"), r) for r, node_rules in found])
