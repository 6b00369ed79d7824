"""Derived facts that no aid status shows: review intervals, the grace-period clock, help-first."""

from datetime import date
from pathlib import Path

import attrs
import pytest

from aidrules.model import read_application
from aidrules.rulebook import load_rulebook
from aidrules.rulebook.facts import facts_for

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "applications"
BOOK = load_rulebook(ROOT / "rules", ROOT / "policies")


def household_facts(application):
    snapshot = BOOK.policies.at(application.jurisdiction, application.applied_on)
    return facts_for(application, BOOK, lambda name: snapshot[name].value).household.fields


@pytest.mark.parametrize(("example", "months"), [
    ("03-tieli-elderly-alone-tekun.yaml", 12),  # no member can work: yearly review
    ("10-tieli-registered-unemployed.yaml", 6),  # a member able to work: every six months
])
def test_review_interval_is_six_months_where_a_member_can_work(example, months):
    assert household_facts(read_application(EXAMPLES / example))["review_interval_months"] == months


def test_the_grace_period_counts_whole_months_since_income_rose():
    application = read_application(EXAMPLES / "02-tieli-urban-exactly-at-standard.yaml")
    household = application.household

    def months_used(rose_on, on):
        fields = household_facts(attrs.evolve(application, applied_on=on, household=attrs.evolve(
            household, is_dibao_recipient=True, work_income_rose_on=rose_on)))
        return fields["grace_months_used"], fields["in_grace_period"]

    assert months_used(date(2025, 1, 10), date(2025, 7, 9)) == (5, True)
    assert months_used(date(2025, 1, 10), date(2025, 7, 10)) == (6, False)


def test_an_emergency_grant_above_the_small_amount_is_paid_first_up_to_the_cap():
    """先行救助 (民发〔2018〕23号 二（二）): the household qualifies, and the part up to the
    small-amount cap (800, assumed) is paid before the paperwork; the rest after."""
    fields = household_facts(read_application(EXAMPLES / "12-tieli-fire-emergency.yaml"))
    assert fields["temporary_help_first"] is True
    assert fields["temporary_help_first_amount"] == 800  # min(710 × 3 = 2130, 800)


def test_an_old_emergency_is_not_paid_first():
    application = read_application(EXAMPLES / "12-tieli-fire-emergency.yaml")
    fields = household_facts(attrs.evolve(application, applied_on=date(2026, 8, 25)))
    assert fields["recent_emergency_count"] == 0
    assert (fields["temporary_help_first"], fields["temporary_help_first_amount"]) == (False, 0)


def _with_household_incomes(*incomes):
    from aidrules.model.application import Income
    application = read_application(EXAMPLES / "03-tieli-elderly-alone-tekun.yaml")
    return attrs.evolve(application, household=attrs.evolve(
        application.household, incomes=tuple(Income(kind=k, amount=a, period="monthly")
                                             for k, a in incomes)))


def test_household_level_income_counts_for_dibao_and_tekun_by_their_own_disregarded_kinds():
    """A household-level family-planning reward is disregarded for dibao (民发〔2021〕57号
    第十三条) but counted for tekun (特困人员认定办法第七条 does not name it); a rent counts
    for both."""
    plain = household_facts(_with_household_incomes())
    found = household_facts(_with_household_incomes(("family_planning_reward", "80.00"),
                                                    ("property", "100.00")))
    assert found["household_level_income"] == 100
    assert found["monthly_income"] - plain["monthly_income"] == 100
    assert found["tekun_monthly_income"] - plain["tekun_monthly_income"] == 180
