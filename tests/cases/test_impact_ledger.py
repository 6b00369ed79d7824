"""Impact from the ledger: every household enrolled on the day the proposal takes effect,
re-assessed on its latest facts under the base and the proposed policies (the county
sample's proposal: Tieli's urban standard 710 → 760 from 2026-01-01)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidrules.cases import Books
from aidrules.cases.impact import measure, subjects_from_ledger
from aidrules.cli import app
from aidrules.ledger import Ledger
from tests.ledger.households import enrolled, wang

ROOT = Path(__file__).resolve().parents[2]
PROPOSAL = ROOT / "examples" / "county-sample" / "policies-proposed"
NEW_YEAR = date(2026, 1, 1)


@pytest.fixture(scope="module")
def ledger_file(tmp_path_factory):
    """Three households enrolled on 2026-01-01, one exited before, one only monitored
    (other people in each: one person is enrolled in an aid in one household at a time)."""
    path = tmp_path_factory.mktemp("impact") / "ledger.db"
    ledger = Ledger.open(path, assessor=Books().assessor(ROOT / "rules", ROOT / "policies"))
    try:
        case = enrolled(ledger, "H-1", wang("2100.00"), ["dibao"])            # 700 a head
        ledger.review(case, "复核员", date(2025, 10, 1), wang("2115.00"))      # 705: 15.00
        enrolled(ledger, "H-2", wang("2150.00", family=2), ["dibao_marginal"])  # 716.67 a head
        enrolled(ledger, "H-3", wang("3000.00", family=3), ["dibao_marginal"])  # 1000 a head
        gone = enrolled(ledger, "H-4", wang("2010.00", family=4), ["dibao"])
        ledger.exit(gone, "审批员", date(2025, 6, 2), "户籍迁出")
        ledger.register_household("H-5", "grid-07", wang("1000.00"), date(2025, 3, 1))
    finally:
        ledger.close()
    return path


def test_every_household_enrolled_on_the_day_is_re_assessed_under_the_proposal(
        ledger_file, tmp_path):
    books = Books()
    base = books.assessor(ROOT / "rules", ROOT / "policies")
    current = books.assessor(ROOT / "rules", ROOT / "policies", [PROPOSAL])
    subjects = subjects_from_ledger(ledger_file, NEW_YEAR)
    assert [s.label for s in subjects] == ["household H-1", "household H-2", "household H-3"]
    found = measure(base, current, subjects)
    assert [str(c) for c in found.changes] == [
        "household H-1: dibao amount: eligible 15.00 → eligible 165.00",  # 3 × (760 − 705)
        "household H-2: dibao gained: ineligible → eligible 130.00",      # 3 × 760 − 2150
        "household H-2: dibao_marginal lost: eligible → ineligible",
        "household H-2: medical_aid gained: ineligible → eligible",
    ]
    assert found.cost == {"dibao": Decimal("280.00")}
    assert found.monthly_cost == Decimal("280.00")
    assert "parameter dibao.standard.urban: 710 → 760" in found.changes[0].flipped


def test_impact_takes_the_ledger_from_the_command_line(ledger_file, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, [
        "impact", "--base", ".", "--overlay", str(PROPOSAL), "--on", "2026-01-01",
        "--ledger", str(ledger_file), "--report", str(tmp_path / "impact.json")])
    assert result.exit_code == 0, result.output
    assert "3 household(s), 2 changed" in result.output
    assert "Total monthly cost difference: +280.00 yuan" in result.output
    assert "- household H-2: dibao gained: ineligible → eligible 130.00" in result.output
    report = json.loads((tmp_path / "impact.json").read_text(encoding="utf-8"))
    assert report["monthly_cost_difference"] == "280.00"
    assert report["households"] == 3


def test_the_ledger_s_households_are_measured_beside_case_files(ledger_file, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, [
        "impact", "--base", ".", "--overlay", str(PROPOSAL), "--on", "2026-01-01",
        "--cases", "examples/county-sample/cases", "--ledger", str(ledger_file)])
    assert result.exit_code == 0, result.output
    assert "10 household(s)" in result.output  # the sample's 7 cases and 3 enrolled
    assert "Total monthly cost difference: +655.00 yuan" in result.output  # 375 + 280


def test_a_missing_ledger_is_one_line_and_exit_1(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    missing = tmp_path / "nowhere.db"
    result = CliRunner().invoke(app, ["impact", "--base", ".", "--ledger", str(missing),
                                      "--on", "2026-01-01"])
    assert result.exit_code == 1
    assert result.output == f"--ledger {missing}: no such file\n"
    assert not missing.exists()  # not created by looking
