"""``aidrules ledger payments ...`` and ``aidrules case challenge ...``: the monthly payment
roll, overpayments, and challenges of a decision, from the command line. Thin: parse,
call :mod:`aidrules.ledger.payments` / :mod:`aidrules.ledger.appeals`, print."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from aidrules.casework.payments import PaymentError, parse_month
from aidrules.cli.console import day, err, out
from aidrules.cli.ledger import DB_DEFAULT, By, CaseId, Db, On, Policies, Rules, _day, _opened

payments_app = typer.Typer(name="payments", help="The monthly payment roll (发放名册), "
                           "arrears, grace months and overpayment recovery.",
                           no_args_is_help=True, add_completion=False)
challenge_app = typer.Typer(name="challenge", help="An applicant's challenge of a decision: "
                            "reconsideration (行政复议) or lawsuit (行政诉讼), its outcome and "
                            "the new decision it orders.", no_args_is_help=True,
                            add_completion=False)

Month = Annotated[str, typer.Option("--month", help="The month paid (YYYY-MM).")]


@payments_app.command("roll")
def roll(month: Month,
         jurisdiction: Annotated[str | None, typer.Option(
             "--jurisdiction", help="Whose roll (and the jurisdictions below it); default: "
             "the ledger's one jurisdiction.")] = None,
         issue: Annotated[bool, typer.Option(
             "--issue", help="Issue the roll (once per month, month after month); without "
             "it the roll already issued is shown.")] = False,
         by: Annotated[str | None, typer.Option("--by", help="The officer issuing.")] = None,
         out_file: Annotated[Path | None, typer.Option(
             "--out", help="Write the roll to a .csv or .xlsx file (docs/payments.md).")] = None,
         full_ids: Annotated[bool, typer.Option(
             "--full-ids", help="Whole identity numbers in the file (for the paying bank "
             "only); masked otherwise.")] = False,
         on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
         policies: Policies = None) -> None:
    """Issue or show a jurisdiction's payment roll for a month, with its totals."""
    from aidrules.casework import payment_file
    from aidrules.ledger import payments
    first = _month(month)
    if out_file is not None and out_file.suffix not in (".csv", ".xlsx"):
        _fail(f"--out {out_file}: expected a .csv or .xlsx file")
    if issue and not by:
        _fail("--issue needs --by (the officer issuing the roll)")
    with _opened(db, rules, policies, book=True) as ledger:
        where = jurisdiction or _only_jurisdiction(ledger)
        the_roll = (payments.issue_roll(ledger, where, first, _day(on), by or "")
                    if issue else payments.read_roll(ledger, where, first))
        names = {aid: item.name for aid, item in ledger.book.aids.items()}
    if out_file is not None and out_file.suffix == ".csv":
        payment_file.write_csv(out_file, the_roll.lines, names, full_ids)
    elif out_file is not None:
        payment_file.write_xlsx(out_file, the_roll.lines, names, first, where, full_ids)
    _print_roll(the_roll)


@payments_app.command("overpayment")
def overpayment(case: CaseId, by: By,
                aid: Annotated[str, typer.Option("--aid", help="The aid overpaid.")],
                first: Annotated[str, typer.Option("--from", help="First month overpaid.")],
                last: Annotated[str, typer.Option("--to", help="Last month overpaid.")],
                entitled: Annotated[str, typer.Option(
                    "--entitled", help="What each of those months should have paid.")],
                reason: Annotated[str, typer.Option("--reason", help="Written reasons.")],
                instalments: Annotated[int | None, typer.Option(
                    "--instalments", help="Months to recover it in (default: the policy's "
                    "payments.recovery_instalments).")] = None,
                on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
                policies: Policies = None) -> None:
    """Record an overpayment found at review and its recovery plan."""
    from aidrules.ledger import payments
    with _opened(db, rules, policies, book=True) as ledger:
        found = payments.record_overpayment(ledger, case, aid, _month(first), _month(last),
                                            _amount(entitled), _day(on), by, reason,
                                            instalments)
        row = payments.overpayments(ledger, ledger.case(case)["household_id"])[-1]
    out.print(f"overpayment {found}: {row['total']} in {len(row['plan'])} instalment(s) "
              f"from {row['starts']:%Y-%m}", markup=False)


@challenge_app.command("file")
def file_challenge(case: CaseId,
                   kind: Annotated[str, typer.Option(
                       "--kind", help="reconsideration (行政复议) or lawsuit (行政诉讼).")],
                   knew_on: Annotated[str, typer.Option(
                       "--knew-on", help="The day the applicant knew of the decision.")],
                   body: Annotated[str | None, typer.Option(
                       "--body", help="The body; default: the jurisdiction's.")] = None,
                   reconsidered_on: Annotated[str | None, typer.Option(
                       "--reconsidered-on", help="A lawsuit after reconsideration: the day "
                       "its decision was received.")] = None,
                   late_reason: Annotated[str | None, typer.Option(
                       "--late-reason", help="Why a late challenge is still heard.")] = None,
                   on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
                   policies: Policies = None) -> None:
    """Record a challenge of the case's latest decision; prints its deadline."""
    from aidrules.ledger import appeals
    with _opened(db, rules, policies, book=True) as ledger:
        found = appeals.file_challenge(ledger, case, kind, _date(knew_on, "--knew-on"),
                                       _day(on), body, None,
                                       day(reconsidered_on, "--reconsidered-on"), late_reason)
        row = appeals.challenges(ledger, case)[-1]
    out.print(f"challenge {found}: {row['kind']} before {row['body']}, deadline "
              f"{row['deadline']}" + (f", to be decided by {row['decide_by']}"
                                      if row["decide_by"] else ""), markup=False)


@challenge_app.command("decide")
def decide_challenge(challenge: Annotated[int, typer.Argument(help="The challenge number.")],
                     outcome: Annotated[str, typer.Option(
                         "--outcome", help="upheld, changed or revoked.")],
                     reasons: Annotated[str, typer.Option("--reasons", help="The body's reasons.")],
                     redecide_by: Annotated[str | None, typer.Option(
                         "--redecide-by", help="The day the body set for the new decision.")
                     ] = None,
                     on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
                     policies: Policies = None) -> None:
    """Record the body's outcome of a challenge."""
    from aidrules.ledger import appeals
    with _opened(db, rules, policies, book=True) as ledger:
        appeals.decide_challenge(ledger, challenge, outcome, _day(on), reasons,
                                 day(redecide_by, "--redecide-by"))
    out.print(f"challenge {challenge}: {outcome}", markup=False)


@challenge_app.command("redecided")
def redecided(challenge: Annotated[int, typer.Argument(help="The challenge number.")],
              decision: Annotated[int, typer.Option("--decision", help="The new decision.")],
              by: By, on: On = None, db: Db = DB_DEFAULT, rules: Rules = None,
              policies: Policies = None) -> None:
    """Link the new decision that carries out a changed or revoked outcome."""
    from aidrules.ledger import appeals
    with _opened(db, rules, policies, book=True) as ledger:
        appeals.link_redecision(ledger, challenge, decision, _day(on), by)
    out.print(f"challenge {challenge}: carried out by decision {decision}", markup=False)


# ---- helpers ------------------------------------------------------------------------------

def _print_roll(the_roll: object) -> None:
    lines, sums = the_roll.lines, the_roll.totals  # type: ignore[attr-defined]
    table = Table(title=f"{the_roll.jurisdiction} {the_roll.month:%Y-%m}")  # type: ignore[attr-defined]
    for column in ("household", "aid", "month", "basis", "arrears", "gross", "recovered", "net"):
        table.add_column(column)
    for line in lines:
        p = line.payment
        table.add_row(p.household, p.aid, f"{p.month:%Y-%m}", p.basis, "yes" if p.arrears else "",
                      f"{p.gross:.2f}", f"{p.recovered:.2f}", f"{p.net:.2f}")
    out.print(table)
    out.print(f"{sums.lines} line(s), {sums.households} household(s): gross {sums.gross:.2f}, "
              f"recovered {sums.recovered:.2f}, net {sums.net:.2f} (arrears {sums.arrears:.2f})",
              markup=False)


def _only_jurisdiction(ledger: object) -> str:
    from aidrules.ledger.payments import jurisdictions
    found = jurisdictions(ledger)  # type: ignore[arg-type]
    if len(found) != 1:
        _fail("--jurisdiction: the ledger holds " + (", ".join(found) or "no households")
              + "; say whose roll")
    return found[0]


def _month(text: str) -> date:
    try:
        return parse_month(text)
    except PaymentError as exc:
        _fail(str(exc))
        raise


def _date(text: str, option: str) -> date:
    found = day(text, option)
    assert found is not None
    return found


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text)
    except ArithmeticError:
        _fail(f"--entitled {text!r} is not an amount")
        raise


def _fail(message: str) -> None:
    err.print(f"error: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(1)
