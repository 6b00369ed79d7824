"""Temporary aid is paid once: its enrolment covers its one month and is never reviewed."""

from __future__ import annotations

from datetime import date

from aidrules.model import application_from_dict, application_to_dict, read_application
from tests.ledger.households import EXAMPLES, enrolled


def _elderly_couple():
    data = application_to_dict(read_application(EXAMPLES / "14-tieli-elderly-couple-care.yaml"))
    data["applied_on"] = "2025-03-01"
    return application_from_dict(data)


def test_temporary_aid_is_stored_as_a_one_off_payment(ledger):
    case = enrolled(ledger, "H-14", _elderly_couple(), ["dibao", "temporary_assistance"])
    rows = {e.aid: e for e in ledger.enrolments("H-14")}
    once, monthly = rows["temporary_assistance"], rows["dibao"]
    assert (once.period, once.starts_on, once.ends_on, once.review_due, once.monthly_amount) == (
        "once", date(2025, 4, 1), date(2025, 4, 30), None, "2840.00")
    assert (monthly.period, monthly.ends_on) == ("month", None)
    assert ledger.public_notice(case)["monthly_amounts"] == {"dibao": monthly.monthly_amount}
    assert [e["period"] for e in ledger.case(case)["enrolments"]] == ["month", "once"]
