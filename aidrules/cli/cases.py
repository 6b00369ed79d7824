"""The ``replay``, ``impact`` and ``boundaries`` commands (registered by :mod:`aidrules.cli`).

Thin: parse the options, call :mod:`aidrules.cases`, print. Exit 1 when a case differs,
a file does not load, or the rule book does not load; 2 for usage errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from aidrules import compose
from aidrules.cli.console import day, fail, out, reported, say
from aidrules.errors import AidrulesError, Problem

if TYPE_CHECKING:  # the engine is imported when a command runs, not when the CLI starts
    from aidrules.cases.case import Case
    from aidrules.cases.impact import Impact, Subject
    from aidrules.cases.replay import Books, Outcome, Tally
    from aidrules.engine import Assessor


CasesArgument = Annotated[list[Path], typer.Argument(
    help="Case files, or directories searched for cases/ directories.")]
RulesOption = Annotated[Path | None, typer.Option("--rules", help="The rules directory; default: "
                       "as for assess.")]
PoliciesOption = Annotated[Path | None, typer.Option("--policies", help="The policies directory; "
                          "default: as for assess.")]
ReportOption = Annotated[Path | None, typer.Option(
    "--report", help="Also write a JSON report to this file.")]
OverlayOption = Annotated[list[Path] | None, typer.Option(
    "--overlay", help="A directory of policy files laid over --policies: files at the same "
    "path replace, new ones are added (repeatable; later ones win).")]


# ---- replay ---------------------------------------------------------------------------

def replay(
    cases: CasesArgument,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
    overlay: OverlayOption = None,
    report: ReportOption = None,
) -> None:
    """Replay cases against the rule book, each at its own date (and with its own policy
    values, if it gives any); exit 1 on any difference."""
    from aidrules.cases.replay import Tally
    rules, policies = compose.book_folders(rules, policies)
    books = compose.books()
    assessor = _assessor(books, rules, policies, overlay or [])
    loaded, problems = _load(assessor, cases, rules)
    tally, outcomes = Tally(), []
    for case in loaded:
        outcome = books.run(assessor, case)
        tally.add(outcome)
        outcomes.append(outcome)
    _print_tally(tally)
    for problem in problems:
        say(str(problem))
    failed = [o for o in outcomes if not o.agreed]
    if failed:
        say("")
        say(f"Differences ({len(failed)} case(s)):")
        for outcome in failed:
            say(outcome.report())
    say(f"{tally.cases} case(s): {tally.cases - tally.failed} agreed, "
         f"{tally.failed - tally.errors} with differences, {tally.errors} not assessed"
         + (f"; {len(problems)} problem(s) in case files" if problems else "") + ".")
    if report:
        _write(report, _replay_document(assessor, outcomes, tally, problems))
    if failed or problems:
        raise typer.Exit(1)


def _print_tally(tally: Tally) -> None:
    table = Table(title="Agreement per aid type")
    for column in ("aid type", "agreed", "differed", "undetermined"):
        table.add_column(column, justify="left" if column == "aid type" else "right")
    for aid, *counts in tally.rows():
        table.add_row(aid, *map(str, counts))
    out.print(table)


def _replay_document(assessor: Assessor, outcomes: list[Outcome], tally: Tally,
                     problems: list[Problem]) -> dict[str, Any]:
    book = assessor.book
    return {
        "schema": "aidrules.replay/1",
        "rulebook": {"name": book.name, "version": book.version, "digest": book.digest},
        "agreement": {aid: dict(zip(("agreed", "differed", "undetermined"), counts,
                                    strict=True)) for aid, *counts in tally.rows()},
        "cases": [{"file": o.case.file, "line": o.case.line, "rule": o.case.rule,
                   "title": o.case.title, "on": o.case.on.isoformat(),
                   "jurisdiction": o.case.jurisdiction,
                   "overlays": [_overlay_name(v) for v in o.case.overlays],
                   "agreed": o.agreed, "error": o.error, "verdicts": o.verdicts(),
                   "differences": [{"aid": d.aid, "what": d.what, "expected": _plain(d.expected),
                                    "actual": _plain(d.actual)} for d in o.differences]}
                  for o in outcomes],
        "problems": [str(p) for p in problems],
    }


# ---- impact ---------------------------------------------------------------------------

def impact(
    base: Annotated[str, typer.Option(
        "--base", help="The base: a directory holding rules/ and policies/, or a git "
                       "revision (its rules and policies are extracted, never run).")],
    cases: Annotated[list[Path] | None, typer.Option(
        "--cases", help="Case files or directories (repeatable; more may follow as "
                        "arguments).")] = None,
    ledger: Annotated[str | None, typer.Option(
        "--ledger", help="Also every household enrolled in this case ledger (SQLite file or "
                         "database URL) on --on (default today), with its latest facts.")
    ] = None,
    more: Annotated[list[Path] | None, typer.Argument(
        help="More case files or directories.", show_default=False)] = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
    overlay: Annotated[list[Path] | None, typer.Option(
        "--overlay", help="Policy files laid over --policies for the current side (a "
                          "proposal written as only the files it changes; repeatable).")] = None,
    on: Annotated[str | None, typer.Option(
        "--on", help="Assess every household as of this date (YYYY-MM-DD), for a proposal "
                     "that takes effect then; default: each case's own date.")] = None,
    report: ReportOption = None,
    fail_on_change: Annotated[bool, typer.Option(
        "--fail-on-change", help="Exit 1 when any household changes (a gate that needs the "
                                 "change approved).")] = False,
    register: Annotated[Path | None, typer.Option(
        "--register", help="A whole register (county directory or application files), "
                           "screened under both books; needs --on (docs/screening.md).")] = None,
    chart: Annotated[Path | None, typer.Option(
        "--chart", help="With --register: an SVG chart of the monthly changes.")] = None,
) -> None:
    """Compare the current rules and policies with a base, household by household."""
    from aidrules.cases.impact import (
        BaseError,
        base_directories,
        measure,
        scratch_directory,
        subjects_from_cases,
    )
    paths = [*(cases or []), *(more or [])]
    rules, policies = compose.book_folders(rules, policies)
    if register is not None:
        from aidrules.cli.impact_register import register_command  # late: loads duckdb
        return register_command(base, register, rules, policies, overlay or [], on, report,
                                chart, fail_on_change)
    if not paths and ledger is None:
        raise typer.BadParameter("give case files or directories, or --ledger",
                                 param_hint="--cases")
    books = compose.books()
    with scratch_directory() as scratch:
        try:
            base_rules, base_policies = base_directories(base, rules, policies, Path(scratch))
        except BaseError as exc:
            fail(str(exc))
        current = _assessor(books, rules, policies, overlay or [])
        before = _assessor(books, base_rules, base_policies)
        loaded, problems = _load(current, paths, rules) if paths else ([], [])
        for problem in problems:
            say(str(problem))
        subjects = subjects_from_cases(loaded, day(on))
        if ledger is not None:
            subjects += _enrolled(ledger, day(on) or date.today())
        found = measure(before, current, subjects, books)
    _print_impact(found, base)
    if report:
        _write(report, _impact_document(found, base))
    if problems or found.errors or (fail_on_change and found.changes):
        raise typer.Exit(1)


def _enrolled(ledger: str, on: date) -> list[Subject]:
    from aidrules.cases.impact import subjects_from_ledger
    try:
        return subjects_from_ledger(ledger, on)
    except AidrulesError as exc:
        fail(str(exc))


def _print_impact(found: Impact, base: str) -> None:
    table = Table(title=f"Impact against {base}: {found.households} household(s), "
                        f"{found.households_changed()} changed")
    for column in ("aid type", "gained", "lost", "amount changed", "other status",
                   "cost difference"):
        table.add_column(column, justify="left" if column == "aid type" else "right")
    for aid, row in found.counts().items():
        cost = found.cost.get(aid)
        shown = "" if cost is None else f"{cost:+}" + (" once" if aid in found.one_off
                                                         else "/month")
        table.add_row(aid, str(row["gained"]), str(row["lost"]), str(row["amount"]),
                      str(row["status"]), shown)
    out.print(table)
    say(f"Total monthly cost difference: {found.monthly_cost:+} yuan"
         + (f"; one-off payments: {found.one_off_cost:+} yuan (lower end of each range)"
            if found.one_off_cost else ""))
    if found.changes:
        say("")
        say("Households that change:")
    for change in found.changes:
        say(f"- {change}")
        for line in change.flipped:
            say(f"    {line}")
    for error in found.errors:
        say(f"not assessed: {error}")


def _impact_document(found: Impact, base: str) -> dict[str, Any]:
    return {
        "schema": "aidrules.impact/1",
        "base": base,
        "households": found.households,
        "per_aid": {aid: {**row, "cost_difference": str(found.cost.get(aid, "0.00")),
                          "one_off": aid in found.one_off}
                    for aid, row in found.counts().items()},
        "monthly_cost_difference": str(found.monthly_cost),
        "one_off_cost_difference": str(found.one_off_cost),
        "changes": [{"household": c.subject, "aid": c.aid, "kind": c.kind,
                     "base": {"status": c.base_status, "amount": _plain(c.base_amount)},
                     "current": {"status": c.status, "amount": _plain(c.amount)},
                     "flipped": list(c.flipped)} for c in found.changes],
        "errors": found.errors,
    }


# ---- boundaries -----------------------------------------------------------------------

def boundaries(
    application: Annotated[Path, typer.Argument(help="The base application (YAML or JSON).")],
    rules: RulesOption = None,
    policies: PoliciesOption = None,
) -> None:
    """Cases one unit below, at and above every threshold reachable from an application;
    each must come out as its comparison means. Exit 1 if any does not."""
    from aidrules.cases.boundaries import check, generate
    from aidrules.model import read_application
    rules, policies = compose.book_folders(rules, policies)
    assessor = _assessor(compose.books(), rules, policies)
    with reported(str(application)):
        base = read_application(application)
    found, skipped = generate(assessor, base)
    table = Table(title=f"Boundary cases from {application}")
    for column in ("rule", "criterion", "moved", "point", "fact", "threshold", "means",
                   "engine"):
        table.add_column(column, overflow="fold")
    wrong = 0
    for b in found:
        result = check(assessor, b)
        wrong += result != b.expected
        table.add_row(b.rule, b.criterion, b.knob, b.point, _plain_number(b.fact),
                      _plain_number(b.threshold), b.expected,
                      result if result == b.expected else f"{result} ✗")
    out.print(table)
    for reason in skipped:
        say(f"skipped {reason}")
    say(f"{len(found)} boundary case(s), {wrong} not as their comparison means; "
         f"{len(skipped)} comparison(s) skipped.")
    if wrong:
        raise typer.Exit(1)


def _plain_number(value: Any) -> str:
    from aidrules.engine.results import money_text
    return money_text(value)


# ---- helpers --------------------------------------------------------------------------

def _assessor(books: Books, rules: Path, policies: Path,
              overlays: list[Path] | None = None) -> Assessor:
    with reported(f"the rule book ({rules}, {policies})"):
        return books.assessor(rules, policies, overlays or [])
    raise AssertionError("unreachable")  # pragma: no cover  (reported exits or re-raises)


def _load(assessor: Assessor, paths: list[Path],
          rules: Path) -> tuple[list[Case], list[Problem]]:
    """The cases of every case file, and the inline examples of every rule file, found
    at or below ``paths``. Their application files may be under the directory the
    command runs from or the rule book's project (the directory holding ``rules``)."""
    from aidrules.cases.reading import read_cases, read_examples
    from aidrules.cases.replay import discover, rule_files, rules_in
    book = assessor.book
    with_examples = rule_files(book, paths)
    written = {Path(r.at.file).resolve() for r in book.rules}
    files = [f for f in discover(paths) if f.resolve() not in written]
    if not files and not with_examples:
        fail("no case files found (give files, or directories with cases/ directories "
              "or rule files with examples)")
    cases, problems = [], []
    roots = (Path.cwd(), rules.resolve().parent)
    for file in files:
        found, wrong = read_cases(file, book, roots=roots)
        cases += found
        problems += wrong
    for file in with_examples:
        for rule in rules_in(book, file):
            found, wrong = read_examples(rule, book, str(file), roots)
            cases += found
            problems += wrong
    return cases, problems


def _overlay_name(overlay: Any) -> str:
    """A case's own overlay as the report names it: its directory, or where inline values
    are written and for which parameter."""
    if isinstance(overlay, Path):
        return overlay.as_posix()
    return f"{overlay.file}:{overlay.line}: {overlay.name}"


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple, frozenset)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _write(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


