"""A refusal challenged by reconsideration (行政复议) on a real ledger: deadline, body,
outcome, the new decision it orders, each on the household's chain."""

from __future__ import annotations

import json
from datetime import date

import pytest

from aidrules.ledger import IllegalMove
from aidrules.ledger.appeals import (
    challenges,
    decide_challenge,
    due,
    file_challenge,
    link_redecision,
)
from tests.ledger.households import wang


def _refused(ledger, household="H-2", on=date(2025, 3, 12)):
    case = ledger.file_application(wang("9000.00", date(2025, 3, 3), "TL-2"), household,
                                   by="受理员", grid="grid-08")
    ledger.investigate(case, ["甲", "乙"], "收入高", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    ledger.decide(case, False, "审批员", on, reasons="收入高于标准")
    ledger.notify_refusal(case, date(2025, 3, 13))
    return case


def test_a_revoked_refusal_is_decided_anew_and_every_step_is_on_the_chain(ledger, book):
    case = _refused(ledger)
    found = file_challenge(ledger, case, "reconsideration", date(2025, 3, 13), date(2025, 4, 1))
    row = challenges(ledger, case)[0]
    body = book.policies.value("notice.reconsideration", "heilongjiang/yichun/tieli",
                               date(2025, 4, 1)).value
    # the deadline: day 60 after 13 March; the body's limit: 60 days after filing
    assert (row["body"], row["deadline"], row["decide_by"]) == (
        body, date(2025, 5, 12), date(2025, 5, 31))
    assert [(i.kind, i.due_on) for i in due(ledger)] == [("reconsideration", date(2025, 5, 31))]
    decide_challenge(ledger, found, "revoked", date(2025, 5, 20), "收入认定有误，责令重新作出",
                     redecide_by=date(2025, 6, 20))
    assert [(i.kind, i.due_on) for i in due(ledger)] == [("re-decision", date(2025, 6, 20))]
    again = ledger.file_application(wang(on=date(2025, 5, 22), ref="TL-3"), "H-2", by="受理员")
    ledger.investigate(again, ["甲", "乙"], "重新核实", date(2025, 5, 23))
    ledger.publish_notice(again, date(2025, 5, 26))
    decision = ledger.decide(again, True, "审批员", date(2025, 6, 5), aids=["dibao"])
    link_redecision(ledger, found, decision, date(2025, 6, 5), "审批员")
    assert due(ledger) == []
    steps = [(e.kind, json.loads(e.payload).get("challenge")) for e in ledger.chain("H-2")
             if e.kind in ("challenged", "challenge_decided", "redecided")]
    assert steps == [("challenged", found), ("challenge_decided", found), ("redecided", found)]
    assert ledger.verify() is None


def test_a_late_challenge_needs_its_reason_and_an_outcome_is_given_once(ledger):
    case = _refused(ledger)
    with pytest.raises(IllegalMove, match="after its deadline 2025-05-12"):
        file_challenge(ledger, case, "reconsideration", date(2025, 3, 13), date(2025, 5, 13))
    found = file_challenge(ledger, case, "reconsideration", date(2025, 3, 13), date(2025, 5, 13),
                           late_reason="申请人住院")
    with pytest.raises(IllegalMove, match="cannot have known"):
        file_challenge(ledger, case, "lawsuit", date(2025, 3, 1), date(2025, 3, 20))
    decide_challenge(ledger, found, "upheld", date(2025, 6, 1), "认定无误")
    with pytest.raises(IllegalMove, match="was decided on 2025-06-01"):
        decide_challenge(ledger, found, "changed", date(2025, 6, 2), "x")
    with pytest.raises(IllegalMove, match="only a changed or revoked"):
        link_redecision(ledger, found, 1, date(2025, 6, 3), "审批员")
    lawsuit = file_challenge(ledger, case, "lawsuit", date(2025, 3, 13), date(2025, 6, 10),
                             reconsidered_on=date(2025, 6, 3))
    assert challenges(ledger, case)[-1]["deadline"] == date(2025, 6, 18)  # 15 days
    assert challenges(ledger, case)[-1]["body"] and lawsuit
