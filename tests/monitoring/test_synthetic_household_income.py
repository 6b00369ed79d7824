"""The synthetic county's applications carry income of the household as a whole where it
is natural: a family-planning reward for rural heads aged 60 or more."""

from datetime import date

from aidrules.model import application_from_dict
from aidrules.monitoring.synthetic import Facts, generate

ON = date(2025, 3, 1)


def test_rural_heads_aged_60_or_more_get_a_household_family_planning_reward(tmp_path):
    generate(tmp_path, 300, 4, ON)
    facts = Facts(tmp_path / "register")
    applications = [application_from_dict(facts.application(h, ON)) for h in facts.households]
    rewarded = [a for a in applications if a.household.incomes]
    assert rewarded and len(rewarded) < len(applications)
    for a in applications:
        head = next(m for m in a.household.members if m.relation == "head")
        children = sum(m.relation == "child" for m in a.household.members)
        expected = a.area == "rural" and head.age_on(ON) >= 60 and children <= 2
        assert bool(a.household.incomes) == expected
        assert all(i.kind == "family_planning_reward" for i in a.household.incomes)
