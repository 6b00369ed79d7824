"""Statements about every household, checked on generated ones."""

from datetime import date
from decimal import Decimal

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidrules.model import Income, IncomeKind, Period
from aidrules.testing import applications

TIELI = "heilongjiang/yichun/tieli"
ON = date(2025, 3, 1)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def in_tieli(application):
    return attrs.evolve(application, jurisdiction=TIELI)


TIELI_APPLICATIONS = applications(on=ON).map(in_tieli)


@SETTINGS
@given(TIELI_APPLICATIONS)
def test_reasons_agree_with_statuses(assessor, application):
    """The engine's firings and the evaluator agree (verify=True: else EngineError), and
    every status is explained: eligible by a rule that held, ineligible by rules that all
    failed."""
    for result in assessor.assess(application, verify=True).results:
        held = [t.result for t in result.rules]
        if result.status == "eligible":
            assert "true" in held
        elif result.status == "ineligible":
            assert "true" not in held and "unknown" not in held
        else:
            assert "true" not in held and "unknown" in held


@SETTINGS
@given(TIELI_APPLICATIONS)
def test_same_application_same_result(assessor, application):
    first, again = assessor.assess(application), assessor.assess(application)
    assert first.to_json(detail="full") == again.to_json(detail="full")


@SETTINGS
@given(TIELI_APPLICATIONS)
def test_order_of_members_changes_nothing(assessor, application):
    household = application.household
    reordered = attrs.evolve(application, household=attrs.evolve(
        household, members=tuple(reversed(household.members))))

    def outcome(a):
        return [(r.aid, r.status, r.amount) for r in assessor.assess(a).results]

    assert outcome(application) == outcome(reordered)


def _with_wages(application, total: Decimal):
    """Every member's income replaced by wages adding up to ``total`` a month, and no
    income of the household as a whole."""
    members = application.household.members
    share, rest = divmod(total * 100, len(members))
    incomes = [Decimal(share) / 100] * len(members)
    incomes[0] += Decimal(rest) / 100
    new = tuple(attrs.evolve(m, is_co_residing=True, absence=None, incomes=(
        Income(kind=IncomeKind.wage, amount=a, period=Period.monthly),))
        for m, a in zip(members, incomes, strict=True))
    return attrs.evolve(application, area=application.area, household=attrs.evolve(
        application.household, members=new, incomes=()))


@SETTINGS
@given(TIELI_APPLICATIONS, st.sampled_from([Decimal("1"), Decimal("1.5")]))
def test_exactly_at_a_threshold_is_not_below_it(assessor, application, multiple):
    """Income per member exactly at the standard (or 1.5 × it) is not below it."""
    size = len(application.household.members)
    standard = Decimal(710 if application.area.value == "urban" else 517)
    household = _with_wages(application, standard * multiple * size)
    result = assessor.assess(household)
    aid = "dibao" if multiple == 1 else "dibao_marginal"
    criterion = next(c for t in result.result(aid).rules if t.rule == f"{aid}.household"
                     for c in t.criteria if "per_capita_income" in c.text)
    assert criterion.result == "false"
    assert criterion.margin == 0


@SETTINGS
@given(TIELI_APPLICATIONS, st.integers(0, 3000), st.integers(1, 2000))
def test_more_income_never_more_dibao(assessor, application, income, extra):
    poorer = assessor.assess(_with_wages(application, Decimal(income))).result("dibao")
    richer = assessor.assess(_with_wages(application, Decimal(income + extra))).result("dibao")
    if richer.status == "eligible":
        assert poorer.status == "eligible"
        if poorer.amount is not None and richer.amount is not None:
            assert richer.amount <= poorer.amount
