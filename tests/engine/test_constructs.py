"""Rounding where the policy puts it, schedules and derived standards, run end to end:
the engine (durable_rules) and the library's evaluator must agree, or assess raises."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from aidrules.engine import Assessor
from aidrules.model import application_from_dict
from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[2]


def _assessor(tmp_path: Path, values: dict[str, str]) -> Assessor:
    """The shipped book with some example-district values replaced (tests only)."""
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    for name, value in values.items():
        path = policies / "example" / Path(*name.split(".")).with_suffix(".yaml")
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        head = text.split("values:", 1)[0]
        path.write_text(f"{head}values:\n  2022-01-01:\n    value: {value}\n"
                        "    assumed: set for this test only\n", encoding="utf-8")
    return Assessor(load_rulebook(ROOT / "rules", policies))


def _couple(wage: str) -> dict:
    return {
        "application_id": "T-MARGINAL", "applied_on": "2022-06-01", "jurisdiction": "example",
        "area": "urban",
        "household": {
            "members": [
                {"id_number": "230781198005010116", "name": "王建国", "relation": "head",
                 "work_ability": "full", "employment": "employed",
                 "incomes": [{"kind": "wage", "amount": wage, "period": "monthly"}]},
                {"id_number": "230781198207090222", "name": "李秀兰", "relation": "spouse",
                 "work_ability": "partial", "employment": "not_working", "incomes": []},
            ],
            "assets": {"financial_assets": "3000.00", "housing_units": 1},
        },
    }


def _elder(failed: int, form: str = "dispersed") -> dict:
    activities = ["bathing", "walking_indoors", "toileting", "transferring", "dressing", "eating"]
    return {
        "application_id": "T-TEKUN", "applied_on": "2022-06-01", "jurisdiction": "example",
        "area": "urban",
        "household": {
            "support_form": form,
            "members": [{"id_number": "230781194001200619", "name": "周德贵", "relation": "head",
                         "work_ability": "none", "employment": "not_working", "incomes": [],
                         "self_care": {a: i >= failed for i, a in enumerate(activities)}}],
            "assets": {"financial_assets": "3000.00", "housing_units": 1},
        },
    }


@pytest.mark.parametrize(("rounding", "expected"), [
    ('{to: "1", mode: up}', "eligible"),  # 1642.80 < 1643
    ("{mode: none}", "ineligible"),  # 1642.80 is not below 1642.50
    ('{to: "1", mode: half_even}', "ineligible"),  # 1642.5 → 1642
])
def test_the_marginal_line_is_rounded_as_the_policy_says(tmp_path, rounding, expected):
    assessor = _assessor(tmp_path, {"dibao.marginal_line_rounding": rounding})
    result = assessor.assess(application_from_dict(_couple("3285.60")))
    assert result.result("dibao_marginal").status == expected


@pytest.mark.parametrize(("step", "amount"), [
    ('{to: "10", mode: up}', "1993.50"),  # 1888.83 → 1890
    ('{to: "10", mode: down}', "1983.50"),  # → 1880
    ('{to: "1", mode: half_up}', "1992.50"),  # → 1889
    ("{mode: none}", "1992.33"),  # 22666 / 12 = 1888.8333…, plus 103.50; the sum to the fen
])
def test_the_monthly_step_of_the_tekun_standard(tmp_path, step, amount):
    assessor = _assessor(tmp_path, {"tekun.basic_rounding": step})
    assert assessor.assess(application_from_dict(_elder(0))).result("tekun").amount == \
        Decimal(amount)


def test_not_below_last_years_level(tmp_path):
    assessor = _assessor(tmp_path, {"tekun.basic_minimum.urban": "1950"})
    assert assessor.assess(application_from_dict(_elder(0))).result("tekun").amount == \
        Decimal("2053.50")  # the floor 1950 wins over 1890, plus care 103.50


@pytest.mark.parametrize(("failed", "form", "care"), [
    (0, "dispersed", "103.50"), (1, "dispersed", "207.00"), (2, "dispersed", "207.00"),
    (3, "dispersed", "414.00"), (4, "dispersed", "414.00"), (5, "dispersed", "828.00"),
    (6, "dispersed", "828.00"), (0, "centralised", "207.00"), (6, "centralised", "1656.00"),
])
def test_four_care_levels_and_home_care_at_half(assessor_example, failed, form, care):
    found = assessor_example.assess(application_from_dict(_elder(failed, form)))
    assert found.result("tekun").amount == Decimal("1890") + Decimal(care)


@pytest.fixture(scope="module")
def assessor_example(assessor):
    return assessor


def _father_and_son(wage: str, disabled: bool = True) -> dict:
    father = {"id_number": "230781195001010019", "name": "赵永福", "relation": "head",
              "work_ability": "none", "employment": "retired", "incomes": []}
    if disabled:
        father["disability"] = {"kind": "physical", "grade": 1}
    return {
        "application_id": "T-TOPUP", "applied_on": "2022-06-01", "jurisdiction": "example",
        "area": "urban",
        "household": {
            "members": [father, {
                "id_number": "230781198205140214", "name": "赵建国", "relation": "child",
                "work_ability": "full", "employment": "employed",
                "incomes": [{"kind": "wage", "amount": wage, "period": "monthly"}]}],
            "assets": {"financial_assets": "3000.00", "housing_units": 1},
        },
    }


@pytest.mark.parametrize(("combination", "amount"), [
    ("highest", "990.00"),  # 690 + max(300 fixed, 219 share)
    ("sum", "1209.00"),  # 690 + 300 + 219
    ("first", "909.00"),  # 690 + 219: severely_disabled comes first in the groups' order
])
def test_how_two_top_ups_of_one_member_combine(tmp_path, combination, amount):
    assessor = _assessor(tmp_path, {"dibao.topup_combination": combination})
    dibao = assessor.assess(application_from_dict(_father_and_son("1500.00"))).result("dibao")
    assert dibao.amount == Decimal(amount)


@pytest.mark.parametrize(("reaches", "amount"), [("false", "1095.00"), ("true", "1395.00")])
def test_a_member_enrolled_alone_gets_the_top_up_where_the_policy_says(tmp_path, reaches,
                                                                      amount):
    assessor = _assessor(tmp_path, {"dibao.topup_reaches_single": reaches})
    found = assessor.assess(application_from_dict(_father_and_son("3000.00")))
    assert found.result("dibao_marginal").status == "eligible"
    dibao = found.result("dibao")
    assert (dibao.members, dibao.amount) == ((0,), Decimal(amount))


LINE_BY_SIZE = """\
description: 测试：按家庭人口数的收入线
description_en: Test - an income line by family size
unit: yuan/month
keys: [0, 1, 2, 3]
values:
  2021-07-01:
    value: {0: 1000, 1: 1000, 2: 1700, 3: 2100.01}
    assumed: test
"""
RULE = """
  - id: referral.test_line
    referral: hardship
    title: 测试：家庭月收入低于按人口数的收入线
    basis: {document: 测试}
    when:
      - monthly_income < lookup(test.line_by_size, household_size)
      - lookup(test.line_by_size, 2) > 0
"""


@pytest.fixture(scope="module")
def with_table(tmp_path_factory):
    """The shipped book plus a referral rule whose criterion reads a table by family size:
    the engine gets the entry as a field, the evaluator looks it up, and they must agree."""
    root = tmp_path_factory.mktemp("table")
    shutil.copytree(ROOT / "rules", root / "rules")
    shutil.copytree(ROOT / "policies", root / "policies")
    (root / "policies" / "heilongjiang" / "test").mkdir()
    (root / "policies" / "heilongjiang" / "test" / "line_by_size.yaml").write_text(
        LINE_BY_SIZE, encoding="utf-8")
    with (root / "rules" / "referrals" / "brands.yaml").open("a", encoding="utf-8") as f:
        f.write(RULE)
    return Assessor(load_rulebook(root / "rules", root / "policies"))


@pytest.mark.parametrize(("wage", "referred"), [
    ("2100.00", True),  # three people: 2100.00 < 2100.01
    ("2100.01", False),  # exactly at the line is not below it
])
def test_the_engine_and_the_evaluator_agree_on_a_table_by_family_size(with_table, wage,
                                                                       referred):
    from tests.ledger.households import wang
    found = with_table.assess(wang(wage))  # three members, one wage; raises on disagreement
    assert any(r.rule == "referral.test_line" for r in found.referrals) is referred
