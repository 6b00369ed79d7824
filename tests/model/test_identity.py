"""Identity numbers follow GB 11643-1999: birth date, sex and an ISO 7064 MOD 11-2 check."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aidrules.model import (
    Sex,
    birth_date_of,
    check_character,
    make_id_number,
    mask_id_number,
    sex_of,
    validate_id_number,
)
from aidrules.testing import id_numbers


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014",
                                    "34052419800101001X"])
def test_the_standards_examples_are_valid(number: str) -> None:
    assert validate_id_number(number) == number


def test_the_check_character_of_the_standards_example() -> None:
    assert check_character("11010519491231002") == "X"


def test_a_lower_case_x_is_read_as_upper_case() -> None:
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


def test_birth_date_and_sex_are_read_from_the_number() -> None:
    assert birth_date_of("11010519491231002X") == date(1949, 12, 31)
    assert sex_of("11010519491231002X") is Sex.female
    assert sex_of("34052419800101001X") is Sex.male


@pytest.mark.parametrize(("number", "message"), [
    ("340524198001010013", "identity number check character is '3' but should be 'X'"),
    ("3405241980010100", "identity number must have 18 characters, got 16"),
    ("34052419800101001X0", "identity number must have 18 characters, got 19"),
    ("3405241980O101001X", "identity number character 11 must be a digit, got 'O'"),
    ("34052419800101001Y", "identity number must end in a digit or X, got 'Y'"),
    ("340524198002300013", "identity number holds birth date '19800230', which is not a real date"),
    ("340524179901010013", "identity number holds birth year 1799, before 1800"),
])
def test_a_bad_number_is_refused_with_a_precise_message(number: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        validate_id_number(number)
    assert str(caught.value) == message


def test_a_number_written_as_an_integer_is_refused() -> None:
    with pytest.raises(ValueError, match=r"must be text \(put it in quotes\), got a number"):
        validate_id_number(110105194912310020)  # type: ignore[arg-type]


def test_a_public_notice_shows_the_number_masked() -> None:
    assert mask_id_number("34052419800101001X") == "340524********001X"


@given(st.sampled_from(["230781", "110105"]), st.dates(date(1900, 1, 1), date(2030, 12, 31)),
       st.integers(0, 999))
def test_a_made_number_gives_back_its_birth_date_and_sex(region: str, born: date,
                                                         sequence: int) -> None:
    number = make_id_number(region, born, sequence)
    assert birth_date_of(number) == born
    assert sex_of(number) is (Sex.male if sequence % 2 else Sex.female)
    assert number[:6] == region


@given(id_numbers(), st.integers(0, 16), st.integers(1, 9))
def test_changing_any_one_digit_is_caught_by_the_check_character(number: str, position: int,
                                                                 shift: int) -> None:
    changed = str((int(number[position]) + shift) % 10)
    first17 = number[:position] + changed + number[position + 1:17]
    assert check_character(first17) != number[17]
    with pytest.raises(ValueError):
        validate_id_number(first17 + number[17])


@given(id_numbers(), st.sampled_from("0123456789X"))
def test_changing_the_check_character_is_caught(number: str, other: str) -> None:
    if other != number[17]:
        with pytest.raises(ValueError, match="check character"):
            validate_id_number(number[:17] + other)
