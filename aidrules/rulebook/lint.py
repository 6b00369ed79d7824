"""Linting beyond loading (``aidrules check --strict``): what loads but is probably wrong.

- parameters no rule, derived fact or amount reads;
- rules that can never fire: two of their conditions contradict (one is the negation of
  the other, or two comparisons of one expression leave no value between them);
- dates on which a jurisdiction has no value of a parameter the book reads (before its
  first value, while other parameters already have one; or after an ``inherit`` that hands
  over to nothing). Overlaps cannot be written: a value runs until the next date of its file;
- two rules with identical conditions (same kind of conclusion, scope and tests).

Findings are warnings with ``file:line``; they do not stop the book from loading. A finding
that is known and accepted is listed, with its reason, in ``rules/lint-acknowledged.yaml``
(:func:`acknowledge`); an entry that no longer matches a finding is itself a finding."""

from __future__ import annotations

import operator
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from pathlib import Path

import attrs

from aidrules import _yaml
from aidrules.errors import PolicyLookupError
from aidrules.language import ast
from aidrules.language.printer import to_text
from aidrules.rulebook.analysis import negate
from aidrules.rulebook.book import Rule, RuleBook


@attrs.frozen(order=True)
class Finding:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: warning: {self.message}"


def lint(book: RuleBook) -> list[Finding]:
    return sorted([*unused_parameters(book), *never_fire(book), *date_gaps(book),
                   *identical_rules(book)])


# ---- parameters never used ------------------------------------------------------------

def parameters_read(book: RuleBook) -> set[str]:
    read = {n for f in book.facts for n in f.reads}
    for rule in book.rules:
        read |= {n for c in rule.criteria for n in c.reads}
        for expr in (rule.amount, rule.amount_max):
            if expr is not None:
                read |= {n.dotted for n in ast.walk(expr) if isinstance(n, ast.Name)}
    return {n for n in read if "." in n}


# Parameters the case ledger's procedure reads (aidrules/casework/procedure.py), not the rules;
# tests/ledger/test_deadlines.py holds the two lists equal.
PROCEDURE_PARAMETERS = frozenset({
    "deadline.investigation_start_wd", "deadline.total_wd", "deadline.total_extended_wd",
    "deadline.refusal_notice_wd", "public_notice.days", "procedure.min_investigators",
    "review.interval_months.stable", "review.interval_months.unstable",
    "grace_period.max_months", "rigid.validity_months", "review.unstable_work_abilities",
})

# Parameters the case model reads (aidrules/casework/: the working-day calendar, appeals,
# overpayment recovery), not the rules; tests/ledger/test_law_parameters.py holds them equal.
CASEWORK_PARAMETERS = frozenset({
    "calendar.holidays", "calendar.workdays", "calendar.local_holidays",
    "appeal.reconsideration_decision_days", "appeal.reconsideration_extension_days",
    "appeal.lawsuit_after_reconsideration_days", "payments.recovery_instalments",
})


# Parameters the documents read (aidrules/notices/render.py: ISSUER_PARAMETERS and
# ISSUER_NUMBERS, each in Chinese and English); tests/notices/test_wording.py holds them equal.
NOTICE_PARAMETERS = frozenset(
    {f"notice.{n}{suffix}" for n in ("authority", "address", "reconsideration", "court",
                                     "legal_basis") for suffix in ("", "_en")}
    | {"notice.reconsideration_days", "notice.lawsuit_months", "notice.first_payment_months"})

# Parameters the warning rules read (warnings/*.yaml, the monitoring's thresholds);
# tests/monitoring/test_warning_rules.py holds this set equal to what they read.
WARNING_PARAMETERS = frozenset({"warning.medical_bill_min", "warning.property_value_min",
                                "warning.review_days_ahead", "warning.grace_days_ahead"})


def unused_parameters(book: RuleBook) -> Iterator[Finding]:
    read = (parameters_read(book) | PROCEDURE_PARAMETERS | NOTICE_PARAMETERS
            | WARNING_PARAMETERS | CASEWORK_PARAMETERS)
    for name, parameter in book.policies.parameters().items():
        if name not in read:
            yield Finding(parameter.file, parameter.line,
                          f"parameter '{name}' is read by no rule, derived fact or amount")


# ---- rules that can never fire --------------------------------------------------------

_HOLDS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
          "==": operator.eq, "!=": operator.ne}


def never_fire(book: RuleBook) -> Iterator[Finding]:
    for rule in book.rules:
        tests = [t for c in rule.criteria for t in _conjuncts(c.test)]
        for i, first in enumerate(tests):
            clash = next((second for second in tests[i + 1:] if contradict(first, second)), None)
            if clash is not None:
                yield Finding(rule.at.file, rule.at.line,
                              f"rule '{rule.id}' can never fire: its conditions "
                              f"'{_text(first)}' and '{_text(clash)}' cannot both hold")
                break


def _conjuncts(expr: ast.Expr) -> list[ast.Expr]:
    if isinstance(expr, ast.Logic) and expr.op == "and":
        return [t for operand in expr.operands for t in _conjuncts(operand)]
    return [expr]


def contradict(x: ast.Expr, y: ast.Expr) -> bool:
    """True when ``x`` and ``y`` cannot both hold, as far as their form shows."""
    if negate(x) == y or negate(y) == x:
        return True
    if not (isinstance(x, ast.Compare) and isinstance(y, ast.Compare)) or x.left != y.left:
        return False
    if x.right == y.right:  # one expression against one threshold: compare the operators
        return not any(_HOLDS[x.op](v, 0) and _HOLDS[y.op](v, 0) for v in (-1, 0, 1))
    a, b = _number(x.right), _number(y.right)
    if a is None or b is None:
        return False
    return not any(_HOLDS[x.op](v, a) and _HOLDS[y.op](v, b) for v in _probes(a, b))


def _number(expr: ast.Expr) -> Fraction | None:
    if isinstance(expr, ast.Number):
        return Fraction(expr.value)
    if isinstance(expr, ast.Neg) and isinstance(expr.operand, ast.Number):
        return -Fraction(expr.operand.value)
    return None


def _probes(a: Fraction, b: Fraction) -> list[Fraction]:
    """Values that stand for every region of the line cut at ``a`` and ``b``."""
    low, high = min(a, b), max(a, b)
    return [low - 1, low, (low + high) / 2, high, high + 1]


def _text(expr: ast.Expr) -> str:
    return to_text(expr)


# ---- dates without a value ------------------------------------------------------------

def date_gaps(book: RuleBook) -> Iterator[Finding]:
    tree = book.policies
    names = sorted(parameters_read(book) & set(tree.parameters()))
    leaves = [j for j in tree.jurisdictions() if not any(
        other.parent == j for other in tree.jurisdictions().values())]
    for jurisdiction in sorted(leaves):
        firsts = {name: _first(tree, name, jurisdiction) for name in names}
        for name in names:
            yield from _gaps(tree, name, jurisdiction, firsts[name])
        known = {n: d for n, d in firsts.items() if d is not None}
        if known and min(known.values()) != max(known.values()):
            last = max(known, key=lambda n: (known[n], n))
            parameter = tree.parameters()[last]
            yield Finding(parameter.file, parameter.line,
                          f"{jurisdiction} has every parameter the book reads only from "
                          f"{known[last]} (the last to start is '{last}'); earlier cases "
                          "cannot be fully assessed")


def _first(tree, name: str, jurisdiction: str) -> date | None:
    return next((d for d in tree.dates(name) if _has(tree, name, jurisdiction, d)), None)


def _has(tree, name: str, jurisdiction: str, on: date) -> bool:
    try:
        tree.value(name, jurisdiction, on)
        return True
    except PolicyLookupError:
        return False


def _gaps(tree, name, jurisdiction, first) -> Iterator[Finding]:
    parameter = tree.parameters()[name]
    if first is None:
        yield Finding(parameter.file, parameter.line,
                      f"parameter '{name}' has no value in {jurisdiction} on any date")
        return
    for day in tree.dates(name):
        if day > first and not _has(tree, name, jurisdiction, day):
            yield Finding(parameter.file, parameter.line,
                          f"parameter '{name}' has no value in {jurisdiction} from {day}")


# ---- identical rules ------------------------------------------------------------------

def identical_rules(book: RuleBook) -> Iterator[Finding]:
    seen: dict[tuple, Rule] = {}
    for rule in book.rules:
        key = (rule.conclusion.kind, rule.scope, frozenset(c.test for c in rule.criteria))
        first = seen.setdefault(key, rule)
        if first is not rule and rule.criteria:
            yield Finding(rule.at.file, rule.at.line,
                          f"rules '{first.id}' ({first.at}) and '{rule.id}' have identical "
                          "conditions")


# ---- findings acknowledged, each with its reason -------------------------------------

ACKNOWLEDGED_FILE = "lint-acknowledged.yaml"  # at the top of the rules directory


@attrs.frozen
class Acknowledged:
    finding: Finding
    reason: str

    def __str__(self) -> str:
        return f"{self.finding.file}:{self.finding.line}: acknowledged: {self.finding.message}" \
               f" ({self.reason})"


def acknowledge(findings: list[Finding], path: Path | str
                ) -> tuple[list[Finding], list[Acknowledged]]:
    """The findings ``path`` does not acknowledge, and those it does with their reasons.

    Entries are ``{finding: <message without file:line>, reason: <text>}`` (or ``findings:``
    and a list of messages sharing one reason) under ``acknowledged:``. A malformed entry,
    or one that matches no finding, is a finding of its own, so the file can neither hide
    a new problem nor outlive the one it excused."""
    path = Path(path)
    if not path.is_file():
        return findings, []
    entries, defects = _entries(path)
    reasons = {message: reason for message, reason, _ in entries}
    kept = [f for f in findings if f.message not in reasons]
    done = [Acknowledged(f, reasons[f.message]) for f in findings if f.message in reasons]
    found = {f.message for f in findings}
    stale = [Finding(str(path), line, f"acknowledged finding no longer occurs: '{message}'; "
                     "remove the entry") for message, _, line in entries if message not in found]
    return sorted([*kept, *defects, *stale]), done


def _entries(path: Path) -> tuple[list[tuple[str, str, int]], list[Finding]]:
    doc, problems = _yaml.load(path)
    if problems:
        return [], [Finding(p.file, p.line, p.message) for p in problems]
    items = doc.get("acknowledged") if _yaml.is_mapping(doc) else None
    if not _yaml.is_sequence(items):
        return [], [Finding(str(path), 1, "expected 'acknowledged:' and a list of entries")]
    entries, defects = [], []
    for i, item in enumerate(items):
        line = _yaml.position(items, i)[0]
        item = item if _yaml.is_mapping(item) else {}
        messages = item.get("findings", [item.get("finding")])
        reason = item.get("reason")
        if not (_yaml.is_sequence(messages) and messages
                and all(isinstance(m, str) for m in messages)
                and isinstance(reason, str) and reason.strip()):
            defects.append(Finding(str(path), line, "an acknowledged finding needs 'finding:' "
                                   "(the warning's text, or 'findings:' and a list of them) "
                                   "and 'reason:' (why it is accepted)"))
            continue
        entries += [(m.strip(), " ".join(reason.split()), line) for m in messages]
    return entries, defects
