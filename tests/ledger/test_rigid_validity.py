"""A rigid-expenditure determination is reviewed by the end of its validity
(刚性支出困难家庭认定办法第十条: in general at most 12 months), whatever the household's
review interval."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

from aidrules.engine import Assessor
from aidrules.ledger import Ledger
from aidrules.model import read_application
from aidrules.rulebook import load_rulebook
from tests.ledger.households import EXAMPLES, enrolled

ROOT = Path(__file__).resolve().parents[2]


def _overlay(tmp_path: Path, months: int) -> Path:
    path = tmp_path / "policies-validity" / "heilongjiang" / "rigid" / "validity_months.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(f"values:\n  2021-07-01:\n    value: {months}\n"
                    "    assumed: a shorter validity, for this test\n", encoding="utf-8")
    return tmp_path / "policies-validity"


def _review_due(url: str, book) -> dict[str, date | None]:
    ledger = Ledger.open(url, assessor=Assessor(book), upgrade=True)
    try:
        application = attrs.evolve(read_application(
            EXAMPLES / "05-tieli-rigid-expenditure-medical.yaml"), applied_on=date(2025, 3, 1))
        enrolled(ledger, "H-05", application, ["rigid_expenditure"])
        return {e.aid: e.review_due for e in ledger.enrolments("H-05")}
    finally:
        ledger.close()


def test_the_review_falls_due_when_the_rigid_expenditure_validity_ends(tmp_path):
    book = load_rulebook(ROOT / "rules", ROOT / "policies", overlays=[_overlay(tmp_path, 3)])
    due = _review_due(f"sqlite:///{tmp_path / 'short.db'}", book)
    assert due == {"rigid_expenditure": date(2025, 7, 1)}  # paid from 2025-04-01, 3 months


def test_a_validity_longer_than_the_review_interval_leaves_the_interval(tmp_path, book):
    due = _review_due(f"sqlite:///{tmp_path / 'shipped.db'}", book)
    assert due == {"rigid_expenditure": date(2025, 10, 1)}  # 6 months: members able to work
