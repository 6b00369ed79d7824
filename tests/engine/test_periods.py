"""Every amount says its period: dibao per month, temporary aid once (a range)."""

from pathlib import Path

import pytest

from aidrules.engine import Assessor
from aidrules.model import read_application
from aidrules.notices import decision_notice
from aidrules.render.text import explain

EXAMPLES = Path(__file__).parents[2] / "examples/applications"
ELDERLY_COUPLE = EXAMPLES / "14-tieli-elderly-couple-care.yaml"


@pytest.fixture(scope="module")
def assessed(book):
    application = read_application(ELDERLY_COUPLE)
    return Assessor(book).assess(application), application


def test_the_book_says_temporary_aid_is_paid_once_and_dibao_per_month(book):
    assert book.aids["temporary_assistance"].period == "once"
    assert book.aids["dibao"].period == "month"
    assert book.aids["medical_aid"].period is None  # no amount


def test_the_json_document_gives_each_amount_its_period(assessed):
    results = {r["aid"]: r for r in assessed[0].to_json()["results"]}
    temporary = results["temporary_assistance"]
    assert (temporary["amount"], temporary["amount_max"], temporary["period"]) == (
        "2840.00", "8520.00", "once")
    assert results["dibao"]["period"] == "month"
    assert results["medical_aid"]["period"] is None


def test_the_notice_prints_temporary_aid_as_one_off(assessed):
    text = decision_notice(*assessed)
    assert "临时救助：一次性 2840.00 元至 8520.00 元" in text
    assert "每月 2840.00" not in text
    assert "最低生活保障：每月 820.00 元" in text
    english = decision_notice(*assessed, language="en")
    assert "Temporary assistance: once, 2840.00 to 8520.00 yuan" in english


def test_explain_says_the_period(assessed):
    assert "金额 amount: 2840.00 – 8520.00 元（一次性）yuan once" in explain(assessed[0],
                                                                     "temporary_assistance")
    assert "金额 amount: 820.00 元/月 yuan a month" in explain(assessed[0], "dibao")
