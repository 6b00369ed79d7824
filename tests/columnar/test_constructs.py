"""Every construct of the language, in three values, screens as the per-case path assesses:
counts whose `where` is unknown, any/all, sums over a list that may be unreported, min and
max of lists, division by a count that may be zero, `if` on an unknown, the three
roundings, member rules, eligible(...), an exclusive group, risk and referrals
(tests/columnar/semantics/). And the small screening of benchmarks/ the same way."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidrules.columnar import Screener
from aidrules.engine import Assessor
from aidrules.rulebook import load_rulebook
from aidrules.testing import applications
from tests.columnar.both import differences, per_case

ROOT = Path(__file__).resolve().parents[2]
BOOKS = {"semantics": ROOT / "tests" / "columnar" / "semantics",
         "small screening": ROOT / "benchmarks" / "small-screening"}
ON = date(2025, 3, 1)


@pytest.fixture(scope="module", params=sorted(BOOKS))
def paths(request):
    book = load_rulebook(BOOKS[request.param] / "rules", BOOKS[request.param] / "policies")
    return Screener(book), Assessor(book)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(st.lists(applications(on=ON), min_size=1, max_size=25))
def test_each_construct_screens_as_it_assesses(paths, households):
    screener, assessor = paths
    screened = screener.screen(households, jurisdiction="national").to_pylist()
    expected = [per_case(assessor, a, jurisdiction="national") for a in households]
    assert differences(expected, screened) == []
