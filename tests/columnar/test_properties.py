"""Random households screened in columns come out as the per-case path assesses them."""

from __future__ import annotations

from datetime import date

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidrules.columnar import Screener
from aidrules.testing import applications
from tests.columnar.both import differences, per_case

TIELI = "heilongjiang/yichun/tieli"
ON = date(2025, 3, 1)


def in_tieli(application):
    return attrs.evolve(application, jurisdiction=TIELI)


# One query per example: a whole list of households, as a county screens them.
HOUSEHOLDS = st.lists(applications(on=ON).map(in_tieli), min_size=1, max_size=25)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(HOUSEHOLDS, st.sampled_from([ON, date(2023, 6, 1), date(2026, 1, 1)]),
       st.sampled_from([TIELI, "heilongjiang/yichun", "heilongjiang"]))
def test_random_households_screen_as_they_assess(book, assessor, households, on, where):
    """Under the parameters of a date and a jurisdiction (folded into the query)."""
    screened = Screener(book).screen(households, on, where).to_pylist()
    expected = [per_case(assessor, a, on, where) for a in households]
    assert differences(expected, screened) == []
