"""Reading case files: every problem at once, each with ``file:line:col`` and a suggestion.

A case file holds one case (a mapping with ``title``) or ``cases:`` and a list of them.
The application is inline (``application:``) or in a file beside (``application_file:``);
a bad application field is reported by its path (``$.household.members[0].incomes``)
and, for inline applications, at its own line in the case file.

A rule's inline examples (``examples:`` in a rule file) are read by the same reader, at
their lines in the rule file; in them ``expect`` may be written for the rule's own aid
type alone (a status, or the long form with ``status``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from aidrules import _yaml
from aidrules.cases.case import RULE_RESULTS, STATUSES, UNCHECKED, AidExpectation, Case
from aidrules.errors import ApplicationError, Problem, did_you_mean
from aidrules.model import application_from_dict, read_application
from aidrules.policy import InlineValues
from aidrules.rulebook import Rule, RuleBook

CASE_KEYS = ("title", "source", "note", "on", "jurisdiction", "application", "application_file",
             "overlay", "parameters", "expect")
AID_KEYS = ("status", "amount", "amount_max", "members", "rules")
OTHER_EXPECT_KEYS = ("risk_level", "referrals")
_PATH_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def read_cases(path: Path | str, book: RuleBook, label: str | None = None,
               roots: Iterable[Path | str] = ()) -> tuple[list[Case], list[Problem]]:
    """The cases in ``path``, checked against ``book`` (its aid types, rules, brands,
    risk levels and jurisdictions), and every problem found (then use no case).
    ``label`` names the file in messages (default: ``path`` as given). An
    ``application_file`` must lie under the case file's directory or one of ``roots``."""
    reader = _Reader(Path(path), book, label, roots=roots)
    cases = reader.read()
    return ([] if reader.problems else cases), reader.problems


def read_examples(rule: Rule, book: RuleBook, label: str | None = None,
                  roots: Iterable[Path | str] = ()) -> tuple[list[Case], list[Problem]]:
    """The inline examples of ``rule`` as cases (each named ``file::rule id::title``), and
    every problem found, placed in the rule file (then use no case). ``label`` names the
    rule file in messages (default: as the rule book names it); ``roots`` as for
    :func:`read_cases`."""
    reader = _Reader(Path(rule.at.file), book, label or rule.at.file, rule, roots)
    cases = reader.cases(rule.examples)
    return ([] if reader.problems else cases), reader.problems


class _Reader:
    def __init__(self, path: Path, book: RuleBook, label: str | None,
                 rule: Rule | None = None, roots: Iterable[Path | str] = ()) -> None:
        self.path, self.book, self.label = path, book, label or str(path)
        self.rule = rule  # set when reading a rule's inline examples
        # where application files may be: a case file names no file outside these
        self.roots = tuple(Path(r).resolve() for r in (path.parent, *roots))
        self.problems: list[Problem] = []

    def problem(self, node: Any, key: Any, message: str, expected: str | None = None,
                suggestion: str | None = None, *, at_value: bool = False) -> None:
        self.problems.append(_yaml.placed(self.label, node, key, message, expected, suggestion,
                                          at_value=at_value))

    # -- the file -------------------------------------------------------------------
    def read(self) -> list[Case]:
        doc, problems = _yaml.load(self.path, label=self.label)
        if problems:
            self.problems += problems
            return []
        if isinstance(doc, dict) and "cases" in doc:
            return self.case_list(doc)
        if isinstance(doc, dict):
            return [c for c in [self.case(doc)] if c is not None]
        self.problems.append(Problem(self.label, 1, 1, "a case file holds one case or a list",
                                     expected="a mapping with 'title', or 'cases:' followed by "
                                              "a list of cases"))
        return []

    def case_list(self, doc: dict) -> list[Case]:
        for key in doc:
            if key != "cases":
                self.unknown(doc, key, ("cases",), "at the top of a file of cases")
        items = doc["cases"]
        if not isinstance(items, list) or not items:
            self.problem(doc, "cases", "'cases' must be a list of at least one case",
                         at_value=True)
            return []
        return self.cases(items)

    def cases(self, items: Sequence[Any]) -> list[Case]:
        cases: list[Case] = []
        titles: dict[str, int] = {}
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                self.problem(items, index, "each case is a mapping with 'title', "
                             "'application' and 'expect'")
                continue
            found = self.case(item)
            if found is None:
                continue
            if found.title in titles:
                self.problem(item, "title", f"two cases are titled '{found.title}' (the first "
                             f"at line {titles[found.title]})", expected="a distinct title",
                             at_value=True)
            titles.setdefault(found.title, found.line)
            cases.append(found)
        return cases

    def unknown(self, node: dict, key: Any, known: tuple[str, ...], where: str) -> None:
        self.problem(node, key, f"unknown key '{key}' {where}",
                     expected="one of " + ", ".join(known),
                     suggestion=did_you_mean(str(key), known))

    # -- one case -------------------------------------------------------------------
    def case(self, node: dict) -> Case | None:
        before = len(self.problems)
        for key in node:
            if key not in CASE_KEYS:
                self.unknown(node, key, CASE_KEYS, "in a case")
        title = self.text(node, "title", required=True)
        on = self.day(node, "on")
        jurisdiction = self.jurisdiction(node)
        application = self.application(node)
        aids, risk, referrals = self.expect(node)
        overlay = self.overlay(node)
        if len(self.problems) > before or application is None or title is None:
            return None
        line, _ = _yaml.position(node)
        where = jurisdiction or application.jurisdiction
        overlays: tuple[Path | InlineValues, ...] = (*overlay, *self.parameters(node, where))
        if len(self.problems) > before:
            return None
        return Case(title, self.label, line, application, on or application.applied_on,
                    where, aids, risk, referrals,
                    self.text(node, "source"), self.text(node, "note"),
                    self.rule.id if self.rule else None, overlays)

    def text(self, node: dict, key: str, required: bool = False) -> str | None:
        if key not in node:
            if required:
                self.problem(node, None, f"a case needs '{key}'")
            return None
        value = node[key]
        if not isinstance(value, str) or not value.strip():
            self.problem(node, key, f"'{key}' must be non-empty text", at_value=True)
            return None
        return str(value).strip()

    def day(self, node: dict, key: str) -> date | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problem(node, key, f"{key}={value!r} is not a date", expected="YYYY-MM-DD",
                         at_value=True)
            return None

    def jurisdiction(self, node: dict) -> str | None:
        value = self.text(node, "jurisdiction")
        known = self.book.policies.jurisdictions()
        if value is not None and value not in known and "overlay" not in node:
            self.problem(node, "jurisdiction", f"unknown jurisdiction '{value}'",
                         expected="one of " + ", ".join(sorted(known)),
                         suggestion=did_you_mean(value, known), at_value=True)
            return None
        return value

    # -- the application ------------------------------------------------------------
    def application(self, node: dict):
        inline, named = "application" in node, "application_file" in node
        if inline == named:
            self.problem(node, None, "a case needs exactly one of 'application' (inline) and "
                                     "'application_file' (a path relative to the case file)")
            return None
        if named:
            return self.application_file(node)
        data = node["application"]
        if not isinstance(data, dict):
            self.problem(node, "application", "'application' must be a mapping (the keys of "
                         "an application file)", at_value=True)
            return None
        try:
            return application_from_dict(data, source=self.label)
        except ApplicationError as exc:
            for field in exc.problems:
                line, col = _field_position(data, field.path)
                self.problems.append(Problem(self.label, line, col,
                                             f"application {field.path}: {field.message}"))
            return None

    def application_file(self, node: dict):
        name = self.text(node, "application_file")
        if name is None:
            return None
        path = self.path.parent / name
        if not any(path.resolve().is_relative_to(root) for root in self.roots):
            self.problem(node, "application_file", f"application file {name} is outside "
                         + " and ".join(map(str, self.roots)), at_value=True,
                         expected="a file under the case file's directory, the directory "
                         "the command runs from, or the rule book's project")
            return None
        if not path.is_file():
            self.problem(node, "application_file", f"no application file at {path}",
                         at_value=True)
            return None
        try:
            return read_application(path)
        except ApplicationError as exc:  # the paths only: a message could quote the file
            fields = ", ".join(dict.fromkeys(field.path for field in exc.problems))
            self.problem(node, "application_file", f"application file {path} is not a valid "
                         f"application: bad {fields} (aidrules validate {path} says why)",
                         at_value=True)
            return None

    # -- the case's own policies ---------------------------------------------------
    def overlay(self, node: dict) -> tuple[Path, ...]:
        """The directory named by ``overlay:``, relative to the case file and inside its
        directory, laid over the policies for this case."""
        if "overlay" not in node:
            return ()
        if self.rule is not None:
            self.problem(node, "overlay", "an example under a rule cannot name an overlay "
                         "directory", expected="the few values it needs under 'parameters:'")
            return ()
        name = self.text(node, "overlay")
        if name is None:
            return ()
        found = overlay_directory(self.path, name)
        if isinstance(found, str):
            self.problem(node, "overlay", found, expected=OVERLAY_EXPECTED, at_value=True)
            return ()
        return (found,)

    def parameters(self, node: dict, jurisdiction: str) -> tuple[InlineValues, ...]:
        """Dated values under ``parameters:`` for the case's jurisdiction; their dates,
        values and sources are checked when the book is laid over with them."""
        given = node.get("parameters")
        if given is None:
            return ()
        if not _yaml.is_mapping(given) or not given:
            self.problem(node, "parameters", "'parameters' must map parameter names to their "
                         "dated values", expected=PARAMETERS_EXPECTED, at_value=True)
            return ()
        declared = self.book.policies.parameters()
        found = []
        for name, values in given.items():
            if name not in declared and "overlay" not in node:
                self.problem(given, name, f"unknown parameter '{name}'",
                             suggestion=did_you_mean(str(name), declared))
            elif not _yaml.is_mapping(values):
                self.problem(given, name, f"the values of '{name}' must be dates, each with its "
                             "value", expected=PARAMETERS_EXPECTED, at_value=True)
            else:
                line, col = _yaml.position(given, name)
                found.append(InlineValues(str(name), jurisdiction, values, self.label, line, col))
        return tuple(found)

    # -- the expectation ------------------------------------------------------------
    def expect(self, node: dict):
        aids, risk, referrals = [], UNCHECKED, UNCHECKED
        expect = node.get("expect")
        if self.rule is not None and (isinstance(expect, str) or _yaml.is_mapping(expect)
                                      and "status" in expect):
            return self.own_aid(node), risk, referrals
        if not isinstance(expect, dict):
            self.problem(node, "expect" if "expect" in node else None,
                         "a case needs 'expect': a mapping of aid type → status",
                         at_value="expect" in node)
            return (), risk, referrals
        for key, value in expect.items():
            if key in self.book.aids:
                found = self.aid(expect, key, value)
                if found is not None:
                    aids.append(found)
            elif key == "risk_level":
                risk = self.risk_level(expect, value)
            elif key == "referrals":
                referrals = self.referrals(expect, value)
            else:
                self.unknown(expect, key, (*self.book.aids, *OTHER_EXPECT_KEYS),
                             "in 'expect' (not an aid type of the rule book)")
        return tuple(aids), risk, referrals

    def own_aid(self, node: dict) -> tuple[AidExpectation, ...]:
        """An example's ``expect`` written for its rule's aid type alone."""
        assert self.rule is not None  # an example's reader reads one rule's examples
        if self.rule.aid is None:
            key = {"risk": "risk_level: ...", "referral": "referrals: [...]"}
            self.problem(node, "expect", f"rule '{self.rule.id}' concludes a "
                         f"{self.rule.conclusion.kind}, not an aid type: its examples say "
                         "what they expect by name",
                         expected=f"'expect: {{{key[self.rule.conclusion.kind]}}}'",
                         at_value=True)
            return ()
        found = self.aid(node, "expect", node["expect"], aid=self.rule.aid)
        return () if found is None else (found,)

    def aid(self, expect: dict, key: str, value: Any,
            aid: str | None = None) -> AidExpectation | None:
        """The expectation for ``aid`` (default: ``key``), written at ``expect[key]``."""
        aid = aid or key
        if isinstance(value, str):
            status = self.status(expect, key, value)
            return None if status is None else AidExpectation(aid, status)
        if not isinstance(value, dict):
            self.problem(expect, key, f"'{key}' must be a status or a mapping with 'status'",
                         expected="eligible, ineligible, undetermined or {status: ...}",
                         at_value=True)
            return None
        for name in value:
            if name not in AID_KEYS:
                self.unknown(value, name, AID_KEYS, f"in the expectation for '{aid}'")
        if "status" not in value:
            self.problem(expect, key, f"the expectation for '{aid}' needs 'status'")
            return None
        status = self.status(value, "status", value["status"])
        fields = {name: self.amount(value, name) for name in ("amount", "amount_max")
                  if name in value}
        if "members" in value:
            fields["members"] = self.members(value)
        rules = self.rules(value, aid) if "rules" in value else {}
        if status is None or any(v is _BAD for v in fields.values()) or rules is None:
            return None
        return AidExpectation(aid, status, rules=rules, **fields)

    def status(self, node: dict, key: str, value: Any) -> str | None:
        if value in STATUSES:
            return value
        self.problem(node, key, f"unknown status {value!r}", expected=", ".join(STATUSES),
                     suggestion=did_you_mean(str(value), STATUSES), at_value=True)
        return None

    def amount(self, node: dict, key: str) -> Any:
        value = node[key]
        if value is None:
            return None
        if isinstance(value, float):
            value = repr(value)  # the float's shortest spelling, as written
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            try:
                amount = Decimal(str(value).strip())
                if amount.is_finite() and amount == amount.quantize(Decimal("0.01")):
                    return amount  # whole fen: an amount paid can be nothing finer
            except InvalidOperation:
                pass
        self.problem(node, key, f"{key}={value!r} is not an amount",
                     expected='yuan in whole fen as text, like "30.00", or null for none',
                     at_value=True)
        return _BAD

    def members(self, node: dict) -> Any:
        value = node["members"]
        if isinstance(value, list) and all(isinstance(m, int) and not isinstance(m, bool)
                                           and m >= 0 for m in value):
            return tuple(sorted(value))
        self.problem(node, "members", "'members' must be a list of member positions",
                     expected="0-based whole numbers, like [2]", at_value=True)
        return _BAD

    def rules(self, node: dict, aid: str) -> dict[str, str] | None:
        value, before = node["rules"], len(self.problems)
        if not isinstance(value, dict):
            self.problem(node, "rules", "'rules' must map rule ids to true, false or unknown",
                         at_value=True)
            return None
        known = {r.id: r for r in self.book.rules}
        found: dict[str, str] = {}
        for rule_id, result in value.items():
            rule = known.get(rule_id)
            if rule is None:
                self.problem(value, rule_id, f"unknown rule '{rule_id}'",
                             suggestion=did_you_mean(str(rule_id), known))
            elif rule.aid != aid:
                self.problem(value, rule_id, f"rule '{rule_id}' does not conclude '{aid}'",
                             expected="one of " + ", ".join(r.id for r in self.book.rules_for(aid)))
            text = ("true" if result else "false") if isinstance(result, bool) else result
            if text not in RULE_RESULTS:
                self.problem(value, rule_id, f"rule result {result!r} is not one of "
                             + ", ".join(RULE_RESULTS), at_value=True)
            else:
                found[str(rule_id)] = text
        return found if len(self.problems) == before else None

    def risk_level(self, expect: dict, value: Any) -> Any:
        levels = self.book.risk_levels
        if value is None or value in levels:
            return value
        self.problem(expect, "risk_level", f"unknown risk level {value!r}",
                     expected=", ".join(levels) + " or null",
                     suggestion=did_you_mean(str(value), levels), at_value=True)
        return UNCHECKED

    def referrals(self, expect: dict, value: Any) -> Any:
        brands = self.book.brands
        if not isinstance(value, list):
            self.problem(expect, "referrals", "'referrals' must be a list of brand ids",
                         expected=", ".join(brands), at_value=True)
            return UNCHECKED
        for index, brand in enumerate(value):
            if brand not in brands:
                self.problem(value, index, f"unknown brand {brand!r}",
                             expected=", ".join(brands),
                             suggestion=did_you_mean(str(brand), brands))
        return frozenset(value)


_BAD = object()
OVERLAY_EXPECTED = ("a directory named policies-... beside the case file, laid out as "
                    "policies/ is, e.g. 'overlay: policies-2023'")
PARAMETERS_EXPECTED = ("parameters: {dibao.standard.urban: {2025-01-01: {value: 750, "
                       "source: {document: ..., article: ...}}}}")


def is_overlay_name(directory: str) -> bool:
    """A directory beside case files that holds policies laid over the book, not cases."""
    return directory == "policies" or directory.startswith("policies-")


def overlay_directory(case_file: Path, name: str) -> Path | str:
    """The overlay directory ``name`` given in ``case_file``, or why it cannot be used: it
    must be a directory inside the case file's own directory."""
    home = case_file.parent.resolve()
    found = (case_file.parent / name).resolve()
    if not found.is_relative_to(home) or found == home:
        return f"overlay '{name}' is outside the case file's directory"
    if not is_overlay_name(found.relative_to(home).parts[0]):
        return (f"overlay '{name}' is not in a directory named policies or policies-... "
                "(other directories beside case files hold case files)")
    if not found.is_dir():
        return f"no overlay directory at {case_file.parent / name}"
    return case_file.parent / name


def _field_position(data: Any, path: str) -> tuple[int, int]:
    """Where the field named by an application path (``$.household.members[1].name``) is
    written, or the nearest enclosing field that is."""
    node, line_col = data, _yaml.position(data)
    for name, index in _PATH_STEP.findall(path):
        key = name if name else int(index)
        try:
            present = key in node if isinstance(node, dict) else 0 <= key < len(node)
        except TypeError:
            break
        if not present:
            break
        line_col = _yaml.position(node, key)
        node = node[key]
    return line_col
