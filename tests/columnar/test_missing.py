"""Every part of an application that can go unreported is listed by the screening where
the per-case path lists it: a household that reports none of them, screened in columns,
names the same paths (member and supporter indexes included) and the same deciding rules
for every aid type."""

from __future__ import annotations

import attrs

from aidrules.columnar import Screener, tables_from_applications
from aidrules.columnar.missing import UNREPORTED
from aidrules.model import application_from_dict
from aidrules.rulebook.facts import base_facts
from tests.columnar.both import differences, per_case


def unreported_household(dibao_recipient: bool):
    member = {"relation": "head", "id_number": "230781195005140216", "name": "甲"}
    reported = {"relation": "spouse", "id_number": "230781195205140229", "name": "乙",
                "work_ability": "none", "employment": "not_working", "incomes": []}
    return application_from_dict({
        "application_id": f"M-{int(dibao_recipient)}", "applied_on": "2025-03-01",
        "jurisdiction": "heilongjiang/yichun/tieli", "area": "rural",
        "household": {
            "members": [reported, member, dict(member, id_number="230781201005140214",
                                                relation="child", name="丙")],
            "is_dibao_recipient": dibao_recipient,
            "supporters": [{"name": "丁", "relation": "child", "is_able": True},
                           {"name": "戊", "relation": "child", "is_able": True,
                            "id_number": "230781197805140213", "yearly_income": "1000.00",
                            "assets_within_low_income_rules": True}],
        },
    })


def test_every_unreported_part_is_known_to_the_screening(book):
    """Each base fact's unreported paths, as the query's household column holds them (read
    from the query's last table), are the per-case path's."""
    application = unreported_household(True)
    facts = base_facts(application)
    assert set(facts.unknown) == set(UNREPORTED)
    screener = Screener(book)
    screening = screener.compiled(application.jurisdiction, application.applied_on)
    head, tail = screening.sql.rsplit(" SELECT ", 1)
    columns = ", ".join(f'h."paths:{name}"' for name in UNREPORTED)
    query = attrs.evolve(screening, sql=f"{head} SELECT {columns} {tail[tail.rindex('FROM'):]}")
    row = screener.arrow(screener.connect(), tables_from_applications([application]), query)
    for index, name in enumerate(UNREPORTED):
        assert sorted(row.column(index).to_pylist()[0]) == sorted(facts.unknown[name]), name


def test_a_household_reporting_nothing_optional_screens_as_it_assesses(book, assessor):
    households = [unreported_household(False), unreported_household(True)]
    screened = Screener(book).screen(households).to_pylist()
    expected = [per_case(assessor, a) for a in households]
    assert differences(expected, screened) == []
    paths = {p for row in screened for aid in book.aids for p in row[f"{aid}.missing"]}
    assert "$.household.members[2].incomes" in paths
    assert "$.household.members[0].incomes" not in paths
