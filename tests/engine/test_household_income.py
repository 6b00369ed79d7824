"""Income of the household as a whole counts like a member's, and a kind the jurisdiction
disregards is disregarded wherever it is written."""

import attrs
from hypothesis import given
from hypothesis import strategies as st

from aidrules.model import Income, IncomeKind, Period
from aidrules.testing import amounts
from tests.engine.test_properties import SETTINGS, TIELI_APPLICATIONS


def _plus_household_income(application, kind: IncomeKind, amount):
    household = application.household
    extra = Income(kind=kind, amount=amount, period=Period.monthly)
    return attrs.evolve(application, household=attrs.evolve(
        household, incomes=(*household.incomes, extra)))


def _dibao(assessor, application):
    result = assessor.assess(application).result("dibao")
    return result.status, result.amount


@SETTINGS
@given(TIELI_APPLICATIONS, amounts(5000))
def test_a_disregarded_kind_paid_to_the_household_changes_no_dibao_decision(
        assessor, application, amount):
    """A family-planning reward (not counted: 民发〔2021〕57号第十三条) paid to the
    household leaves dibao's status and amount as they were."""
    with_reward = _plus_household_income(application, IncomeKind.family_planning_reward, amount)
    assert _dibao(assessor, with_reward) == _dibao(assessor, application)


@SETTINGS
@given(TIELI_APPLICATIONS, st.integers(1, 3000))
def test_a_counted_kind_paid_to_the_household_never_makes_dibao_more_likely(
        assessor, application, amount):
    richer = _plus_household_income(application, IncomeKind.property, amount)
    before, after = _dibao(assessor, application), _dibao(assessor, richer)
    if after[0] == "eligible":
        assert before[0] == "eligible"
