"""Officers' and workers' names are stored and compared stripped and NFC-normalised, so a
stray space or a decomposed character cannot make the investigator a second person; an
empty name is refused."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from aidrules.ledger import IllegalMove
from tests.ledger.households import wang


@pytest.fixture
def noticed(ledger):
    case = ledger.file_application(wang(), "H-1", by=" 受理员 ", grid="grid-07")
    ledger.investigate(case, ["李", "王"], "属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    return case


@pytest.mark.parametrize("same_person", [" 李", "李\u3000", "\t李\n"])
def test_the_investigator_may_not_decide_under_a_padded_name(ledger, noticed, same_person):
    with pytest.raises(IllegalMove, match="李 investigated this case and may not also decide"):
        ledger.decide(noticed, True, same_person, date(2025, 3, 12), aids=["dibao"])


def test_the_two_person_rule_compares_names_in_one_unicode_form(ledger):
    composed, decomposed = "José", unicodedata.normalize("NFD", "José")
    case = ledger.file_application(wang(), "H-1", by="受理员", grid="grid-07")
    with pytest.raises(IllegalMove, match="at least 2 different staff, got 1"):
        ledger.investigate(case, [composed, decomposed], "属实", date(2025, 3, 4))
    ledger.investigate(case, [decomposed, "王"], "属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    with pytest.raises(IllegalMove, match="may not also decide"):
        ledger.decide(case, True, composed, date(2025, 3, 12), aids=["dibao"])


def test_names_are_stored_stripped(ledger, noticed):
    ledger.decide(noticed, True, " 审批员 ", date(2025, 3, 12), aids=["dibao"])
    shown = ledger.case(noticed)
    assert shown["accepted_by"] == "受理员"
    assert shown["decisions"][0]["decided_by"] == "审批员"


@pytest.mark.parametrize("blank", ["", "   ", "\u3000"])
def test_an_empty_name_is_refused(ledger, noticed, blank):
    with pytest.raises(IllegalMove, match="give the name of the person acting"):
        ledger.decide(noticed, True, blank, date(2025, 3, 12), aids=["dibao"])
    with pytest.raises(IllegalMove, match="give the name of the person acting"):
        ledger.record_warning("H-1", "民政局", "x", date(2025, 3, 6), blank, date(2025, 3, 9))
    with pytest.raises(IllegalMove, match="give the name of the person acting"):
        ledger.file_application(wang(), "H-2", by=blank, grid="grid-07")
    assert ledger.case(noticed)["state"] == "noticed"
