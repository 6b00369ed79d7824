"""Replaying cases: assess each at its own date and jurisdiction, compare with what was decided.

One :class:`Assessor` per rule book serves every case (compiled rulesets are cached per
policy version). A difference names what differs (status, amount, members, a key
reason, the risk level, the referrals), expected against actual, and carries the reasons:
the aid type's rules with the criteria that decided them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from aidrules.cases.case import UNCHECKED, AidExpectation, Case
from aidrules.cases.reading import is_overlay_name
from aidrules.engine import AidResult, Assessment, Assessor, RuleTrace
from aidrules.engine.results import money_text
from aidrules.errors import AidrulesError, Problem, RuleBookError
from aidrules.policy import InlineValues, Overlay
from aidrules.render.words import TRUTH
from aidrules.rulebook import Rule, RuleBook, load_rulebook

VERDICTS = ("agreed", "differed", "undetermined")


@attrs.frozen
class Difference:
    """One thing that came out other than expected."""

    aid: str | None  # None for the risk level and the referrals
    what: str  # status | amount | amount_max | members | rule <id> | risk_level | referrals
    expected: Any
    actual: Any

    def __str__(self) -> str:
        head = f"{self.aid}: " if self.aid else ""
        return f"{head}{self.what} expected {_show(self.expected)}, got {_show(self.actual)}"


@attrs.frozen
class Outcome:
    """A replayed case: its assessment (None if it could not be assessed) and differences."""

    case: Case
    assessment: Assessment | None
    differences: tuple[Difference, ...] = ()
    error: str | None = None

    @property
    def agreed(self) -> bool:
        return self.error is None and not self.differences

    def verdicts(self) -> dict[str, str]:
        """Per expected aid type: agreed, differed, or undetermined (the engine could not
        decide where the case was decided)."""
        found = {}
        for expected in self.case.aids:
            if self.assessment is None:
                found[expected.aid] = "differed"
                continue
            actual = self.assessment.result(expected.aid)
            if not any(d.aid == expected.aid for d in self.differences):
                found[expected.aid] = "agreed"
            elif actual.status == "undetermined" != expected.status:
                found[expected.aid] = "undetermined"
            else:
                found[expected.aid] = "differed"
        return found

    def report(self) -> str:
        """The readable difference: the case, then each difference with its reasons."""
        lines = [f"{self.case.where}: {self.case.heading}",
                 f"  assessed on {self.case.on} in {self.case.jurisdiction}"]
        if self.error:
            lines.append(f"  could not be assessed: {self.error}")
            return "\n".join(lines)
        explained: set[str] = set()
        for difference in self.differences:
            lines.append(f"  {difference}")
            if difference.aid and difference.aid not in explained and self.assessment:
                explained.add(difference.aid)
                lines += ["    " + line for line in reasons(self.assessment.result(difference.aid))]
        if self.differences and self.assessment is not None:
            lines.append(f"  rule book {self.assessment.rulebook['version']} "
                         f"({self.assessment.rulebook['digest'][:12]}), "
                         f"policies {self.assessment.policy_version}")
        return "\n".join(lines)


def run_case(assessor: Assessor, case: Case) -> Outcome:
    """Assess ``case`` at its date and jurisdiction and compare with its expectation."""
    try:
        assessment = assessor.assess(case.application, on=case.on,
                                     jurisdiction=case.jurisdiction)
    except AidrulesError as exc:
        return Outcome(case, None, error=str(exc))
    return Outcome(case, assessment, tuple(compare(case, assessment)))


def compare(case: Case, assessment: Assessment) -> list[Difference]:
    found = []
    for expected in case.aids:
        found += _compare_aid(expected, assessment.result(expected.aid))
    if case.risk_level is not UNCHECKED and case.risk_level != assessment.risk_level:
        found.append(Difference(None, "risk_level", case.risk_level, assessment.risk_level))
    if case.referrals is not UNCHECKED:
        actual = frozenset(r.brand for r in assessment.referrals)
        if actual != case.referrals:
            found.append(Difference(None, "referrals", sorted(case.referrals), sorted(actual)))
    return found


def _compare_aid(expected: AidExpectation, actual: AidResult) -> list[Difference]:
    aid, found = expected.aid, []
    if expected.status != actual.status:
        found.append(Difference(aid, "status", expected.status, actual.status))
    for name in ("amount", "amount_max", "members"):
        want = getattr(expected, name)
        if want is not UNCHECKED and want != getattr(actual, name) and not (
                name == "members" and tuple(want) == tuple(sorted(actual.members))):
            found.append(Difference(aid, name, want, getattr(actual, name)))
    for rule_id, want in expected.rules.items():
        got = rule_result(actual.rules, rule_id)
        if got != want:
            found.append(Difference(aid, f"rule {rule_id}", want, got))
    return found


def rule_result(traces: Iterable[RuleTrace], rule_id: str) -> str:
    """A rule's result for the household: true if it held (for any member), else unknown if
    it could not be decided (for any member), else false."""
    results = {t.result for t in traces if t.rule == rule_id}
    return next((r for r in ("true", "unknown") if r in results), "false")


# ---- reasons --------------------------------------------------------------------------

def reasons(result: AidResult) -> list[str]:
    """Why ``result`` came out as it did: each rule with the criteria that decided it."""
    lines = []
    if result.missing:
        lines.append("missing: " + ", ".join(result.missing))
    by_rule: dict[str, list[RuleTrace]] = {}
    for trace in result.rules:
        by_rule.setdefault(trace.rule, []).append(trace)
    for rule_id, traces in by_rule.items():
        lines += _rule_reasons(rule_id, traces)
    return lines


def _rule_reasons(rule_id: str, traces: list[RuleTrace]) -> list[str]:
    if len(traces) > 1 and all(t.result == "false" for t in traces):
        members = ", ".join(str(t.member) for t in traces)
        return [f"rule {rule_id}: false for every member ({members}) — {traces[0].title_en}"]
    lines = []
    for trace in traces:
        who = "" if trace.member is None else f" (member {trace.member})"
        lines.append(f"rule {rule_id}{who}: {trace.result} — {trace.title_en}")
        for criterion in trace.criteria:
            if trace.result == "true" or criterion.result != "true":
                lines.append("  " + criterion_line(criterion))
    return lines


def criterion_line(criterion) -> str:
    line = f"{TRUTH[criterion.result][0]} {criterion.text}"
    if criterion.left is not None and criterion.right is not None:
        line += f": {_show(criterion.left)} vs {_show(criterion.right)}"
        if criterion.margin is not None:
            line += f" (margin {_show(criterion.margin)})"
    if criterion.missing:
        line += f"; missing {', '.join(criterion.missing)}"
    title = criterion.title_en or criterion.title
    return line + (f" — {title}" if title else "")


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, Fraction):
        return money_text(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, (Decimal, bool, int, str)):
        return str(value).lower() if isinstance(value, bool) else str(value)
    return str(value)


# ---- many cases -----------------------------------------------------------------------

@attrs.define
class Tally:
    """Agreement per aid type, over many replayed cases."""

    counts: dict[str, Counter] = attrs.Factory(dict)
    cases: int = 0
    failed: int = 0
    errors: int = 0

    def add(self, outcome: Outcome) -> None:
        self.cases += 1
        self.failed += not outcome.agreed
        self.errors += outcome.error is not None
        for aid, verdict in outcome.verdicts().items():
            self.counts.setdefault(aid, Counter())[verdict] += 1

    def rows(self) -> list[tuple[str, int, int, int]]:
        return [(aid, c["agreed"], c["differed"], c["undetermined"])
                for aid, c in sorted(self.counts.items())]


class Books:
    """Rule books loaded once per (rules, policies, overlays), each with its Assessor."""

    def __init__(self) -> None:
        self._assessors: dict[tuple, Assessor] = {}
        self._failures: dict[tuple, RuleBookError] = {}
        self._keys: dict[int, tuple] = {}  # id(assessor) -> what it was loaded from

    def assessor(self, rules: Path | str, policies: Path | str,
                 overlays: Iterable[Overlay] = ()) -> Assessor:
        """The assessor of the book in ``rules`` and ``policies`` with ``overlays`` laid
        over the policies, or the RuleBookError it raised (once loaded or failed, never
        read again)."""
        key = (Path(rules).resolve(), Path(policies).resolve(),
               tuple(o if isinstance(o, InlineValues) else Path(o).resolve() for o in overlays))
        if key in self._failures:
            raise self._failures[key]
        if key not in self._assessors:
            try:
                self._assessors[key] = Assessor(load_rulebook(*key))
            except RuleBookError as exc:
                self._failures[key] = exc
                raise
            self._keys[id(self._assessors[key])] = key
        return self._assessors[key]

    def book(self, rules: Path | str, policies: Path | str) -> RuleBook:
        return self.assessor(rules, policies).book

    def for_case(self, assessor: Assessor, case: Case) -> Assessor:
        """``assessor``, or for a case with its own overlays the same book with them laid
        over its policies (``assessor`` must come from this Books)."""
        return self.laid_over(assessor, case.overlays)

    def laid_over(self, assessor: Assessor, overlays: Iterable[Overlay]) -> Assessor:
        """The book of ``assessor`` (loaded by this Books) with ``overlays`` laid over its
        policies after its own; raises RuleBookError if that does not load."""
        overlays = tuple(overlays)
        if not overlays:
            return assessor
        if id(assessor) not in self._keys:
            raise ValueError("assessor= was not loaded by this Books: its directories are "
                             "unknown, so overlays cannot be laid over them; use "
                             "Books.assessor(rules, policies)")
        rules, policies, before = self._keys[id(assessor)]
        return self.assessor(rules, policies, (*before, *overlays))

    def run(self, assessor: Assessor, case: Case) -> Outcome:
        """The case replayed with its own overlays, if any; a book they break is the
        outcome's error, listing every problem."""
        try:
            return run_case(self.for_case(assessor, case), case)
        except RuleBookError as exc:
            return Outcome(case, None, error="the policies with the case's own values do not "
                           "load:\n" + "\n".join(f"    {p}" for p in exc.problems))


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """Case files: each path that is a file, and every ``*.yaml`` / ``*.yml`` below a
    directory named ``cases`` under each directory given."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(f for f in path.rglob("*") if f.suffix in (".yaml", ".yml")
                            and f.is_file() and in_cases_dir(f, path))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def rule_files(book: RuleBook, paths: Iterable[Path | str]) -> list[Path]:
    """The files of ``book`` holding rules with inline examples, at or below ``paths``,
    each spelled from the path given (``rules`` → ``rules/dibao/eligibility.yaml``)."""
    files = sorted({Path(r.at.file).resolve() for r in book.rules if r.examples})
    found: list[Path] = []
    for path in map(Path, paths):
        base = path.resolve()
        found += [path / file.relative_to(base) if file != base else path
                  for file in files if file == base or file.is_relative_to(base)]
    return list(dict.fromkeys(found))


def rules_in(book: RuleBook, file: Path | str) -> list[Rule]:
    """The rules written in ``file`` that have inline examples, in the book's order."""
    file = Path(file).resolve()
    return [r for r in book.rules if r.examples and Path(r.at.file).resolve() == file]


def in_cases_dir(file: Path, below: Path) -> bool:
    """True when a directory named ``cases`` holds ``file``, at or under ``below``, and no
    overlay directory (``policies``, ``policies-...``) beside the cases does."""
    try:
        parts = file.resolve().relative_to(below.resolve()).parts[:-1]
    except ValueError:
        return False
    within = [*below.resolve().parts[-1:], *parts]
    if "cases" not in within:
        return False
    after = within[len(within) - within[::-1].index("cases"):]
    return not any(is_overlay_name(part) for part in after)


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(str(p) for p in problems)
