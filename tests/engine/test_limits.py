"""The largest application validation accepts is assessed exactly: every sum the engine gets
stays inside its 64-bit integers (beyond them it saturates silently), so the engine and the
library's own evaluation agree, and the decisions are the ones the amounts call for."""

from __future__ import annotations

from datetime import date

from aidrules.model import application_from_dict
from aidrules.model._checks import AMOUNT_LIMIT
from aidrules.model.application import (
    MOST_EXPENDITURES,
    MOST_INCOMES,
    MOST_MEMBERS,
    MOST_OTHER_ENTRIES,
    MOST_UNITS,
)
from aidrules.testing import make_id_number

TOP = f"{AMOUNT_LIMIT - 1}.99"


def _largest(applied_on: date = date(2025, 3, 1)) -> dict:
    incomes = [{"kind": "wage", "amount": TOP, "period": "monthly"}] * MOST_INCOMES
    members = [{"id_number": make_id_number("230781", date(1960, 1, 1 + i % 28), i),
                "name": "王" * 64, "relation": "head" if i == 0 else "child",
                "incomes": incomes, "refused_job_offers": MOST_UNITS,
                "employment_cost": TOP} for i in range(MOST_MEMBERS)]
    return {
        "application_id": "LIMITS", "applied_on": applied_on.isoformat(),
        "jurisdiction": "heilongjiang/yichun/tieli", "area": "urban",
        "household": {
            "members": members,
            "assets": {"financial_assets": TOP, "housing_units": MOST_UNITS,
                       "business_registrations": MOST_UNITS,
                       "vehicles": [{"kind": "car", "value": TOP}] * MOST_OTHER_ENTRIES},
            "expenditures": [{"kind": "medical", "amount": TOP}] * MOST_EXPENDITURES,
            "emergencies": [{"kind": "fire", "occurred_on": "2025-02-01",
                             "loss_amount": TOP}] * MOST_OTHER_ENTRIES,
        }}


def test_the_largest_application_is_assessed_and_the_engine_agrees(assessor):
    assessment = assessor.assess(application_from_dict(_largest()))  # EngineError if not
    statuses = {r.aid: r.status for r in assessment.results}
    assert statuses["dibao"] == "ineligible"
    assert statuses["tekun"] == "ineligible"


def test_the_largest_poor_household_is_assessed_and_the_engine_agrees(assessor):
    """The same counts with no income: the sums of spending and losses are largest here."""
    data = _largest()
    for member in data["household"]["members"]:
        member["incomes"], member["refused_job_offers"] = [], 0
    data["household"]["assets"] = {"financial_assets": "0", "housing_units": 0}
    assessment = assessor.assess(application_from_dict(data))
    statuses = {r.aid: r.status for r in assessment.results}
    assert statuses["tekun"] == statuses["temporary_assistance"] == "eligible"
