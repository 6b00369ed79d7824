"""Reading a register to screen, and writing the screening out.

A register is either a directory holding the synthetic county's ``households.csv`` and
``people.csv`` (``aidrules county generate`` writes them under ``register/``), read back
as applications dated the screening day, or an application file (YAML or JSON, one or a
list) or a directory of them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from aidrules import model
from aidrules.columnar.screen import Screener
from aidrules.errors import AidrulesError
from aidrules.model import application_from_dict, read_applications
from aidrules.monitoring.synthetic import Facts

STATUSES = ("eligible", "ineligible", "undetermined")
ENGINES = ("duckdb", "spark")
ORIGIN = b"aidrules.screening"  # the Parquet metadata key: what was screened, as of when


class EngineError(AidrulesError, ValueError):
    """An engine that is not known, or whose library is not installed."""


def screener_for(book, engine: str = "duckdb") -> Screener:
    """A screener on DuckDB (in-process) or on Spark (a local[2] session by default)."""
    if engine == "duckdb":
        return Screener(book)
    if engine != "spark":
        raise EngineError(f"--engine {engine}: choose one of {', '.join(ENGINES)}")
    try:
        from aidrules.columnar.spark import SparkScreener
    except ImportError as exc:
        raise EngineError(f"--engine spark needs the 'spark' extra (pip install "
                          f"'aidrules[spark]'; and Java 17): {exc}") from None
    return SparkScreener(book)


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


def write_parquet(table: pa.Table, path: Path | str, origin: dict | None = None) -> None:
    if origin is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               ORIGIN: json.dumps(origin).encode()})
    pq.write_table(table, str(path))


def origin_of(path: Path | str) -> dict:
    """What a screening file screened: ``register``, ``on`` and ``jurisdiction``."""
    metadata = pq.read_schema(str(path)).metadata or {}
    if ORIGIN not in metadata:
        raise AidrulesError(f"{path}: not a screening written by 'aidrules screen'")
    return json.loads(metadata[ORIGIN])


def screen_register(screener, register: Path | str, on: date, out: Path | str,
                    jurisdiction: str | None = None,
                    progress: Callable[[Iterable], Iterable] | None = None) -> pa.Table:
    """Screen every household of ``register`` as of ``on``, write the result to ``out``
    (Parquet, with what was screened in its metadata) and return the summary per aid
    type. ``progress`` wraps the households as they are read (a progress bar: reading
    the register is most of the time)."""
    if not Path(register).exists():
        raise FileNotFoundError(f"no register at {register}")
    households: Iterable[model.Application] = read_register(register, on)
    if progress is not None:
        households = progress(households)
    screened = screener.screen(households, on, jurisdiction)
    write_parquet(screened, out, {"register": str(Path(register).resolve()),
                                  "on": on.isoformat(), "jurisdiction": jurisdiction})
    return summary(screened, tuple(screener.book.aids))



def screened_application(result: Path | str, household: str,
                         ) -> tuple[model.Application, date, str | None]:
    """The application a screening file screened as ``household`` (its application id, or
    a county household's id), with the date and jurisdiction of the screening: to assess
    it on the per-case path, with every reason."""
    origin = origin_of(result)
    ids = set(pq.read_table(str(result), columns=["application_id"])
              .column("application_id").to_pylist())
    wanted = {household, f"M-{household}"} & ids
    if not wanted:
        raise AidrulesError(f"{result}: no household {household} in this screening")
    on = date.fromisoformat(origin["on"])
    for application in read_register(origin["register"], on):
        if application.application_id in wanted:
            return application, on, origin["jurisdiction"]
    raise AidrulesError(f"{origin['register']}: household {household} is no longer in the "
                        "register that was screened")
