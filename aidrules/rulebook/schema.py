"""The base facts an application gives the rule language, by entity.

This is the one place where the domain model meets the language: each entity's
fields, with their types and closed vocabularies. :mod:`aidrules.rulebook.facts`
fills them from an :class:`~aidrules.model.Application`. Money says its period honestly:
incomes are monthly (the model converts yearly ones), spending is over the last 12 months,
assets, vehicles and losses are one-off sums."""

from __future__ import annotations

from enum import Enum

from aidrules import model
from aidrules.language.types import (
    BOOL,
    INT,
    MONEY,
    MONEY_ONCE,
    MONEY_PER_YEAR,
    Type,
    collection_of,
    text_of,
)


def _vocabulary(enum: type[Enum], *extra: str) -> Type:
    return text_of(*(m.value for m in enum), *extra)


BASE_FACTS: dict[str, dict[str, Type]] = {
    "household": {
        "members": collection_of("member"),
        "area": _vocabulary(model.Area),
        "financial_assets": MONEY_ONCE,  # a balance, not a flow
        "housing_units": INT,
        "business_registrations": INT,
        "vehicles": collection_of("vehicle"),
        "expenditures": collection_of("expenditure"),
        "supporters": collection_of("supporter"),
        "emergencies": collection_of("emergency"),
        "household_incomes": collection_of("income"),  # $.household.incomes
        "support_form": _vocabulary(model.SupportForm),
        "has_contracted_land": BOOL,
        "shares_collective_income": BOOL,
        "relocated_to_town": BOOL,
        "is_dibao_recipient": BOOL,
        "dibao_paid_amount": MONEY,  # per month
        "income_rose_from_work": BOOL,
        "grace_months_used": INT,
        "dibao_tier": INT,
    },
    "member": {
        "age": INT,
        "sex": _vocabulary(model.Sex),
        "relation": _vocabulary(model.Relation),
        "work_ability": _vocabulary(model.WorkAbility),
        "has_disability": BOOL,
        "disability_kind": _vocabulary(model.DisabilityKind, "none"),
        "disability_grade": INT,
        "is_seriously_ill": BOOL,
        "student_level": _vocabulary(model.StudentLevel, "none"),
        "is_student": BOOL,
        "employment": _vocabulary(model.Employment),
        "adl_failed": INT,
        "is_co_residing": BOOL,
        "absence": _vocabulary(model.Absence, "none"),
        "refused_job_offers": INT,
        "employment_cost": MONEY,  # per month
        "is_tekun_recipient": BOOL,
        "chose_orphan_protection": BOOL,
        "incomes": collection_of("income"),
    },
    "income": {
        "kind": _vocabulary(model.IncomeKind),
        "monthly_amount": MONEY,  # read per month or per year, converted
    },
    "expenditure": {
        "kind": _vocabulary(model.ExpenditureKind),
        "amount": MONEY_PER_YEAR,  # out of pocket over the last 12 months
    },
    "supporter": {
        "relation": _vocabulary(model.Relation),
        "is_able": BOOL,
        "inability": _vocabulary(model.ObligorInability, "none"),
        "obligor_age": INT,
        "obligor_has_disability": BOOL,
        "obligor_disability_kind": _vocabulary(model.DisabilityKind, "none"),
        "obligor_disability_grade": INT,
        "obligor_yearly_income": MONEY_PER_YEAR,
        "obligor_assets_within_rules": BOOL,
    },
    "emergency": {
        "kind": _vocabulary(model.EmergencyKind),
        "loss_amount": MONEY_ONCE,
        "days_before_application": INT,
    },
    "vehicle": {
        "kind": _vocabulary(model.VehicleKind),
        "value": MONEY_ONCE,
        "purpose": _vocabulary(model.VehiclePurpose),
    },
}

# The Chinese names policy officers use for base facts, so a rule that writes one gets the
# fact's id as its did-you-mean (derived facts bring their own titles).
BASE_TITLES: dict[str, str] = {
    "年龄": "age", "性别": "sex", "与户主关系": "relation", "劳动能力": "work_ability",
    "残疾": "has_disability", "残疾类别": "disability_kind", "残疾等级": "disability_grade",
    "重病": "is_seriously_ill", "在校学生": "is_student", "学段": "student_level",
    "就业状况": "employment", "共同居住": "is_co_residing", "城乡": "area", "城乡类别": "area",
    "金融资产": "financial_assets", "住房套数": "housing_units", "家庭成员": "members",
    "车辆": "vehicles", "支出": "expenditures", "赡养人": "supporters", "急难事件": "emergencies",
    "供养方式": "support_form", "收入": "incomes", "就业成本": "employment_cost",
}
