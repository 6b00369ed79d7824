"""Income of the household as a whole (`household.incomes`): the members' income kinds and
periods, every bad field named by its path, and none when left out."""

from decimal import Decimal

import pytest

from aidrules.errors import ApplicationError
from aidrules.model import application_from_dict


def _data(incomes=None) -> dict:
    household = {"members": [{"id_number": "230781198005010116", "name": "王建国",
                              "relation": "head", "incomes": []}],
                 "assets": {"financial_assets": "0"}, "expenditures": []}
    if incomes is not None:
        household["incomes"] = incomes
    return {"application_id": "T-HH", "applied_on": "2025-03-01",
            "jurisdiction": "heilongjiang/yichun/tieli", "area": "urban", "household": household}


def test_household_incomes_are_read_with_the_members_kinds_and_periods():
    household = application_from_dict(_data([
        {"kind": "family_planning_reward", "amount": "960", "period": "yearly"}])).household
    (income,) = household.incomes
    assert (income.kind, income.monthly_amount) == ("family_planning_reward", Decimal("80"))


def test_left_out_the_household_has_no_income_of_its_own():
    assert application_from_dict(_data()).household.incomes == ()


def test_every_bad_household_income_field_is_named_by_its_path():
    with pytest.raises(ApplicationError) as info:
        application_from_dict(_data([{"kind": "family_planing_reward", "amount": "1.234",
                                      "period": "monthly"}]))
    assert [p.path for p in info.value.problems] == ["$.household.incomes[0].kind",
                                                     "$.household.incomes[0].amount"]
    assert "did you mean 'family_planning_reward'?" in str(info.value.problems[0])
