"""Compact storage: an assessment keeps its statuses, amounts with periods, missing facts,
deciding criteria, rule book and policy version, and the sha256 of its full document; the
full document (every rule's reasons) is recomputed exactly from the facts on file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from aidrules.casework.assessment import is_compact
from aidrules.ledger import Ledger, ReplayMismatch
from aidrules.model import read_application

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "applications")
                  .glob("*.yaml"))


def _stored(ledger: Ledger, assessment_id: int) -> str:
    with ledger.engine.connect() as connection:
        return connection.execute(sa.text("SELECT result FROM assessments WHERE id = :i"),
                                  {"i": assessment_id}).scalar_one()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name[:2])
def test_every_shipped_example_recomputes_to_its_full_document(tmp_path, assessor, example):
    application = read_application(example)
    ledger = Ledger.open(tmp_path / "ledger.db", assessor=assessor)
    try:
        made = ledger.register_household("H-1", "grid-07", application,
                                         application.applied_on)
        expected = assessor.assess(application, on=application.applied_on).to_json(detail="full")
        stored = json.loads(_stored(ledger, made))
        assert is_compact(stored)
        assert len(_stored(ledger, made)) * 5 < len(json.dumps(expected, ensure_ascii=False))
        shown = ledger.assessment(made)
        assert {k: v for k, v in shown.items()
                if k not in ("id", "household_id", "case_id")} == expected
        kept = ledger.stored_assessment(made)
        assert [(r.aid, r.status, r.amount, r.period) for r in kept.results] == [
            (r["aid"], r["status"], r["amount"], r.get("period") or "month")
            for r in expected["results"]]
        assert ledger.replay(made) == expected
    finally:
        ledger.close()


def test_the_kept_form_names_the_criteria_that_did_not_hold(tmp_path, assessor):
    application = read_application(EXAMPLES[5])  # 06: disqualified by a car
    ledger = Ledger.open(tmp_path / "ledger.db", assessor=assessor)
    try:
        made = ledger.register_household("H-1", "grid-07", application, application.applied_on)
        stored = json.loads(_stored(ledger, made))
        dibao = next(r for r in stored["results"] if r["aid"] == "dibao")
        assert dibao["status"] == "ineligible"
        failed = [c for trace in dibao["deciding"] for c in trace["criteria"]]
        assert failed and all(c["result"] != "true" for c in failed)
        assert stored["rulebook"]["digest"] == assessor.book.digest
        assert stored["policy_version"]
    finally:
        ledger.close()


def test_a_compact_assessment_that_does_not_recompute_is_refused(tmp_path, assessor):
    """The facts on file changed behind the ledger's back: the recomputed document no
    longer has the sha256 kept, and the ledger says so rather than show other reasons."""
    application = read_application(EXAMPLES[0])
    ledger = Ledger.open(tmp_path / "ledger.db", assessor=assessor)
    try:
        made = ledger.register_household("H-1", "grid-07", application, application.applied_on)
        with ledger.engine.begin() as connection:
            document = json.loads(connection.execute(sa.text(
                "SELECT document FROM applications WHERE id = 1")).scalar_one())
            document["household"]["members"][0]["incomes"][0]["amount"] = "2600.00"
            connection.execute(sa.text("UPDATE applications SET document = :d WHERE id = 1"),
                               {"d": json.dumps(document, ensure_ascii=False)})
        with pytest.raises(ReplayMismatch, match="does not recompute"):
            ledger.assessment(made)
        assert ledger.stored_assessment(made).results  # the kept summary still reads
    finally:
        ledger.close()


def test_a_full_document_stored_before_compact_storage_is_read_as_it_is(tmp_path, assessor):
    application = read_application(EXAMPLES[0])
    ledger = Ledger.open(tmp_path / "ledger.db", assessor=assessor)
    try:
        made = ledger.register_household("H-1", "grid-07", application, date(2025, 3, 1))
        full = assessor.assess(application, on=date(2025, 3, 1)).to_json(detail="full")
        full["results"][0]["summary"] = "as an older ledger stored it"
        with ledger.engine.begin() as connection:  # what a ledger before 0007 holds
            connection.execute(sa.text("UPDATE assessments SET result = :r WHERE id = :i"),
                               {"r": json.dumps(full, ensure_ascii=False), "i": made})
        assert ledger.assessment(made)["results"][0]["summary"] == "as an older ledger stored it"
        assert ledger.stored_assessment(made).results[0].aid == full["results"][0]["aid"]
    finally:
        ledger.close()


def test_the_public_notice_list_reads_the_kept_assessment(tmp_path, assessor):
    """The monthly publicity list (公示) takes each aid's name and amount from what the
    ledger keeps of the case's latest assessment."""
    from aidrules.ledger.report import publicity_rows
    application = read_application(EXAMPLES[0])  # 01: dibao, 30.00 a month
    ledger = Ledger.open(tmp_path / "ledger.db", assessor=assessor)
    try:
        case = ledger.file_application(application, "H-1", by="受理员", grid="grid-07")
        ledger.investigate(case, ["甲", "乙"], "属实", date(2025, 3, 4))
        ledger.publish_notice(case, date(2025, 3, 5))
        [row] = publicity_rows(ledger, date(2025, 3, 1), date(2025, 3, 31))
        assert (row["aid"], row["amount"], row["period"], row["size"]) == (
            "最低生活保障", "30.00", "month", 3)
    finally:
        ledger.close()
