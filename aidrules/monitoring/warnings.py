"""Warning rules: what in a department event raises a warning, declared in YAML.

The rule files live in the top-level ``warnings/`` directory (the rule-book loader reads
everything under ``rules/``, so they are kept out of it). Each rule names the event kinds
it listens to (``on``), an optional condition (``when``) in the rule language over
``event.*`` and ``household.*`` facts, a reason in Chinese and English, the aid types to
look at, a risk colour and how often it may be raised (``once_per``). Files are checked
like the eligibility rules: every problem at once, with ``file:line:col``.

Conditions compile onto durable_rules as a join of a household fact and an event fact;
the library's exact evaluator checks every firing (see :mod:`aidrules.monitoring.screening`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from aidrules import _yaml
from aidrules.errors import AidrulesError, Problem, RuleBookError, did_you_mean
from aidrules.language import ExpressionSyntaxError, Schema, ast, check, parse
from aidrules.language.types import BOOL, INT, MONEY_ONCE, text_of
from aidrules.monitoring.mapping import EVENT_KINDS
from aidrules.monitoring.register import STATUSES

CLOCK_KINDS = frozenset({"review_due", "grace_period_ending", "task_overdue"})
KINDS = EVENT_KINDS | CLOCK_KINDS
AID_TYPES = frozenset({"dibao", "tekun", "dibao_marginal", "rigid_expenditure",
                       "temporary_assistance", "medical_aid", "education_aid", "employment_aid",
                       "housing_aid", "elderly_care", "hardship_aid"})
COLOURS = ("red", "yellow", "blue")
ONCE_PER = ("household", "person", "month", "event")
FIELDS = {
    "event.kind": text_of(*KINDS),
    "event.amount": MONEY_ONCE,  # yuan; unknown when the feed has no amount
    "event.is_earner": BOOL,  # the person is the household's earner
    "event.age": INT,  # the person's age on the event's date
    "event.grade": INT,  # disability grade 1 (most severe) to 4
    "event.days_left": INT,  # clock events: days until the date (negative: past)
    "event.days_overdue": INT,  # task_overdue: days past the task's due date
    "household.status": text_of(*STATUSES, "unknown"),
    "household.is_assisted": BOOL,
    "household.is_known": BOOL,  # false for a discovered person's (unknown) household
    "household.members": INT,
}
SCHEMA = Schema({"warning": {}}, FIELDS, AID_TYPES)
_KEYS = ("id", "on", "when", "reason", "suggest", "colour", "once_per")
_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "==": "$eq", "!=": "$neq"}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


class WarningRuleError(RuleBookError):
    """Warning rule files have defects; every one is listed as file:line:col."""


@attrs.frozen
class WarningRule:
    id: str
    on: frozenset[str]
    when: ast.Expr | None
    reason_zh: str
    reason_en: str
    suggest: tuple[str, ...]
    colour: str
    once_per: str
    household_test: tuple[dict, ...] = ()  # durable conditions on the household fact
    event_test: tuple[dict, ...] = ()  # durable conditions on the event fact
    file: str = ""
    line: int = 0


@attrs.frozen
class WarningBook:
    rules: tuple[WarningRule, ...]

    def rule(self, rule_id: str) -> WarningRule:
        return next(r for r in self.rules if r.id == rule_id)


def load_warning_rules(directory: Path | str = "warnings") -> WarningBook:
    """Every ``*.yaml`` under ``directory``, all or nothing (:class:`WarningRuleError`)."""
    problems: list[Problem] = []
    rules: list[WarningRule] = []
    paths = sorted(Path(directory).rglob("*.yaml"))
    if not paths:
        problems.append(Problem(str(directory), 1, 1, "no warning rule files (*.yaml) found"))
    for path in paths:
        reader = _Reader(str(path))
        rules.extend(reader.read(path))
        problems.extend(reader.problems)
    seen: dict[str, WarningRule] = {}
    for rule in rules:
        if rule.id in seen:
            first = seen[rule.id]
            problems.append(Problem(rule.file, rule.line, 1, f"warning id {rule.id!r} is "
                                    f"already used at {first.file}:{first.line}"))
        seen[rule.id] = rule
    if problems:
        raise WarningRuleError(problems, str(directory))
    return WarningBook(tuple(rules))


class _Reader(_yaml.Reporter):
    def read(self, path: Path) -> list[WarningRule]:
        doc, problems = _yaml.load(path, label=self.file)
        self.problems.extend(problems)
        if problems:
            return []
        if not _yaml.is_mapping(doc) or set(doc) != {"warnings"} or not _yaml.is_sequence(
                doc["warnings"]):
            self.fail(doc, None, "a warning rule file holds one key, 'warnings', with a list")
            return []
        found = [self.rule(node) for node in doc["warnings"]]
        return [rule for rule in found if rule is not None]

    def rule(self, node: Any) -> WarningRule | None:
        if not _yaml.is_mapping(node):
            self.fail(node, None, "a warning rule must be a mapping", expected=", ".join(_KEYS))
            return None
        before = len(self.problems)
        for key in node:
            if key not in _KEYS:
                self.fail(node, key, f"unknown key {key!r}", expected=", ".join(_KEYS),
                          suggestion=did_you_mean(str(key), _KEYS), at_key=True)
        for key in ("id", "on", "reason", "suggest", "colour"):
            if key not in node:
                self.fail(node, None, f"warning rule is missing {key!r}")
        if len(self.problems) > before:
            return None
        rule_id = self.word(node, "id")
        on = self.words(node, "on", KINDS)
        reason = self.reason(node)
        suggest = self.words(node, "suggest", AID_TYPES)
        colour = self.choice(node, "colour", COLOURS)
        once_per = self.choice(node, "once_per", ONCE_PER) if "once_per" in node else "month"
        when, household_test, event_test = self.condition(node)
        if len(self.problems) > before:
            return None
        line, _ = _yaml.position(node)
        return WarningRule(rule_id, frozenset(on), when, reason[0], reason[1], tuple(suggest),
                           colour, once_per, household_test, event_test, self.file, line)

    def word(self, node: Any, key: str) -> str:
        value = node[key]
        if (not isinstance(value, str) or not value.replace("_", "").isalnum()
                or not value[0].isalpha()):
            self.fail(node, key, f"{key} must be a word of letters, digits and '_', "
                      "starting with a letter")
            return ""
        return value

    def words(self, node: Any, key: str, known: frozenset[str]) -> list[str]:
        value = node[key]
        if not _yaml.is_sequence(value) or not value:
            self.fail(node, key, f"{key} must be a list", expected="[" + ", ".join(
                sorted(known)[:3]) + ", ...]")
            return []
        for i, item in enumerate(value):
            if item not in known:
                self.fail(value, i, f"unknown {key} value {item!r}",
                          expected="one of " + ", ".join(sorted(known)),
                          suggestion=did_you_mean(str(item), known))
        return list(value)

    def choice(self, node: Any, key: str, known: tuple[str, ...]) -> str:
        value = node[key]
        if value not in known:
            self.fail(node, key, f"{key} {value!r} is not allowed", expected=" | ".join(known),
                      suggestion=did_you_mean(str(value), known))
        return str(value)

    def reason(self, node: Any) -> tuple[str, str]:
        value = node["reason"]
        if not _yaml.is_mapping(value) or set(value) != {"zh", "en"} or not all(
                isinstance(v, str) and v.strip() for v in value.values()):
            self.fail(node, "reason", "reason needs a Chinese and an English text",
                      expected="zh: ... and en: ...")
            return "", ""
        return value["zh"].strip(), value["en"].strip()

    def condition(self, node: Any) -> tuple[ast.Expr | None, tuple, tuple]:
        if "when" not in node:
            return None, (), ()
        line, col = _yaml.value_position(node, "when")
        try:
            expr = parse(str(node["when"]), file=self.file, line=line, col=col)
        except ExpressionSyntaxError as exc:
            self.problems.append(exc.problem)
            return None, (), ()
        checked = check(expr, SCHEMA, ("warning",), self.file, expect=BOOL)
        self.problems.extend(checked.problems)
        if checked.problems:
            return expr, (), ()
        tests: dict[str, list[dict]] = {"household": [], "event": []}
        for part in _conjuncts(expr):
            compiled = self.compile(part)
            if compiled is not None:
                tests[compiled[0]].append(compiled[1])
        return expr, tuple(tests["household"]), tuple(tests["event"])

    # -- compiling onto durable_rules ----------------------------------------
    def compile(self, node: ast.Expr) -> tuple[str, dict] | None:
        """(entity, durable condition) for one conjunct, or a problem."""
        try:
            return _compile(node)
        except _Unsupported as exc:
            line, col = exc.node.pos
            self.problems.append(Problem(self.file, line, col, str(exc), expected=(
                "comparisons of one event.* or household.* fact with a constant, joined by "
                "and / or / not (an 'or' may not mix event and household facts)")))
            return None


class _Unsupported(AidrulesError, ValueError):
    def __init__(self, node: ast.Expr, message: str) -> None:
        super().__init__(message)
        self.node = node


def _conjuncts(node: ast.Expr) -> list[ast.Expr]:
    if isinstance(node, ast.Logic) and node.op == "and":
        return [part for operand in node.operands for part in _conjuncts(operand)]
    return [node]


def _compile(node: ast.Expr, negate: bool = False) -> tuple[str, dict]:
    match node:
        case ast.Name():
            entity, field = _field(node)
            return entity, {field: not negate}
        case ast.Not(operand):
            return _compile(operand, not negate)
        case ast.Compare(op, left, right):
            return _compare(node, ast.NEGATED[op] if negate else op, left, right)
        case ast.Logic(op, operands):
            parts = [_compile(o, negate) for o in operands]
            entities = {entity for entity, _ in parts}
            if len(entities) > 1:
                raise _Unsupported(node, "an 'or' here mixes event and household facts")
            key = "$and" if (op == "and") != negate else "$or"
            return entities.pop(), {key: [test for _, test in parts]}
    raise _Unsupported(node, "this kind of expression is not supported in a warning rule")


def _compare(node: ast.Expr, op: str, left: ast.Expr, right: ast.Expr) -> tuple[str, dict]:
    if not isinstance(left, ast.Name):
        left, right, op = right, left, _FLIP.get(op, op)
    if not isinstance(left, ast.Name) or isinstance(right, ast.Name):
        raise _Unsupported(node, "a warning condition compares one fact with a constant")
    entity, field = _field(left)
    if op in ("in", "not in"):
        if not isinstance(right, ast.ListOf):
            raise _Unsupported(node, "'in' needs a written list of texts")
        tests = [{_OPS["==" if op == "in" else "!="]: {field: _constant(i, left)}}
                 for i in right.items]
        return entity, {"$or" if op == "in" else "$and": tests}
    return entity, {_OPS[op]: {field: _constant(right, left)}}


def _field(name: ast.Name) -> tuple[str, str]:
    entity, field = name.dotted.split(".", 1)
    return entity, engine_field(name.dotted)


def engine_field(dotted: str) -> str:
    """The field of the engine's fact for ``event.amount`` etc.: money goes as whole fen."""
    special = {"event.amount": "amount_fen", "event.kind": "event_kind"}
    return special.get(dotted, dotted.split(".", 1)[1])


def _constant(node: ast.Expr, against: ast.Name) -> Any:
    match node:
        case ast.Text(value) | ast.Bool(value):
            return value
        case ast.Number(value):
            if FIELDS[against.dotted].kind == "money":
                fen = value * 100
                if fen != fen.to_integral_value():
                    raise _Unsupported(node, "an amount of money is written to the fen at most")
                return int(fen)
            if value != value.to_integral_value():
                raise _Unsupported(node, f"{against.dotted} is a whole number")
            return int(value)
        case ast.Neg(ast.Number(value)):
            return -_constant(ast.Number(value, node.pos), against)
    raise _Unsupported(node, "a warning condition compares with a written constant")


def money_fen(amount: Decimal) -> int:
    return int(amount * 100)


def ruleset(book: WarningBook, session_rule: str) -> dict[str, dict]:
    """The durable_rules ruleset: each warning joins a household fact and an event fact."""
    rules: dict[str, dict] = {session_rule: {"all": [{"h": {"kind": "household"}}]}}
    for rule in book.rules:
        kinds = sorted(rule.on)
        on = {"event_kind": kinds[0]} if len(kinds) == 1 else {
            "$or": [{"event_kind": k} for k in kinds]}
        household = {"$and": [{"kind": "household"}, *rule.household_test]}
        event = {"$and": [{"kind": "event"}, {"hid": {"h": "hid"}}, on, *rule.event_test]}
        rules[rule.id] = {"all": [{"h": household}, {"e": event}]}
    return rules
