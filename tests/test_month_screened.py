"""Households put under monitoring by the month are screened in one pass (DuckDB), not
assessed one by one: what the ledger keeps of each is the screening row, and it must be
what the per-case path gives, household for household; the full reasons are recomputed
on demand, checked against it, and a stored status changed afterwards is caught."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from aidrules.casework.errors import IllegalMove, ReplayMismatch
from aidrules.columnar import Screener
from aidrules.ledger import Ledger
from aidrules.model import application_from_dict
from aidrules.monitoring.synthetic import Facts, generate
from aidrules.month import monitor

ON = date(2025, 3, 1)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    root = tmp_path_factory.mktemp("county")
    generate(root, 400, 7, ON)
    facts = Facts(root / "register")
    return [(h, row["grid"], application_from_dict(facts.application(h, ON)))
            for h, row in facts.households.items() if row["status"] != "none"]


@pytest.fixture
def ledger(tmp_path, assessor, county):
    ledger = Ledger.open(tmp_path / "ledger.db", assessor=assessor)
    assert monitor(ledger, county, ON, Screener(assessor.book)) == len(county)
    yield ledger
    ledger.close()


def _ids(ledger: Ledger, household_id: str) -> list[int]:
    return [json.loads(e.payload)["assessment"] for e in ledger.chain(household_id)
            if e.kind == "assessed"]


def test_every_screened_household_keeps_the_per_case_statuses_and_amounts(ledger, assessor,
                                                                          county):
    assert len(county) > 30
    for household_id, _, application in county:
        [made] = _ids(ledger, household_id)
        kept = ledger.stored_assessment(made)
        per_case = assessor.assess(application, on=ON)
        assert [(r.aid, r.status, _money(r.amount)) for r in kept.results] == \
            [(r.aid, str(r.status.value), r.amount) for r in per_case.results], household_id
        assert kept.risk_level == per_case.risk_level
        assert [r.brand for r in kept.referrals] == [r.brand for r in per_case.referrals]
        assert ledger.household(household_id).risk_level == per_case.risk_level
        # the full reasons, recomputed on demand and checked against the row; the chain replays
        full = per_case.to_json(detail="full")
        assert {k: v for k, v in ledger.assessment(made).items() if k in full} == full
        assert ledger.replay(made) == full
    assert ledger.verify() is None


def _money(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_a_stored_status_changed_afterwards_does_not_recompute(ledger, county, tmp_path):
    household_id = county[0][0]
    [made] = _ids(ledger, household_id)
    ledger.close()
    with sqlite3.connect(tmp_path / "ledger.db") as db:
        text = db.execute("SELECT result FROM assessments WHERE id = ?", (made,)).fetchone()[0]
        stored = json.loads(text)
        first = stored["results"][0]
        first["status"] = "eligible" if first["status"] != "eligible" else "ineligible"
        db.execute("UPDATE assessments SET result = ? WHERE id = ?",
                   (json.dumps(stored), made))
    reopened = Ledger.open(tmp_path / "ledger.db", assessor=ledger.assessor)
    try:
        with pytest.raises(ReplayMismatch):
            reopened.assessment(made)
        with pytest.raises(ReplayMismatch):
            reopened.replay(made)
        assert reopened.verify() is not None  # the row no longer matches what its entry sealed
    finally:
        reopened.close()


def test_a_household_already_in_the_ledger_is_assessed_as_before(tmp_path, assessor, county):
    ledger = Ledger.open(tmp_path / "known.db", assessor=assessor)
    try:
        first, grid, application = county[0]
        ledger.register_household(first, grid, application, ON)
        assert monitor(ledger, county[:3], ON, Screener(assessor.book)) == 3
        kept = [json.loads(e.payload) for e in ledger.chain(first) if e.kind == "assessed"]
        assert [p.get("made_by") for p in kept] == [None, None]  # both per-case
        others = [json.loads(e.payload) for h, _, _ in county[1:3] for e in ledger.chain(h)
                  if e.kind == "assessed"]
        assert [p["made_by"] for p in others] == ["screening", "screening"]
        with pytest.raises(IllegalMove, match="listed twice"):
            monitor(ledger, [county[5], county[5]], ON, Screener(assessor.book))
        assert ledger.verify() is None
    finally:
        ledger.close()
