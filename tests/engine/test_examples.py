"""Every shipped example gives its expected statuses and amounts (Tieli, 2025 values)."""

from pathlib import Path

import pytest

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
        {"rigid_expenditure": None, "temporary_assistance": "1420.00", "medical_aid": None,
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
    "12-tieli-fire-emergency.yaml": ({"temporary_assistance": "1420.00"}, set(), "red"),
    "13-tieli-severely-disabled-adult.yaml": (
        {"dibao": "710.00", "dibao_marginal": None, "medical_aid": None, "employment_aid": None,
         "elderly_care": None, "hardship_aid": None}, set(), "red"),
    "14-tieli-elderly-couple-care.yaml": (
        {"dibao": "820.00", "temporary_assistance": "1420.00", "medical_aid": None,
         "elderly_care": None, "hardship_aid": None}, set(), "red"),
}


def test_every_example_is_pinned():
    assert sorted(EXPECTED) == sorted(p.name for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_outcome(assessor, name):
    eligible, undetermined, risk = EXPECTED[name]
    result = assessor.assess(read_application(EXAMPLES / name))
    got = {r.aid: (None if r.amount is None else str(r.amount))
           for r in result.results if r.status == "eligible"}
    assert got == eligible
    assert {r.aid for r in result.results if r.status == "undetermined"} == undetermined
    assert result.risk_level == risk


def test_undetermined_names_the_missing_facts(assessor):
    result = assessor.assess(read_application(EXAMPLES / "07-tieli-income-not-reported.yaml"))
    dibao = result.result("dibao")
    assert dibao.missing and all(p.startswith("$.household.members[") for p in dibao.missing)
    assert any(p.endswith(".incomes") for p in dibao.missing)


def test_json_document_holds_the_agreed_fields(assessor):
    document = assessor.assess(
        read_application(EXAMPLES / "01-tieli-urban-below-standard.yaml")).to_json()
    assert document["schema"] == "aidrules.assessment/1"
    assert {"application_id", "jurisdiction", "on", "rulebook", "results", "risk_level",
            "referrals"} <= set(document)
    dibao = next(r for r in document["results"] if r["aid"] == "dibao")
    assert dibao["status"] == "eligible" and dibao["amount"] == "30.00"
    criterion = dibao["rules"][0]["criteria"][0]
    assert criterion["left"] == "700" and criterion["right"] == "710"
    assert criterion["margin"] == "-10"
