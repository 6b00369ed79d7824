"""The shipped migrations build, from an empty database, exactly the schema the models say;
a ledger made at an earlier revision is brought up and still verifies."""

from __future__ import annotations

import gzip
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from aidrules.ledger import Ledger, migrate
from tests.ledger.households import every_table, wang


def test_an_empty_database_migrates_to_head_and_matches_the_models(database_url):
    engine = sa.create_engine(database_url)
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert migrate.differences(engine) == []
        migrate.upgrade(engine)  # upgrading an up-to-date database changes nothing
        assert migrate.differences(engine) == []
    finally:
        engine.dispose()


def test_a_database_missing_a_column_differs_from_the_models(database_url):
    """The comparison can fail: it is not a test that always passes."""
    engine = sa.create_engine(database_url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE warnings DROP COLUMN risk_level"))
        assert [d[0] for d in migrate.differences(engine)] == ["add_column"]
    finally:
        engine.dispose()


DUMP = Path(__file__).resolve().parent / "data" / "ledger-0004.sql.gz"


def _ledger_at_0004(database_url: str, scratch: Path) -> None:
    """The ledger aidrules wrote at schema 0004 (data/make_ledger_0004.py), put in this
    database: on SQLite the dump itself, on PostgreSQL its rows in a schema at 0004."""
    script = gzip.decompress(DUMP.read_bytes()).decode()
    path = database_url.removeprefix("sqlite:///") if database_url.startswith("sqlite") \
        else str(scratch / "0004.db")
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.executescript(script)
    if database_url.startswith("sqlite"):
        return
    source, target = sa.create_engine(f"sqlite:///{path}"), sa.create_engine(database_url)
    try:
        migrate.upgrade(target, "0004")
        _copy_rows(source, target)
    finally:
        source.dispose()
        target.dispose()


def _copy_rows(source: sa.Engine, target: sa.Engine) -> None:
    found, made = sa.MetaData(), sa.MetaData()
    found.reflect(source)
    made.reflect(target)
    with source.connect() as reading, target.begin() as writing:
        for table in made.sorted_tables:
            rows = [dict(r._mapping) for r in reading.execute(sa.select(found.tables[table.name]))]
            if rows and table.name != "alembic_version":
                writing.execute(table.insert(), rows)
            if rows and "id" in table.c and isinstance(table.c.id.type, sa.Integer):
                writing.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                                        f"'id'), (SELECT max(id) FROM {table.name}))"))


def test_a_ledger_made_at_0004_is_sealed_when_upgraded(database_url, tmp_path, assessor):
    """Every row already there is sealed by one 'sealed' entry per household and the first
    ledger head: it verifies, a later change to an old row is caught, and the ledger goes on."""
    _ledger_at_0004(database_url, tmp_path)
    ledger = Ledger.open(database_url, assessor=assessor, upgrade=True)
    try:
        assert ledger.verify() is None
        # 0006 seals every row, 0009_casework reseals the lists it turned into arrays
        assert [e.kind for e in ledger.chain("H-1")][-3:] == ["exited", "sealed", "sealed"]
        assert [e.kind for e in ledger.chain("H-2")][-3:] == ["refusal_notified", "sealed",
                                                              "sealed"]
        assert ledger.case(1)["investigators"] == ["乙", "甲"]  # as 0004 stored "乙,甲"
        assert ledger.assessment(1)["results"]  # (replay needs the rule book of 0004's day)
        with ledger.engine.begin() as connection:
            connection.execute(sa.text("UPDATE enrolments SET monthly_amount = '999.00' "
                                       "WHERE id = 1"))
        assert str(ledger.verify()).startswith("enrolment 1: differs from what household H-1")
        with ledger.engine.begin() as connection:
            connection.execute(sa.text("UPDATE enrolments SET monthly_amount = '30.00' "
                                       "WHERE id = 1"))
        assert ledger.verify() is None
        ledger.register_household("H-3", "grid-07", wang(family=3), date(2025, 12, 1))
        assert ledger.verify() is None
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), \
                ledger.engine.begin() as connection:  # the triggers of 0002 survived
            connection.execute(sa.text("DELETE FROM chain_entries"))
    finally:
        ledger.close()


def test_the_sealing_migrations_are_not_undone_and_a_refused_downgrade_changes_nothing(ledger):
    every_table(ledger)
    for down_to in ("0008_payments", "0006", "0005"):
        with pytest.raises(RuntimeError, match="migration 0009_casework is not undone"):
            migrate.downgrade(ledger.engine, down_to)
        assert migrate.current_revision(ledger.engine) == migrate.head_revision()
    assert ledger.verify() is None
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), \
            ledger.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM chain_entries"))


def test_0006_is_not_undone(database_url):
    engine = sa.create_engine(database_url)
    try:
        migrate.upgrade(engine, "0006")
        with pytest.raises(RuntimeError, match="migration 0006 is not undone"):
            migrate.downgrade(engine, "0005")
        assert migrate.current_revision(engine) == "0006"
    finally:
        engine.dispose()
