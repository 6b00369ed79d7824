"""Screening many households at once on DuckDB, with the rule book compiled to SQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import duckdb
import pyarrow as pa

from aidrules import model
from aidrules.columnar.compiler import TABLES, Screening, compile_screening
from aidrules.columnar.tables import tables_from_applications
from aidrules.rulebook.book import RuleBook


class Screener:
    """A rule book ready to screen; compiled queries are cached per policy version."""

    def __init__(self, book: RuleBook, threads: int | None = None) -> None:
        self.book = book
        self.threads = threads
        self._compiled: dict[str, Screening] = {}
        self._at: dict[tuple[str, date], Screening] = {}

    def compiled(self, jurisdiction: str, on: date) -> Screening:
        found = self._at.get((jurisdiction, on))  # a population shares a few (place, day)
        if found is None:
            found = self._at[(jurisdiction, on)] = self._compile(jurisdiction, on)
        return found

    def _compile(self, jurisdiction: str, on: date) -> Screening:
        snapshot = self.book.policies.at(jurisdiction, on)
        found = self._compiled.get(snapshot.version)
        if found is None:
            found = self._compiled[snapshot.version] = compile_screening(self.book, snapshot)
        return found

    def connect(self) -> duckdb.DuckDBPyConnection:
        connection = duckdb.connect()
        if self.threads:
            connection.execute(f"SET threads = {int(self.threads)}")
        return connection

    def relation(self, connection: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table],
                 jurisdiction: str, on: date) -> duckdb.DuckDBPyRelation:
        """The screening of ``tables`` (one Arrow table per entity) as a DuckDB relation."""
        return self.run(connection, tables, self.compiled(jurisdiction, on))

    def run(self, connection: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table],
            screening: Screening) -> duckdb.DuckDBPyRelation:
        for entity, name in TABLES.items():
            connection.register(name, tables[entity])
        return connection.sql(screening.sql)

    def arrow(self, connection: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table],
              screening: Screening) -> pa.Table:
        return self.run(connection, tables, screening).to_arrow_table()

    def screen(self, applications: Iterable[model.Application], on: date | None = None,
               jurisdiction: str | None = None) -> pa.Table:
        """One row per application, in order; each is screened as of ``on`` (default: its
        date of application) under ``jurisdiction`` (default: its own)."""
        return self.screen_each((a, on, jurisdiction) for a in applications)

    def screen_each(self, items: Iterable[tuple[model.Application, date | None, str | None]],
                    ) -> pa.Table:
        """Like :meth:`screen`, with a date and jurisdiction (or None) per application;
        applications under the same policy values run as one query."""
        groups: dict[tuple[str, str], list] = {}
        for index, (application, on, jurisdiction) in enumerate(items):
            where = jurisdiction or application.jurisdiction
            screening = self.compiled(where, on or application.applied_on)
            groups.setdefault((where, screening.policy_version), []).append(
                (index, application, screening))
        parts, order = [], []
        connection = self.connect()
        for group in groups.values():
            tables = tables_from_applications(a for _, a, _ in group)
            parts.append(self.arrow(connection, tables, group[0][2]))
            order += [i for i, _, _ in group]
        if not parts:
            return pa.table({})
        table = pa.concat_tables(parts)
        return table.take(pa.array(sorted(range(len(order)), key=order.__getitem__)))
