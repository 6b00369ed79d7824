"""The shipped policies/ tree is healthy: it loads, and every value says where it came from."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from aidrules.errors import PolicyLookupError
from aidrules.policy import PolicyTree

SHIPPED = Path(__file__).parents[2] / "policies"
TIELI = "heilongjiang/yichun/tieli"


@pytest.fixture(scope="module")
def tree() -> PolicyTree:
    tree, problems = PolicyTree.check(SHIPPED)
    assert [str(p) for p in problems] == []
    return tree


def every_value(tree):
    return [e for layers in tree._loaded.entries.values() for entries in layers.values()
            for e in entries if hasattr(e, "value")]


def test_the_shipped_tree_has_the_four_layers_and_the_example_district(tree):
    assert {path: j.code for path, j in tree.jurisdictions().items()} == {
        "national": None, "heilongjiang": "23", "heilongjiang/yichun": "230700",
        TIELI: "230781", "example": None}


def test_every_value_has_a_source_document_or_an_assumed_reason(tree):
    values = every_value(tree)
    assert len(values) > 50
    for value in values:
        assert (value.source is None) != (value.assumed is None), value
        assert (value.source.document.strip() if value.source else value.assumed.strip())


def test_every_parameter_has_both_descriptions_and_a_unit(tree):
    for parameter in tree.parameters().values():
        assert parameter.description.strip() and parameter.description_en.strip()
        assert parameter.unit


def test_assumed_lists_tielis_standards(tree):
    assumed = {(v.name, v.jurisdiction): v for v in tree.assumed()}
    for name, floor in [("dibao.standard.urban", 710), ("dibao.standard.rural", 517)]:
        value = assumed[(name, TIELI)]
        assert (value.value, value.effective_from) == (floor, date(2024, 7, 1))
        assert "no Tieli figure found" in value.assumed


def test_tieli_uses_the_provincial_floor_from_july_2024(tree):
    assert tree.value("dibao.standard.urban", TIELI, date(2024, 7, 1)).value == 710
    assert tree.value("dibao.standard.rural", TIELI, date(2024, 6, 30)).value == 441
    assert tree.value("dibao.standard.rural", TIELI, date(2019, 6, 1)).value == Decimal("334.75")


def test_a_tieli_snapshot_has_every_dibao_and_tekun_number_in_2025(tree):
    snapshot = tree.at(TIELI, date(2025, 3, 1))
    for name in ["dibao.standard.urban", "dibao.standard.rural", "dibao.marginal_multiplier",
                 "dibao.rounding", "dibao.rounding_stage", "tekun.basic_multiplier",
                 "tekun.care_share", "minimum_wage.monthly", "rigid.in_force",
                 "rigid.income_ceiling", "deadline.total_wd"]:
        assert name in snapshot, name
    assert snapshot["rigid.in_force"].value is True


def test_shipped_kind_lists_use_the_application_models_vocabulary(tree):
    model = pytest.importorskip("aidrules.model")
    known = {
        "income.disregarded_kinds": {k.value for k in model.IncomeKind},
        "tekun.disregarded_income_kinds": {k.value for k in model.IncomeKind},
        "dibao.disqualifying_vehicle_kinds": {k.value for k in model.VehicleKind},
        "dibao.vehicle_exempt_purposes": {k.value for k in model.VehiclePurpose},
    }
    for name, vocabulary in known.items():
        assert set(tree.parameters()[name].choices) <= vocabulary, name


def test_the_worked_example_in_docs_policies_md_holds(tree):
    """docs/policies.md §3 walks through Tieli's urban standard; the table must stay true."""
    urban = "dibao.standard.urban"
    with pytest.raises(PolicyLookupError) as info:
        tree.value(urban, TIELI, date(2018, 12, 1))
    doc = (SHIPPED.parent / "docs" / "policies.md").read_text(encoding="utf-8")
    assert f'"{info.value}"' in doc
    assert tree.value(urban, TIELI, date(2020, 3, 15)).value == 573
    assert tree.value(urban, TIELI, date(2024, 6, 30)).value == 669
    found = tree.value(urban, TIELI, date(2024, 7, 1))
    assert (found.value, found.jurisdiction) == (710, TIELI)


def test_the_error_shown_in_docs_policies_md_is_the_real_one():
    doc = (SHIPPED.parent / "docs" / "policies.md").read_text(encoding="utf-8")
    broken = Path(__file__).parent / "broken" / "bad_rounding_step" / "expected.txt"
    assert broken.read_text(encoding="utf-8").strip() in doc
