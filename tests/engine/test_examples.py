"""Every shipped example gives its expected statuses and amounts (Tieli, 2025 values), from
the library and from ``aidrules assess --json`` alike."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidrules.cli import app
from aidrules.model import read_application

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "applications"

# file → (aid types that are eligible with their monthly amount or None, undetermined, risk)
EXPECTED = {
    "01-tieli-urban-below-standard.yaml": (
        {"dibao": "30.00", "medical_aid": None, "education_aid": None}, set(), "yellow"),
    "02-tieli-urban-exactly-at-standard.yaml": ({"dibao_marginal": None}, set(), "blue"),
    "03-tieli-elderly-alone-tekun.yaml": (
        {"tekun": "1233.00", "temporary_assistance": "1420.00", "medical_aid": None,
         "elderly_care": None}, set(), "red"),
    "04-tieli-marginal-seriously-ill.yaml": (
        {"dibao": "710.00", "dibao_marginal": None, "medical_aid": None, "education_aid": None,
         "hardship_aid": None}, {"employment_aid"}, "red"),
    "05-tieli-rigid-expenditure-medical.yaml": (
        {"rigid_expenditure": None, "temporary_assistance": "4260.00", "medical_aid": None,
         "hardship_aid": None}, set(), "yellow"),
    "06-tieli-disqualified-by-car.yaml": ({}, set(), None),
    "07-tieli-income-not-reported.yaml": (
        {}, {"dibao", "dibao_marginal", "rigid_expenditure", "temporary_assistance",
             "medical_aid", "education_aid", "employment_aid"}, None),
    "08-tieli-rural-below-standard.yaml": (
        {"dibao": "1068.00", "medical_aid": None, "education_aid": None, "elderly_care": None},
        {"employment_aid"}, "yellow"),
    "09-tieli-urban-above-every-line.yaml": ({}, set(), None),
    "10-tieli-registered-unemployed.yaml": (
        {"dibao": "320.00", "medical_aid": None, "employment_aid": None, "elderly_care": None},
        set(), "yellow"),
    "11-tieli-low-income-students.yaml": (
        {"dibao": "630.00", "medical_aid": None, "education_aid": None}, set(), "yellow"),
    "12-tieli-fire-emergency.yaml": ({"temporary_assistance": "2130.00"}, set(), "red"),
    "13-tieli-severely-disabled-adult.yaml": (
        {"dibao": "710.00", "dibao_marginal": None, "medical_aid": None, "employment_aid": None,
         "elderly_care": None, "hardship_aid": None}, set(), "red"),
    "14-tieli-elderly-couple-care.yaml": (
        {"dibao": "820.00", "temporary_assistance": "2840.00", "medical_aid": None,
         "elderly_care": None, "hardship_aid": None}, set(), "red"),
}


def test_every_example_is_pinned():
    assert sorted(EXPECTED) == sorted(p.name for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_outcome(assessor, name):
    eligible, undetermined, risk = EXPECTED[name]
    document = assessor.assess(read_application(EXAMPLES / name)).to_json()
    assert outcome(document) == (eligible, undetermined, risk)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_aidrules_assess_json_gives_the_pinned_outcome(name, monkeypatch):
    monkeypatch.chdir(EXAMPLES.parents[1])  # the default ./rules and ./policies
    result = CliRunner().invoke(app, ["assess", str(EXAMPLES / name), "--json"])
    assert result.exit_code == 0, result.output
    assert outcome(json.loads(result.output)) == EXPECTED[name]


def outcome(document: dict) -> tuple[dict, set, str | None]:
    results = document["results"]
    return ({r["aid"]: r["amount"] for r in results if r["status"] == "eligible"},
            {r["aid"] for r in results if r["status"] == "undetermined"},
            document["risk_level"])
