"""The household chain: appended, never edited; any changed, removed or reordered entry is
named by verify(); past decisions replay to the same result."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
import sqlalchemy as sa

from aidrules.ledger import ReplayMismatch
from aidrules.ledger.chain import canonical_json
from tests.ledger.households import wang


def _decided_case(ledger) -> int:
    case = ledger.file_application(wang(), "H-1", by="受理员", grid="grid-07")
    ledger.investigate(case, ["甲", "乙"], "收入属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    ledger.decide(case, True, "审批员", date(2025, 3, 12))
    ledger.enrol(case, date(2025, 3, 12))
    return case


def _sql(ledger, text: str, **params) -> None:
    with ledger.engine.begin() as connection:
        connection.execute(sa.text(text), params)


def _tamperer(ledger) -> None:
    """Someone with the rights to drop the database's append-only guard (see 0002)."""
    if ledger.engine.dialect.name == "postgresql":
        _sql(ledger, "ALTER TABLE chain_entries DISABLE TRIGGER USER")
    else:
        _sql(ledger, "DROP TRIGGER chain_entries_no_update")
        _sql(ledger, "DROP TRIGGER chain_entries_no_delete")


def _entry_ids(ledger) -> list[int]:
    return [e.id for e in ledger.chain("H-1")]


@pytest.fixture
def chained(ledger):
    _decided_case(ledger)
    assert ledger.verify() is None
    _tamperer(ledger)
    return ledger


@pytest.mark.parametrize("statement", ["UPDATE chain_entries SET kind = 'x'",
                                       "DELETE FROM chain_entries"])
def test_the_database_refuses_to_change_or_delete_a_chain_entry(ledger, statement):
    _decided_case(ledger)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        _sql(ledger, statement)
    assert ledger.verify() is None


def test_changing_any_one_entry_is_detected_and_named(chained):
    ids = _entry_ids(chained)
    for seq, entry_id in enumerate(ids, start=1):
        original = chained.chain("H-1")[seq - 1].payload
        _sql(chained, "UPDATE chain_entries SET payload = :p WHERE id = :i",
             p=original.replace("}", ',"x":1}', 1), i=entry_id)
        bad = chained.verify()
        assert (bad.household, bad.seq, bad.entry_id) == ("H-1", seq, entry_id)
        assert "content changed" in bad.reason
        _sql(chained, "UPDATE chain_entries SET payload = :p WHERE id = :i", p=original, i=entry_id)
        assert chained.verify() is None


def test_changing_an_entry_s_day_or_kind_is_detected(chained):
    first = _entry_ids(chained)[0]
    _sql(chained, "UPDATE chain_entries SET day = '2024-01-01' WHERE id = :i", i=first)
    assert chained.verify().seq == 1


def test_removing_an_entry_is_detected(chained):
    ids = _entry_ids(chained)
    _sql(chained, "DELETE FROM chain_entries WHERE id = :i", i=ids[2])
    bad = chained.verify()
    assert bad.seq == 3 and "removed" in bad.reason


def test_removing_the_last_entry_is_detected(chained):
    ids = _entry_ids(chained)
    _sql(chained, "DELETE FROM chain_entries WHERE id = :i", i=ids[-1])
    assert chained.verify().seq == len(ids)


def test_reordering_two_entries_is_detected(chained):
    ids = _entry_ids(chained)
    _sql(chained, "UPDATE chain_entries SET seq = -1 WHERE id = :i", i=ids[3])
    _sql(chained, "UPDATE chain_entries SET seq = 4 WHERE id = :i", i=ids[4])
    _sql(chained, "UPDATE chain_entries SET seq = 5 WHERE id = :i", i=ids[3])
    assert chained.verify().seq == 4


def test_a_chain_rebuilt_with_valid_hashes_still_disagrees_with_the_household(chained):
    """Dropping the tail: every remaining hash is fine, the household's head is not."""
    ids = _entry_ids(chained)
    _sql(chained, "DELETE FROM chain_entries WHERE id >= :i", i=ids[-2])
    assert "entry removed" in chained.verify().reason


def test_a_past_decision_replays_to_the_same_result(ledger):
    case = _decided_case(ledger)
    [decision] = ledger.case(case)["decisions"]
    recorded = ledger.replay_decision(decision["id"])
    assert recorded["aids"] == decision["aids"]
    assessment = ledger.case(case)["decisions"][0]["assessment_id"]
    with ledger.engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT result FROM assessments WHERE id = :i"),
                                    {"i": assessment}).scalar_one()
    replayed = canonical_json(ledger.replay(assessment))
    # stored compact, with the sha256 of the full document it was made as
    assert hashlib.sha256(replayed.encode()).hexdigest() == json.loads(stored)["full_sha256"]
    assert replayed == canonical_json({k: v for k, v in ledger.assessment(assessment).items()
                                       if k not in ("id", "household_id", "case_id")})


def test_a_replay_under_another_rule_book_is_refused(ledger, book):
    case = _decided_case(ledger)
    _tamperer(ledger)
    assessment = ledger.case(case)["decisions"][0]["assessment_id"]
    _sql(ledger, "UPDATE chain_entries SET payload = replace(payload, :d, 'feedfeedfeedfeed')",
         d=book.digest)
    with pytest.raises(ReplayMismatch, match="rule book digest feedfeedfeedfeed"):
        ledger.replay(assessment)
