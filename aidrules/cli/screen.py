"""``aidrules screen``: a whole register on DuckDB (aidrules.columnar)."""

from __future__ import annotations

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
) -> None:
    """Screen a whole register on DuckDB: statuses and amounts per household (docs/screening.md)."""
    from aidrules.columnar import STATUSES, Screener, screen_register  # late: loads duckdb
    book = _guarded(lambda: compose.book(rules, policies, overlay), str(rules or "rules"))
    found = _guarded(lambda: screen_register(Screener(book), register, day(on), result,
                                             jurisdiction), str(register)).to_pylist()
    table = Table("aid", *STATUSES, "monthly amount (yuan)", "amount pending")
    for row in found:
        table.add_row(row["aid"], *(str(row[s]) for s in STATUSES),
                      f"{row['monthly_amount_fen'] / 100:,.2f}", str(row["amount_pending"]))
    households = sum(found[0][s] for s in STATUSES) if found else 0
    say(f"{result}: {households} households screened as of {on}")
    out.print(table)

