"""Money written per year, per month or once, converted exactly; roundings as written."""

from decimal import Decimal
from fractions import Fraction

import pytest

from aidrules.policy import Rounding
from aidrules.policy._values import Bad, convert, rounding


def test_a_yearly_figure_that_is_not_whole_fen_a_month_is_kept_as_an_exact_fraction():
    # 4,000 a year is 333 1/3 yuan a month: accepted, exactly
    assert convert(Decimal("4000"), "yuan/year", "yuan/month") == Fraction(1000, 3)


def test_a_whole_fen_conversion_stays_a_decimal():
    found = convert(Decimal("4017"), "yuan/year", "yuan/month")
    assert found == Decimal("334.75") and isinstance(found, Decimal)


def test_a_one_off_amount_does_not_convert_to_a_monthly_one():
    with pytest.raises(Bad):
        convert(Decimal("800"), "yuan", "yuan/month")


@pytest.mark.parametrize(("raw", "expected"), [
    ({"to": "10", "mode": "up"}, Rounding(Decimal("10"), "up")),
    ({"to": 10, "mode": "half_even"}, Rounding(Decimal("10"), "half_even")),
    ({"to": "1", "mode": "up", "per": "year"}, Rounding(Decimal("1"), "up", per="year")),
    ({"to": "0.5", "mode": "down"}, Rounding(Decimal("0.5"), "down")),
    ({"mode": "none"}, Rounding(None, "none")),
])
def test_rounding_values_as_written(raw, expected):
    assert rounding(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ({"to": "1", "mode": "up", "per": "week"}, "per='week' is not a stage"),
    ({"to": "1", "mode": "none"}, "a rounding with mode none has no step"),
    ({"mode": "up"}, "the rounding rule has no to"),
])
def test_bad_rounding_values(raw, message):
    with pytest.raises(Bad) as info:
        rounding(raw)
    assert info.value.message == message
