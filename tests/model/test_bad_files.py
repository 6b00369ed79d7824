"""Every kind of mistake in an application file comes back as a pinned message with its path.

One defect per file under ``bad/`` (``many-errors.yaml`` aside, which proves that every
problem is reported in one go).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aidrules.errors import ApplicationError
from aidrules.model import read_application
from aidrules.model.application import APPLICATION_HORIZON

BAD = Path(__file__).parent / "bad"
M0 = "$.household.members[0]"
M1 = "$.household.members[1]"

EXPECTED = {
    "unknown-field.yaml": [f"{M1}: unknown field 'illnes'; did you mean 'illness'?"],
    "missing-required.yaml": ["$.applied_on: is required"],
    "not-a-date.yaml": ["$.applied_on: must be a date like 2025-03-01, got '2025-13-01'"],
    "datetime-not-date.yaml": [
        "$.applied_on: must be a date like 2025-03-01, got 2025-03-01 09:30:00"],
    "not-a-choice.yaml": ["$.area: must be one of urban, rural, got 'town'"],
    "misspelt-choice.yaml": [
        f"{M1}.relation: must be one of head, spouse, child, parent, parent_in_law, "
        "grandparent, grandchild, sibling, other, got 'spose'; did you mean 'spouse'?"],
    "negative-amount.yaml": [f"{M0}.incomes[0].amount: must be a non-negative amount, got '-5'"],
    "amount-below-fen.yaml": [
        f"{M0}.incomes[0].amount: must be an amount in whole fen (at most 2 decimal places), "
        "got '1200.005'"],
    "amount-not-a-number.yaml": [
        f"{M0}.incomes[0].amount: must be a non-negative amount, got '一千二'"],
    "wrong-check-character.yaml": [
        f"{M1}.id_number: identity number check character is '3' but should be 'X'"],
    "id-number-too-short.yaml": [
        f"{M1}.id_number: identity number must have 18 characters, got 17"],
    "id-number-bad-birth-date.yaml": [
        f"{M1}.id_number: identity number holds birth date '19840230', which is not a real date"],
    "id-number-not-quoted.yaml": [
        f"{M1}.id_number: identity number must be text (put it in quotes), got a number"],
    "disability-grade-out-of-range.yaml": [
        f"{M1}.disability.grade: must be a whole number from 1 to 4, got 7"],
    "not-a-boolean.yaml": [f"{M1}.is_seriously_ill: must be true or false, got 'yes'"],
    "negative-count.yaml": [
        f"{M1}.refused_job_offers: must be a whole number from 0 to 100, got -1"],
    "applied-far-ahead.yaml": [
        f"$.applied_on: must be a date no later than {date.today() + APPLICATION_HORIZON} "
        "(a year ahead of today), got 9999-12-31"],
    "older-than-130.yaml": [
        f"{M1}.id_number: gives a birth date of 1890-01-01: 135 years old on 2025-03-01, older "
        "than 130"],
    "nobody-counted.yaml": [
        "$.household.members: must count at least one member as living in the household "
        "(every member is away or not co-residing)"],
    "name-with-nul.yaml": [
        f"{M1}.name: must not hold the hidden character U+0000 (a control character)"],
    "name-with-right-to-left-mark.yaml": [
        f"{M1}.name: must not hold the hidden character U+202E (right-to-left override)"],
    "name-too-long.yaml": [f"{M1}.name: must be a name of at most 64 characters, got 65"],
    "absurd-count.yaml": [
        "$.household.assets.housing_units: must be a whole number from 0 to 100, got "
        "9999999999999999999999999999999999999999"],
    "absurd-amount.yaml": [
        f"{M0}.incomes[0].amount: must be an amount below 100,000,000 yuan, "
        "got '999999999999.99'"],
    "bad-jurisdiction.yaml": [
        "$.jurisdiction: must be a path of lower-case names joined by '/', "
        "like heilongjiang/yichun/tieli, got 'Heilongjiang/Yichun/Tieli'"],
    "empty-name.yaml": [f"{M1}.name: must be non-empty text, got ''"],
    "not-a-list.yaml": [f"{M1}.incomes: must be a list, got 'none'"],
    "not-a-mapping.yaml": ["$.household.assets: must be a mapping of fields, got 1000"],
    "no-head.yaml": [
        "$.household.members: exactly one member must be the head (relation: head), found 0"],
    "two-heads.yaml": [
        "$.household.members: exactly one member must be the head (relation: head), found 2"],
    "duplicate-id-number.yaml": [f"{M1}.id_number: duplicates members[0]"],
    "born-after-the-application.yaml": [
        f"{M1}.id_number: gives a birth date of 2030-01-01, after the application date "
        "2025-03-01"],
    "no-members.yaml": ["$.household.members: must list at least one member"],
    "not-yaml.yaml": ["$: not valid YAML: expected ',' or ']', but got ':' (line 5, column 10)"],
    "float-in-json.json": [
        f"{M0}.incomes[0].amount: must be an amount in whole fen (at most 2 decimal places), "
        "got '1200.001'"],
    "duplicate-key.json": [
        "$: not valid JSON: the key 'application_id' appears twice in one object"],
    "many-errors.yaml": [
        "$.application_id: must be non-empty text, got ''",
        "$.applied_on: must be a date like 2025-03-01, got '2025-02-30'",
        "$.area: must be one of urban, rural, got 'twon'",
        f"{M0}: unknown field 'nmae'; did you mean 'name'?",
        f"{M0}.id_number: identity number check character is 'X' but should be '4'",
        f"{M0}.name: is required",
        f"{M0}.work_ability: must be one of full, partial, none, got 'some'",
        f"{M0}.disability.grade: must be a whole number from 1 to 4, got 0",
        f"{M0}.self_care.dressing: must be true or false, got 'no'",
        f"{M0}.self_care.transferring: is required",
        f"{M0}.self_care.toileting: is required",
        f"{M0}.self_care.walking_indoors: is required",
        f"{M0}.self_care.bathing: is required",
        f"{M0}.incomes[0].kind: must be one of wage, business, property, transfer, "
        "support_received, pension, basic_pension, unemployment_insurance, youfu, "
        "family_planning_reward, scholarship, bravery_award, social_assistance, "
        "old_age_allowance, social_insurance_benefit, disability_living_subsidy, "
        "disability_care_subsidy, orphan_allowance, other, "
        "got 'salary'",
        f"{M0}.incomes[0].amount: must be a non-negative amount, got '-100'",
        f"{M0}.incomes[0].period: must be one of monthly, yearly, got 'weekly'",
        f"{M0}.incomes[1].amount: must be an amount in whole fen (at most 2 decimal places), "
        "got '12.345'",
        "$.household.assets.vehicles[0].value: must be a non-negative amount, got 'lots'",
        "$.household.expenditures[0].amount: is required",
        "$.household.emergencies[0].occurred_on: must be a date like 2025-03-01, got 'yesterday'",
    ],
}


def test_every_bad_file_has_its_messages_pinned() -> None:
    """No file in bad/ goes untested, and no pinned file is missing."""
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bad_file_reports_exactly_its_problems(name: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        read_application(BAD / name)
    assert [str(problem) for problem in caught.value.problems] == EXPECTED[name]
    assert caught.value.source == str(BAD / name)


def test_the_error_message_names_the_file_and_counts_the_problems() -> None:
    with pytest.raises(ApplicationError, match=r"^1 problem\(s\) in .*no-head\.yaml:\n  \$"):
        read_application(BAD / "no-head.yaml")
