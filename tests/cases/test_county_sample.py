"""The county-style sample runs as its README says: pytest, replay and impact."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "county-sample"
AIDRULES = Path(sys.executable).parent / "aidrules"
BOOK = ["--rules", "../../rules", "--policies", "../../policies"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*args], cwd=SAMPLE, capture_output=True, text=True, timeout=300,
                          env={"PATH": str(AIDRULES.parent), "COLUMNS": "200"})


def test_pytest_runs_every_case_of_the_sample():
    done = _run(sys.executable, "-m", "pytest", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "7 passed" in done.stdout


def test_replay_agrees_with_every_recorded_decision():
    done = _run(str(AIDRULES), "replay", "cases", *BOOK)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "7 case(s): 7 agreed, 0 with differences, 0 not assessed." in done.stdout


def test_replay_writes_a_machine_readable_report(tmp_path):
    done = _run(str(AIDRULES), "replay", "cases", *BOOK, "--report", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["schema"] == "aidrules.replay/1" and len(report["cases"]) == 7
    assert report["agreement"]["dibao"] == {"agreed": 7, "differed": 0, "undetermined": 0}


def test_impact_of_the_proposed_standard(tmp_path):
    done = _run(str(AIDRULES), "impact", "--base", "../..", *BOOK,
                "--overlay", "policies-proposed", "--on", "2026-01-01", "--cases", "cases",
                "--report", str(tmp_path / "i.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Total monthly cost difference: +375.00 yuan" in done.stdout
    assert "dibao gained: ineligible → eligible 60.00" in done.stdout
    assert "parameter dibao.standard.urban: 710 → 760" in done.stdout
    report = json.loads((tmp_path / "i.json").read_text(encoding="utf-8"))
    assert report["monthly_cost_difference"] == "375.00"
    assert report["per_aid"]["dibao"]["gained"] == 2


def test_impact_can_gate_a_change_that_needs_approval():
    done = _run(str(AIDRULES), "impact", "--base", "../..", *BOOK, "--overlay",
                "policies-proposed", "--on", "2026-01-01", "--cases", "cases", "--fail-on-change")
    assert done.returncode == 1
    unchanged = _run(str(AIDRULES), "impact", "--base", "../..", *BOOK, "--on", "2026-01-01",
                     "--cases", "cases", "--fail-on-change")
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert "Total monthly cost difference: +0.00 yuan" in unchanged.stdout
