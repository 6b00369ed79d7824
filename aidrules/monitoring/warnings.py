"""Warning rules: what in a department event raises a warning, declared in YAML.

The rule files live in the top-level ``warnings/`` directory (the rule-book loader reads
everything under ``rules/``, so they are kept out of it). Each rule names the event kinds
it listens to (``on``), an optional condition (``when``) in the rule language over
``event.*`` and ``household.*`` facts and dated parameters (``warning.medical_bill_min``,
declared under ``policies/``), a reason in Chinese and English, the aid types to look at,
a risk colour and how often it may be raised (``once_per``). Files are checked like the
eligibility rules: every problem at once, with ``file:line:col``.

This module reads and checks; the checked conditions are compiled by the rules' own
compiler (:func:`aidrules.engine.compiler.compile_conditions`), with the parameters in
force for a jurisdiction on the screening day."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import attrs

from aidrules import _yaml
from aidrules.engine.compiler import ConditionSet, FactField, compile_conditions
from aidrules.errors import Problem, RuleBookError, did_you_mean
from aidrules.language import (
    UNKNOWN,
    Env,
    ExpressionSyntaxError,
    Schema,
    ast,
    check,
    evaluate,
    parse,
)
from aidrules.language.types import BOOL, INT, MONEY_ONCE, Type, text_of
from aidrules.monitoring.mapping import EVENT_KINDS
from aidrules.monitoring.register import STATUSES
from aidrules.policy import PolicyTree
from aidrules.rulebook.loader import parameter_types

CLOCK_KINDS = frozenset({"review_due", "grace_period_ending", "task_overdue"})
KINDS = EVENT_KINDS | CLOCK_KINDS
AID_TYPES = frozenset({"dibao", "tekun", "dibao_marginal", "rigid_expenditure",
                       "temporary_assistance", "medical_aid", "education_aid", "employment_aid",
                       "housing_aid", "elderly_care", "hardship_aid"})
COLOURS = ("red", "yellow", "blue")
ONCE_PER = ("household", "person", "month", "event")
FIELDS: dict[str, Type] = {
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
#: How the engine's facts carry each name: the session's household fact, and one fact per
#: event (``kind`` is the facts' discriminator, so the event's kind is ``event_kind``).
NAMES = {dotted: FactField("household" if dotted.startswith("household.") else "other",
                           "event_kind" if dotted == "event.kind" else dotted.split(".", 1)[1],
                           kind.kind)
         for dotted, kind in FIELDS.items()}
_KEYS = ("id", "on", "when", "reason", "suggest", "colour", "once_per")
_SHAPE = ("comparisons of event.* and household.* facts with constants or parameters, "
          "joined by and / or / not")


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
    file: str = ""
    line: int = 0
    #: What the engine tests: the event is of a kind in ``on``, and ``when`` holds. Built
    #: once: the evaluator keeps each tree's closures by identity.
    condition: ast.Expr = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        kinds = ast.ListOf(tuple(ast.Text(kind) for kind in sorted(self.on)))
        on = ast.Compare("in", ast.Name(("event", "kind")), kinds)
        condition = on if self.when is None else ast.Logic("and", (on, self.when))
        object.__setattr__(self, "condition", condition)


@attrs.frozen
class WarningBook:
    """The warning rules as they apply in one jurisdiction: its parameters' values."""

    rules: tuple[WarningRule, ...]
    policies: PolicyTree = attrs.field(eq=False, repr=False)  # what the conditions read
    jurisdiction: str = "national"
    parameters: frozenset[str] = frozenset()  # the parameters the conditions read

    def rule(self, rule_id: str) -> WarningRule:
        return next(r for r in self.rules if r.id == rule_id)

    def values(self, on: date) -> dict[str, Any]:
        """The parameters the rules read, as in force in the jurisdiction on ``on``
        (:class:`aidrules.errors.PolicyLookupError` names one that has no value then)."""
        return {name: self.policies.value(name, self.jurisdiction, on).value
                for name in sorted(self.parameters)}

    def compile(self, values: dict[str, Any]) -> ConditionSet:
        """The rules as one durable ruleset, with these parameter values folded in."""
        return compile_conditions({rule.id: rule.condition for rule in self.rules}, NAMES,
                                  values.__getitem__, "warnings")

    def holds(self, rule: WarningRule, facts: dict[str, Any], values: dict[str, Any]) -> bool:
        """The library's exact evaluator on one event (``facts``: dotted name → value, a
        name left out unknown): what the engine's firing must agree with."""
        def value(name: str) -> Any:
            return facts.get(name, UNKNOWN) if name in FIELDS else values[name]
        return evaluate(rule.condition, Env({}), value) is True


def load_warning_rules(directory: Path | str = "warnings",
                       policies: PolicyTree | Path | str = "policies",
                       jurisdiction: str = "national") -> WarningBook:
    """Every ``*.yaml`` under ``directory``, checked against the parameters declared in
    ``policies`` (a loaded tree or its directory), all or nothing (:class:`WarningRuleError`).
    The thresholds are those of ``jurisdiction`` (a path such as
    ``heilongjiang/yichun/tieli``), as in force on each screening day."""
    problems: list[Problem] = []
    if isinstance(policies, PolicyTree):
        tree: PolicyTree | None = policies
        declared = policies.parameters()
    else:
        tree, found = PolicyTree.check(policies)
        problems.extend(found)
        declared = tree.parameters() if tree is not None else PolicyTree.declared(policies)
    schema = Schema({"warning": {}}, {**parameter_types(declared), **FIELDS}, AID_TYPES)
    rules: list[WarningRule] = []
    read: set[str] = set()
    paths = sorted(Path(directory).rglob("*.yaml"))
    if not paths:
        problems.append(Problem(str(directory), 1, 1, "no warning rule files (*.yaml) found"))
    for path in paths:
        reader = _Reader(str(path), schema)
        rules.extend(reader.read(path))
        problems.extend(reader.problems)
        read |= reader.names
    seen: dict[str, WarningRule] = {}
    for rule in rules:
        if rule.id in seen:
            first = seen[rule.id]
            problems.append(Problem(rule.file, rule.line, 1, f"warning id {rule.id!r} is "
                                    f"already used at {first.file}:{first.line}"))
        seen[rule.id] = rule
    if tree is not None and jurisdiction not in tree.jurisdictions():
        problems.append(Problem(str(directory), 1, 1, f"unknown jurisdiction {jurisdiction!r}",
                                expected="one of " + ", ".join(sorted(tree.jurisdictions())),
                                suggestion=did_you_mean(jurisdiction, tree.jurisdictions())))
    if problems or tree is None:  # a tree that did not load has its problems
        raise WarningRuleError(problems, str(directory))
    return WarningBook(tuple(rules), tree, jurisdiction, frozenset(read - set(FIELDS)))


class _Reader(_yaml.Reporter):
    def __init__(self, file: str, schema: Schema) -> None:
        super().__init__(file)
        self.schema = schema
        self.names: set[str] = set()  # the dotted names the conditions read

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
        when = self.condition(node)
        if len(self.problems) > before:
            return None
        line, _ = _yaml.position(node)
        return WarningRule(rule_id, frozenset(on), when, reason[0], reason[1], tuple(suggest),
                           colour, once_per, self.file, line)

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

    def condition(self, node: Any) -> ast.Expr | None:
        if "when" not in node:
            return None
        line, col = _yaml.value_position(node, "when")
        try:
            expr = parse(str(node["when"]), file=self.file, line=line, col=col)
        except ExpressionSyntaxError as exc:
            self.problems.append(exc.problem)
            return None
        checked = check(expr, self.schema, ("warning",), self.file, expect=BOOL)
        self.problems.extend(checked.problems)
        self.names |= checked.names
        if not checked.problems:
            self.problems.extend(Problem(self.file, *where, message, expected=_SHAPE)
                                 for where, message in _unsupported(expr))
        return expr


def _unsupported(expr: ast.Expr) -> list[tuple[tuple[int, int], str]]:
    """What the engine's compiler does not take in a warning condition (a type-checked
    tree): functions, and a text fact compared with another fact rather than with texts."""
    found = []
    for node in ast.walk(expr):
        match node:
            case ast.Call(function):
                found.append((node.pos, f"{function}() is not available in a warning "
                              "condition"))
            case ast.Compare(op, ast.Name() as left, ast.Name() as right) if _is_fact(
                    left, "text", "bool") and _is_fact(right, "text", "bool"):
                found.append((node.pos, f"'{op}' compares two facts; a text or true/false "
                              "fact is compared with written values"))
            case ast.Compare(op, left, right) if op in ("==", "!=") and (
                    _is_fact(left, "bool") or _is_fact(right, "bool")):
                found.append((node.pos, "a true/false fact is written as it is, or with "
                              "'not', not compared with '=='"))
    return found


def _is_fact(node: ast.Expr, *kinds: str) -> bool:
    return isinstance(node, ast.Name) and node.dotted in FIELDS and \
        FIELDS[node.dotted].kind in kinds

