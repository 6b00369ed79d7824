"""Ledgers on a real SQLite file and on the real PostgreSQL server (its own schema per test)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from aidrules.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("AIDRULES_TEST_POSTGRES_URL")
NO_POSTGRES = "AIDRULES_TEST_POSTGRES_URL is unset (e.g. postgresql://postgres@127.0.0.1:5432/test)"


@pytest.fixture
def postgres_url():
    """A URL on a fresh schema of the test database, dropped afterwards."""
    if not POSTGRES:
        pytest.skip(NO_POSTGRES)
    schema = "ledger_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def ledger(database_url, assessor):
    opened = Ledger.open(database_url, assessor=assessor, upgrade=True)
    yield opened
    opened.close()


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Run ``aidrules`` in the checkout against a fresh SQLite ledger file (``run.db``)."""
    from typer.testing import CliRunner

    from aidrules.cli import app
    monkeypatch.chdir(ROOT)  # the defaults ./rules and ./policies
    db = str(tmp_path / "cli.db")
    runner = CliRunner()

    def invoke(*args):
        db_option = ["--db", db] if args[1] != "upgrade" else []
        return runner.invoke(app, [*map(str, args), *db_option])
    invoke.db = db
    return invoke
