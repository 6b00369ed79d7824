"""Rounding rules apply exactly to Decimals and Fractions."""

from decimal import Decimal
from fractions import Fraction

import pytest

from aidrules.policy import Rounding

YUAN, JIAO, FEN = Decimal("1"), Decimal("0.1"), Decimal("0.01")


@pytest.mark.parametrize(("rule", "amount", "expected"), [
    (Rounding(YUAN, "up"), Decimal("1234.01"), "1235"),
    (Rounding(YUAN, "up"), Decimal("1234"), "1234"),
    (Rounding(YUAN, "down"), Decimal("1234.99"), "1234"),
    (Rounding(YUAN, "half_up"), Decimal("1234.50"), "1235"),
    (Rounding(YUAN, "half_up"), Decimal("1234.49"), "1234"),
    (Rounding(JIAO, "up"), Decimal("12.31"), "12.4"),
    (Rounding(FEN, "half_up"), Fraction(1000, 3), "333.33"),
    (Rounding(FEN, "half_up"), Fraction(2000, 3), "666.67"),
    (Rounding(FEN, "up"), Fraction(1, 1000), "0.01"),
    (Rounding(YUAN, "up"), 7, "7"),
])
def test_rounding_is_exact(rule, amount, expected):
    result = rule.apply(amount)
    assert isinstance(result, Decimal) and str(result) == expected


def test_the_result_keeps_the_steps_decimals():
    assert str(Rounding(FEN, "down").apply(Decimal("5"))) == "5.00"


def test_floats_are_refused_because_they_are_not_exact():
    with pytest.raises(TypeError):
        Rounding(YUAN, "up").apply(0.1)


def test_only_the_known_modes_exist():
    with pytest.raises(ValueError):
        Rounding(YUAN, "ceiling")


TEN = Decimal("10")


@pytest.mark.parametrize(("rule", "amount", "expected"), [
    (Rounding(TEN, "up"), Decimal("1281.01"), "1290"),
    (Rounding(TEN, "down"), Decimal("1289.99"), "1280"),
    (Rounding(TEN, "half_up"), Decimal("1285"), "1290"),
    (Rounding(TEN, "half_even"), Decimal("1285"), "1280"),
    (Rounding(TEN, "half_even"), Decimal("1295"), "1300"),
    (Rounding(YUAN, "half_even"), Decimal("2.5"), "2"),
    (Rounding(YUAN, "half_even"), Decimal("3.5"), "4"),
    (Rounding(Decimal("0.5"), "up"), Decimal("7.01"), "7.5"),
    (Rounding(Decimal("0.05"), "half_up"), Decimal("7.025"), "7.05"),
])
def test_any_step_of_whole_fen_and_half_even(rule, amount, expected):
    assert rule.apply(amount) == Decimal(expected)


def test_a_yearly_rounding_rounds_twelve_months_and_gives_the_month_back_exactly():
    # 16,254.60 a year rounded up to the yuan is 16,255 a year: 16255/12 a month.
    rule = Rounding(YUAN, "up", per="year")
    assert rule.apply(Fraction(1625460, 1200)) == Fraction(16255, 12)


def test_a_yearly_rounded_amount_is_a_whole_number_of_engine_units():
    # engine units are 1/1200 yuan: any whole-fen yearly figure over 12 is whole units
    rule = Rounding(FEN, "half_up", per="year")
    assert (rule.apply(Fraction(1000, 7)) * 1200).denominator == 1


def test_no_rounding_is_declared_explicitly_and_keeps_the_amount_exact():
    assert Rounding(None, "none").apply(Fraction(2013, 2)) == Fraction(2013, 2)


def test_steps_must_be_whole_fen_and_positive():
    for step in (Decimal("0.005"), Decimal("0"), Decimal("-1")):
        with pytest.raises(ValueError):
            Rounding(step, "up")
    with pytest.raises(ValueError):
        Rounding(YUAN, "up", per="week")
    with pytest.raises(ValueError):
        Rounding(None, "up")
