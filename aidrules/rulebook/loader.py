"""Loading and checking a rule book: every problem in one pass, all or nothing.

Rule files are YAML data. Their expressions are parsed and type-checked against
the fact schema and the parameter tree here, before any application exists."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from aidrules import _yaml
from aidrules.errors import Problem, RuleBookError, did_you_mean
from aidrules.language import ast, check, parse
from aidrules.language.checker import fits
from aidrules.language.parser import ExpressionSyntaxError
from aidrules.language.printer import to_text
from aidrules.language.types import BOOL, UNIT_PERIODS, Schema, Type, money_per, table_of
from aidrules.policy import Overlay, PolicyTree
from aidrules.rulebook import analysis, proofs
from aidrules.rulebook.book import (
    PERIODS,
    Aid,
    Basis,
    Brand,
    Conclusion,
    Criterion,
    DerivedFact,
    ExclusiveGroup,
    Located,
    Rule,
    RuleBook,
)
from aidrules.rulebook.schema import BASE_FACTS, BASE_TITLES

BOOK_FILE = "book.yaml"
CASES_DIR = "cases"  # case files (tests of the rules) live beside the rules, never in the book
# Files at the top of the rules directory that describe the book rather than belong to it:
# the acknowledged lint findings (rulebook/lint.py) and the article coverage (rulebook/coverage.py).
ABOUT_FILES = frozenset({"lint-acknowledged.yaml", "coverage.yaml"})
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_FACT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SCOPES = ("household", "member")
_BOOK_KEYS = {"name", "version", "aids", "brands", "risk_levels", "exclusive"}
_FILE_KEYS = {"facts", "rules"}
_FACT_KEYS = {"id", "title", "title_en", "scope", "formula", "note", "nonzero"}
_RULE_KEYS = {"id", "title", "title_en", "aid", "referral", "risk", "scope", "basis", "when",
              "amount", "amount_max", "overrides", "reason", "reason_en", "note", "examples",
              "special"}
_CRITERION_KEYS = {"test", "title", "title_en", "reason", "reason_en"}
# What a criterion's reason may name: the two sides compared and the word between them.
REASON_PLACES = ("value", "limit", "compare")


def load_rulebook(rules: Path | str, policies: Path | str,
                  overlays: Iterable[Overlay] = ()) -> RuleBook:
    """Load ``rules/`` with the ``policies/`` tree and any ``overlays`` laid over it
    (directories of policy files, inline values); raise RuleBookError listing every problem."""
    book, problems = check_rulebook(rules, policies, overlays)
    if problems or book is None:
        raise RuleBookError(problems, str(rules))
    return book


def check_rulebook(rules: Path | str, policies: Path | str, overlays: Iterable[Overlay] = ()
                   ) -> tuple[RuleBook | None, list[Problem]]:
    overlays = tuple(overlays)
    tree, problems = PolicyTree.check(policies, overlays)
    # With a broken policy tree, rules are still checked against the parameters declared
    # well, so one bad value is one problem, not one for every rule that reads it.
    declared = tree.parameters() if tree is not None else PolicyTree.declared(policies, overlays)
    reader = _Reader(Path(rules), tree, declared)
    book = reader.read()
    problems = sorted([*problems, *reader.problems],
                      key=lambda p: (p.file, p.line, p.col, p.message))
    return (None if problems else book), problems


class _File:
    """One rule file: its label for messages and its text, to place expressions exactly."""

    def __init__(self, label: str, text: str) -> None:
        self.label, self.lines = label, text.splitlines()

    def expression_start(self, node: Any, key: Any, by_value: bool) -> tuple[int, int]:
        line, col = (_yaml.value_position(node, key) if by_value else _yaml.position(node, key))
        raw = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        char = raw[col - 1: col]
        if char in ("'", '"'):
            return line, col + 1
        if char in ("|", ">"):
            nxt = self.lines[line] if line < len(self.lines) else ""
            return line + 1, len(nxt) - len(nxt.lstrip()) + 1
        return line, col


class _Reader:
    def __init__(self, root: Path, policies: PolicyTree | None,
                 declared: Mapping[str, Any]) -> None:
        self.root, self.policies, self.declared = root, policies, declared
        self.problems: list[Problem] = []
        self.digest = hashlib.sha256()
        self.meta: dict[str, Any] = {}
        self.aids: dict[str, Aid] = {}
        self.brands: dict[str, Brand] = {}
        self.aid_items: dict[str, tuple[_File, dict]] = {}
        self.risk_levels: tuple[str, ...] = ()
        self.exclusive: list[ExclusiveGroup] = []
        self.raw_facts: list[tuple[_File, Any, int]] = []
        self.raw_rules: list[tuple[_File, Any, int]] = []
        self.rule_ids: list[str] = []  # every id a rule item declares, loaded or not
        self.concluded: set[str] = set()  # every aid a rule item concludes, loaded or not
        self.aid_at: dict[str, tuple[str, int, int]] = {}
        self._glossary: dict[str, str] | None = None
        self.unreadable_facts: set[str] = set()  # facts already reported: not 'unknown' again

    # -- problems ------------------------------------------------------------
    def fail(self, file: _File, node: Any, key: Any, message: str, expected: str | None = None,
             suggestion: str | None = None, by_value: bool = False) -> None:
        self.problems.append(_yaml.placed(file.label, node, key, message, expected, suggestion,
                                          at_value=by_value))

    def unknown_keys(self, file: _File, node: dict, allowed: set[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                self.fail(file, node, key, f"unknown key '{key}' in {what}",
                          expected="one of " + ", ".join(sorted(allowed)),
                          suggestion=did_you_mean(str(key), allowed))

    def text(self, file: _File, node: dict, key: str, what: str, required: bool = True):
        value = node.get(key)
        if value is None:
            if required:
                self.fail(file, node, None, f"{what} has no '{key}'",
                          expected=f"'{key}: ...'")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(file, node, key, f"'{key}' must be a text, got {value!r}", by_value=True)
            return None
        return value.strip()

    # -- files ---------------------------------------------------------------
    def read(self) -> RuleBook | None:
        if not self.root.is_dir():
            self.problems.append(Problem(str(self.root), 1, 1, "no such rules directory"))
            return None
        paths = sorted(p for p in self.root.rglob("*.yaml")
                       if CASES_DIR not in p.relative_to(self.root).parts[:-1]
                       and p.relative_to(self.root).as_posix() not in ABOUT_FILES)
        book_path = self.root / BOOK_FILE
        if book_path not in paths:
            self.problems.append(Problem(str(book_path), 1, 1, "the rule book has no book.yaml",
                                         expected="a book.yaml naming the aid types"))
        for path in paths:
            self.read_file(path, is_book=path == book_path)
        return self.build()

    def read_file(self, path: Path, is_book: bool) -> None:
        label = str(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:  # a directory named like a rule file, a file one cannot read
            self.problems.append(Problem(label, 1, 1, f"cannot read the file: {exc.strerror}"))
            return
        self.digest.update(str(path.relative_to(self.root)).encode() + b"\0" + raw + b"\0")
        doc, problems = _yaml.loads(raw, label)
        self.problems.extend(problems)
        if doc is None and not problems:
            self.problems.append(Problem(label, 1, 1, "the file is empty", expected=(
                "'facts:' and/or 'rules:'" if not is_book else "the aid types of the book")))
        if doc is None:
            return
        file = _File(label, raw.decode("utf-8-sig", "replace"))
        if not isinstance(doc, dict):
            self.problems.append(Problem(label, 1, 1, "a rule file must be a mapping",
                                         expected="'facts:' and/or 'rules:' at the top"))
            return
        if is_book:
            self.read_book(file, doc)
            return
        self.unknown_keys(file, doc, _FILE_KEYS, "a rule file")
        for key, store in (("facts", self.raw_facts), ("rules", self.raw_rules)):
            items = doc.get(key)
            if items is None:
                continue
            if not isinstance(items, list):
                self.fail(file, doc, key, f"'{key}' must be a list", expected="'- id: ...' items")
                continue
            store.extend((file, items, i) for i in range(len(items)))

    # -- book.yaml -----------------------------------------------------------
    def read_book(self, file: _File, doc: dict) -> None:
        self.unknown_keys(file, doc, _BOOK_KEYS, "book.yaml")
        self.meta = {"name": self.text(file, doc, "name", "book.yaml"),
                     "version": str(doc.get("version", "0"))}
        for item in self.items(file, doc, "aids"):
            self.read_aid(file, item)
        for item in self.items(file, doc, "brands", required=False):
            self.read_brand(file, item)
        levels = doc.get("risk_levels") or []
        if not isinstance(levels, list) or not all(isinstance(x, str) for x in levels):
            self.fail(file, doc, "risk_levels", "'risk_levels' must be a list of names, most "
                      "severe first", by_value=True)
        else:
            self.risk_levels = tuple(levels)
        self.book_file, self.book_doc = file, doc

    def items(self, file: _File, doc: dict, key: str, required: bool = True) -> list:
        items = doc.get(key)
        if items is None:
            if required:
                self.fail(file, doc, None, f"book.yaml has no '{key}'", expected=f"'{key}:' list")
            return []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.fail(file, doc, key, f"'{key}' must be a list of mappings", by_value=True)
            return []
        return items

    def read_aid(self, file: _File, item: dict) -> None:
        self.unknown_keys(file, item, {"id", "name", "name_en", "brand", "period"}, "an aid type")
        aid_id = self.text(file, item, "id", "an aid type")
        name = self.text(file, item, "name", "an aid type")
        if aid_id is None or name is None:
            return
        if aid_id in self.aids:
            self.fail(file, item, "id", f"aid type '{aid_id}' is declared twice")
        self.aid_at[aid_id] = (file.label, *_yaml.value_position(item, "id"))
        self.aids[aid_id] = Aid(aid_id, name, item.get("name_en") or aid_id, item.get("brand"),
                                self.period(file, item, aid_id))
        self.aid_items[aid_id] = (file, item)

    def period(self, file: _File, item: dict, aid_id: str) -> str | None:
        period = item.get("period")
        if period is None or period in PERIODS:
            return period
        self.fail(file, item, "period", f"period {period!r} of aid type '{aid_id}' is not a "
                  "period", expected="one of " + ", ".join(PERIODS),
                  suggestion=did_you_mean(str(period), PERIODS), by_value=True)
        return None

    def check_periods(self, rules: list[Rule]) -> None:
        """An aid type whose rules give an amount says what the amount is paid per."""
        paid = {r.aid for r in rules if r.aid and r.amount is not None}
        for aid_id in sorted(paid):
            file, item = self.aid_items[aid_id]
            if self.aids[aid_id].period is None and "period" not in item:
                self.fail(file, item, None, f"aid type '{aid_id}' has rules that give an amount "
                          "but no period", expected="'period: month', 'period: year' or "
                          "'period: once'")

    def read_brand(self, file: _File, item: dict) -> None:
        self.unknown_keys(file, item, {"id", "name", "name_en", "departments"}, "a brand")
        brand_id = self.text(file, item, "id", "a brand")
        name = self.text(file, item, "name", "a brand")
        departments = item.get("departments") or []
        if not isinstance(departments, list) or not departments:
            self.fail(file, item, None, "a brand needs 'departments', a list of names")
            departments = []
        if brand_id and name:
            self.brands[brand_id] = Brand(brand_id, name, item.get("name_en") or brand_id,
                                          tuple(str(d) for d in departments))

    def read_exclusive(self) -> None:
        file, doc = getattr(self, "book_file", None), getattr(self, "book_doc", None)
        if file is None or doc is None:
            return
        for item in self.items(file, doc, "exclusive", required=False):
            self.unknown_keys(file, item, {"id", "title", "order", "basis", "reason", "reason_en"},
                              "an exclusive group")
            order = item.get("order")
            if not isinstance(order, list) or len(order) < 2:
                self.fail(file, item, None, "an exclusive group needs 'order', a list of at "
                          "least two aid types, the one that wins first")
                continue
            for i, aid in enumerate(order):
                if aid not in self.aids:
                    self.fail(file, order, i, f"unknown aid type '{aid}'",
                              suggestion=did_you_mean(str(aid), self.aids))
            basis = self.basis(file, item, "an exclusive group")
            group_id = self.text(file, item, "id", "an exclusive group")
            if basis and group_id:
                line, col = _yaml.position(item)
                self.exclusive.append(ExclusiveGroup(
                    group_id, self.text(file, item, "title", "an exclusive group") or group_id,
                    tuple(order), basis, Located(file.label, line, col),
                    *(self.reason(file, item, k, ("aid",)) for k in ("reason", "reason_en"))))

    def basis(self, file: _File, item: dict, what: str) -> Basis | None:
        basis = item.get("basis")
        if not isinstance(basis, dict) or not basis.get("document"):
            self.fail(file, item, "basis" if "basis" in item else None,
                      f"{what} needs its legal basis",
                      expected="'basis: {document: ..., article: ...}'")
            return None
        self.unknown_keys(file, basis, {"document", "article"}, "a legal basis")
        return Basis(str(basis["document"]), str(basis["article"]) if basis.get("article")
                     else None)

    # -- expressions ---------------------------------------------------------
    def expression(self, file: _File, node: Any, key: Any, by_value: bool) -> ast.Expr | None:
        text = node[key]
        line, col = file.expression_start(node, key, by_value)
        if not isinstance(text, (str, int, float)) or isinstance(text, bool):
            self.problems.append(Problem(file.label, line, col,
                                         f"expected an expression, got {type(text).__name__}"))
            return None
        try:
            return parse(str(text), file=file.label, line=line, col=col,
                         glossary=self.glossary())
        except ExpressionSyntaxError as exc:
            self.problems.append(exc.problem)
            return None

    def glossary(self) -> dict[str, str]:
        """Titles of the derived facts (中文 and English) → their ids, for did-you-mean."""
        if self._glossary is None:
            self._glossary = dict(BASE_TITLES)
            for _, items, i in self.raw_facts:
                item = items[i]
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    for key in ("title", "title_en"):
                        if isinstance(item.get(key), str):
                            self._glossary[item[key]] = item["id"]
        return self._glossary

    def typed(self, expr, schema: Schema, scope: str, file: _File, expect: Type | None):
        checked = check(expr, schema, _scope(scope), file.label, expect)
        self.problems.extend(checked.problems)
        return checked

    # -- the whole book ------------------------------------------------------
    def build(self) -> RuleBook | None:
        self.read_exclusive()
        schema = Schema(entities={k: dict(v) for k, v in BASE_FACTS.items()},
                        parameters=parameter_types(self.declared),
                        aids=frozenset(self.aids))
        facts, schema = self.read_facts(schema)
        rules = [r for r in (self.read_rule(*item, schema) for item in self.raw_rules) if r]
        self.problems = [p for p in self.problems if not self.about_unreadable_fact(p)]
        self.problems.extend(proofs.prove(
            facts, rules, self.parameter_values, _collections(schema),
            {name for fields in schema.entities.values() for name in fields}))
        unreadable = frozenset(self.rule_ids) - {r.id for r in rules}
        self.check_periods(rules)
        self.aids_without_rules()
        self.problems.extend(analysis.check_rules(rules, self.aids, self.brands,
                                                  self.risk_levels, self.exclusive, unreadable))
        if self.problems or self.policies is None:  # no tree: its problems are listed
            return None
        return RuleBook(self.meta.get("name") or "aidrules", self.meta.get("version", "0"),
                        self.digest.hexdigest()[:16], self.aids, self.brands, self.risk_levels,
                        tuple(self.exclusive), tuple(facts), tuple(rules), schema, self.policies)

    def aids_without_rules(self) -> None:
        """An aid type no rule concludes could never be settled: the engine would wait for
        its status (exclusive groups, eligible(...)) while the evaluator decides without it.
        A rule naming a misspelt aid counts for the aid it most likely means (reported)."""
        meant = {did_you_mean(a, self.aids) for a in self.concluded - set(self.aids)}
        for aid_id in sorted(set(self.aids) - self.concluded - meant):
            self.problems.append(Problem(
                *self.aid_at[aid_id], f"aid type '{aid_id}' has no rule that concludes it",
                expected=f"a rule with 'aid: {aid_id}' in a rule file, or no '{aid_id}' in "
                "book.yaml"))

    def parameter_values(self, name: str) -> list:
        """Every value ``name`` takes, in any layer from any date (none if policies broke)."""
        return self.policies.history(name) if self.policies is not None else []

    def about_unreadable_fact(self, problem: Problem) -> bool:
        """'unknown fact' for a fact whose own formula is already reported: one mistake,
        one problem, not one more for every formula and rule that reads the fact."""
        return any(problem.message == f"unknown fact '{fact}'"
                   for fact in self.unreadable_facts if fact)

    def read_facts(self, schema: Schema) -> tuple[list[DerivedFact], Schema]:
        parsed = {}
        for file, items, i in self.raw_facts:
            item = items[i]
            if not isinstance(item, dict):
                self.fail(file, items, i, "a fact must be a mapping", expected="'- id: ...'")
                continue
            self.unknown_keys(file, item, _FACT_KEYS, "a derived fact")
            fact_id = self.text(file, item, "id", "a derived fact")
            scope = item.get("scope", "household")
            if scope not in _SCOPES:
                self.fail(file, item, "scope", f"unknown scope '{scope}'",
                          expected="household or member", by_value=True,
                          suggestion=did_you_mean(str(scope), _SCOPES))
                continue
            formula = self.expression(file, item, "formula", True) if "formula" in item else None
            if "formula" not in item:
                self.fail(file, item, None, f"fact '{fact_id}' has no 'formula'")
            if fact_id is None or formula is None:
                self.unreadable_facts.add(fact_id)
                continue
            if not _FACT_ID.match(fact_id):
                self.fail(file, item, "id", f"fact id '{fact_id}' must be lower_case_with_"
                          "underscores (no dots: dotted names are parameters)", by_value=True)
                continue
            if fact_id in parsed or fact_id in schema.entities[scope]:
                self.fail(file, item, "id", f"fact '{fact_id}' is already defined", by_value=True)
                continue
            parsed[fact_id] = (file, item, scope, formula)
        order, cycle = analysis.fact_order(
            {k: (v[2], v[3]) for k, v in parsed.items()})
        for fact_id in dict.fromkeys(cycle):
            file, item, _, _ = parsed[fact_id]
            self.fail(file, item, "formula", f"fact '{fact_id}' depends on itself through "
                      f"{' → '.join(cycle)}", by_value=True)
        facts = []
        for fact_id in order:
            file, item, scope, formula = parsed[fact_id]
            checked = self.typed(formula, schema, scope, file, None)
            if checked.type is None:
                self.unreadable_facts.add(fact_id)
                continue
            schema = schema.with_fields(scope, {fact_id: checked.type})
            facts.append(DerivedFact(
                fact_id, self.text(file, item, "title", f"fact '{fact_id}'") or fact_id,
                item.get("title_en") or fact_id, scope, formula, checked.type,
                checked.names, Located(file.label, *_yaml.position(item)),
                self.nonzero(file, item)))
        return facts, schema

    def nonzero(self, file: _File, item: dict) -> bool:
        """``nonzero: true``: the fact is never 0 (a divisor needs no guard)."""
        return self.flag(file, item, "nonzero")

    def flag(self, file: _File, item: dict, key: str) -> bool:
        """A ``key: true`` flag, false when left out. A value that is not true or false is
        reported once, and taken as declared."""
        value = item.get(key, False)
        if not isinstance(value, bool):
            self.fail(file, item, key, f"'{key}' must be true or false, got {value!r}",
                      expected="true or false", by_value=True)
            return True
        return value

    def read_rule(self, file: _File, items: list, i: int, schema: Schema) -> Rule | None:
        item = items[i]
        if not isinstance(item, dict):
            self.fail(file, items, i, "a rule must be a mapping", expected="'- id: ...'")
            return None
        self.unknown_keys(file, item, _RULE_KEYS, "a rule")
        if "aid" in item:
            self.concluded.add(str(item["aid"]))
        rule_id = self.text(file, item, "id", "a rule")
        if rule_id is not None:
            self.rule_ids.append(rule_id)
        what = f"rule '{rule_id}'"
        if rule_id is not None and not _ID.match(rule_id):
            self.fail(file, item, "id", f"rule id '{rule_id}' must be lower-case words joined "
                      "by dots or underscores, like dibao.household", by_value=True)
        title = self.text(file, item, "title", what)
        conclusion = self.conclusion(file, item, what)
        scope = item.get("scope", "household")
        if scope not in _SCOPES:
            self.fail(file, item, "scope", f"unknown scope '{scope}'", expected="household or "
                      "member", suggestion=did_you_mean(str(scope), _SCOPES), by_value=True)
            scope = "household"
        basis = self.basis(file, item, what)
        criteria = self.criteria(file, item, what, schema, scope)
        amount = self.amount(file, item, "amount", conclusion, schema, scope)
        amount_max = self.amount(file, item, "amount_max", conclusion, schema, scope)
        overrides = item.get("overrides") or []
        if not isinstance(overrides, list):
            self.fail(file, item, "overrides", "'overrides' must be a list of rule ids",
                      by_value=True)
            overrides = []
        examples = self.examples(file, item)
        special = self.flag(file, item, "special")
        if rule_id is None or title is None or conclusion is None or basis is None \
                or criteria is None:
            return None
        return Rule(rule_id, title, item.get("title_en") or title, conclusion, scope, basis,
                    criteria, amount, amount_max, tuple(str(o) for o in overrides),
                    item.get("reason"), item.get("reason_en"),
                    Located(file.label, *_yaml.position(item)),
                    str(item["note"]).strip() if item.get("note") else None, examples, special)

    def examples(self, file: _File, item: dict) -> list:
        """The rule's inline examples as written, each a case read by aidrules.cases."""
        examples = item.get("examples")
        if examples is None:
            return []
        if not isinstance(examples, list) or not examples:
            self.fail(file, item, "examples", "'examples' must be a list of at least one case",
                      expected="'- title: ...' items, each a case as in a case file",
                      by_value=True)
            return []
        for i, example in enumerate(examples):
            if not isinstance(example, dict):
                self.fail(file, examples, i, "an example is a case: a mapping with 'title', "
                          "'application' and 'expect'")
        return examples if all(isinstance(e, dict) for e in examples) else []

    def conclusion(self, file: _File, item: dict, what: str) -> Conclusion | None:
        given = [k for k in ("aid", "referral", "risk") if k in item]
        if len(given) != 1:
            self.fail(file, item, None, f"{what} must conclude exactly one of 'aid', "
                      f"'referral' or 'risk', found {len(given)}")
            return None
        kind = given[0]
        value = str(item[kind])
        choices: dict[str, Collection[str]] = {"aid": self.aids, "referral": self.brands,
                                               "risk": self.risk_levels}
        known = choices[kind]
        if value not in known:
            self.fail(file, item, kind, f"unknown {'aid type' if kind == 'aid' else kind} "
                      f"'{value}'", expected="one of " + ", ".join(sorted(known)),
                      suggestion=did_you_mean(value, known), by_value=True)
            return None
        return Conclusion(kind, value)

    def criteria(self, file: _File, item: dict, what: str, schema: Schema,
                 scope: str) -> tuple[Criterion, ...] | None:
        when = item.get("when")
        if not isinstance(when, list) or not when:
            self.fail(file, item, "when" if "when" in item else None,
                      f"{what} needs 'when', a list of conditions that must all hold")
            return None
        criteria = []
        for i, entry in enumerate(when):
            criterion = self.criterion(file, when, i, entry, schema, scope)
            if criterion is not None:
                criteria.append(criterion)
        return tuple(criteria) if len(criteria) == len(when) else None

    def criterion(self, file, when, i, entry, schema, scope) -> Criterion | None:
        if isinstance(entry, dict):
            self.unknown_keys(file, entry, _CRITERION_KEYS, "a condition")
            if "test" not in entry:
                self.fail(file, when, i, "a condition written as a mapping needs 'test'")
                return None
            expr, text = self.expression(file, entry, "test", True), str(entry["test"])
            title, title_en = entry.get("title"), entry.get("title_en")
            reason, reason_en = (self.reason(file, entry, k) for k in ("reason", "reason_en"))
        else:
            expr, text = self.expression(file, when, i, False), str(entry)
            title = title_en = reason = reason_en = None
        if expr is None:
            return None
        checked = self.typed(expr, schema, scope, file, BOOL)
        return Criterion(expr, text.strip(), title, title_en, checked.names, checked.aids,
                         Located(file.label, expr.pos[0]), reason, reason_en)

    def reason(self, file: _File, node: dict, key: str, places=REASON_PLACES) -> str | None:
        """A plain text for when the condition does not hold, naming only known places."""
        text = self.text(file, node, key, "a condition", required=False)
        for name in re.findall(r"\{([^{}]*)\}", text or ""):
            if name not in places:
                self.fail(file, node, key, f"unknown place '{{{name}}}' in '{key}'",
                          expected="one of " + ", ".join(f"{{{p}}}" for p in places),
                          suggestion=did_you_mean(name, places), by_value=True)
                return None
        return text

    def amount(self, file, item, key, conclusion, schema, scope) -> ast.Expr | None:
        if key not in item:
            return None
        if conclusion is not None and conclusion.kind != "aid":
            self.fail(file, item, key, f"only a rule that concludes an aid has an '{key}'")
            return None
        expr = self.expression(file, item, key, True)
        if expr is None:
            return None
        aid = self.aids.get(conclusion.value) if conclusion is not None else None
        if aid is None or aid.period is None:  # reported where the aid is declared
            self.typed(expr, schema, scope, file, Type("money"))
            return expr
        period = aid.period
        found = self.typed(expr, schema, scope, file, None).type
        expect = money_per(period)
        if found is None or fits(found, expect):
            return expr
        if found.kind == "money":
            convert = {("year", "month"): "monthly", ("month", "year"): "yearly"}.get(
                (found.period, period))
            text = to_text(expr) if len(to_text(expr)) <= 80 else "..."
            self.problems.append(Problem(
                file.label, *expr.pos, f"this gives {found}, but aid type '{aid.id}' is paid "
                f"with period: {period}", expected=str(expect),
                suggestion=f"{convert}({text})" if convert else None))
        else:
            self.problems.append(Problem(file.label, *expr.pos, f"this gives {found}",
                                         expected=str(expect)))
        return expr


def _scope(scope: str) -> tuple[str, ...]:
    return ("household",) if scope == "household" else ("household", "member")


def _collections(schema: Schema) -> dict[str, set[str]]:
    return {entity: {name for name, t in fields.items() if t.kind == "collection"}
            for entity, fields in schema.entities.items()}


def parameter_types(declared: Mapping[str, Any]) -> dict[str, Type]:
    """The checker's type of each declared parameter (the warning rules read them too)."""
    return {name: table_of(p.keys, _parameter_type(p)) if getattr(p, "keys", None) else
            _parameter_type(p) for name, p in declared.items()}


def _parameter_type(parameter: Any) -> Type:
    """The type of a parameter's value: money carries its unit's period (yuan/month,
    yuan/year, yuan once), and a whole number in months is a number of months."""
    unit = getattr(parameter, "unit", None)
    period = "months" if unit == "months" else UNIT_PERIODS.get(unit or "")
    return Type(str(parameter.kind), period=period)
