"""A new province is added with only the values it sets: every parameter is declared once,
in national/, so the province's files carry no description and no unit."""

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from aidrules.engine import Assessor
from aidrules.errors import PolicyLookupError
from aidrules.model import read_application
from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[2]
APPLICATION = ROOT / "examples" / "applications" / "01-tieli-urban-below-standard.yaml"

#: What a province with no figure of its own in national/ must give for an urban household;
#: the figures are invented for this test, and the household's income is 700 a head.
EXAMPLE_PROVINCE = {
    "dibao.standard.urban": "800",
    "dibao.standard.rural": "600",
    "dibao.asset_multiple_months": "24",
    "dibao.marginal_asset_multiple_months": "24",
    "dibao.single_adult_income_multiple": "1.5",
    "dibao.max_housing_units": "1",
    "dibao.max_business_registrations": "0",
    "dibao.topup_elderly_age": "70",
    "income.employment_cost_cap_ratio": "1",
    "rigid.income_ceiling": "{urban: 30000, rural: 20000}",
    "temporary.income_line_multiple": "2",
    "rigid.expenditure_ratio": "0.6",
    "tekun.basic_minimum.urban": "0",
    "minimum_wage.monthly": "1800",
    "tekun.care_share": "{0: 1/10, 1: 1/6, 4: 1/4}",
    "tekun.care_dispersed_share": "1",
}


def _with_province(tmp_path: Path, values: dict[str, str]) -> Path:
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    province = policies / "example_province"
    province.mkdir()
    (province / "jurisdiction.yaml").write_text(
        'name: 示例省\nname_en: Example province\ncode: "99"\n', encoding="utf-8")
    for name, value in values.items():
        path = province / Path(*name.split(".")).with_suffix(".yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"values:\n  2024-01-01:\n    value: {value}\n"
                        "    assumed: a province invented for this test\n", encoding="utf-8")
    return policies


def test_a_new_province_with_only_its_values_assesses_an_application(tmp_path):
    policies = _with_province(tmp_path, EXAMPLE_PROVINCE)
    assessor = Assessor(load_rulebook(ROOT / "rules", policies))
    result = assessor.assess(read_application(APPLICATION), jurisdiction="example_province")
    dibao = result.result("dibao")
    assert (dibao.status, dibao.amount) == ("eligible", Decimal("300.00"))  # (800 − 700) × 3
    used = {(p.name, p.jurisdiction) for trace in dibao.rules for c in trace.criteria
            for p in c.parameters}
    assert ("dibao.standard.urban", "example_province") in used
    national = assessor.book.policies.value("dibao.marginal_multiplier", "example_province",
                                            date(2025, 3, 1))
    assert national.jurisdiction == "national"  # the national default, not re-declared


def test_a_value_the_province_has_not_given_names_the_file_to_write(tmp_path):
    values = {k: v for k, v in EXAMPLE_PROVINCE.items() if k != "dibao.standard.urban"}
    tree = load_rulebook(ROOT / "rules", _with_province(tmp_path, values)).policies
    with pytest.raises(PolicyLookupError) as info:
        tree.value("dibao.standard.urban", "example_province", date(2025, 3, 1))
    assert str(info.value) == (
        "dibao.standard.urban has no value for example_province on 2025-03-01: it is declared "
        "in policies/national/dibao/standard/urban.yaml with no national value and set only in "
        "example and heilongjiang and the jurisdictions below; expected a value in "
        "policies/example_province/dibao/standard/urban.yaml (or in a layer above it)")


def test_every_parameter_heilongjiang_sets_is_declared_in_national():
    tree = load_rulebook(ROOT / "rules", ROOT / "policies").policies
    declared_below = sorted(name for name, p in tree.parameters().items()
                            if not p.file.startswith("policies/national/"))
    assert declared_below == []
