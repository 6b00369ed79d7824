"""Generated cases at the thresholds: one unit below, at, and one unit above each numeric
comparison of the rule book (one fen for money, one for counts).

From a base application, one *knob* at a time (the head's first income, the financial
assets, the first expenditure, the business registrations, the housing units) is moved
so that the compared fact lands exactly on the threshold ± one unit; the fact is
recomputed to prove it did. What each point must give follows from the comparison itself
(at the line, ``<`` is false and ``<=`` true), not from running the engine: :func:`check`
then asks the engine.

Where one fen either side cannot be reached exactly (a yearly line on a three-person
household's income per member moves in steps of 0.04), the nearest reachable value either
side is used. A comparison no knob moves linearly and exactly onto the line is skipped;
:func:`generate` reports each skip with its reason."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

import attrs

from aidrules.engine import Assessor
from aidrules.errors import ApplicationError
from aidrules.language import ast
from aidrules.language.evaluator import UNKNOWN, evaluate
from aidrules.model import Application, application_from_dict, application_to_dict
from aidrules.rulebook.book import Criterion, Rule
from aidrules.rulebook.facts import facts_for

_OPS: dict[str, Callable[[Any, Any], bool]] = {"<": operator.lt, "<=": operator.le,
                                                 ">": operator.gt, ">=": operator.ge}
FEN = Fraction(1, 100)


@attrs.frozen
class Knob:
    name: str
    unit: Fraction  # the smallest step of the field: one fen, or one
    get: Callable[[dict], Fraction]
    set: Callable[[dict, Fraction], None]


@attrs.frozen
class Boundary:
    """One generated case: a comparison's fact put at ``threshold + offset``."""

    rule: str
    criterion: str
    knob: str
    point: str  # below | at | above
    application: Application
    fact: Fraction  # the compared fact, recomputed on the generated application
    threshold: Fraction
    expected: str  # true | false: what the comparison means at this point

    @property
    def title(self) -> str:
        return f"{self.rule}: {self.criterion} — {self.point} ({self.knob})"


def _head_income(data: dict) -> dict:
    head = data["household"]["members"][0]
    incomes = head.setdefault("incomes", [])
    if not incomes:
        incomes.append({"kind": "wage", "amount": "0.00", "period": "monthly"})
    return incomes[0]


def _first_expenditure(data: dict) -> dict:
    spent = data["household"].setdefault("expenditures", [])
    if not spent:
        spent.append({"kind": "medical", "amount": "0.00"})
    return spent[0]


def _assets(data: dict) -> dict:
    return data["household"].setdefault("assets", {})


def _fen(value: Fraction) -> str:
    cents = value * 100
    if cents.denominator != 1:
        raise ValueError(f"{value} is not a whole number of fen")
    sign, whole = ("-" if cents < 0 else ""), abs(cents.numerator)
    return f"{sign}{whole // 100}.{whole % 100:02d}"


KNOBS = (
    Knob("head's first monthly income", FEN,
         lambda d: Fraction(_head_income(d)["amount"]),
         lambda d, v: _head_income(d).__setitem__("amount", _fen(v))),
    Knob("financial assets", FEN,
         lambda d: Fraction(_assets(d).get("financial_assets", "0")),
         lambda d, v: _assets(d).__setitem__("financial_assets", _fen(v))),
    Knob("first expenditure", FEN,
         lambda d: Fraction(_first_expenditure(d)["amount"]),
         lambda d, v: _first_expenditure(d).__setitem__("amount", _fen(v))),
    Knob("business registrations", Fraction(1),
         lambda d: Fraction(_assets(d).get("business_registrations", 0)),
         lambda d, v: _assets(d).__setitem__("business_registrations", int(v))),
    Knob("housing units", Fraction(1),
         lambda d: Fraction(_assets(d).get("housing_units", 0)),
         lambda d, v: _assets(d).__setitem__("housing_units", int(v))),
)


def thresholds(assessor: Assessor) -> Iterator[tuple[Rule, Criterion]]:
    """Every numeric comparison (<, <=, >, >=) in the rule book's rules that reads no
    aid status."""
    for rule in assessor.book.rules:
        for criterion in rule.criteria:
            if isinstance(criterion.test, ast.Compare) and criterion.test.op in _OPS \
                    and not criterion.aids:
                yield rule, criterion


def generate(assessor: Assessor, base: Application) -> tuple[list[Boundary], list[str]]:
    """The boundary cases of every threshold reachable from ``base``, and why others were
    skipped."""
    found, skipped = [], []
    for rule, criterion in thresholds(assessor):
        points, reason = _points(assessor, base, rule, criterion)
        found += points
        if reason:
            skipped.append(f"{rule.id}: {criterion.text}: {reason}")
    return found, skipped


def _points(assessor, base, rule, criterion) -> tuple[list[Boundary], str | None]:
    data = application_to_dict(base)
    for knob in KNOBS:
        sides = _sides(assessor, _with(data, knob, None), rule, criterion)
        moved = _sides(assessor, _with(data, knob, knob.get(_copy(data)) + knob.unit * 100),
                       rule, criterion)
        if sides is None or moved is None:
            continue
        (left, right), (left2, right2) = sides, moved
        if right != right2 or left == left2:
            continue  # this knob does not move the fact alone
        slope = (left2 - left) / (knob.unit * 100)
        start = knob.get(_copy(data))
        made = [_point(assessor, data, knob, start, slope, left, right, offset, rule, criterion)
                for offset in (-1, 0, 1)]
        nearest = abs(slope) * knob.unit  # how far the fact moves for one step of the knob
        made = [m or _point(assessor, data, knob, start, slope, left, right, offset, rule,
                            criterion, nearest) if offset else m
                for m, offset in zip(made, (-1, 0, 1), strict=True)]
        if made[1] is not None:  # the line itself is reached; a side may not be (below 0)
            missing = [p for p, m in zip(("below", "at", "above"), made, strict=True) if not m]
            return [m for m in made if m], (f"no case {' or '.join(missing)} the line (it "
                                            "would need a negative value or part of a fen)"
                                            if missing else None)
    return [], "no knob moves it exactly onto the line"


def _point(assessor, data, knob, start, slope, left, right, offset, rule, criterion,
           step: Fraction | None = None):
    """The case with the fact at ``right + offset × step``; ``step`` is one fen (or one,
    for a count) unless given: the nearest the knob can reach when one fen is not."""
    step = step or (FEN if knob.unit == FEN or slope.denominator != 1 else knob.unit)
    target = right + offset * step
    value = start + (target - left) / slope
    if value < 0 or (value / knob.unit).denominator != 1:
        return None
    changed = _with(data, knob, value)
    sides = _sides(assessor, changed, rule, criterion)
    if sides is None or sides != (target, right):
        return None
    try:
        application = application_from_dict(changed)
    except ApplicationError:
        return None
    expected = "true" if _OPS[criterion.test.op](target, right) else "false"
    point = {-1: "below", 0: "at", 1: "above"}[offset]
    return Boundary(rule.id, criterion.text, knob.name, point, application, target, right,
                    expected)


def _copy(data: dict) -> dict:
    return application_to_dict(application_from_dict(data))


def _with(data: dict, knob: Knob, value: Fraction | None) -> dict:
    changed = _copy(data)
    knob.set(changed, knob.get(changed) if value is None else value)
    return changed


def _sides(assessor: Assessor, data: dict, rule: Rule, criterion: Criterion):
    """(fact side, threshold side) of the comparison on this application, or None."""
    try:
        application = application_from_dict(data)
    except (ApplicationError, ValueError):
        return None
    snapshot = assessor.book.policies.at(application.jurisdiction, application.applied_on)
    facts = facts_for(application, assessor.book, lambda name: snapshot[name].value)
    env = facts.household if rule.scope == "household" else facts.members[0]
    test = criterion.test
    if not isinstance(test, ast.Compare):
        return None
    values = [evaluate(side, env, lambda name: snapshot[name].value)
              for side in (test.left, test.right)]
    if any(v is UNKNOWN or not isinstance(v, Fraction) for v in values):
        return None
    return tuple(values)


def check(assessor: Assessor, boundary: Boundary) -> str:
    """The comparison's result in the engine's assessment of the boundary case."""
    assessment = assessor.assess(boundary.application)
    for result in assessment.results:
        for trace in result.rules:
            if trace.rule == boundary.rule and trace.member in (None, 0):
                for criterion in trace.criteria:
                    if criterion.text == boundary.criterion:
                        return criterion.result
    return "missing"
