"""Reading applications: exact values in, every bad field out at once, nothing else raised."""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidrules.errors import ApplicationError
from aidrules.model import (
    Application,
    application_from_dict,
    application_to_dict,
    read_application,
    read_applications,
    write_application,
)
from aidrules.testing import applications

EXAMPLES = Path(__file__).parents[2] / "examples" / "applications"
EXAMPLE = EXAMPLES / "01-tieli-urban-below-standard.yaml"


def valid() -> dict[str, Any]:
    return application_to_dict(read_application(EXAMPLE))


def problems_of(data: Any) -> list[str]:
    with pytest.raises(ApplicationError) as caught:
        application_from_dict(data)
    return [str(problem) for problem in caught.value.problems]


# ---- Round trips -------------------------------------------------------------------------

@settings(deadline=None)
@given(applications())
def test_an_application_survives_a_round_trip_through_a_dict(application: Application) -> None:
    data = application_to_dict(application)
    assert application_from_dict(data) == application
    json.dumps(data)  # plain JSON-able data


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applications(), st.sampled_from(["a.yaml", "a.json"]))
def test_an_application_survives_a_round_trip_through_a_file(application: Application,
                                                             name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write_application(application, path)
        assert read_application(path) == application


def test_amounts_are_written_as_text_with_two_decimals() -> None:
    income = valid()["household"]["members"][0]["incomes"][0]
    assert income == {"kind": "wage", "amount": "2100.00", "period": "monthly",
                      "note": "物业公司保安"}


def test_defaults_and_unreported_fields_are_left_out_when_written() -> None:
    member = valid()["household"]["members"][1]
    assert "is_co_residing" not in member and "disability" not in member
    assert member["incomes"] == []  # no income is not the same as not reported


# ---- What a field left out means ------------------------------------------------------------

def test_incomes_left_out_mean_not_reported_and_an_empty_list_means_none() -> None:
    data = valid()
    members = data["household"]["members"]
    del members[1]["incomes"]
    members[2]["incomes"] = None
    read = application_from_dict(data).household.members
    assert read[1].incomes is None and read[2].incomes is None
    assert read[0].incomes is not None and len(read[0].incomes) == 1


def test_assets_and_expenditures_left_out_mean_not_reported() -> None:
    data = valid()
    del data["household"]["assets"], data["household"]["expenditures"]
    household = application_from_dict(data).household
    assert household.assets is None and household.expenditures is None


# ---- Exact numbers -------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "read"), [
    ("1234.5", Decimal("1234.5")), (1234, Decimal(1234)), (1234.5, Decimal("1234.5")),
    (0.1, Decimal("0.1")), (Decimal("99.99"), Decimal("99.99")), ("1234.500", Decimal("1234.5")),
])
def test_an_amount_is_read_exactly_as_written(written: Any, read: Decimal) -> None:
    data = valid()
    data["household"]["assets"]["financial_assets"] = written
    assets = application_from_dict(data).household.assets
    assert assets is not None and assets.financial_assets == read
    assert isinstance(assets.financial_assets, Decimal)


@pytest.mark.parametrize(("written", "message"), [
    (0.1 + 0.2, "must be an amount in whole fen (at most 2 decimal places), "
                "got '0.30000000000000004'"),
    (float("nan"), "must be a non-negative amount, got nan"),
    (True, "must be a non-negative amount, got true"),
    ("1e3", "must be a non-negative amount, got '1e3'"),
    ("1,000", "must be a non-negative amount, got '1,000'"),
    (Decimal("-0.0"), "must be a non-negative amount, got '-0.0'"),
    (10**8, "must be an amount below 100,000,000 yuan, got '100000000'"),
])
def test_an_inexact_or_absurd_amount_is_refused(written: Any, message: str) -> None:
    data = valid()
    data["household"]["assets"]["financial_assets"] = written
    assert problems_of(data) == [f"$.household.assets.financial_assets: {message}"]


def test_a_json_float_is_read_as_the_decimal_written(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    data = valid()
    data["household"]["assets"]["financial_assets"] = "__AMOUNT__"
    path.write_text(json.dumps(data).replace('"__AMOUNT__"', "8000.10"), "utf-8")
    assets = read_application(path).household.assets
    assert assets is not None and assets.financial_assets == Decimal("8000.10")


def test_a_whole_number_field_refuses_a_boolean() -> None:
    data = valid()
    data["household"]["assets"]["housing_units"] = True
    assert problems_of(data) == [
        "$.household.assets.housing_units: must be a whole number from 0 to 100, got true"]


# ---- Shape of the input -------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "message"), [
    ([], "$: must be a mapping of fields, got a list"),
    (None, "$: must be a mapping of fields, got null"),
    ("application", "$: must be a mapping of fields, got 'application'"),
])
def test_an_application_must_be_a_mapping(data: Any, message: str) -> None:
    assert problems_of(data) == [message]


def test_a_file_of_several_applications_names_each_by_its_index(tmp_path: Path) -> None:
    first, second = valid(), valid()
    second["area"] = "twon"
    path = tmp_path / "many.json"
    path.write_text(json.dumps([first, second]), "utf-8")
    with pytest.raises(ApplicationError) as caught:
        read_applications(path)
    assert [str(p) for p in caught.value.problems] == [
        "$[1].area: must be one of urban, rural, got 'twon'"]
    path.write_text(json.dumps([first, first]), "utf-8")
    assert len(read_applications(path)) == 2


def test_a_file_of_one_application_is_a_list_of_one() -> None:
    assert read_applications(EXAMPLE) == [read_application(EXAMPLE)]


def test_a_missing_file_is_an_application_error(tmp_path: Path) -> None:
    with pytest.raises(ApplicationError, match="cannot read the file"):
        read_application(tmp_path / "nowhere.yaml")


# ---- Junk ------------------------------------------------------------------------------------

FIELD_NAMES = sorted({
    "application_id", "applied_on", "jurisdiction", "area", "household", "members", "assets",
    "expenditures", "supporters", "emergencies", "id_number", "name", "relation",
    "work_ability", "disability", "kind", "grade", "incomes", "amount", "period", "self_care",
    "eating", "vehicles", "value", "financial_assets", "occurred_on", "is_able",
})
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
           | st.decimals() | st.dates() | st.datetimes()
           | st.sampled_from(["2025-03-01", "head", "urban", "1200.00", "11010519491231002X"]))
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


def _replace_somewhere(data: Any, draw: Any, junk: Any) -> Any:
    """``data`` with one value somewhere inside replaced by ``junk``."""
    if isinstance(data, dict) and data and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(data)))
        return {**data, key: _replace_somewhere(data[key], draw, junk)}
    if isinstance(data, list) and data and draw(st.booleans()):
        index = draw(st.integers(0, len(data) - 1))
        return [*data[:index], _replace_somewhere(data[index], draw, junk), *data[index + 1:]]
    return junk


@given(JUNK)
def test_junk_raises_nothing_but_application_error(junk: Any) -> None:
    with pytest.raises(ApplicationError):
        application_from_dict(junk)


@settings(deadline=None)
@given(st.data(), applications(), JUNK)
def test_junk_inside_a_valid_application_raises_nothing_but_application_error(
        data: st.DataObject, application: Application, junk: Any) -> None:
    mangled = _replace_somewhere(application_to_dict(application), data.draw, junk)
    try:
        application_from_dict(mangled)
    except ApplicationError as exc:
        assert exc.problems and all(p.path.startswith("$") for p in exc.problems)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
       st.sampled_from(["a.yaml", "a.json"]))
def test_any_bytes_in_a_file_raise_nothing_but_application_error(raw: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        with pytest.raises(ApplicationError):
            read_applications(path)


@pytest.mark.parametrize("text", [
    "&a [*a]", "&a {household: *a}", "- &m {name: x}\n- *m", "{? [1, 2] : x}", "!!binary aGk=",
    "household: {members: [&h {relation: head}, *h]}", "a: !custom 1", "[" * 200 + "]" * 200,
])
def test_odd_yaml_raises_nothing_but_application_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(ApplicationError):
        read_application(path)


@pytest.mark.parametrize(("where", "entry", "most"), [
    (("household", "expenditures"), {"kind": "medical", "amount": "100.00"}, 1000),
    (("household", "emergencies"), {"kind": "fire", "occurred_on": "2025-02-01"}, 100),
    (("household", "supporters"), {"name": "李四", "relation": "child", "is_able": True}, 100),
])
def test_more_entries_than_any_household_has_are_refused_with_the_list_path(where, entry, most):
    """1,540 expenditures of 999,999,999,999.99 once passed and overflowed the engine."""
    data = valid()
    data[where[0]][where[1]] = [entry] * (most + 1)
    assert problems_of(data) == [
        f"$.{where[0]}.{where[1]}: must list at most {most} entries, got {most + 1}"]


def test_as_many_entries_as_allowed_are_read():
    data = valid()
    data["household"]["expenditures"] = [{"kind": "medical", "amount": "99999999.99"}] * 1000
    assert len(application_from_dict(data).household.expenditures) == 1000
