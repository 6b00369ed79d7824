"""The closed loop, from a data warning to the exit, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from aidrules.ledger import IllegalMove, State
from tests.ledger.households import wang


def test_a_household_goes_from_warning_to_exit(ledger):
    # Monitored with 1000 a head: above the standard (710), below 1.5 × it: marginal, blue.
    ledger.register_household("H-1", "grid-07", wang("3000.00", date(2025, 1, 6)),
                              date(2025, 1, 6))
    assert ledger.household("H-1").risk_level == "blue"

    # Data warning → verification task for the household's grid.
    warning, task = ledger.record_warning("H-1", "人力资源和社会保障局", "工资下降",
                                          date(2025, 2, 3), worker="网格员张",
                                          due_on=date(2025, 2, 10))
    assert [(i.kind, i.ref) for i in ledger.overdue(date(2025, 2, 11))] == \
        [("verification", f"task {task}")]

    # Findings update the facts; the re-assessment colours the household yellow.
    found = ledger.record_findings(task, "网格员张", "工资降至2100元", date(2025, 2, 7), wang())
    assert ledger.household("H-1").risk_level == "yellow"
    assert ledger.overdue(date(2025, 2, 11)) == []

    # Referrals under the brands of that assessment; one department answers late.
    referrals = ledger.push_referrals(found, date(2025, 2, 7), due_on=date(2025, 2, 21))
    assert len(referrals) == 2
    ledger.record_feedback(referrals[0], "医疗保障局", date(2025, 2, 10), "资助参保")
    ledger.record_feedback(referrals[0], "卫生健康局", date(2025, 2, 12), "建档")
    assert [i.ref for i in ledger.overdue(date(2025, 2, 24))] == [f"referral {referrals[1]}"]
    ledger.record_feedback(referrals[1], "教育局", date(2025, 2, 24), "学生资助")

    # The procedure: accepted → investigated → noticed → approved → enrolled.
    case = ledger.file_application(wang(), "H-1", by="受理员")
    ledger.investigate(case, ["调查员甲", "调查员乙"], "入户核实收入2100元", date(2025, 3, 4))
    until = ledger.publish_notice(case, date(2025, 3, 5))
    assert until == date(2025, 3, 11)
    with pytest.raises(IllegalMove, match="investigated this case"):
        ledger.decide(case, True, "调查员甲", date(2025, 3, 12))
    ledger.decide(case, True, "审批员", date(2025, 3, 12), aids=["dibao"])
    [enrolment] = ledger.enrol(case, date(2025, 3, 12))
    shown = ledger.case(case)
    assert shown["state"] == State.enrolled
    assert shown["enrolments"][0]["starts_on"] == date(2025, 4, 1)  # the month after
    assert shown["enrolments"][0]["monthly_amount"] == "30.00"
    assert shown["enrolments"][0]["review_due"] == date(2025, 10, 1)  # able to work: 6 months
    assert ledger.public_notice(case) == {  # what the village may see: nothing more
        "case": case, "name": "王建国", "id_number": "230781********0214", "members": 3,
        "monthly_amounts": {"dibao": "30.00"}}

    # Review on its interval: the income rose a little, the amount changes next month.
    assert ledger.review(case, "复核员", date(2025, 10, 1), wang("2115.00")) == "changed"
    amounts = [(e.starts_on, e.ends_on, e.monthly_amount) for e in ledger.enrolments("H-1")]
    assert amounts == [(date(2025, 4, 1), date(2025, 10, 31), "30.00"),
                       (date(2025, 11, 1), None, "15.00")]

    # A job lifts the income above the line: exit with a three-month grace period.
    assert ledger.review(case, "复核员", date(2026, 1, 5), wang("2600.00")) == "ineligible"
    paid_until = ledger.exit(case, "审批员", date(2026, 1, 6), "就业后收入超过低保标准",
                             grace_months=3, because_of_work=True)
    assert paid_until == date(2026, 4, 30)
    assert ledger.case(case)["state"] == State.exited
    assert ledger.due() == []
    assert ledger.verify() is None
    kinds = [e.kind for e in ledger.chain("H-1")]
    assert kinds[:3] == ["application_filed", "assessed", "warned"]
    assert kinds[-1] == "exited"


def test_an_exit_before_the_first_payment_pays_nothing(ledger):
    case = ledger.file_application(wang(), "H-1", by="受理员", grid="grid-07")
    ledger.investigate(case, ["甲", "乙"], "收入属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    ledger.decide(case, True, "审批员", date(2025, 3, 12), aids=["dibao"])
    ledger.enrol(case, date(2025, 3, 12))
    assert ledger.exit(case, "审批员", date(2025, 3, 20), "户籍迁出") == date(2025, 3, 31)
    [enrolment] = ledger.enrolments("H-1")
    assert (enrolment.starts_on, enrolment.ends_on) == (date(2025, 4, 1), date(2025, 3, 31))


def test_a_grace_period_needs_work_and_stays_within_the_maximum(ledger):
    case = ledger.file_application(wang(), "H-1", by="受理员", grid="grid-07")
    ledger.investigate(case, ["甲", "乙"], "收入属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    ledger.decide(case, True, "审批员", date(2025, 3, 12), aids=["dibao"])
    ledger.enrol(case, date(2025, 3, 12))
    with pytest.raises(IllegalMove, match="only when a member's work lifted the income"):
        ledger.exit(case, "审批员", date(2025, 6, 2), "收入超标", grace_months=2)
    with pytest.raises(IllegalMove, match=r"grace_months=7 is outside 0\.\.6"):
        ledger.exit(case, "审批员", date(2025, 6, 2), "就业", grace_months=7, because_of_work=True)
    assert ledger.exit(case, "审批员", date(2025, 6, 2), "就业", grace_months=6,
                       because_of_work=True) == date(2025, 12, 31)
