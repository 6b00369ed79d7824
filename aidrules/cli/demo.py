"""``aidrules demo``: the main job on a synthetic county (aidrules.demo)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from aidrules.cli.console import guarded as _guarded
from aidrules.cli.console import say
from aidrules.cli.options import PoliciesOption, RulesOption
from aidrules.compose import located


def demo(
    households: Annotated[int, typer.Option("--households", min=1, help="Households in the "
                                            "synthetic county.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="The county's random seed.")] = 1,
    db: Annotated[Path, typer.Option("--db", help="The SQLite ledger, recreated each run; "
                                  "a file that is not a demo ledger is refused.")]
    = Path("aidrules-demo.db"),
    month: Annotated[str, typer.Option("--month", help="The month of feeds, YYYY-MM.")]
    = "2025-03",
    rules: RulesOption = None,
    policies: PoliciesOption = None,
) -> None:
    """The main job: one month of monitoring, verification and enrolment on a synthetic county
    in an SQLite ledger, and its summary (docs/monitoring.md, "The demo")."""
    from aidrules.demo import Places, run_demo, summary  # loads the ledger's libraries

    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise typer.BadParameter(f"--month={month!r} is not a month; expected YYYY-MM",
                                 param_hint="--month") from None
    places = Places(rules=located("rules", rules), policies=located("policies", policies),
                    feeds=located("feeds"), warnings=located("warnings"),
                    examples=located("examples/applications"))
    result = _guarded(lambda: run_demo(db, households, seed, first, places), str(db))
    for line in summary(result):
        say(line)
    say(f"ledger: {db} (aidrules ledger verify --db {db})")

