"""`aidrules impact --register`: the impact of a rule change over a whole register."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from aidrules import compose
from aidrules.cases.impact import BaseError, base_directories, scratch_directory
from aidrules.cli.console import day, fail, out, say
from aidrules.columnar import Screener
from aidrules.columnar.impact import distribution_svg, register_impact
from aidrules.errors import AidrulesError


def register_command(base: str, register: Path, rules: Path, policies: Path,
                     overlays: list[Path], on: str | None, report: Path | None,
                     chart: Path | None, fail_on_change: bool) -> None:
    when = day(on)
    if when is None:
        raise typer.BadParameter("screening a register needs a date", param_hint="--on")
    if not register.exists():
        fail(f"no register at {register}")
    books = compose.books()
    with scratch_directory() as scratch:
        try:
            base_rules, base_policies = base_directories(base, rules, policies, Path(scratch))
            current = books.assessor(rules, policies, overlays).book
            before = books.assessor(base_rules, base_policies).book
            found = register_impact(Screener(before), Screener(current), register, when)
        except (BaseError, AidrulesError) as exc:
            fail(str(exc))
    _print(found, base)
    if chart is not None:
        chart.write_text(distribution_svg(found.per_household_fen, f"Monthly change per "
                                          f"household against {base}"), encoding="utf-8")
        say(f"{chart}: the distribution of the monthly changes")
    if report is not None:
        report.write_text(json.dumps({"households": found.households,
                                      "summary": found.summary.to_pylist(),
                                      "changes": found.changes.to_pylist()},
                                     ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if fail_on_change and found.changes.num_rows:
        raise typer.Exit(1)


def _print(found, base: str) -> None:
    changed = len(set(found.changes.column("household").to_pylist()))
    table = Table(title=f"Impact against {base}: {found.households:,} household(s) of the "
                        f"register, {changed:,} changed")
    for column in ("aid type", "township", "gained", "lost", "amount changed",
                   "other status", "cost difference (yuan)"):
        table.add_column(column, justify="left" if column in ("aid type", "township")
                         else "right")
    monthly = 0
    for row in found.summary.to_pylist():
        cost = row["cost_fen"] / 100
        if row["period"] == "month":
            monthly += row["cost_fen"]
        table.add_row(row["aid"], row["township"], str(row["gained"]), str(row["lost"]),
                      str(row["amount"]), str(row["status"]),
                      f"{cost:+,.2f}" + (" once" if row["period"] == "once" else "/month"))
    out.print(table)
    say(f"Total monthly cost difference: {monthly / 100:+,.2f} yuan")
