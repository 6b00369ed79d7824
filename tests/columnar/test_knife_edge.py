"""At the knife edge: households whose exact income per member is the dibao standard or
1.5 × it are not below it, one fen less is below it, and every status and amount is the
per-case path's. Incomes are split across members, some yearly, so that only their exact
sum lands on the line."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from aidrules.columnar import Screener
from aidrules.model import application_from_dict
from tests.columnar.both import differences, per_case
from tests.engine.test_knife_edge import household, standard

FEN = Fraction(1, 100)


def edge(book, count: int, multiplier: Fraction, below: Fraction, seed: int):
    """Households whose monthly income is ``multiplier`` × standard × members − ``below``."""
    rng = random.Random(seed)
    for number in range(count):
        area, members = rng.choice(["urban", "rural"]), rng.randrange(1, 6)
        total = standard(book, area) * multiplier * members - below
        yield application_from_dict(household(number, area, total, members, rng))


@pytest.mark.parametrize("multiplier, below, aid, status", [
    (Fraction(1), Fraction(0), "dibao", "ineligible"),
    (Fraction(1), FEN, "dibao", "eligible"),
    (Fraction(3, 2), Fraction(0), "dibao_marginal", "ineligible"),
    (Fraction(3, 2), FEN, "dibao_marginal", "eligible"),
])
def test_the_line_is_exact_in_columns(book, assessor, multiplier, below, aid, status):
    households = list(edge(book, 150, multiplier, below, seed=int(multiplier * 100) + 7))
    screened = Screener(book).screen(households).to_pylist()
    assert {row[aid] for row in screened} == {status}
    assert differences([per_case(assessor, a) for a in households], screened) == []
