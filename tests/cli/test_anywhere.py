"""The commands that used to read ./rules and ./policies (the case procedure, the ledger,
replay and impact) find the shipped book from any folder, through the composition root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidrules.cli import app

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "rules" / "dibao" / "cases" / "grace-and-single-person.yaml"


@pytest.fixture
def anywhere(tmp_path, monkeypatch):
    """``aidrules ARGS`` run from an empty folder, no book configured."""
    for variable in ("AIDRULES_RULES", "AIDRULES_POLICIES", "AIDRULES_OVERLAYS",
                     "AIDRULES_CONFIG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_the_case_procedure_and_the_ledger_work_from_an_empty_folder(anywhere, tmp_path):
    application = tmp_path / "application.yaml"
    shutil.copy(ROOT / "examples" / "applications" / "01-tieli-urban-below-standard.yaml",
                application)
    filed = anywhere("case", "file", application, "--household", "H-1", "--grid", "G-1",
                     "--by", "officer.wang", "--on", "2025-03-03", "--db", "ledger.db")
    assert filed.exit_code == 0, filed.output
    assert filed.output.startswith("case 1 accepted")
    due = anywhere("case", "due", "--on", "2025-03-03", "--db", "ledger.db")
    assert due.exit_code == 0, due.output
    assert "H-1" in due.output
    verified = anywhere("ledger", "verify", "--db", "ledger.db")
    assert verified.exit_code == 0, verified.output
    assert "every household chain verifies" in verified.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["application.yaml", "ledger.db"]


def test_replay_works_from_an_empty_folder(anywhere):
    result = anywhere("replay", CASES)
    assert result.exit_code == 0, result.output
    assert "with differences, 0 not assessed." in result.output
    assert " 0 agreed" not in result.output


def test_impact_works_from_an_empty_folder(anywhere):
    result = anywhere("impact", "--base", ROOT, "--cases", CASES)
    assert result.exit_code == 0, result.output
    assert "0 changed" in result.output


def test_a_book_that_does_not_load_is_still_named(anywhere, tmp_path):
    (tmp_path / "empty").mkdir()
    result = anywhere("replay", CASES, "--rules", tmp_path / "empty")
    assert result.exit_code == 1
    assert "problem(s) in" in result.output


def test_a_feed_is_screened_with_the_shipped_warning_rules_from_an_empty_folder(anywhere):
    result = anywhere("feeds", "import", ROOT / "feeds" / "medical_insurance.yaml",
                      ROOT / "examples/feeds/feeds/2025-03/medical_insurance.xlsx",
                      "--register", ROOT / "examples/feeds/register", "--on", "2025-03-31")
    assert result.exit_code == 0, result.output
    assert "yellow large_medical_bill_unassisted: 4" in result.output
