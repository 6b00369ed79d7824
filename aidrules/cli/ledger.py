"""``aidrules case ...`` and ``aidrules ledger ...``: the ledger from the command line.

Thin: parse, call :class:`aidrules.ledger.Ledger`, print a table. Errors the library
raises on purpose print on one line without a traceback and exit 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from aidrules import compose
from aidrules.cli import ledger_anchor
from aidrules.cli.console import day, err, out, reported
from aidrules.model import mask_id_number, read_application

if TYPE_CHECKING:
    from aidrules.ledger.ledger import Ledger

# The database libraries are imported inside the commands that need them, so the rest of
# the ``aidrules`` command starts as fast as before the ledger existed.

case_app = typer.Typer(name="case", help="Cases through the procedure: file, investigate, "
                       "notice, decide, enrol, review, exit; the closed loop: register, warn, "
                       "findings, refer, feedback; show one; list what is due.",
                       no_args_is_help=True, add_completion=False)
ledger_app = typer.Typer(name="ledger", help="The ledger database: upgrade its schema, verify "
                         "the household chains, show one.", no_args_is_help=True,
                         add_completion=False)

Db = Annotated[str, typer.Option("--db", help="SQLite file or database URL.")]
Rules = Annotated[Path | None, typer.Option("--rules", help="The rules directory; default: as "
                 "for assess.")]
Policies = Annotated[Path | None, typer.Option("--policies", help="The policies directory; "
                    "default: as for assess.")]
On = Annotated[str | None, typer.Option("--on", help="The day (YYYY-MM-DD); default today.")]
By = Annotated[str, typer.Option("--by", help="The officer acting.")]
CaseId = Annotated[int, typer.Argument(help="The case number.")]
Version = Annotated[int | None, typer.Option(
    "--expect-version", help="The case's version as you last saw it (case show): refused, "
    "changing nothing, if someone changed the case since.")]
DB_DEFAULT = "aidrules.db"


@contextmanager
def _opened(db: str, rules: Path | None = None, policies: Path | None = None,
            create: bool = False, book: bool = False) -> Iterator[Ledger]:
    """The ledger at ``db``, over the rule book (as found from ``rules`` and ``policies``)
    when ``book``. Only the commands that start a ledger (``case file``, ``case register``)
    pass ``create``: any other on a missing file says so and exits 1. Errors the library
    raises on purpose print one a line, starting ``error: ``, and exit 1."""
    ledger = None
    try:
        with reported("", tally=False, prefix="error: "):
            ledger = compose.ledger(db, with_book=compose.book(rules, policies) if book
                                    else None, create=create)
            yield ledger
    finally:
        if ledger is not None:
            ledger.close()


def _day(text: str | None) -> date:
    return day(text) or date.today()


def _act(db: str, rules: Path | None, policies: Path | None, move: Callable[[Ledger], Any],
         then_show: int | None = None, create: bool = False) -> None:
    with _opened(db, rules, policies, create, book=True) as ledger:
        result = move(ledger)
        if result is not None:
            out.print(str(result), markup=False)
        if then_show is not None:
            _print_case(ledger, then_show)


# ---- case ---------------------------------------------------------------------------------

@case_app.command("file")
def file_case(application: Annotated[Path, typer.Argument(help="The application file.")],
              household: Annotated[str, typer.Option("--household", help="Household id.")],
              by: By, grid: Annotated[str | None, typer.Option(
                  "--grid", help="The household's grid (needed for a new household).")] = None,
              on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
              policies: Policies = None) -> None:
    """Accept an application (受理): a new case, assessed at once."""
    def move(ledger: Ledger) -> str:
        app = read_application(application)
        case = ledger.file_application(app, household, by, grid, _day(on) if on else None)
        return f"case {case} accepted"
    _act(db, rules, policies, move, create=True)


@case_app.command()
def investigate(case: CaseId, staff: Annotated[list[str], typer.Option(
                    "--staff", help="A member of the team; give it once per person (≥ 2).")],
                findings: Annotated[str, typer.Option("--findings", help="What was found.")],
                facts: Annotated[Path | None, typer.Option(
                    "--facts", help="The application as found, if it differs.")] = None,
                on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
                policies: Policies = None, version: Version = None) -> None:
    """Record the household investigation (入户调查)."""
    found = read_application(facts) if facts else None
    _act(db, rules, policies, lambda lg: lg.investigate(
        case, staff, findings, _day(on), application=found, version=version), case)


@case_app.command()
def notice(case: CaseId, on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
           policies: Policies = None, version: Version = None) -> None:
    """Post the preliminary opinion (公示); prints the notice's last day."""
    _act(db, rules, policies,
         lambda lg: f"notice until {lg.publish_notice(case, _day(on), version=version)}")


@case_app.command("object")
def object_to(case: CaseId, objection: Annotated[str, typer.Option(
                  "--objection", help="The objection to the notice, as raised.")],
              on: On = None, db: Db = DB_DEFAULT, version: Version = None) -> None:
    """Record an objection to the public notice: an appraisal must then come first."""
    with _opened(db) as ledger:
        ledger.record_objection(case, _day(on), objection, version=version)
        _print_case(ledger, case)


@case_app.command()
def appraise(case: CaseId, by: By, outcome: Annotated[str, typer.Option(
                 "--outcome", help="What the re-investigation or appraisal found.")],
             on: On = None, db: Db = DB_DEFAULT, version: Version = None) -> None:
    """Record the democratic appraisal (民主评议), held only after an objection."""
    with _opened(db) as ledger:
        ledger.appraise(case, _day(on), outcome, by, version=version)
        _print_case(ledger, case)


@case_app.command()
def decide(case: CaseId, by: By,
           approve: Annotated[bool, typer.Option("--approve/--refuse",
                                                 help="Approve or refuse.")],
           reasons: Annotated[str | None, typer.Option(
               "--reasons", help="Written reasons (required to refuse).")] = None,
           aid: Annotated[list[str] | None, typer.Option(
               "--aid", help="Approve only these aid types (default: every eligible one).")
           ] = None,
           referrals_due: Annotated[str | None, typer.Option(
               "--referrals-due", help="Push the referrals, feedback due by this day.")] = None,
           on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
           policies: Policies = None, version: Version = None) -> None:
    """Approve or refuse; the officer who investigated may not decide."""
    due_on = _day(referrals_due) if referrals_due else None

    def move(ledger: Ledger) -> str:
        made = ledger.decide(case, approve, by, _day(on), reasons, aid, due_on, version=version)
        return f"decision {made}"
    _act(db, rules, policies, move, case)


@case_app.command("notify-refusal")
def notify_refusal(case: CaseId, on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
                   policies: Policies = None, version: Version = None) -> None:
    """Record that the written refusal and its reasons reached the applicant."""
    _act(db, rules, policies, lambda lg: lg.notify_refusal(case, _day(on), version=version),
         case)


@case_app.command()
def enrol(case: CaseId, on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
          policies: Policies = None, version: Version = None) -> None:
    """Enrol the approved aids, paid from the month after the decision."""
    _act(db, rules, policies,
         lambda lg: f"{len(lg.enrol(case, _day(on), version=version))} enrolment(s)", case)


@case_app.command()
def review(case: CaseId, by: By, facts: Annotated[Path | None, typer.Option(
               "--facts", help="The application as found now.")] = None,
           on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
           policies: Policies = None, version: Version = None) -> None:
    """The periodic review (复核): prints unchanged, changed or ineligible."""
    found = read_application(facts) if facts else None
    _act(db, rules, policies, lambda lg: lg.review(case, by, _day(on), found, version=version),
         case)


@case_app.command("exit")
def exit_case(case: CaseId, by: By,
              reason: Annotated[str, typer.Option("--reason", help="Written reasons.")],
              grace: Annotated[int, typer.Option("--grace", help="Grace months (渐退期).")] = 0,
              because_of_work: Annotated[bool, typer.Option(
                  "--because-of-work", help="A member's job lifted the income.")] = False,
              on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
              policies: Policies = None, version: Version = None) -> None:
    """Take the household off the rolls, with a grace period where the law allows one."""
    _act(db, rules, policies, lambda lg: "paid until " + str(
        lg.exit(case, by, _day(on), reason, grace, because_of_work, version=version)))


# ---- the closed loop ----------------------------------------------------------------------

Facts = Annotated[Path, typer.Option("--facts", help="The facts as found: an application file "
                                     "(YAML or JSON), re-assessed.")]
Due = Annotated[str, typer.Option("--due", help="Due by this day (YYYY-MM-DD).")]


@case_app.command()
def register(household: Annotated[str, typer.Argument(help="Household id.")],
             application: Annotated[Path, typer.Argument(help="Its facts: an application file.")],
             grid: Annotated[str, typer.Option("--grid", help="The household's grid (网格).")],
             on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
             policies: Policies = None) -> None:
    """Put a household under monitoring with its facts, assessed at once."""
    with _opened(db, rules, policies, create=True, book=True) as ledger:
        found = ledger.register_household(household, grid, read_application(application),
                                          _day(on))
        out.print(f"household {household} under monitoring", markup=False)
        _print_assessment(ledger, found)


@case_app.command()
def warn(household: Annotated[str, typer.Argument(help="Household id.")],
         department: Annotated[str, typer.Option("--department",
                                                 help="The department whose data warned.")],
         reason: Annotated[str, typer.Option("--reason", help="What the data showed.")],
         worker: Annotated[str, typer.Option("--worker", help="The grid worker to verify.")],
         due_on: Due, risk_level: Annotated[str | None, typer.Option(
             "--risk-level", help="The warning's level (red, yellow, blue).")] = None,
         on: On = None, db: Db = DB_DEFAULT) -> None:
    """Record a data warning (数据预警): a verification task for the household's grid."""
    with _opened(db) as ledger:
        warning, task = ledger.record_warning(household, department, reason, _day(on), worker,
                                              day(due_on, "--due"), risk_level)
        grid = ledger.household(household).grid
    out.print(f"warning {warning}: task {task} for grid {grid} ({worker}), due {due_on}",
              markup=False)


@case_app.command()
def findings(task: Annotated[int, typer.Argument(help="The verification task.")],
             worker: Annotated[str, typer.Option("--worker", help="Who verified on site.")],
             text: Annotated[str, typer.Option("--findings", help="What was found.")],
             facts: Facts, on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
             policies: Policies = None) -> None:
    """Record on-site verification (实地核查): the findings and the facts, re-assessed."""
    with _opened(db, rules, policies, book=True) as ledger:
        found = ledger.record_findings(task, worker, text, _day(on), read_application(facts))
        out.print(f"task {task} done", markup=False)
        _print_assessment(ledger, found)


@case_app.command()
def refer(assessment: Annotated[int, typer.Argument(help="The assessment whose referrals "
                                                    "to push.")],
          due_on: Due, on: On = None, db: Db = DB_DEFAULT) -> None:
    """Push an assessment's referrals (信息推送) to their departments, feedback due by --due."""
    with _opened(db) as ledger:
        pushed = ledger.push_referrals(assessment, _day(on), day(due_on, "--due"))
        _print_referrals(ledger, pushed)


@case_app.command()
def feedback(referral: Annotated[int, typer.Argument(help="The referral answered.")],
             department: Annotated[str, typer.Option("--department",
                                                     help="The department reporting.")],
             action: Annotated[str, typer.Option("--action", help="What it did.")],
             on: On = None, db: Db = DB_DEFAULT) -> None:
    """Record a department's feedback (跟踪反馈) on a referral."""
    with _opened(db) as ledger:
        ledger.record_feedback(referral, department, _day(on), action)
        _print_referrals(ledger, [referral])


def _print_assessment(ledger: Ledger, assessment_id: int) -> None:
    found = ledger.stored_assessment(assessment_id)  # the kept summary: no rule book needed
    table = Table(title=f"assessment {assessment_id} on {found.on}: "
                        f"{found.risk_level or 'no'} risk level")
    for column in ("aid type", "status", "amount", "per"):
        table.add_column(column)
    for result in found.results:
        if result.status != "ineligible":
            table.add_row(result.aid, result.status, result.amount or "", result.period)
    out.print(table)
    for referral in found.referrals:
        out.print(f"referral to push: {referral.brand} → "
                  f"{', '.join(referral.departments)}", markup=False)


def _print_referrals(ledger: Ledger, referral_ids: list[int]) -> None:
    table = Table(title="referrals")
    for column in ("referral", "brand", "departments", "due", "status", "awaiting"):
        table.add_column(column)
    for referral_id in referral_ids:
        row = ledger.referral(referral_id)
        table.add_row(str(referral_id), row["brand"], ", ".join(row["departments"]),
                      str(row["due_on"]),
                      row["status"], ", ".join(row["awaiting"]))
    out.print(table)


@case_app.command()
def show(case: CaseId, db: Db = DB_DEFAULT) -> None:
    """One case: its state, decisions, enrolments and reviews."""
    with _opened(db) as ledger:
        _print_case(ledger, case)


@case_app.command()
def due(on: On = None, overdue: Annotated[bool, typer.Option(
            "--overdue", help="Only what is past due on --on.")] = False,
        db: Db = DB_DEFAULT, rules: Rules = None,
        policies: Policies = None) -> None:
    """Everything outstanding, soonest first (or only what is overdue)."""
    with _opened(db, rules, policies, book=True) as ledger:
        day = _day(on)
        items = ledger.overdue(day) if overdue else ledger.due()
        table = Table(title=("overdue on " if overdue else "due, as of ") + str(day))
        for column in ("due", "what", "household", "ref", "detail"):
            table.add_column(column)
        for item in items:
            late = "bold red" if item.due_on < day else None
            table.add_row(str(item.due_on), item.kind, item.household, item.ref, item.what,
                          style=late)
        out.print(table)


def _print_case(ledger: Ledger, case_id: int) -> None:
    case = ledger.case(case_id)
    head = Table(title=f"case {case_id}", show_header=False)
    for key in ("household_id", "state", "version", "risk_level", "accepted_on", "accepted_by",
                "investigators", "findings", "notice_from", "notice_until", "has_objection"):
        value = case[key]
        head.add_row(key, ", ".join(value) if isinstance(value, list) else str(value))
    out.print(head)
    _rows("decisions", case["decisions"], ("decided_on", "outcome", "aids", "decided_by",
                                          "reasons"))
    _rows("enrolments", case["enrolments"], ("aid", "starts_on", "ends_on", "monthly_amount",
                                            "period", "review_due"))
    _rows("reviews", case["reviews"], ("reviewed_on", "outcome", "reviewed_by"))


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


def _rows(title: str, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    if not rows:
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row[c]) for c in columns))
    out.print(table)


# ---- ledger -------------------------------------------------------------------------------

ledger_anchor.register(ledger_app, _opened)  # keygen, anchor


@ledger_app.command()
def upgrade(url: Annotated[str | None, typer.Argument(
                help="Database URL or SQLite file; default --db.")] = None,
            db: Db = DB_DEFAULT) -> None:
    """Bring the database's schema up to this aidrules version (the shipped migrations);
    starts a ledger in a new SQLite file or an empty database."""
    from aidrules.ledger.ledger import Ledger
    with reported("", tally=False, prefix="error: "):
        before, after = Ledger.upgrade(url or db)
    out.print(f"schema {before} → {after}", markup=False)


@ledger_app.command()
def verify(db: Db = DB_DEFAULT, anchor: ledger_anchor.AnchorFile = None,
           public_key: ledger_anchor.PublicKey = None) -> None:
    """Check every household chain, the ledger heads and every sealed row; name the first
    problem and exit 1 if one is found. Prints the ledger head, to archive elsewhere.
    With --anchor, also that every head the anchor signed is still there."""
    with _opened(db) as ledger:
        bad = ledger.verify()
        head = ledger.head()
        anchored = None if anchor is None else \
            ledger_anchor.anchor_problem(ledger, anchor, public_key)
    if bad is not None:
        err.print(f"chain broken: {bad}", markup=False, soft_wrap=True)
    if anchored is not None:
        err.print(f"anchor {anchor} broken: {anchored}", markup=False, soft_wrap=True)
    if bad is not None or anchored is not None:
        raise typer.Exit(1)
    out.print("every household chain verifies" + (f", and every head anchored in {anchor} "
                                                  "is still there" if anchor else ""),
              markup=False)
    if head is not None:
        out.print(f"ledger head {head[0]}: {head[1]}", markup=False)


@ledger_app.command()
def chain(household: Annotated[str, typer.Argument(help="The household id.")],
          db: Db = DB_DEFAULT) -> None:
    """A household's chain (一户一条救助链), oldest first; identity numbers masked."""
    with _opened(db) as ledger:
        entries = ledger.chain(household)
    table = Table(title=f"household {household}")
    for column in ("seq", "day", "event", "summary", "hash"):
        table.add_column(column)
    for entry in entries:
        table.add_row(str(entry.seq), str(entry.day), entry.kind, _summary(entry.payload),
                      entry.hash[:12])
    out.print(table)


def _summary(payload: str) -> str:
    """The payload on one line, without the application document (which holds identity
    numbers): case, outcome, reasons and the like."""
    data = json.loads(payload)
    data.pop("document", None)
    text = ", ".join(f"{k}={v}" for k, v in sorted(data.items()) if v not in (None, "", []))
    return _mask_numbers(text)[:120]


def _mask_numbers(text: str) -> str:
    return re.sub(r"\d{17}[\dX]", lambda m: _masked(m.group()), text)


def _masked(number: str) -> str:
    try:
        return mask_id_number(number)
    except ValueError:
        return number


from aidrules.cli.ledger_payments import challenge_app, payments_app  # noqa: E402

ledger_app.add_typer(payments_app)
case_app.add_typer(challenge_app)
