"""The monthly job survives a crash: killed at any commit, or failing with an exception
after the import, it leaves a ledger from which a re-run stores exactly what an
uninterrupted run stores (warnings, tasks, registrations, discovered people), and the
chains verify."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from aidrules.ledger import Ledger
from aidrules.ledger import tables as t
from aidrules.model import application_from_dict
from aidrules.monitoring import read_register
from aidrules.monitoring.synthetic import Facts, generate
from aidrules.month import run_month
from tests.monthly_job import KILLED
from tests.test_month import WARNINGS, sample_feeds

ROOT = Path(__file__).resolve().parents[1]
MARCH = date(2025, 3, 1)
EARLIER, TODAY = date(2025, 3, 20), date(2025, 3, 31)  # tasks of the 20th are due the 30th


def job(*args: str, kill_at: int = 0) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIDRULES_TEST_KILL_AT_COMMIT": str(kill_at)}
    return subprocess.run([sys.executable, "-m", "tests.monthly_job", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def completed(*args: str) -> int:
    """Run the job to its end; how many commits it made."""
    done = job(*args)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (ids, chain hashes and all), sorted."""
    with sqlite3.connect(path) as db:
        tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = "
                                           "'table' AND name NOT LIKE 'sqlite_%'")]
        return {name: sorted(db.execute(f"SELECT * FROM {name}"), key=repr) for name in tables}


def facts_of(facts: Facts, on: date):
    return lambda h: application_from_dict(facts.application(h, on))


@pytest.fixture(scope="module")
def county(tmp_path_factory, assessor):
    """A small county in a ledger that has seen part of the month already: the assisted
    households under monitoring, two departments' files screened on the 20th (their
    tasks are overdue on the 31st). The job then imports every file."""
    root = tmp_path_factory.mktemp("county")
    generate(root / "county", 250, 11, MARCH)
    facts = Facts(root / "county" / "register")
    ledger = Ledger.open(root / "before.db", assessor=assessor)
    ledger.register_households(((h, row["grid"], facts_of(facts, MARCH)(h))
                                for h, row in facts.households.items()
                                if row["status"] != "none"), MARCH)
    run_month(ledger, read_register(root / "county" / "register"), WARNINGS,
              sample_feeds(root / "county", ["medical_insurance", "human_resources"]), EARLIER,
              facts_of(facts, EARLIER))
    ledger.close()
    reference = root / "reference.db"
    shutil.copy(root / "before.db", reference)
    commits = completed("month", str(reference), str(root / "county"), TODAY.isoformat())
    return root, commits, snapshot(reference)


def test_the_uninterrupted_month_stores_warnings_tasks_registrations_and_discovered(county):
    root, _, after = county
    before = snapshot(root / "before.db")
    for table in ("early_warnings", "verification_tasks", "households", "discovered_people"):
        assert len(after[table]) > len(before[table]), table
    assert "verification_overdue" in {rule for _, _, rule, *_ in after["early_warnings"]}


def test_killed_at_any_commit_a_re_run_stores_what_an_uninterrupted_run_stores(county):
    root, commits, expected = county
    county_dir, today = str(root / "county"), TODAY.isoformat()
    for kill_at in range(1, commits + 2):  # the last: not killed, then run once more
        db = root / f"killed-{kill_at}.db"
        shutil.copy(root / "before.db", db)
        killed = job("month", str(db), county_dir, today, kill_at=kill_at)
        assert killed.returncode == (KILLED if kill_at <= commits else 0), killed.stderr
        completed("month", str(db), county_dir, today)
        assert snapshot(db) == expected, f"killed at commit {kill_at} of {commits}"
        ledger = Ledger.open(db, create=False)
        assert ledger.verify() is None
        ledger.close()


POSTGRES = os.environ.get("AIDRULES_TEST_POSTGRES_URL")


@pytest.fixture
def new_schema():
    """A function giving the URL of a new ledger in a fresh PostgreSQL schema; all are
    dropped afterwards."""
    if not POSTGRES:
        pytest.skip("AIDRULES_TEST_POSTGRES_URL is unset "
                    "(e.g. postgresql://postgres@127.0.0.1:5432/test)")
    admin, made = sa.create_engine(POSTGRES), []

    def new() -> str:
        made.append(f"resume_{os.getpid()}_{len(made)}")
        with admin.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {made[-1]}"))
        url = f"{POSTGRES}?options=-csearch_path%3D{made[-1]}"
        Ledger.upgrade(url)
        return url
    yield new
    with admin.begin() as connection:
        for schema in made:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def content(url: str) -> dict[str, list[tuple]]:
    """Every row of every ledger table without the database's own numbering (ids, and the
    chain's hashes, payloads and row seals, and the ledger heads, which quote ids): on
    PostgreSQL a rolled-back transaction still moves the sequences on."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {table.name: sorted(connection.execute(sa.select(*(
                c for c in table.columns if c.name not in NUMBERING
                and (c.name == "household_id" or not c.name.endswith("_id"))))), key=repr)
                for table in t.metadata.sorted_tables}
    finally:
        engine.dispose()


NUMBERING = {"id", "hash", "prev_hash", "payload", "chain_head", "rows", "households"}


@pytest.mark.postgres
def test_killed_at_any_commit_on_postgres_a_re_run_stores_the_same(county, new_schema):
    """An empty ledger on PostgreSQL, the whole month: the same, ids apart."""
    root, today = county[0], TODAY.isoformat()
    reference = new_schema()
    commits = completed("month", reference, str(root / "county"), today)
    expected = content(reference)
    assert len(expected["early_warnings"]) > 0
    for kill_at in range(1, commits + 1):
        url = new_schema()
        killed = job("month", url, str(root / "county"), today, kill_at=kill_at)
        assert killed.returncode == KILLED, killed.stderr
        completed("month", url, str(root / "county"), today)
        assert content(url) == expected, f"killed at commit {kill_at} of {commits}"
        ledger = Ledger.open(url)
        assert ledger.verify() is None
        ledger.close()


class CountyLookupFailed(RuntimeError):
    """The county's own facts could not be read (its database was down)."""


def failing(first, at: int):
    """``first``, failing at its ``at``-th call."""
    calls = [0]

    def call(*args):
        calls[0] += 1
        if calls[0] == at:
            raise CountyLookupFailed(f"call {at}")
        return first(*args)
    return call


@pytest.mark.parametrize("fails", ["facts", "worker"])
def test_an_error_after_the_import_leaves_the_ledger_as_it_was_and_a_re_run_completes(
        county, tmp_path, assessor, fails):
    """The facts of a warned household (registration) or the grid's worker (storing the
    warnings) cannot be had: the job fails, stores nothing, and runs whole next time."""
    root, _, expected = county
    db = tmp_path / "failed.db"
    shutil.copy(root / "before.db", db)
    facts = facts_of(Facts(root / "county" / "register"), TODAY)
    ledger = Ledger.open(db, assessor=assessor)

    def month(application_of, worker_of=lambda grid: f"{grid}网格员"):
        return run_month(ledger, read_register(root / "county" / "register"), WARNINGS,
                         sample_feeds(root / "county"), TODAY, application_of, worker_of)
    with pytest.raises(CountyLookupFailed):
        if fails == "facts":
            month(failing(facts, at=3))
        else:
            month(facts, failing(lambda grid: f"{grid}网格员", at=3))
    assert snapshot(db) == snapshot(root / "before.db")
    month(facts)
    assert snapshot(db) == expected
    assert ledger.verify() is None
    ledger.close()


def demo_snapshot(path: Path) -> dict[str, list[tuple]]:
    """The demo's ledger. Its feeds are written anew in a temporary folder each run (an
    Excel file records when it was written): their paths and sha256 are left out."""
    rows = snapshot(path)
    rows["feed_imports"] = [(n, source, Path(file).name, *rest)
                            for n, source, file, _sha256, *rest in rows["feed_imports"]]
    return rows


def test_a_demo_killed_part_way_is_replaced_by_the_next_run(tmp_path):
    """`aidrules demo` recreates its ledger: run again on its finished ledger and killed
    half-way, then run once more, it ends where an uninterrupted run ends."""
    db = tmp_path / "demo.db"
    commits = completed("demo", str(db), "150")
    expected = demo_snapshot(db)
    assert len(expected["verification_tasks"]) > 5 and len(expected["cases"]) > 14
    killed = job("demo", str(db), "150", kill_at=commits // 2)
    assert killed.returncode == KILLED, killed.stderr
    assert demo_snapshot(db) != expected
    completed("demo", str(db), "150")
    assert demo_snapshot(db) == expected
