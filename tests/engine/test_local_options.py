"""Options the national rules leave to a province work when a county switches them on:
the deduction of illness costs and classified top-ups (both off in the shipped tree)."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from aidrules.engine import Assessor
from aidrules.model import application_from_dict
from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[2]
TIELI = "heilongjiang/yichun/tieli"


def _household(expenditure: str, ill: bool) -> dict:
    return {
        "application_id": "T-LOCAL", "applied_on": "2025-03-01", "jurisdiction": TIELI,
        "area": "urban",
        "household": {
            "members": [
                {"id_number": "230781198005010116", "name": "王建国", "relation": "head",
                 "work_ability": "full", "employment": "employed",
                 "incomes": [{"kind": "wage", "amount": "1500.00", "period": "monthly"}]},
                {"id_number": "230781198207090222", "name": "李秀兰", "relation": "spouse",
                 "work_ability": "none", "employment": "not_working", "is_seriously_ill": ill,
                 "incomes": []},
            ],
            "assets": {"financial_assets": "3000.00", "housing_units": 1},
            "expenditures": [{"kind": "medical", "amount": expenditure}],
        },
    }


def _assessor(tmp_path: Path, overrides: dict[str, str]) -> Assessor:
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    for name, value in overrides.items():
        path = policies / "heilongjiang" / Path(*name.split(".")).with_suffix(".yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"values:\n  2021-07-01:\n    value: {value}\n"
                        "    assumed: a county's own rule, set for this test only\n",
                        encoding="utf-8")
    return Assessor(load_rulebook(ROOT / "rules", policies))


def test_without_the_deduction_medical_costs_do_not_lower_income(tmp_path):
    result = _assessor(tmp_path, {}).assess(application_from_dict(_household("6000.00", False)))
    assert result.result("dibao").status == "ineligible"  # 750 a person is not below 710


def test_with_the_deduction_a_twelfth_of_yearly_medical_costs_comes_off_income(tmp_path):
    assessor = _assessor(tmp_path, {"income.deducts_illness_costs": "true"})
    dibao = assessor.assess(application_from_dict(_household("6000.00", False))).result("dibao")
    assert dibao.status == "eligible"
    assert str(dibao.amount) == "420.00"  # 710 × 2 − (1500 − 6000 / 12)


@pytest.mark.parametrize(("ill", "amount"), [(False, "420.00"), (True, "633.00")])
def test_a_classified_top_up_adds_its_share_of_the_standard(tmp_path, ill, amount):
    assessor = _assessor(tmp_path, {"income.deducts_illness_costs": "true",
                                    "dibao.topup_share": "{severely_disabled: 0.3, "
                                    "seriously_ill: 0.3, elderly: 0, minor: 0}"})
    dibao = assessor.assess(application_from_dict(_household("6000.00", ill))).result("dibao")
    assert str(dibao.amount) == amount  # 420 + 710 × 0.3 = 633 for a seriously ill member


#: No tiers are shipped (the national default is gap payment); a county paying by tiers
#: gives its shares. These are Huichang's (Jiangxi, 2023): urban tiers 885 / 565 / 515 / 465
#: at a standard of 885.
HUICHANG_TIERS = {"dibao.payment_method": "tiers", "dibao.tier_ratio.first": "1",
                  "dibao.tier_ratio.second": "113/177", "dibao.tier_ratio.third": "103/177",
                  "dibao.tier_ratio.fourth": "31/59"}


def _tiered(tier: int | None) -> dict:
    data = _household("0.00", False)
    data["household"]["members"][0]["incomes"][0]["amount"] = "620.00"
    if tier is not None:
        data["household"]["dibao_tier"] = tier
    return data


@pytest.mark.parametrize(("tier", "amount"), [(1, "1420.00"), (2, "908.00"), (4, "748.00")])
def test_paid_by_tiers_each_member_gets_the_tier_share_of_the_standard(tmp_path, tier, amount):
    assessor = _assessor(tmp_path, HUICHANG_TIERS)
    dibao = assessor.assess(application_from_dict(_tiered(tier))).result("dibao")
    assert (dibao.status, str(dibao.amount)) == ("eligible", amount)
    # tier 2: 710 × 113/177 = 453.27… → 454 (rounded up) × 2;
    # tier 4: 710 × 31/59 = 373.05… → 374 × 2


def test_paid_by_tiers_a_household_without_a_tier_is_undetermined(tmp_path):
    assessor = _assessor(tmp_path, HUICHANG_TIERS)
    dibao = assessor.assess(application_from_dict(_tiered(None))).result("dibao")
    assert dibao.status == "undetermined"
    assert "$.household.dibao_tier" in dibao.missing


def test_the_tier_shares_give_huichangs_published_urban_tiers(tmp_path):
    """At Huichang's standard of 885, its tiers are 885 / 565 / 515 / 465."""
    tree = _assessor(tmp_path, HUICHANG_TIERS).book.policies
    shares = [tree.value(f"dibao.tier_ratio.{n}", TIELI, date(2025, 3, 1)).value
              for n in ("first", "second", "third", "fourth")]
    assert [885 * s for s in shares] == [885, 565, 515, 465]


def test_no_tier_shares_are_shipped_so_gap_payment_needs_none():
    tree = load_rulebook(ROOT / "rules", ROOT / "policies").policies
    assert tree.parameters()["dibao.tier_ratio.first"].file == \
        "policies/national/dibao/tier_ratio/first.yaml"
    assert tree.history("dibao.tier_ratio.first") == []


def _disabled_adult_with_support() -> dict:
    data = _household("0.00", False)
    # (2700 + 300) / 3 = 1000 a head: not below 710, below the single-enrolment ceiling 1065
    data["household"]["members"][0]["incomes"][0]["amount"] = "2700.00"
    data["household"]["members"].append(
        {"id_number": "230781199909011626", "name": "钱雨", "relation": "child",
         "work_ability": "none", "disability": {"kind": "intellectual", "grade": 2},
         "employment": "not_working",
         "incomes": [{"kind": "support_received", "amount": "300.00", "period": "monthly"}]})
    return data


@pytest.mark.parametrize(("share", "amount"), [("0", "410.00"), ("1", "710.00"), ("1/2", "560.00")])
def test_support_money_of_a_disabled_adult_enrolled_alone_is_disregarded_as_set(
        tmp_path, share, amount):
    assessor = _assessor(tmp_path, {"dibao.single_adult_support_disregarded": share})
    dibao = assessor.assess(application_from_dict(_disabled_adult_with_support())).result("dibao")
    assert (dibao.status, dibao.members, str(dibao.amount)) == ("eligible", (2,), amount)
