"""Reading a register to screen, and writing the screening out.

A register is either a directory holding the synthetic county's ``households.csv`` and
``people.csv`` (``aidrules county generate`` writes them under ``register/``), read back
as applications dated the screening day, or an application file (YAML or JSON, one or a
list) or a directory of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from aidrules import model
from aidrules.model import application_from_dict, read_applications
from aidrules.monitoring.synthetic import Facts

STATUSES = ("eligible", "ineligible", "undetermined")


def read_register(path: Path | str, on: date) -> Iterator[model.Application]:
    path = Path(path)
    for folder in (path, path / "register"):
        if (folder / "households.csv").is_file():
            facts = Facts(folder)
            for household_id in facts.households:
                yield application_from_dict(facts.application(household_id, on))
            return
    files = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".json")) \
        if path.is_dir() else [path]
    for file in files:
        yield from read_applications(file)


def summary(screened: pa.Table, aids: tuple[str, ...]) -> pa.Table:
    """Per aid type: households by status, the monthly amount of the eligible in fen, and
    how many eligible households' amount waits on unreported facts."""
    rows = []
    for aid in aids:
        statuses = screened.column(aid).to_pylist()
        amounts = screened.column(f"{aid}.amount_fen").to_pylist()
        pending = screened.column(f"{aid}.amount_pending").to_pylist()
        rows.append({"aid": aid, **{s: statuses.count(s) for s in STATUSES},
                     "monthly_amount_fen": sum(a for a in amounts if a is not None),
                     "amount_pending": sum(pending)})
    return pa.Table.from_pylist(rows)


def write_parquet(table: pa.Table, path: Path | str) -> None:
    pq.write_table(table, str(path))


def screen_register(screener, register: Path | str, on: date, out: Path | str,
                    jurisdiction: str | None = None) -> pa.Table:
    """Screen every household of ``register`` as of ``on``, write the result to ``out``
    (Parquet) and return the summary per aid type."""
    if not Path(register).exists():
        raise FileNotFoundError(f"no register at {register}")
    screened = screener.screen(read_register(register, on), on, jurisdiction)
    write_parquet(screened, out)
    return summary(screened, tuple(screener.book.aids))
