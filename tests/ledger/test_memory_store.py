"""The in-memory case file: the same use cases as the SQL ledger, no database. A refused
move leaves it as it was; a stale version is a ConflictError; the closed loop runs on it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from aidrules.casework.errors import ConflictError, IllegalMove, NotFound
from aidrules.casework.handlers import ClosedLoop, Procedure
from aidrules.casework.memory import MemoryStore
from tests.ledger.households import wang


@pytest.fixture
def memory(assessor):
    store = MemoryStore()
    procedure = Procedure(store, lambda: assessor)
    return store, procedure, ClosedLoop(store, procedure)


def test_a_case_through_the_procedure_in_memory(memory):
    store, procedure, _ = memory
    case = procedure.file_application(wang(), "H-1", by="受理员", grid="grid-07")
    procedure.investigate(case, ["甲", "乙"], "属实", date(2025, 3, 4))
    assert procedure.publish_notice(case, date(2025, 3, 5)) == date(2025, 3, 11)
    before = store.snapshot()
    with pytest.raises(IllegalMove, match="甲 investigated this case"):
        procedure.decide(case, True, "甲", date(2025, 3, 12))
    assert store.snapshot() == before
    with pytest.raises(ConflictError, match="is at version 3, not 2"):
        procedure.decide(case, True, "审批员", date(2025, 3, 12), version=2)
    procedure.decide(case, True, "审批员", date(2025, 3, 12), aids=["dibao"])
    [enrolment] = procedure.enrol(case, date(2025, 3, 12))
    shown = store.case(case)
    assert shown["state"] == "enrolled"
    assert [(e["aid"], e["starts_on"], e["monthly_amount"]) for e in shown["enrolments"]] == [
        ("dibao", date(2025, 4, 1), "30.00")]
    assert [e.kind for e in store.chain("H-1")] == [
        "application_filed", "accepted", "assessed", "investigated", "noticed", "decided",
        "enrolled"]
    assert store.verify() is None


def test_the_closed_loop_in_memory(memory):
    store, procedure, loop = memory
    [made] = procedure.register_households([("H-1", "grid-07", wang())], date(2025, 2, 3))
    with pytest.raises(NotFound, match="no household 'H-9'"):
        loop.record_warning("H-9", "民政局", "x", date(2025, 2, 3), "网格员", date(2025, 2, 9))
    warning, task = loop.record_warning("H-1", "人力资源和社会保障局", "失业登记",
                                        date(2025, 2, 3), "网格员张", date(2025, 2, 10))
    with pytest.raises(IllegalMove, match="task 1 was raised on 2025-02-03; 'findings' "
                                          "cannot be dated 2025-02-02"):
        loop.record_findings(task, "网格员张", "工资降至1500元", date(2025, 2, 2), wang("1500.00"))
    found = loop.record_findings(task, "网格员张", "工资降至1500元", date(2025, 2, 7),
                                 wang("1500.00"))
    with pytest.raises(IllegalMove, match="task 1 was already done on 2025-02-07"):
        loop.record_findings(task, "网格员张", "再查", date(2025, 2, 8), wang("1500.00"))
    referrals = loop.push_referrals(found, date(2025, 2, 8), date(2025, 2, 20))
    assert referrals and found == made + 1
    departments = json.loads([e for e in store.chain("H-1") if e.kind == "referred"][0]
                             .payload)["referrals"][0]["departments"]
    for department in departments:
        loop.record_feedback(referrals[0], department, date(2025, 2, 12), "已落实")
    assert store.tables.referrals[referrals[0]].status == "answered"
    with pytest.raises(IllegalMove, match="not 公安局"):
        loop.record_feedback(referrals[0], "公安局", date(2025, 2, 13), "x")
    kinds = [e.kind for e in store.chain("H-1")]
    assert kinds[-1 - len(departments):] == ["referred"] + ["feedback"] * len(departments)
