"""`aidrules demo`: a small county's month end to end; the summary says what the ledger holds."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from typer.testing import CliRunner

from aidrules.cli import app
from aidrules.demo import BRANDS, COLOURS


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(app, ["demo", "--households", "200", "--seed", "3",
                                      "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output, sqlite3.connect(db), db


def line(output: str, label: str) -> str:
    return next(text for text in output.splitlines() if label in text)


def numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def one(db, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


# The shipped example applications are filed as households EX-…: they are not the county's
# month, so the month's figures leave them out and a line of their own reports them.
COUNTY = "household_id NOT LIKE 'EX-%'"


def test_people_under_monitoring_are_the_people_the_ledger_holds(demo):
    output, db, _ = demo
    assert numbers(line(output, "people under monitoring")) == [
        one(db, "SELECT count(DISTINCT id_number) FROM members m JOIN applications a "
                f"ON a.id = m.application_id WHERE a.{COUNTY}"),
        one(db, "SELECT count(*) FROM households WHERE id NOT LIKE 'EX-%'")]


def test_warnings_sent_and_their_colours_are_the_stored_warnings(demo):
    output, db, _ = demo
    colours = dict(db.execute("SELECT colour, count(*) FROM early_warnings GROUP BY colour"))
    tasks = one(db, "SELECT count(*) FROM verification_tasks")
    assert numbers(line(output, "warnings sent")) == [
        one(db, "SELECT count(*) FROM early_warnings"), *(colours.get(c, 0) for c in COLOURS),
        tasks, one(db, "SELECT count(*) FROM verification_tasks WHERE done_on IS NOT NULL")]
    assert tasks > 0


def test_discovered_people_and_temporary_aid_cases(demo):
    output, db, _ = demo
    assert numbers(line(output, "people discovered")) == [
        one(db, "SELECT count(*) FROM discovered_people")]
    assert numbers(line(output, "temporary-aid cases")) == [one(
        db, "SELECT count(DISTINCT case_id) FROM enrolments WHERE aid = 'temporary_assistance' "
        f"AND {COUNTY}")]


def test_newly_enrolled_households_per_aid_type(demo):
    output, db, _ = demo
    text = line(output, "newly enrolled").split(":", 1)[1]
    shown = {aid: int(n) for aid, n in re.findall(r"(\w+) (\d+)", text)}
    assert shown == dict(db.execute(
        f"SELECT aid, count(DISTINCT household_id) FROM enrolments WHERE {COUNTY} GROUP BY aid"))
    assert shown


def test_the_shipped_examples_are_reported_on_their_own_line(demo):
    output, db, _ = demo
    text = line(output, "shipped examples")
    assert numbers(text)[0] == 14 == one(
        db, "SELECT count(*) FROM cases WHERE household_id LIKE 'EX-%'")
    shown = {aid: int(n) for aid, n in re.findall(r"([a-z_]+) (\d+)", text.split(":", 1)[1])}
    assert shown == dict(db.execute(
        "SELECT aid, count(DISTINCT household_id) FROM enrolments "
        "WHERE household_id LIKE 'EX-%' GROUP BY aid"))
    assert shown
    assert numbers(line(output, "cases filed")) == [
        one(db, f"SELECT count(*) FROM cases WHERE {COUNTY}")]


def test_referrals_by_brand_and_the_feedback_received(demo):
    output, db, _ = demo
    by_brand = dict(db.execute(f"SELECT brand, count(*) FROM referrals WHERE {COUNTY} "
                               "GROUP BY brand"))
    text = line(output, "referrals by brand")
    assert {b: int(n) for name, n in re.findall(r"(\w+) (\d+)", text)
            for b, label in BRANDS.items() if label == name} == by_brand
    assert numbers(line(output, "feedback received")) == [
        one(db, "SELECT count(*) FROM feedback f JOIN referrals r ON r.id = f.referral_id "
                f"WHERE r.{COUNTY}"),
        one(db, f"SELECT count(*) FROM referrals WHERE status = 'answered' AND {COUNTY}"),
        sum(by_brand.values())]


def test_households_by_risk_colour(demo):
    output, db, _ = demo
    risk = dict(db.execute("SELECT risk_level, count(*) FROM households WHERE "
                           "risk_level IS NOT NULL AND id NOT LIKE 'EX-%' GROUP BY risk_level"))
    assert numbers(line(output, "households by risk")) == [risk.get(c, 0) for c in COLOURS]


def test_every_case_was_investigated_by_two_and_decided_by_another(demo):
    _, db, _ = demo
    rows = list(db.execute("SELECT c.investigators, d.decided_by FROM cases c "
                           "JOIN decisions d ON d.case_id = c.id"))
    assert len(rows) == one(db, "SELECT count(*) FROM cases") > 14  # the examples and more
    assert all(len(set(json.loads(staff))) == 2 and by not in json.loads(staff)
               for staff, by in rows)


def test_verified_households_were_re_assessed_on_the_facts_found(demo):
    _, db, _ = demo
    assert one(db, "SELECT count(*) FROM applications WHERE source = 'findings'") == one(
        db, "SELECT count(*) FROM verification_tasks WHERE done_on IS NOT NULL")


def test_the_demo_ledger_verifies(demo):
    _, _, path = demo
    result = CliRunner().invoke(app, ["ledger", "verify", "--db", str(path)])
    assert result.exit_code == 0, result.output


def test_a_month_that_is_not_a_month_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--month", "2025-13", "--db",
                                      str(tmp_path / "d.db")])
    assert result.exit_code == 2
    assert "2025-13" in result.output and "not a month" in result.output


def _another_ledger(path):
    from aidrules.ledger import Ledger
    Ledger.upgrade(path)


@pytest.mark.parametrize("existing", ["a csv file", "another ledger", "an empty file"])
def test_an_existing_file_that_is_not_a_demo_ledger_is_refused_and_kept(tmp_path, existing):
    """`--db` naming someone's file: one line saying so, exit 1, the file untouched."""
    db = tmp_path / "mine.db"
    if existing == "a csv file":
        db.write_text("身份证号码,姓名\n", encoding="utf-8")
    elif existing == "another ledger":
        _another_ledger(db)
    else:
        db.touch()
    before = db.read_bytes()
    result = CliRunner().invoke(app, ["demo", "--households", "20", "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{db}: exists and is not a demo ledger, so it is not replaced; "
        "delete it or choose another file"]
    assert db.read_bytes() == before
