"""The model's classes check themselves when built and answer simple questions exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

from aidrules.model import (
    Disability,
    DisabilityKind,
    Emergency,
    EmergencyKind,
    Household,
    Income,
    IncomeKind,
    Member,
    Period,
    Relation,
    SelfCare,
    make_id_number,
)

HEAD_ID = make_id_number("230781", date(1980, 2, 29), 13)


def member(born: date = date(1980, 2, 29), relation: Relation = Relation.head,
           sequence: int = 13) -> Member:
    return Member(id_number=make_id_number("230781", born, sequence), name="王建国",
                  relation=relation, work_ability=None, disability=None, incomes=())


class TestAge:
    def test_a_birthday_counts_on_the_day(self) -> None:
        assert member(date(1965, 3, 1)).age_on(date(2025, 3, 1)) == 60

    def test_the_day_before_a_birthday_is_still_the_younger_age(self) -> None:
        assert member(date(1965, 3, 1)).age_on(date(2025, 2, 28)) == 59

    def test_a_leap_day_birth_turns_older_on_1_march_of_a_common_year(self) -> None:
        leapling = member(date(1964, 2, 29))
        assert leapling.age_on(date(2025, 2, 28)) == 60
        assert leapling.age_on(date(2025, 3, 1)) == 61

    def test_a_leap_day_birth_turns_older_on_29_february_of_a_leap_year(self) -> None:
        leapling = member(date(1964, 2, 29))
        assert leapling.age_on(date(2024, 2, 28)) == 59
        assert leapling.age_on(date(2024, 2, 29)) == 60

    def test_birth_date_and_sex_come_from_the_identity_number(self) -> None:
        assert member(date(1980, 2, 29), sequence=14).birth_date == date(1980, 2, 29)
        assert member(sequence=14).sex == "female"
        assert member(sequence=13).sex == "male"


def test_a_yearly_income_is_a_twelfth_a_month_exactly() -> None:
    income = Income(kind=IncomeKind.wage, amount=Decimal("1000.00"), period=Period.yearly)
    assert income.monthly_amount == Fraction(250, 3)


def test_self_care_counts_the_activities_failed() -> None:
    care = SelfCare(eating=True, dressing=False, transferring=True, toileting=True,
                    walking_indoors=True, bathing=False)
    assert care.failed_count == 2


def test_grades_1_and_2_are_severe_disability() -> None:
    assert Disability(kind=DisabilityKind.physical, grade=2).is_severe
    assert not Disability(kind=DisabilityKind.physical, grade=3).is_severe


def test_choices_and_whole_amounts_are_converted_when_built() -> None:
    income = Income(kind="wage", amount=700, period="monthly")  # type: ignore[arg-type]
    assert income.kind is IncomeKind.wage
    assert income.amount == Decimal(700) and isinstance(income.amount, Decimal)


def test_an_amount_as_a_float_is_refused_when_built() -> None:
    message = r"^Income\.amount: must be a non-negative amount, got 12\.3$"
    with pytest.raises(ValueError, match=message):
        Income(kind=IncomeKind.wage, amount=12.3, period=Period.monthly)  # type: ignore[arg-type]


def test_a_bad_identity_number_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match=r"^Member\.id_number: identity number check character"):
        attrs.evolve(member(), id_number=HEAD_ID[:17] + ("0" if HEAD_ID[17] != "0" else "1"))


def test_a_household_needs_exactly_one_head_when_built() -> None:
    spouse = member(date(1982, 5, 1), Relation.spouse)
    with pytest.raises(ValueError, match=r"^Household\.members: exactly one member must be"):
        Household(members=(spouse,), assets=None, expenditures=None)


def test_a_household_cannot_list_one_person_twice() -> None:
    head = member()
    twin = attrs.evolve(head, relation=Relation.child)
    message = r"Household\.members\[1\]\.id_number: duplicates members\[0\]"
    with pytest.raises(ValueError, match=message):
        Household(members=(head, twin), assets=None, expenditures=None)


def test_an_emergency_loss_defaults_to_nothing() -> None:
    fire = Emergency(kind=EmergencyKind.fire, occurred_on=date(2025, 8, 20))
    assert fire.loss_amount == 0 and isinstance(fire.loss_amount, Decimal)


def test_a_member_repr_masks_the_identity_number() -> None:
    assert HEAD_ID not in repr(member())
    assert HEAD_ID[:6] + "********" + HEAD_ID[14:] in repr(member())
