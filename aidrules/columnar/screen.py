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

    def compiled(self, jurisdiction: str, on: date) -> Screening:
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
        for entity, name in TABLES.items():
            connection.register(name, tables[entity])
        return connection.sql(self.compiled(jurisdiction, on).sql)

    def screen(self, applications: Iterable[model.Application], on: date | None = None,
               jurisdiction: str | None = None) -> pa.Table:
        """One row per application, in order; each is screened as of ``on`` (default: its
        date of application) under ``jurisdiction`` (default: its own)."""
        groups: dict[tuple[str, date], list[tuple[int, model.Application]]] = {}
        for index, application in enumerate(applications):
            key = (jurisdiction or application.jurisdiction, on or application.applied_on)
            groups.setdefault(key, []).append((index, application))
        parts, order = [], []
        connection = self.connect()
        for (where, when), items in groups.items():
            tables = tables_from_applications(a for _, a in items)
            parts.append(self.relation(connection, tables, where, when).to_arrow_table())
            order += [i for i, _ in items]
        if not parts:
            return pa.table({})
        table = pa.concat_tables(parts)
        return table.take(pa.array(sorted(range(len(order)), key=order.__getitem__)))
