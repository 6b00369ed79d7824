"""Money carries its period (per month, per year, once): amounts of different periods are
never added or compared unnoticed, a number keeps an amount's period, and monthly(...) /
yearly(...) convert exactly."""

from __future__ import annotations

from fractions import Fraction

import pytest

from aidrules.language import Env, Schema, check, evaluate, parse
from aidrules.language.types import (
    INT,
    MONEY,
    MONEY_ONCE,
    MONEY_PER_YEAR,
    MONTHS,
    NUMBER,
    money_per,
)

SCHEMA = Schema(
    entities={"household": {"income": MONEY, "spending": MONEY_PER_YEAR, "savings": MONEY_ONCE,
                            "size": INT}},
    parameters={"standard": MONEY, "ceiling_yearly": MONEY_PER_YEAR, "grant": MONEY_ONCE,
                "share": NUMBER, "months": MONTHS},
    aids=frozenset())


def checked(text: str):
    return check(parse(text), SCHEMA, ("household",), "r.yaml")


@pytest.mark.parametrize(("text", "period"), [
    ("income + standard", "month"),
    ("spending * share", "year"),
    ("spending / size", "year"),
    ("monthly(spending)", "month"),
    ("monthly(ceiling_yearly * share)", "month"),
    ("yearly(income)", "year"),
    ("standard * months", "once"),
    ("standard * months * size", "once"),
    ("grant / months", "month"),
    ("if size > 1 then spending else 0", "year"),
    ("max(income - 100, 0)", "month"),
])
def test_an_amount_keeps_or_converts_its_period(text, period):
    found = checked(text)
    assert not found.problems
    assert found.type == money_per(period)


@pytest.mark.parametrize(("text", "message", "suggestion"), [
    ("income < ceiling_yearly", "cannot compare an amount per month with an amount per year",
     "monthly(ceiling_yearly)"),
    ("income * 12 < ceiling_yearly",
     "cannot compare an amount per month with an amount per year", "monthly(ceiling_yearly)"),
    ("spending > income", "cannot compare an amount per year with an amount per month",
     "monthly(spending)"),
    ("income - spending", "cannot compute an amount per month - an amount per year",
     "monthly(spending)"),
    ("savings <= standard", "cannot compare a one-off amount with an amount per month", None),
    ("income + grant", "cannot compute an amount per month + a one-off amount", None),
])
def test_amounts_of_different_periods_do_not_meet(text, message, suggestion):
    (problem,) = checked(text).problems
    assert (problem.message, problem.suggestion) == (message, suggestion)
    assert problem.expected == "amounts of the same period (per month, per year or once)"


@pytest.mark.parametrize(("text", "message"), [
    ("monthly(income)", "monthly(...) converts an amount per year, not an amount per month"),
    ("yearly(spending)", "yearly(...) converts an amount per month, not an amount per year"),
    ("monthly(savings)", "monthly(...) converts an amount per year, not a one-off amount"),
    ("monthly(size)", "monthly(...) converts an amount per year, not a whole number"),
    ("max(income, spending)", "max(...) cannot mix an amount per month and an amount per year"),
    ("spending * months", "cannot compute an amount per year * a whole number"),
])
def test_a_conversion_takes_only_the_period_it_converts(text, message):
    assert [p.message for p in checked(text).problems] == [message]


@pytest.mark.parametrize(("text", "expected"), [
    ("monthly(spending)", Fraction(1000, 12)),  # exact, not 83.33
    ("yearly(income)", Fraction(8520)),
    ("monthly(yearly(income))", Fraction(710)),
])
def test_the_evaluator_converts_exactly(text, expected):
    env = Env({"income": Fraction(710), "spending": Fraction(1000)})
    assert evaluate(parse(text), env, lambda name: None) == expected
