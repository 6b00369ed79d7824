"""The monitoring tables on both databases: a month stored once, and stored again as nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from aidrules.ledger import tables as t
from aidrules.model import application_from_dict
from aidrules.monitoring import load_mapping, load_warning_rules, read_register
from aidrules.monitoring.synthetic import Facts
from aidrules.month import FeedFile, run_month

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples/feeds"
MANIFEST = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))
TODAY = date(2025, 3, 31)
TABLES = (t.FeedImportRecord, t.FeedRow, t.FeedReject, t.EarlyWarning, t.DiscoveredPerson,
          t.Warning, t.VerificationTask, t.Household, t.ChainEntry)


def a_month(ledger):
    facts = Facts(SAMPLE / "register")
    feeds = [FeedFile(load_mapping(ROOT / "feeds" / f"{name}.yaml"),
                      SAMPLE / "feeds" / MANIFEST["month"] / feed["file"])
             for name, feed in MANIFEST["feeds"].items()]
    return run_month(ledger, read_register(SAMPLE / "register"),
                     load_warning_rules(ROOT / "warnings", ROOT / "policies"), feeds, TODAY,
                     lambda h: application_from_dict(facts.application(h, TODAY)))


def counts(ledger):
    with Session(ledger.engine) as s:
        return {table.__tablename__: s.exec(select(func.count()).select_from(table)).one()
                for table in TABLES}


def test_a_month_is_stored_once_and_a_second_import_adds_nothing(ledger):
    first = a_month(ledger)
    stored = counts(ledger)
    assert stored["feed_rows"] == sum(f["good"] for f in MANIFEST["feeds"].values())
    assert stored["feed_rejects"] == sum(f["broken"] for f in MANIFEST["feeds"].values())
    assert stored["early_warnings"] == len(first.warnings) > 0
    assert stored["verification_tasks"] == sum(w.task_id is not None for w in first.warnings)
    again = a_month(ledger)
    assert (again.warnings, again.discovered) == ([], 0)
    assert counts(ledger) == stored
    assert ledger.verify() is None
