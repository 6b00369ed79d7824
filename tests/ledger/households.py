"""Households for the ledger tests, built from the shipped examples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from aidrules.ledger.appeals import decide_challenge, file_challenge
from aidrules.ledger.payments import issue_roll, record_overpayment
from aidrules.model import Application, application_from_dict, application_to_dict, read_application
from aidrules.model.identity import check_character

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "applications"


def wang(wage: str = "2100.00", on: date = date(2025, 3, 1), ref: str = "TL-2025-0001",
         family: int = 0) -> Application:
    """The Wang household of example 01 (three members, one wage), with the wage given:
    2100 a month is just below Tieli's urban standard of 710 per person. ``family`` > 0 gives
    other people of the same ages and sexes (other identity numbers): one person is enrolled
    in an aid in one household at a time."""
    data = application_to_dict(read_application(EXAMPLES / "01-tieli-urban-below-standard.yaml"))
    data["household"]["members"][0]["incomes"][0]["amount"] = wage
    for member in data["household"]["members"] if family else ():
        member["id_number"] = other_person(member["id_number"], family)
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


def every_table(ledger) -> None:
    """H-1 monitored, warned, verified, referred and answered, then through the whole
    procedure (objection, appraisal, approval, enrolment, a review that changes the amount,
    exit), paid by two rolls with an overpayment recovered; H-2 refused with written reasons
    and the refusal challenged (upheld). Every table the chain seals gets rows."""
    ledger.register_household("H-1", "grid-07", wang("3000.00", date(2025, 1, 6)),
                              date(2025, 1, 6))
    _, task = ledger.record_warning("H-1", "人社局", "工资下降", date(2025, 2, 3), "网格员张",
                                    date(2025, 2, 10))
    found = ledger.record_findings(task, "网格员张", "工资降至2100元", date(2025, 2, 7), wang())
    first = ledger.push_referrals(found, date(2025, 2, 7), date(2025, 2, 21))[0]
    ledger.record_feedback(first, "医疗保障局", date(2025, 2, 10), "资助参保")
    case = ledger.file_application(wang(on=date(2025, 3, 3)), "H-1", by="受理员")
    ledger.investigate(case, ["甲", "乙"], "属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    ledger.record_objection(case, date(2025, 3, 6), "邻居反映")
    ledger.appraise(case, date(2025, 3, 10), "评议属实", "评议组")
    ledger.decide(case, True, "审批员", date(2025, 3, 12), aids=["dibao"])
    ledger.enrol(case, date(2025, 3, 12))
    where = ledger.household("H-1").jurisdiction
    issue_roll(ledger, where, date(2025, 4, 1), date(2025, 4, 3), "发放员")
    paid = Decimal(ledger.enrolments("H-1")[0].monthly_amount)
    record_overpayment(ledger, case, "dibao", date(2025, 4, 1), date(2025, 4, 1),
                       paid - Decimal("10.00"), date(2025, 4, 20), "复核员", "4月工资未申报")
    issue_roll(ledger, where, date(2025, 5, 1), date(2025, 5, 6), "发放员")  # recovers 10
    ledger.review(case, "复核员", date(2025, 10, 1), wang("2115.00"))
    ledger.exit(case, "审批员", date(2025, 11, 3), "收入超标")
    refused = ledger.file_application(wang("9000.00", date(2025, 3, 3), "TL-2"), "H-2",
                                      by="受理员", grid="grid-08")
    ledger.investigate(refused, ["甲", "乙"], "收入高", date(2025, 3, 4))
    ledger.publish_notice(refused, date(2025, 3, 5))
    ledger.decide(refused, False, "审批员", date(2025, 3, 12), reasons="收入高于标准")
    ledger.notify_refusal(refused, date(2025, 3, 13))
    challenge = file_challenge(ledger, refused, "reconsideration", date(2025, 3, 13),
                               date(2025, 3, 20))
    decide_challenge(ledger, challenge, "upheld", date(2025, 5, 9), "收入核实无误")


def other_person(id_number: str, n: int) -> str:
    """Another valid identity number, same region, birth date and sex (sequence + 10n)."""
    first17 = id_number[:14] + f"{(int(id_number[14:17]) + 10 * n) % 1000:03d}"
    return first17 + check_character(first17)
