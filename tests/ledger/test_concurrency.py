"""Two officers on one case at once: one wins, the other gets a ConflictError, nothing is
lost or duplicated. A failure half-way through an operation leaves nothing behind."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from aidrules.ledger import ConflictError, IllegalMove, Ledger, LedgerError, NotFound
from tests.ledger.households import wang


def _investigated(ledger) -> int:
    case = ledger.file_application(wang(), "H-1", by="受理员", grid="grid-07")
    ledger.investigate(case, ["甲", "乙"], "收入属实", date(2025, 3, 4))
    return case


def test_a_stale_version_is_a_conflict_and_changes_nothing(ledger):
    case = _investigated(ledger)
    seen = ledger.case(case)["version"]
    ledger.publish_notice(case, date(2025, 3, 5), version=seen)
    before = len(ledger.chain("H-1"))
    with pytest.raises(ConflictError, match="someone else changed it"):
        ledger.record_objection(case, date(2025, 3, 6), "邻居反映", version=seen)
    assert len(ledger.chain("H-1")) == before
    assert not ledger.case(case)["has_objection"]


@pytest.mark.postgres
def test_two_officers_at_once_on_postgres_one_wins(postgres_url, assessor):
    """Two ledgers, two connection pools, the same case and version, started together."""
    first = Ledger.open(postgres_url, assessor=assessor, upgrade=True)
    second = Ledger.open(postgres_url, assessor=assessor)
    try:
        case = _investigated(first)
        first.publish_notice(case, date(2025, 3, 5))
        for _ in range(4):  # several rounds: a lucky schedule cannot hide a race
            version, start, outcomes = first.case(case)["version"], threading.Barrier(2), []

            def act(ledger, officer, version=version, start=start, outcomes=outcomes):
                start.wait()
                try:
                    ledger.record_objection(case, date(2025, 3, 6), officer, version=version)
                    outcomes.append("won")
                except ConflictError:
                    outcomes.append("conflict")

            threads = [threading.Thread(target=act, args=(lg, name))
                       for lg, name in ((first, "甲"), (second, "乙"))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sorted(outcomes) == ["conflict", "won"]
            assert first.case(case)["version"] == version + 1
        objections = [e for e in first.chain("H-1") if e.kind == "objected"]
        assert len(objections) == 4  # one per round after the notice, never two
        assert first.verify() is None
    finally:
        first.close()
        second.close()


@pytest.mark.postgres
def test_officers_on_different_households_at_once_on_postgres_both_win(postgres_url, assessor):
    """The ledger head is one row per transaction: writers on different households take
    turns for it (an advisory lock), neither gets a ConflictError, and the heads verify."""
    first = Ledger.open(postgres_url, assessor=assessor, upgrade=True)
    second = Ledger.open(postgres_url, assessor=assessor)
    try:
        for household in ("A", "B"):
            first.register_household(household, "g", wang(family=ord(household)),
                                     date(2025, 3, 1))
        start, failures = threading.Barrier(2), []

        def act(ledger, household):
            start.wait()
            try:
                for _ in range(30):
                    ledger.record_warning(household, "民政局", "x", date(2025, 3, 2), "网格员",
                                          date(2025, 3, 9))
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                failures.append(repr(exc))

        threads = [threading.Thread(target=act, args=(lg, household))
                   for lg, household in ((first, "A"), (second, "B"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert first.verify() is None
        assert first.head()[0] == 62
    finally:
        first.close()
        second.close()


def test_a_failure_half_way_leaves_the_ledger_as_it_was(ledger, monkeypatch):
    """The investigation is saved, then re-assessing the facts found fails: all rolls back."""
    case = ledger.file_application(wang(), "H-1", by="受理员", grid="grid-07")
    before = (ledger.case(case), [e.hash for e in ledger.chain("H-1")])

    def broken(*args, **kwargs):
        raise RuntimeError("the engine fell over")

    monkeypatch.setattr(ledger.assessor, "assess", broken)
    with pytest.raises(RuntimeError, match="fell over"):
        ledger.investigate(case, ["甲", "乙"], "收入有变", date(2025, 3, 4),
                           application=wang("2300.00"))
    assert (ledger.case(case), [e.hash for e in ledger.chain("H-1")]) == before


def test_illegal_moves_are_refused_with_the_reason(ledger):
    case = ledger.file_application(wang(), "H-1", by="受理员", grid="grid-07")
    with pytest.raises(IllegalMove, match="case 1 is accepted; 'decide' needs it to be "
                                          "appraised or noticed"):
        ledger.decide(case, True, "审批员", date(2025, 3, 4))
    with pytest.raises(IllegalMove, match="at least 2 different staff, got 1"):
        ledger.investigate(case, ["甲", "甲"], "收入属实", date(2025, 3, 4))
    ledger.investigate(case, ["甲", "乙"], "收入属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    with pytest.raises(IllegalMove, match="runs until 2025-03-11"):
        ledger.decide(case, True, "审批员", date(2025, 3, 11))
    with pytest.raises(IllegalMove, match="only when the notice draws an objection"):
        ledger.appraise(case, date(2025, 3, 12), "评议通过", "评议组")
    with pytest.raises(IllegalMove, match="a refusal needs written reasons"):
        ledger.decide(case, False, "审批员", date(2025, 3, 12))
    with pytest.raises(IllegalMove, match="cannot approve tekun"):
        ledger.decide(case, True, "审批员", date(2025, 3, 12), aids=["tekun"])
    with pytest.raises(IllegalMove, match="already has case"):
        ledger.file_application(wang(), "H-1", by="受理员")


def test_moves_inside_a_transaction_are_committed_together_or_not_at_all(ledger):
    """A household put under monitoring and warned in one transaction: an error after both
    leaves neither; without it, both are there, and reads inside saw them first."""
    with pytest.raises(RuntimeError, match="after both"), ledger.transaction():
        ledger.register_household("H-1", "grid-07", wang(), date(2025, 3, 1))
        ledger.record_warning("H-1", "医疗保障局", "大额医疗费用", date(2025, 3, 2),
                              worker="网格员张", due_on=date(2025, 3, 12))
        raise RuntimeError("after both")
    with pytest.raises(NotFound):
        ledger.chain("H-1")
    with ledger.transaction():
        ledger.register_household("H-1", "grid-07", wang(), date(2025, 3, 1))
        with ledger.transaction():  # a nested block joins the open one
            ledger.record_warning("H-1", "医疗保障局", "大额医疗费用", date(2025, 3, 2),
                                  worker="网格员张", due_on=date(2025, 3, 12))
        seen = [e.kind for e in ledger.chain("H-1")]
    assert [e.kind for e in ledger.chain("H-1")] == seen == [
        "application_filed", "assessed", "warned"]
    assert ledger.verify() is None


def test_a_move_that_fails_inside_a_transaction_fails_all_of_it_even_if_caught(ledger):
    """A refused move caught inside the block: the block stores nothing and says why."""
    failed = pytest.raises(LedgerError, match=r"nothing of this transaction was stored: "
                                              r"an operation in it failed \(no household 'H-9'")
    with failed, ledger.transaction():
        ledger.register_household("H-1", "grid-07", wang(), date(2025, 3, 1))
        with pytest.raises(NotFound):
            ledger.record_warning("H-9", "医疗保障局", "大额医疗费用", date(2025, 3, 2),
                                  worker="网格员张", due_on=date(2025, 3, 12))
    with pytest.raises(NotFound):
        ledger.chain("H-1")


def _race(ledgers, act) -> list[str]:
    """Run ``act(ledger, name)`` on each ledger in its own thread, started together."""
    start, outcomes = threading.Barrier(len(ledgers)), []

    def run(ledger, name):
        start.wait()
        outcomes.append(act(ledger, name))

    threads = [threading.Thread(target=run, args=(lg, name)) for lg, name in ledgers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_officers_at_once_on_one_sqlite_file_one_wins(tmp_path, assessor):
    """Two ledgers (two connection pools) on one SQLite file, the same case and version:
    one wins, the other gets ConflictError, never "database is locked"."""
    path = tmp_path / "ledger.db"
    first = Ledger.open(path, assessor=assessor)
    second = Ledger.open(path, assessor=assessor)
    try:
        case = _investigated(first)
        first.publish_notice(case, date(2025, 3, 5))
        for _ in range(4):
            version = first.case(case)["version"]

            def act(ledger, officer, version=version):
                try:
                    ledger.record_objection(case, date(2025, 3, 6), officer, version=version)
                    return "won"
                except ConflictError:
                    return "conflict"

            assert _race([(first, "甲"), (second, "乙")], act) == ["conflict", "won"]
            assert first.case(case)["version"] == version + 1
        assert len([e for e in first.chain("H-1") if e.kind == "objected"]) == 4
        assert first.verify() is None
    finally:
        first.close()
        second.close()


def test_writers_on_different_households_of_one_sqlite_file_take_turns(tmp_path, assessor):
    path = tmp_path / "ledger.db"
    first = Ledger.open(path, assessor=assessor)
    second = Ledger.open(path, assessor=assessor)
    try:
        for household in ("A", "B"):
            first.register_household(household, "g", wang(family=ord(household)),
                                     date(2025, 3, 1))

        def act(ledger, household):
            try:
                for _ in range(20):
                    ledger.record_warning(household, "民政局", "x", date(2025, 3, 2), "网格员",
                                          date(2025, 3, 9))
                return "done"
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                return repr(exc)

        assert _race([(first, "A"), (second, "B")], act) == ["done", "done"]
        assert first.verify() is None
        assert first.head()[0] == 42
    finally:
        first.close()
        second.close()


def test_a_writer_held_up_past_the_wait_gets_a_conflict_and_changes_nothing(
        tmp_path, assessor, monkeypatch):
    """Another program holds the SQLite file's write lock longer than the ledger waits:
    the move is a ConflictError (try again), not the driver's "database is locked"."""
    import sqlite3

    from aidrules.ledger import database
    monkeypatch.setattr(database, "SQLITE_BUSY_MS", 200)
    path = tmp_path / "ledger.db"
    ledger = Ledger.open(path, assessor=assessor)
    try:
        case = _investigated(ledger)
        before = len(ledger.chain("H-1"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(ConflictError, match="another writer held the ledger past the "
                                                "wait") as caught:
            ledger.publish_notice(case, date(2025, 3, 5))
        assert "database is locked" in str(caught.value)  # the driver's words, as the reason
        other.execute("ROLLBACK")
        other.close()
        assert len(ledger.chain("H-1")) == before
        ledger.publish_notice(case, date(2025, 3, 5))  # once the lock is free, it goes on
        assert ledger.verify() is None
    finally:
        ledger.close()
