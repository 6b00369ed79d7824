"""yearly(...) and monthly(...) are exact in the engine as in the evaluator: a household
whose yearly income per member is exactly the yearly ceiling is not below it, one fen a
year less is (assess raises if durable_rules and the evaluator disagree)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from aidrules.engine import Assessor
from aidrules.engine.compiler import MONEY_UNITS
from aidrules.language import Env, evaluate, parse
from aidrules.model import application_from_dict


def _two_earners(yearly_total: str) -> dict:
    """Two members, income stated per year (not whole fen a month), high medical spending."""
    return {
        "application_id": "T-RIGID-EDGE", "applied_on": "2025-03-15",
        "jurisdiction": "heilongjiang/yichun/tieli", "area": "urban",
        "household": {
            "members": [
                {"id_number": "230781198005010116", "name": "孙国华", "relation": "head",
                 "work_ability": "full", "employment": "employed",
                 "incomes": [{"kind": "wage", "amount": yearly_total, "period": "yearly"}]},
                {"id_number": "230781198207090222", "name": "吴秀芝", "relation": "spouse",
                 "work_ability": "full", "employment": "not_working", "incomes": []},
            ],
            "assets": {"financial_assets": "1000.00", "housing_units": 1},
            "expenditures": [{"kind": "medical", "amount": "90000.00"}],
        },
    }


@pytest.mark.parametrize(("yearly_total", "below"), [
    ("80000.00", False),  # 40,000 a year per member: exactly Tieli's urban ceiling, not below
    ("79999.99", True),  # 3,333.33291… a month per member; a fen a year under the ceiling
])
def test_the_yearly_ceiling_is_met_exactly(book, yearly_total, below):
    found = Assessor(book).assess(application_from_dict(_two_earners(yearly_total)))
    result = found.result("rigid_expenditure")
    assert (result.status == "eligible") is below


@pytest.mark.parametrize("fen", [1, 7, 11, 12, 4_533_100, 9_999_999])
def test_a_yearly_amount_in_fen_is_a_whole_number_of_engine_units_a_month(fen):
    """monthly(x) of a yearly figure in whole fen is x / 12: 100 units (1/1200 yuan) per
    yuan a year, so the engine never gets a fraction of a unit from a conversion."""
    month = evaluate(parse("monthly(x)"), Env({"x": Fraction(fen, 100)}), lambda n: None)
    assert (month * MONEY_UNITS).denominator == 1
    assert month * MONEY_UNITS == fen
