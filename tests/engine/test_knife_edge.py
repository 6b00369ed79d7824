"""Exact at the knife edge: 10,000 generated households whose exact monthly income per
member equals a threshold (the dibao standard, or 1.5 × it for marginal families) are
all classified as not below it, and households just below the standard get their gap
payment exact to the fen.

Incomes are split across members, some stated per year, so that per-member and
per-year amounts are not whole fen and only their exact sum lands on the threshold:
the case float arithmetic gets wrong for about one household in twenty."""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction

import pytest

from aidrules.model import application_from_dict
from aidrules.model.identity import make_id_number

TIELI = "heilongjiang/yichun/tieli"
ON = date(2025, 3, 1)
FEN = Fraction(1, 100)


def standard(book, area: str) -> Fraction:
    found = book.policies.value(f"dibao.standard.{area}", TIELI, ON, unit="yuan/month")
    return Fraction(found.value)


def incomes_summing_to(total: Fraction, members: int, rng: random.Random) -> list[list[dict]]:
    """Property incomes, per member, whose monthly amounts add up to exactly ``total``.

    Two yearly incomes whose sum is a whole number of 12 fen make per-member monthly
    amounts that are not whole fen; monthly incomes in whole fen make up the rest."""
    per_member: list[list[dict]] = [[] for _ in range(members)]
    first = rng.randrange(1, 120_000)  # fen per year
    second = rng.randrange(1, 120_000)
    second += (-(first + second)) % 12  # together a whole number of fen per month
    yearly = Fraction(first + second, 100 * 12)
    for fen in (first, second):
        per_member[rng.randrange(members)].append(_income(Fraction(fen, 100), "yearly"))
    rest = total - yearly
    assert rest > 0 and (rest / FEN).denominator == 1
    cuts = sorted(rng.randrange(0, int(rest / FEN) + 1) for _ in range(members - 1))
    for index, (low, high) in enumerate(zip([0, *cuts], [*cuts, int(rest / FEN)], strict=True)):
        per_member[index].append(_income(Fraction(high - low, 100), "monthly"))
    return per_member


def _income(amount: Fraction, period: str) -> dict:
    return {"kind": "property", "amount": str(Decimal(amount.numerator) / amount.denominator),
            "period": period}


def household(number: int, area: str, monthly_total: Fraction, members: int,
              rng: random.Random) -> dict:
    incomes = incomes_summing_to(monthly_total, members, rng)
    people = []
    for index in range(members):
        born = date(1970 + rng.randrange(25), 1 + rng.randrange(12), 1 + rng.randrange(28))
        people.append({
            "id_number": make_id_number("230781", born, (number * 7 + index) % 1000),
            "name": f"成员{index}", "relation": "head" if index == 0 else "other",
            "work_ability": "full", "employment": "employed", "incomes": incomes[index]})
    return {"application_id": f"EDGE-{number:05d}", "applied_on": ON.isoformat(),
            "jurisdiction": TIELI, "area": area,
            "household": {"members": people, "expenditures": [],
                          "assets": {"financial_assets": "0", "housing_units": 1}}}


def generated(book, count: int, multiplier: Fraction, seed: int):
    rng = random.Random(seed)
    for number in range(count):
        area, members = rng.choice(["urban", "rural"]), rng.randrange(1, 6)
        line = standard(book, area) * multiplier
        yield line, members, application_from_dict(
            household(number, area, line * members, members, rng))


@pytest.mark.parametrize("multiplier, aid, count", [
    (Fraction(1), "dibao", 5000),
    (Fraction(3, 2), "dibao_marginal", 5000),
])
def test_income_exactly_at_a_threshold_is_not_below_it(assessor, book, multiplier, aid, count):
    assert book.policies.value("dibao.marginal_multiplier", TIELI, ON).value == Decimal("1.5")
    wrong = [app.application_id for _, _, app in generated(book, count, multiplier, seed=count)
             if assessor.assess(app, reasons=False).result(aid).status != "ineligible"]
    assert wrong == []


def test_at_the_standard_the_margin_is_exactly_zero(assessor, book):
    for _, _, app in generated(book, 200, Fraction(1), seed=7):
        trace = next(t for t in assessor.assess(app).result("dibao").rules
                     if t.rule == "dibao.household")
        assert trace.criteria[0].margin == 0, app.application_id


def test_just_below_the_standard_the_gap_is_paid_to_the_fen(assessor, book):
    """The gap method: members × standard − income, rounded as the jurisdiction rounds
    (where it rounds, on the household total or per member), never below the floor."""
    rng = random.Random(11)
    for number in range(2000):
        area, members = rng.choice(["urban", "rural"]), rng.randrange(1, 6)
        gap = Fraction(rng.randrange(1, 30_000), 100)  # 0.01 to 300 yuan for the household
        line = standard(book, area) * members
        app = application_from_dict(household(number, area, line - gap, members, rng))
        result = assessor.assess(app, reasons=False).result("dibao")
        assert (result.status, result.amount) == \
            ("eligible", gap_payment(book, gap, members, standard(book, area))), app.application_id


def gap_payment(book, gap: Fraction, members: int, line: Fraction) -> Decimal:
    """The payment computed here with Decimal alone, from the parameters in force."""
    def parameter(name):
        return book.policies.value(f"dibao.{name}", TIELI, ON).value

    rounding = parameter("rounding")
    mode = {"up": ROUND_UP, "down": ROUND_DOWN, "half_up": ROUND_HALF_UP}[rounding.mode]

    def rounded(value: Fraction) -> Decimal:
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(rounding.to), rounding=mode)

    if parameter("rounding_stage") == "per_capita":
        payment = rounded(gap / members) * members
    else:
        payment = rounded(gap)
    floor = rounded(line * Fraction(parameter("min_payment_ratio"))) * members
    return max(payment, floor)
