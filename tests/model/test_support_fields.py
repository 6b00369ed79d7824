"""The fields added for the full rule book are optional: old files load with safe defaults."""

import re
from pathlib import Path

import pytest

from aidrules.errors import ApplicationError
from aidrules.model import ObligorInability, SupportForm, application_from_dict, read_application

EXAMPLES = Path(__file__).parents[2] / "examples" / "applications"
EXAMPLE = EXAMPLES / "01-tieli-urban-below-standard.yaml"


def test_an_application_without_the_new_fields_gets_the_safe_defaults():
    application = read_application(EXAMPLE)
    household = application.household
    assert household.support_form is SupportForm.dispersed
    assert not household.is_dibao_recipient and household.dibao_monthly_amount is None
    assert household.work_income_rose_on is None
    member = household.members[0]
    assert member.employment_cost == 0 and not member.is_tekun_recipient
    assert not member.chose_orphan_protection


def test_the_new_fields_are_read_and_a_bad_inability_is_named_by_its_path():
    data = {
        "application_id": "T-1", "applied_on": "2025-03-01",
        "jurisdiction": "heilongjiang/yichun/tieli", "area": "urban",
        "household": {
            "support_form": "centralised", "is_dibao_recipient": True,
            "dibao_monthly_amount": "400.00", "work_income_rose_on": "2025-01-10",
            "members": [{"id_number": "230781194001200619", "name": "周德贵", "relation": "head",
                         "work_ability": "none", "employment_cost": "50.00", "incomes": []}],
            "assets": None,
            "supporters": [{"name": "周建华", "relation": "child", "is_able": True,
                            "inability": "dibao_elderly"}],
        },
    }
    application = application_from_dict(data)
    assert application.household.supporters[0].inability is ObligorInability.dibao_elderly
    data["household"]["supporters"][0]["inability"] = "dibao_eldery"
    with pytest.raises(ApplicationError, match=re.escape("$.household.supporters[0].inability")):
        application_from_dict(data)
