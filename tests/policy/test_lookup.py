"""Looking parameters up as of a date along national → province → city → county.

The tree under ``layered/policies`` is a small fixture built for these statements;
the shipped ``policies/`` tree has its own tests in test_shipped.py.
"""

import shutil
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from aidrules.errors import PolicyLookupError
from aidrules.policy import Kind, PolicyTree, Rounding

LAYERED = Path(__file__).parent / "layered" / "policies"
TIELI = "heilongjiang/yichun/tieli"


@pytest.fixture(scope="module")
def tree() -> PolicyTree:
    return PolicyTree.load(LAYERED)


def amount(tree, name, jurisdiction, on):
    return tree.value(name, jurisdiction, on).value


def test_a_province_value_applies_to_the_counties_below_it(tree):
    assert amount(tree, "dibao.standard.urban", TIELI, date(2023, 5, 1)) == 669
    assert amount(tree, "dibao.standard.urban", "heilongjiang/yichun", date(2025, 5, 1)) == 750


def test_the_value_in_force_is_the_latest_dated_on_or_before_the_day(tree):
    assert amount(tree, "dibao.standard.urban", "heilongjiang", date(2021, 12, 31)) == 573
    assert amount(tree, "dibao.standard.urban", "heilongjiang", date(2022, 1, 1)) == 669


def test_a_county_overrides_from_its_own_date_even_after_the_province_raises(tree):
    """Tieli's 710 from 2024-07-01 still wins in 2025 although the province moved to 750."""
    before = tree.value("dibao.standard.urban", TIELI, date(2024, 6, 30))
    found = tree.value("dibao.standard.urban", TIELI, date(2025, 6, 1))
    assert (before.value, before.jurisdiction) == (669, "heilongjiang")
    assert (found.value, found.jurisdiction, found.effective_from) == (
        710, TIELI, date(2024, 7, 1))
    assert found.assumed == "the provincial floor" and found.source is None


def test_an_inherit_marker_hands_back_to_the_layer_above(tree):
    found = tree.value("dibao.standard.urban", TIELI, date(2026, 1, 1))
    assert (found.value, found.jurisdiction, found.effective_from) == (
        750, "heilongjiang", date(2025, 1, 1))


def test_a_city_override_reaches_its_counties_but_not_the_province(tree):
    assert amount(tree, "dibao.marginal_multiplier", TIELI, date(2023, 1, 1)) == Decimal("1.2")
    assert amount(tree, "dibao.marginal_multiplier", "heilongjiang", date(2023, 1, 1)) == Decimal(
        "1.5")


def test_a_yearly_figure_is_stored_in_the_parameters_unit_exactly(tree):
    found = tree.value("dibao.standard.rural", TIELI, date(2020, 1, 1))
    assert (found.value, found.unit) == (Decimal("334.75"), "yuan/month")
    assert isinstance(found.value, Decimal)


def test_a_value_can_be_asked_for_in_a_convertible_unit(tree):
    yearly = tree.value("dibao.standard.rural", TIELI, date(2020, 1, 1), unit="yuan/year")
    assert (yearly.value, yearly.unit) == (Decimal("4017"), "yuan/year")
    later = tree.value("dibao.standard.rural", TIELI, date(2021, 1, 1), unit="yuan/year")
    assert later.value == Decimal("4813.20")


def test_fractions_stay_exact(tree):
    assert amount(tree, "tekun.care_fraction.partial", TIELI, date(2024, 7, 1)) == Fraction(1, 6)


def test_values_have_the_kind_their_unit_promises(tree):
    kinds = {name: p.kind for name, p in tree.parameters().items()}
    assert kinds["dibao.standard.urban"] is Kind.MONEY
    assert kinds["tekun.adult_age"] == "int"
    assert amount(tree, "tekun.adult_age", TIELI, date(2024, 1, 1)) == 18
    assert amount(tree, "dibao.rounding", TIELI, date(2024, 1, 1)) == Rounding(
        Decimal("0.01"), "half_up")


def test_a_parameter_knows_where_it_was_declared(tree):
    urban = tree.parameters()["dibao.standard.urban"]
    assert (urban.unit, urban.file, urban.line) == (
        "yuan/month", "policies/heilongjiang/dibao/standard/urban.yaml", 3)
    assert urban.description == "城市最低生活保障标准"


def test_jurisdictions_carry_their_names_codes_and_parents(tree):
    tieli = tree.jurisdictions()[TIELI]
    assert (tieli.name, tieli.name_en, tieli.code, tieli.parent) == (
        "铁力市", "Tieli", "230781", "heilongjiang/yichun")
    assert tree.jurisdictions()["national"].parent is None
    assert sorted(tree.jurisdictions()) == [
        "heilongjiang", "heilongjiang/yichun", TIELI, "national"]


# -- lookups that fail say why --------------------------------------------------


def lookup_error(call) -> str:
    with pytest.raises(PolicyLookupError) as info:
        call()
    return str(info.value)


def test_a_day_before_the_first_value_is_an_error_naming_the_first_value(tree):
    assert lookup_error(lambda: tree.value("dibao.standard.urban", TIELI, date(2010, 1, 1))) == (
        "dibao.standard.urban has no value for heilongjiang/yichun/tieli on 2010-01-01: "
        "its first value starts 2019-01-01 (policies/heilongjiang/dibao/standard/urban.yaml:5)")


def test_an_unknown_parameter_suggests_the_closest_name(tree):
    assert lookup_error(lambda: tree.value("dibao.standard.urbn", TIELI, date(2024, 1, 1))) == (
        "unknown parameter 'dibao.standard.urbn' (looked up for heilongjiang/yichun/tieli on "
        "2024-01-01); did you mean 'dibao.standard.urban'?")


def test_a_parameter_declared_in_a_province_does_not_exist_above_it(tree):
    assert lookup_error(lambda: tree.value("dibao.standard.urban", "national", date(2024, 1, 1))
                        ) == ("dibao.standard.urban has no value for national on 2024-01-01: "
                              "it is set only in heilongjiang and the jurisdictions below")


def test_an_unknown_jurisdiction_suggests_the_path(tree):
    assert lookup_error(lambda: tree.value("dibao.standard.urban", "tieli", date(2024, 1, 1))) == (
        "unknown jurisdiction 'tieli' (looking up dibao.standard.urban on 2024-01-01); known: "
        "heilongjiang, heilongjiang/yichun, heilongjiang/yichun/tieli, national; "
        "did you mean 'heilongjiang/yichun/tieli'?")


def test_an_incompatible_unit_is_an_error(tree):
    assert lookup_error(lambda: tree.value("dibao.marginal_multiplier", TIELI, date(2024, 1, 1),
                                           unit="yuan/month")) == (
        "dibao.marginal_multiplier is in ratio and cannot be given in yuan/month "
        "(heilongjiang/yichun/tieli on 2024-01-01)")


def test_the_date_must_be_a_date_not_a_datetime_or_text(tree):
    with pytest.raises(TypeError):
        tree.value("dibao.standard.urban", TIELI, datetime(2024, 1, 1, 8))
    with pytest.raises(TypeError):
        tree.value("dibao.standard.urban", TIELI, "2024-01-01")


# -- snapshots --------------------------------------------------------------------


def test_a_snapshot_holds_every_value_in_force(tree):
    snapshot = tree.at(TIELI, date(2025, 3, 1))
    assert snapshot["dibao.standard.urban"].value == 710
    assert set(snapshot) == set(tree.parameters())
    assert "dibao.standard.urban" in snapshot and snapshot.get("nothing") is None


def test_a_snapshot_raises_the_reason_for_a_missing_name(tree):
    early = tree.at(TIELI, date(2020, 1, 1))
    assert "tekun.care_fraction.partial" not in early
    message = lookup_error(lambda: early["tekun.care_fraction.partial"])
    assert "its first value starts 2024-07-01" in message


def test_equal_snapshots_share_a_version_and_a_change_gives_a_new_one(tree):
    a, b = tree.at(TIELI, date(2025, 3, 1)), tree.at(TIELI, date(2025, 12, 31))
    assert a.version == b.version and len(a.version) == 16
    assert tree.at(TIELI, date(2026, 1, 1)).version != a.version
    assert tree.at("heilongjiang/yichun", date(2025, 3, 1)).version != a.version


def test_assumed_lists_every_assumed_value(tree):
    assumed = {(v.name, v.jurisdiction) for v in tree.assumed()}
    assert assumed == {("dibao.marginal_multiplier", "heilongjiang/yichun"),
                       ("dibao.rounding", "national"),
                       ("dibao.standard.urban", "heilongjiang"),
                       ("dibao.standard.urban", TIELI)}


def test_the_digest_changes_with_any_file(tmp_path, tree):
    copy = tmp_path / "policies"
    shutil.copytree(LAYERED, copy)
    assert PolicyTree.load(copy).digest == tree.digest
    path = copy / "national" / "tekun" / "adult_age.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert PolicyTree.load(copy).digest != tree.digest
