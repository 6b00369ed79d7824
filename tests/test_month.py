"""A month of monitoring stored in the ledger: nothing lost, nothing counted twice, and the
same warnings whatever order the departments' files arrive in."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidrules.ledger import Ledger
from aidrules.model import application_from_dict
from aidrules.monitoring import FeedImport, Reject, load_mapping, load_warning_rules, read_register
from aidrules.monitoring.synthetic import Facts, generate
from aidrules.month import FeedFile, run_month

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples/feeds"
MANIFEST = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))
TODAY = date(2025, 3, 31)
REGISTER = read_register(SAMPLE / "register")
FACTS = Facts(SAMPLE / "register")
WARNINGS = load_warning_rules(ROOT / "warnings", ROOT / "policies")
TABLES = ("households", "applications", "assessments", "chain_entries", "feed_imports",
          "feed_rows", "feed_rejects", "early_warnings", "warnings", "verification_tasks",
          "discovered_people")


def sample_feeds(root: Path = SAMPLE, names=None) -> list[FeedFile]:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return [FeedFile(load_mapping(ROOT / "feeds" / f"{name}.yaml"),
                     root / "feeds" / manifest["month"] / manifest["feeds"][name]["file"])
            for name in (names or manifest["feeds"])]


def facts_of(household_id):
    return application_from_dict(FACTS.application(household_id, TODAY))


def month(ledger, feeds, register=REGISTER, facts=facts_of):
    return run_month(ledger, register, WARNINGS, feeds, TODAY, facts)


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def stored_warnings(path: Path) -> set[tuple]:
    with sqlite3.connect(path) as db:
        return set(db.execute("SELECT e.key, e.rule_id, e.household_id, e.colour, e.suggest, "
                              "t.grid FROM early_warnings e LEFT JOIN verification_tasks t "
                              "ON t.warning_id = e.warning_id"))


def test_a_month_stores_rows_warnings_tasks_and_discovered_people(tmp_path, assessor):
    ledger = Ledger.open(tmp_path / "l.db", assessor=assessor)
    result = month(ledger, sample_feeds())
    found = counts(tmp_path / "l.db")
    assert found["feed_imports"] == 7
    assert found["feed_rows"] == sum(f["good"] for f in MANIFEST["feeds"].values())
    assert found["feed_rejects"] == sum(f["broken"] for f in MANIFEST["feeds"].values())
    assert found["early_warnings"] == len(result.warnings) == 30  # as screened in test_examples
    assert found["discovered_people"] == 14
    with_task = [w for w in result.warnings if w.task_id is not None]
    assert found["verification_tasks"] == found["warnings"] == len(with_task)
    assert {w.warning.household_id[0] for w in result.warnings if w.task_id is None} <= {"D"}
    assert result.registered == found["households"]  # each warned household, registered once
    assert ledger.verify() is None


def test_importing_the_same_month_again_changes_nothing(tmp_path, assessor):
    ledger = Ledger.open(tmp_path / "l.db", assessor=assessor)
    month(ledger, sample_feeds())
    before = counts(tmp_path / "l.db")
    again = month(ledger, sample_feeds())
    assert all(i.stored.is_repeat for i in again.imports)
    assert (again.warnings, again.discovered, again.registered) == ([], 0, 0)
    assert counts(tmp_path / "l.db") == before


def test_the_same_rows_in_another_file_are_recorded_as_an_import_but_add_no_row(
        tmp_path, assessor):
    ledger = Ledger.open(tmp_path / "l.db", assessor=assessor)
    month(ledger, sample_feeds(names=["human_resources"]))
    copy = tmp_path / "human_resources-resent.csv"
    original = sample_feeds(names=["human_resources"])[0]
    shutil.copy(original.path, copy)
    with copy.open("a", encoding="utf-8") as f:
        f.write("\n")  # a blank line: another file (another sha256), the same rows
    before = counts(tmp_path / "l.db")
    again = month(ledger, [FeedFile(original.mapping, copy)])
    imported = again.imports[0]
    assert not imported.stored.is_repeat
    assert (imported.stored.new_events, imported.stored.duplicates) == ((), 13)
    after = counts(tmp_path / "l.db")
    assert after["feed_imports"] == before["feed_imports"] + 1
    assert after["feed_rows"] == before["feed_rows"]
    assert after["early_warnings"] == before["early_warnings"]


@pytest.fixture(scope="module")
def all_at_once(tmp_path_factory, assessor):
    path = tmp_path_factory.mktemp("expected") / "l.db"
    month(Ledger.open(path, assessor=assessor), sample_feeds())
    return stored_warnings(path), counts(path)["verification_tasks"]


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(sorted(MANIFEST["feeds"])), together=st.booleans())
def test_feeds_in_any_order_store_the_same_warnings(tmp_path_factory, assessor, all_at_once,
                                                   order, together):
    """One file per run or all in one run, in any order: the same warnings, the same tasks."""
    path = tmp_path_factory.mktemp("ordered") / "l.db"
    ledger = Ledger.open(path, assessor=assessor)
    if together:
        month(ledger, sample_feeds(names=order))
    else:
        for name in order:
            month(ledger, sample_feeds(names=[name]))
    assert (stored_warnings(path), counts(path)["verification_tasks"]) == all_at_once


def test_broken_feeds_keep_every_reject_with_its_line_reason_and_cells(tmp_path, assessor):
    county = tmp_path / "county"
    manifest = generate(county, 300, 5, date(2025, 3, 1), broken_rate=0.5)
    feeds = sample_feeds(county)
    ledger = Ledger.open(tmp_path / "l.db", assessor=assessor)
    facts = Facts(county / "register")
    month(ledger, feeds, read_register(county / "register"),
          lambda h: application_from_dict(facts.application(h, TODAY)))
    with sqlite3.connect(tmp_path / "l.db") as db:
        stored = {(source, line, reason, cells) for source, line, reason, cells in db.execute(
            "SELECT i.source, r.line, r.reason, r.cells FROM feed_rejects r "
            "JOIN feed_imports i ON i.id = r.import_id")}
    rejects = {(r.source, r.line, r.reason, json.dumps([str(c) for c in r.raw],
                                                       ensure_ascii=False, separators=(",", ":")))
               for feed in feeds for r in FeedImport(feed.mapping, feed.path)
               if isinstance(r, Reject)}
    assert sum(f["broken"] for f in manifest["feeds"].values()) == len(rejects) > 8
    assert stored == rejects


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT line, name, details FROM feed_rows ORDER BY line").fetchall()


def _rejects(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT line, reason FROM feed_rejects ORDER BY line").fetchall()


def test_bills_differing_only_in_hospital_are_two_rows_and_a_reimport_adds_none(
        tmp_path, assessor):
    from aidrules.month import import_file
    bills = _write(tmp_path / "bills.csv", [
        "身份证号码,姓名,结算日期,个人自付金额,医疗机构",
        "11010519491231002X,王芳,2025-03-05,1200.00,铁力市人民医院",
        "11010519491231002X,王芳,2025-03-05,1200.00,伊春市中心医院"])
    ledger = Ledger.open(tmp_path / "l.db", assessor=assessor)
    feed = FeedFile(load_mapping(ROOT / "feeds/medical_insurance.yaml"), bills)
    first = import_file(ledger, feed, TODAY)
    assert (first.report.imported, len(first.stored.new_events), first.stored.duplicates) == (
        2, 2, 0)
    assert _rows(tmp_path / "l.db") == [(2, "王芳", '{"hospital":"铁力市人民医院"}'),
                                         (3, "王芳", '{"hospital":"伊春市中心医院"}')]
    resent = _write(tmp_path / "bills-resent.csv", [*bills.read_text("utf-8").splitlines(), ""])
    again = import_file(ledger, FeedFile(feed.mapping, resent), TODAY)
    assert (again.stored.new_events, again.stored.duplicates) == ((), 2)
    assert len(_rows(tmp_path / "l.db")) == 2


def test_a_row_repeated_in_one_file_is_kept_as_a_reject_with_its_line(tmp_path, assessor):
    from aidrules.month import import_file
    cars = _write(tmp_path / "registrations.csv", [
        "身份证号,姓名,登记日期,金额,登记类型",
        "11010519491231002X,王芳,2025-03-10,89000,机动车",
        "11010519491231002X,王芳,2025-03-10,89000,机动车",
        "11010519491231002X,王方,2025-03-10,89000,机动车"])
    ledger = Ledger.open(tmp_path / "l.db", assessor=assessor)
    result = import_file(ledger, FeedFile(load_mapping(ROOT / "feeds/registrations.yaml"),
                                          cars), TODAY)
    report = result.report
    assert (report.rows, report.imported, report.rejected) == (3, 2, 1)
    assert [line for line, _, _ in _rows(tmp_path / "l.db")] == [2, 4]
    assert _rejects(tmp_path / "l.db") == [(3, "duplicate row: the same as line 2")]
