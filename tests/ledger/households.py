"""Households for the ledger tests, built from the shipped examples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from aidrules.model import Application, application_from_dict, application_to_dict, read_application

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "applications"


def wang(wage: str = "2100.00", on: date = date(2025, 3, 1), ref: str = "TL-2025-0001"
         ) -> Application:
    """The Wang household of example 01 (three members, one wage), with the wage given:
    2100 a month is just below Tieli's urban standard of 710 per person."""
    data = application_to_dict(read_application(EXAMPLES / "01-tieli-urban-below-standard.yaml"))
    data["household"]["members"][0]["incomes"][0]["amount"] = wage
    data["applied_on"] = on.isoformat()
    data["application_id"] = ref
    return application_from_dict(data)


def enrolled(ledger, household: str, application: Application, aids: list[str]) -> int:
    """File, investigate, notice, approve ``aids`` on 2025-03-12 and enrol: paid from
    2025-04-01. Returns the case id."""
    case = ledger.file_application(application, household, by="受理员", grid="grid-07")
    ledger.investigate(case, ["调查员甲", "调查员乙"], "入户核实属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    ledger.decide(case, True, "审批员", date(2025, 3, 12), aids=aids)
    ledger.enrol(case, date(2025, 3, 12))
    return case
