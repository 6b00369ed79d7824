"""The screening gives, household for household, the per-case path's statuses, amounts,
deciding rules, missing facts, risk colour and referrals: on every shipped example
application, case file and rule example."""

from __future__ import annotations

from pathlib import Path

import pytest

from aidrules.cases.reading import read_cases, read_examples
from aidrules.cases.replay import Books
from aidrules.columnar import Screener
from aidrules.model import read_application
from tests.columnar.both import differences, per_case

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def screener(book):
    return Screener(book)


def test_every_example_application_screens_as_it_assesses(book, assessor, screener):
    applications = [read_application(p)
                    for p in sorted((ROOT / "examples" / "applications").glob("*.yaml"))]
    screened = screener.screen(applications).to_pylist()
    expected = [per_case(assessor, a) for a in applications]
    assert differences(expected, screened) == []


def shipped_cases(book):
    files = sorted(ROOT.glob("rules/**/cases/*.yaml")) + \
        sorted((ROOT / "examples").glob("**/cases/*.yaml"))
    for path in files:
        cases, problems = read_cases(path, book, roots=[ROOT])
        assert problems == []
        yield from cases
    for rule in book.rules:  # the rules' inline examples
        cases, problems = read_examples(rule, book, roots=[ROOT])
        assert problems == []
        yield from cases


def test_every_shipped_case_screens_as_it_assesses(book):
    """Each case under its own book: the shipped one, or with the case's overlays laid over."""
    books, groups = Books(), {}
    shipped = books.assessor(ROOT / "rules", ROOT / "policies")
    for case in shipped_cases(book):
        own = books.for_case(shipped, case)
        groups.setdefault(id(own), (own, []))[1].append(case)
    assert sum(len(cases) for _, cases in groups.values()) > 50
    found = []
    for own, cases in groups.values():
        screened = Screener(own.book).screen_each((c.application, c.on, c.jurisdiction)
                                                  for c in cases)
        expected = [per_case(own, c.application, c.on, c.jurisdiction) for c in cases]
        found += differences(expected, screened.to_pylist())
    assert found == []


def test_the_screening_is_a_duckdb_relation_to_query_further(book, screener):
    """The Python API also gives a DuckDB relation: a county sums its own way."""
    from aidrules.columnar import tables_from_applications
    applications = [read_application(p)
                    for p in sorted((ROOT / "examples" / "applications").glob("*.yaml"))]
    connection = screener.connect()
    relation = screener.relation(connection, tables_from_applications(applications),
                                 "heilongjiang/yichun/tieli", applications[0].applied_on)
    eligible = relation.filter("dibao = 'eligible'").aggregate("count(*)").fetchall()
    screened = screener.screen(applications, applications[0].applied_on,
                               "heilongjiang/yichun/tieli").column("dibao").to_pylist()
    assert eligible == [(screened.count("eligible"),)]
