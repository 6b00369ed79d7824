"""Type-checking an expression against the schema, before any data exists.

Every problem is collected (not only the first), each with its position and,
where a name is misspelt, the closest known one."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from aidrules.errors import Problem, did_you_mean
from aidrules.language import ast
from aidrules.language.printer import to_text
from aidrules.language.types import BOOL, INT, NUMBER, ROUNDING, Schema, Type, money_per

AGGREGATES = frozenset({"count", "sum", "any", "all", "min", "max"})
#: The exact conversions between periods: the function, the period it takes, the one it gives.
CONVERSIONS = {"monthly": ("year", "month"), "yearly": ("month", "year")}
FUNCTIONS = frozenset({"min", "max", "round", "eligible", "lookup", *CONVERSIONS}) | AGGREGATES


@attrs.frozen
class Checked:
    type: Type | None
    problems: tuple[Problem, ...]
    names: frozenset[str]  # facts and parameters the expression reads (dotted)
    aids: frozenset[str]  # aid types whose status it reads (eligible(...))


def check(expr: ast.Expr, schema: Schema, scope: Sequence[str], file: str,
          expect: Type | None = None) -> Checked:
    """Check ``expr`` in ``scope`` (entities, innermost last: ``("household", "member")``)."""
    checker = _Checker(schema, file)
    found = checker.visit(expr, tuple(scope))
    if expect is not None and found is not None and not fits(found, expect):
        checker.fail(expr, f"this gives {found}", expected=str(expect))
    return Checked(found, tuple(checker.problems), frozenset(checker.names),
                   frozenset(checker.aids))


def fits(found: Type, expect: Type) -> bool:
    """``found`` may stand where ``expect`` is required (a written number for an amount)."""
    if found.kind == expect.kind:
        return found.kind != "money" or expect.period in (None, found.period)
    return found.is_numeric and expect.is_numeric and (
        found.literal or {found.kind, expect.kind} <= {"int", "number"})


class _Checker:
    def __init__(self, schema: Schema, file: str) -> None:
        self.schema, self.file = schema, file
        self.problems: list[Problem] = []
        self.names: set[str] = set()
        self.aids: set[str] = set()

    def fail(self, node: ast.Expr, message: str, expected: str | None = None,
             suggestion: str | None = None) -> None:
        line, col = node.pos
        self.problems.append(Problem(self.file, line, col, message, expected, suggestion))

    # -- names ---------------------------------------------------------------
    def lookup(self, name: ast.Name, scope: tuple[str, ...]) -> Type | None:
        if len(name.parts) == 1:
            for entity in reversed(scope):
                found = self.schema.entities[entity].get(name.parts[0])
                if found is not None:
                    self.names.add(name.parts[0])
                    return found
        found = self.schema.parameters.get(name.dotted)
        if found is not None:
            self.names.add(name.dotted)
            return found
        known = [n for e in scope for n in self.schema.entities[e]] + list(self.schema.parameters)
        what = "parameter" if len(name.parts) > 1 else "fact"
        self.fail(name, f"unknown {what} '{name.dotted}'",
                  suggestion=did_you_mean(name.dotted, known))
        return None

    # -- dispatch ------------------------------------------------------------
    def visit(self, node: ast.Expr, scope: tuple[str, ...]) -> Type | None:
        method = getattr(self, "visit_" + type(node).__name__.lower())
        return method(node, scope)

    def visit_number(self, node, scope):
        return attrs.evolve(NUMBER if node.value % 1 else INT, literal=True)

    def visit_text(self, node, scope):
        return Type("text", values=frozenset({node.value}))  # a fact built of texts knows them

    def visit_bool(self, node, scope):
        return BOOL

    def visit_name(self, node, scope):
        found = self.lookup(node, scope)
        if found is not None and found.kind == "collection":
            self.fail(node, f"'{node.dotted}' is {found}; use it inside count(...), sum(...), "
                      "any(...) or all(...)")
            return None
        return found

    def visit_listof(self, node, scope):
        for item in node.items:
            found = self.visit(item, scope)
            if found is not None and found.kind != "text":
                self.fail(item, "a list may only hold texts", expected='"text" items')
        return Type("text_list")

    def visit_neg(self, node, scope):
        found = self.visit(node.operand, scope)
        if found is not None and not found.is_numeric:
            self.fail(node, f"cannot negate {found}", expected="a number or an amount")
            return None
        return found

    def visit_not(self, node, scope):
        self.expect_bool(node.operand, scope)
        return BOOL

    def visit_logic(self, node, scope):
        for operand in node.operands:
            self.expect_bool(operand, scope)
        return BOOL

    def expect_bool(self, node, scope):
        found = self.visit(node, scope)
        if found is not None and found.kind != "bool":
            self.fail(node, f"this gives {found}, not a condition", expected="true/false")

    def visit_if(self, node, scope):
        self.expect_bool(node.condition, scope)
        then, otherwise = self.visit(node.then, scope), self.visit(node.otherwise, scope)
        if then is None or otherwise is None:
            return then or otherwise
        joined = _join(then, otherwise)
        if joined is None:
            self.fail(node, f"the two branches differ: {then} and {otherwise}",
                      expected="both branches of the same kind")
        return joined

    def visit_arith(self, node, scope):
        left, right = self.visit(node.left, scope), self.visit(node.right, scope)
        if left is None or right is None:
            return None
        result = _arith(node.op, left, right)
        if result is None and node.op != "*" and _clash(left, right):
            self.fail(node, f"cannot compute {left} {node.op} {right}",
                      expected="amounts of the same period (per month, per year or once)",
                      suggestion=_conversion(node.left, left, node.right, right))
        elif result is None:
            self.fail(node, f"cannot compute {left} {node.op} {right}",
                      expected=_ARITH_HINT[node.op])
        return result

    def visit_compare(self, node, scope):
        left, right = self.visit(node.left, scope), self.visit(node.right, scope)
        if left is None or right is None:
            return BOOL
        if node.op in ("in", "not in"):
            self.check_membership(node, left, right)
        elif _clash(left, right):
            self.fail(node, f"cannot compare {left} with {right}",
                      expected="amounts of the same period (per month, per year or once)",
                      suggestion=_conversion(node.left, left, node.right, right))
        elif _join(left, right) is None:
            self.fail(node, f"cannot compare {left} with {right}",
                      expected="two values of the same kind")
        elif node.op not in ("==", "!=") and not left.is_numeric:
            self.fail(node, f"'{node.op}' needs numbers or amounts, not {left}")
        else:
            self.check_vocabulary(node.left, left, node.right)
            self.check_vocabulary(node.right, right, node.left)
        return BOOL

    def check_membership(self, node, left, right):
        if left.kind != "text" or right.kind != "text_list":
            self.fail(node, f"'{node.op}' needs a text on the left and a list of texts on "
                      f"the right, got {left} and {right}")
        elif isinstance(node.right, ast.ListOf):
            for item in node.right.items:
                self.check_vocabulary(node.left, left, item)

    def check_vocabulary(self, field_node, field: Type, other: ast.Expr) -> None:
        """A text compared with a closed vocabulary must be one of its values."""
        if field.values is None or not isinstance(other, ast.Text):
            return
        if other.value not in field.values:
            self.fail(other, f"'{other.value}' is not a value of {_describe(field_node)}",
                      expected="one of " + ", ".join(sorted(field.values)),
                      suggestion=did_you_mean(other.value, field.values))

    # -- calls ---------------------------------------------------------------
    def visit_call(self, node, scope):
        if node.function not in FUNCTIONS:
            self.fail(node, f"unknown function '{node.function}'",
                      expected="one of " + ", ".join(sorted(FUNCTIONS)),
                      suggestion=did_you_mean(node.function, FUNCTIONS))
            return None
        collection = self.collection_argument(node, scope)
        if collection is not None:
            return self.aggregate(node, scope, collection)
        if node.function in ("count", "any", "all", "sum"):
            self.fail(node, f"{node.function}(...) needs a list first, like "
                      f"{node.function}(members ...)", expected="a list such as members")
            return None
        if node.where is not None:
            self.fail(node.where, "'where' only filters a list in an aggregate")
        return getattr(self, "call_" + node.function)(node, scope)

    def collection_argument(self, node, scope) -> str | None:
        if node.function not in AGGREGATES or not node.args:
            return None
        first = node.args[0]
        if not isinstance(first, ast.Name) or len(first.parts) != 1:
            return None
        for entity in reversed(scope):
            found = self.schema.entities[entity].get(first.parts[0])
            if found is not None and found.kind == "collection":
                self.names.add(first.parts[0])
                return found.entity
        return None

    def aggregate(self, node, scope, entity):
        inner = (*scope, entity)
        if node.where is not None:
            self.expect_bool(node.where, inner)
        values = node.args[1:]
        if node.function == "count":
            if values:
                self.fail(values[0], "count(...) takes a list and an optional 'where' only")
            return INT
        if len(values) != 1:
            self.fail(node, f"{node.function}(...) needs a list and one value, like "
                      f"{node.function}(members, ...)", expected="2 arguments")
            return None
        found = self.visit(values[0], inner)
        if found is None:
            return None
        if node.function in ("any", "all"):
            if found.kind != "bool":
                self.fail(values[0], f"this gives {found}, not a condition", expected="true/false")
            return BOOL
        if not found.is_numeric:
            self.fail(values[0], f"{node.function}(...) adds up numbers or amounts, not {found}")
            return None
        return attrs.evolve(found, literal=False)

    def call_min(self, node, scope):
        found = [self.visit(a, scope) for a in node.args]
        if len(node.args) < 2:
            self.fail(node, f"{node.function}(...) needs at least two values, or a list first")
            return None
        result = found[0]
        for item in found[1:]:
            if result is None or item is None:
                return None
            if _clash(result, item):
                self.fail(node, f"{node.function}(...) cannot mix {result} and {item}",
                          expected="amounts of the same period (per month, per year or once)")
                return None
            result = _join(result, item)
            if result is None or not result.is_numeric:
                self.fail(node, f"{node.function}(...) compares numbers or amounts of one kind")
                return None
        return result

    call_max = call_min

    def call_round(self, node, scope):
        if len(node.args) != 2:
            self.fail(node, "round(...) takes an amount and a rounding rule, like "
                      "round(x, dibao.rounding)", expected="2 arguments")
            return None
        amount, rule = (self.visit(a, scope) for a in node.args)
        if rule is not None and rule.kind != "rounding":
            self.fail(node.args[1], f"this gives {rule}", expected=str(ROUNDING))
        if amount is not None and not amount.is_numeric:
            self.fail(node.args[0], f"cannot round {amount}", expected="a number or an amount")
            return None
        return amount

    def call_monthly(self, node, scope):
        """``monthly(x)``: a yearly amount as a month's (x / 12); ``yearly(x)``: 12 x."""
        takes, gives = CONVERSIONS[node.function]
        if len(node.args) != 1:
            self.fail(node, f"{node.function}(...) takes one amount, like "
                      f"{node.function}(statistics.consumption_per_capita)",
                      expected="1 argument")
            return None
        found = self.visit(node.args[0], scope)
        if found is None:
            return None
        if found.kind != "money" or found.period != takes:
            self.fail(node.args[0], f"{node.function}(...) converts {money_per(takes)}, "
                      f"not {found}", expected=str(money_per(takes)))
            return None
        return money_per(gives)

    call_yearly = call_monthly

    def call_lookup(self, node, scope):
        """``lookup(table, key)``: the table's entry for the key, of the table's kind."""
        if len(node.args) != 2:
            self.fail(node, "lookup(...) takes a table and a key, like "
                      "lookup(tekun.care_share, adl_failed)", expected="2 arguments")
            return None
        table_node, key_node = node.args
        table = self.visit(table_node, scope)
        key = self.visit(key_node, scope)
        if table is None:
            return None
        if table.kind != "table" or not isinstance(table_node, ast.Name):
            self.fail(table_node, f"this gives {table}", expected="a table parameter "
                      "(a parameter declared with keys:)")
            return None
        if key is not None:
            self.check_key(table_node, table, key_node, key)
        return table.item

    def check_key(self, table_node: ast.Name, table: Type, key_node: ast.Expr, key: Type):
        keys = table.keys or ()
        steps = all(isinstance(k, int) for k in keys)
        shown = ", ".join(str(k) for k in keys)
        if steps and key.kind != "int":
            self.fail(key_node, f"this gives {key}", expected=f"a whole number: the keys of "
                      f"'{table_node.dotted}' are {shown}")
        elif not steps and key.kind != "text":
            self.fail(key_node, f"this gives {key}", expected=f"a text, one of {shown}")
        elif isinstance(key_node, ast.Text) and key_node.value not in keys:
            self.fail(key_node, f"'{key_node.value}' is not a key of '{table_node.dotted}'",
                      expected="one of " + shown,
                      suggestion=did_you_mean(key_node.value, [str(k) for k in keys]))
        elif not steps and key.values is not None and not key.values <= set(keys):
            missing = ", ".join(sorted(key.values - set(keys)))
            self.fail(key_node, f"'{table_node.dotted}' has no entry for {missing}, which "
                      f"{_describe(key_node)} can be", expected="one of " + shown)

    def call_eligible(self, node, scope):
        arg = node.args[0] if len(node.args) == 1 else None
        if not isinstance(arg, ast.Name) or len(arg.parts) != 1:
            self.fail(node, "eligible(...) takes one aid type, like eligible(dibao)",
                      expected="an aid type id")
            return BOOL
        if arg.parts[0] not in self.schema.aids:
            self.fail(arg, f"unknown aid type '{arg.parts[0]}'",
                      expected="one of " + ", ".join(sorted(self.schema.aids)),
                      suggestion=did_you_mean(arg.parts[0], self.schema.aids))
        else:
            self.aids.add(arg.parts[0])
        return BOOL


_ARITH_HINT = {"+": "two amounts, or two numbers", "-": "two amounts, or two numbers",
               "*": "an amount times a number, or two numbers",
               "/": "an amount divided by a number or by an amount, or two numbers"}


def _describe(node: ast.Expr) -> str:
    return f"'{node.dotted}'" if isinstance(node, ast.Name) else "this field"


def _clash(a: Type, b: Type) -> bool:
    """Two amounts of money of different periods (per month, per year, once)."""
    return a.kind == b.kind == "money" and a.period != b.period


def _conversion(left_node, left: Type, right_node, right: Type) -> str | None:
    """The exact conversion that makes a yearly and a monthly amount meet, per month."""
    for node, found in ((left_node, left), (right_node, right)):
        if found.period == "year" and "month" in (left.period, right.period):
            return f"monthly({to_text(node)})"
    return None


def _join(a: Type, b: Type) -> Type | None:
    """The common type of two values that may be compared or stand in two branches."""
    if _clash(a, b):
        return None
    if a.kind == b.kind:
        values = a.values if b.values is None else b.values if a.values is None else (
            a.values | b.values)
        period = a.period if a.period == b.period else None
        return Type(a.kind, a.entity, values, a.literal and b.literal, period=period)
    if a.is_numeric and b.is_numeric:
        if a.literal and not b.literal:
            return b
        if b.literal and not a.literal:
            return a
        if "money" not in (a.kind, b.kind):
            return Type("number", literal=a.literal and b.literal)
    return None


def _arith(op: str, a: Type, b: Type) -> Type | None:
    if not (a.is_numeric and b.is_numeric):
        return None
    money = (a.kind == "money", b.kind == "money")
    literal = a.literal and b.literal
    if op in "+-":
        joined = _join(a, b)
        return None if joined is None else attrs.evolve(joined, literal=literal)
    if op == "*":
        if all(money):
            return None
        if any(money):
            amount, count = (a, b) if money[0] else (b, a)
            return _times(amount, count)
        months = "months" if "months" in (a.period, b.period) else None
        return Type("int" if a.kind == b.kind == "int" else "number", literal=literal,
                    period=months)
    if money == (True, False):
        return _per(a, b)
    if money == (False, True):
        return None
    if all(money):
        return None if _clash(a, b) else Type("number")
    return Type("number", literal=literal)


def _times(amount: Type, count: Type) -> Type | None:
    """An amount times a number keeps its period; a monthly amount times a number of
    months is a sum (once)."""
    if count.period != "months":
        return money_per(amount.period or "month")
    return money_per("once") if amount.period == "month" else None


def _per(amount: Type, count: Type) -> Type | None:
    """An amount divided by a number keeps its period; a sum divided by a number of months
    is a monthly amount."""
    if count.period != "months":
        return money_per(amount.period or "month")
    return money_per("month") if amount.period == "once" else None
