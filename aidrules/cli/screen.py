"""``aidrules screen``: a whole register on DuckDB or Spark (aidrules.columnar), and
``aidrules screen-explain``: one screened household's full reasons from the per-case path."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from aidrules import compose
from aidrules.cli.console import day, out, say
from aidrules.cli.console import guarded as _guarded
from aidrules.cli.options import JurisdictionOption, OverlayOption, PoliciesOption, RulesOption


def screen(
    register: Annotated[Path, typer.Argument(help="The county register directory (households.csv "
                                                  "and people.csv), or application files.")],
    on: Annotated[str, typer.Option("--on", help="Screen as of this date (YYYY-MM-DD).")],
    result: Annotated[Path, typer.Option("--out", help="Where to write the result (Parquet).")],
    jurisdiction: JurisdictionOption = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
    overlay: OverlayOption = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (in-process) or spark "
                                        "(PySpark, local[2]).")] = "duckdb",
) -> None:
    """Screen a whole register on DuckDB or Spark: statuses and amounts per household
    (docs/screening.md)."""
    from aidrules.columnar import STATUSES, screen_register, screener_for  # late: duckdb
    book = _guarded(lambda: compose.book(rules, policies, overlay), str(rules or "rules"))
    found = _guarded(lambda: screen_register(screener_for(book, engine), register, day(on),
                                             result, jurisdiction, _progress()),
                     str(register)).to_pylist()
    table = Table("aid", *STATUSES, "monthly amount (yuan)", "amount pending")
    for row in found:
        table.add_row(row["aid"], *(str(row[s]) for s in STATUSES),
                      f"{row['monthly_amount_fen'] / 100:,.2f}", str(row["amount_pending"]))
    households = sum(found[0][s] for s in STATUSES) if found else 0
    say(f"{result}: {households} households screened as of {on}")
    out.print(table)


def _progress():
    """A progress bar of the households read, on a terminal."""
    if not sys.stdout.isatty():
        return None
    from rich.progress import track
    return lambda households: track(households, description="reading households")


def screen_explain(
    result: Annotated[Path, typer.Option("--from", help="A screening (Parquet) written by "
                                         "'aidrules screen'.")],
    household: Annotated[str, typer.Option("--household", help="Its application id, or the "
                                           "county household's id.")],
    aid: Annotated[str | None, typer.Option("--aid", help="One aid type (default: all).")] = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
) -> None:
    """The full reasons of one screened household, from the per-case path (docs/screening.md)."""
    from aidrules.columnar import screened_application  # late: loads duckdb
    from aidrules.render.text import explain
    application, on, where = _guarded(lambda: screened_application(result, household),
                                      str(result))
    assessor = _guarded(lambda: compose.assessor(rules, policies), str(rules or "rules"))
    assessment = _guarded(lambda: assessor.assess(application, on=on, jurisdiction=where),
                          str(result))
    for found in assessment.results:
        if aid in (None, found.aid):
            say(_guarded(lambda a=found.aid: explain(assessment, a), str(result)))
