"""A dated move may not come before the previous step of its case, task or referral: the
ledger refuses it naming both days, and changes nothing. An exit never ends an enrolment
before it starts."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from aidrules.ledger import IllegalMove
from tests.ledger.households import enrolled, wang

D = date


def _rows(ledger) -> list:
    with ledger.engine.connect() as connection:
        return [connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1")).all()
                for table in ("cases", "chain_entries", "enrolments", "decisions", "exits",
                              "reviews", "verification_tasks", "feedback")]


def _refused(ledger, move, *args, match, **kwargs):
    before = _rows(ledger)
    with pytest.raises(IllegalMove, match=match):
        move(*args, **kwargs)
    assert _rows(ledger) == before


def test_no_step_of_a_case_may_be_dated_before_the_step_it_follows(ledger):
    case = ledger.file_application(wang(on=D(2025, 3, 3)), "H-1", by="受理员", grid="grid-07")
    _refused(ledger, ledger.investigate, case, ["李", "王"], "属实", D(2025, 2, 1),
             match=r"case 1 was accepted on 2025-03-03; 'investigate' cannot be dated "
                   r"2025-02-01, before it")
    ledger.investigate(case, ["李", "王"], "属实", D(2025, 3, 3))  # the same day is fine
    _refused(ledger, ledger.publish_notice, case, D(2025, 2, 2),
             match="case 1 was investigated on 2025-03-03; 'notice' cannot be dated 2025-02-02")
    ledger.publish_notice(case, D(2025, 3, 5))
    _refused(ledger, ledger.record_objection, case, D(2025, 3, 4), "邻居反映",
             match="was put on notice on 2025-03-05; 'object' cannot be dated 2025-03-04")
    ledger.record_objection(case, D(2025, 3, 6), "邻居反映")
    _refused(ledger, ledger.appraise, case, D(2025, 3, 5), "评议通过", "村委会",
             match="was objected to on 2025-03-06; 'appraise' cannot be dated 2025-03-05")
    ledger.appraise(case, D(2025, 3, 13), "评议通过", "村委会")
    _refused(ledger, ledger.decide, case, True, "审批员", D(2025, 2, 9), aids=["dibao"],
             match="was appraised on 2025-03-13; 'decide' cannot be dated 2025-02-09")
    ledger.decide(case, True, "审批员", D(2025, 3, 14), aids=["dibao"])
    _refused(ledger, ledger.enrol, case, D(2024, 1, 1),
             match="was decided on 2025-03-14; 'enrol' cannot be dated 2024-01-01")
    ledger.enrol(case, D(2025, 3, 17))
    _refused(ledger, ledger.review, case, "复核员", D(2025, 3, 16),
             match="was enrolled on 2025-03-17; 'review' cannot be dated 2025-03-16")
    _refused(ledger, ledger.exit, case, "审批员", D(2020, 1, 1), "户籍迁出",
             match="was enrolled on 2025-03-17; 'exit' cannot be dated 2020-01-01")
    assert ledger.verify() is None


def test_a_written_refusal_is_not_dated_before_the_refusal(ledger):
    case = ledger.file_application(wang("3500.00"), "H-1", by="受理员", grid="grid-07")
    ledger.investigate(case, ["李", "王"], "属实", D(2025, 3, 4))
    ledger.publish_notice(case, D(2025, 3, 5))
    ledger.decide(case, False, "审批员", D(2025, 3, 12), reasons="收入超过标准")
    _refused(ledger, ledger.notify_refusal, case, D(2025, 3, 11),
             match="was decided on 2025-03-12; 'notify_refusal' cannot be dated 2025-03-11")


def test_an_exit_never_ends_an_enrolment_before_it_starts(ledger):
    """Approved on 12 March, paid from 1 April. An exit that month withdraws the enrolment
    not yet started: it ends on 31 March, the day before it starts, and nothing is paid.
    An exit dated before the enrolment itself is refused."""
    case = enrolled(ledger, "H-1", wang(), ["dibao"])
    _refused(ledger, ledger.exit, case, "审批员", D(2025, 3, 11), "户籍迁出",
             match="'exit' cannot be dated 2025-03-11")
    assert ledger.exit(case, "审批员", D(2025, 3, 12), "户籍迁出") == D(2025, 3, 31)
    [row] = ledger.enrolments("H-1")
    assert (row.starts_on, row.ends_on) == (D(2025, 4, 1), D(2025, 3, 31))


def test_findings_feedback_and_referrals_follow_what_they_answer(ledger):
    ledger.register_household("H-1", "grid-07", wang("3000.00", D(2025, 1, 6)), D(2025, 1, 6))
    _, task = ledger.record_warning("H-1", "民政局", "工资下降", D(2025, 2, 3), "网格员张",
                                    D(2025, 2, 10))
    _refused(ledger, ledger.record_findings, task, "网格员张", "核实", D(2025, 2, 2), wang(),
             match="task 1 was raised on 2025-02-03; 'findings' cannot be dated 2025-02-02")
    found = ledger.record_findings(task, "网格员张", "核实", D(2025, 2, 7), wang())
    _refused(ledger, ledger.push_referrals, found, D(2025, 2, 6), D(2025, 3, 1),
             match=r"assessment 2 was made on 2025-02-07; 'refer' cannot be dated 2025-02-06")
    [referral, *_] = ledger.push_referrals(found, D(2025, 2, 8), D(2025, 3, 1))
    _refused(ledger, ledger.record_feedback, referral, "医疗保障局", D(2025, 2, 7), "资助参保",
             match="referral 1 was pushed on 2025-02-08; 'feedback' cannot be dated 2025-02-07")
    ledger.record_feedback(referral, "医疗保障局", D(2025, 2, 20), "资助参保")
    _refused(ledger, ledger.record_feedback, referral, "卫生健康局", D(2025, 2, 19), "建档",
             match="referral 1 was answered on 2025-02-20; 'feedback' cannot be dated")
