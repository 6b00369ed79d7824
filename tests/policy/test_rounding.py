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


def test_only_yuan_jiao_and_fen_steps_and_three_modes_exist():
    with pytest.raises(ValueError):
        Rounding(Decimal("5"), "up")
    with pytest.raises(ValueError):
        Rounding(YUAN, "ceiling")
