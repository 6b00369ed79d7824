"""One person is enrolled in an aid in one household at a time: an enrolment that would
pay someone already paid that aid in another household is refused, naming the other case
with the identity number masked, and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest

from aidrules.ledger import IllegalMove
from aidrules.model import application_from_dict, application_to_dict
from tests.ledger.households import enrolled, wang


def _approved(ledger, household: str, application, decided: date = date(2025, 3, 12)) -> int:
    case = ledger.file_application(application, household, by="受理员", grid="grid-08",
                                   on=decided.replace(day=3))
    ledger.investigate(case, ["甲", "乙"], "属实", decided.replace(day=4))
    ledger.publish_notice(case, decided.replace(day=5))
    ledger.decide(case, True, "审批员", decided, aids=["dibao"])
    return case


def _sharing_one_member(position: int):
    """Another household (other people) with one member who is in the Wang household."""
    ours, theirs = application_to_dict(wang(family=1)), application_to_dict(wang())
    ours["household"]["members"][position]["id_number"] = \
        theirs["household"]["members"][position]["id_number"]
    ours["application_id"] = "TL-2025-0002"
    return application_from_dict(ours)


def test_the_same_people_enrolled_in_dibao_in_a_second_household_are_refused(ledger):
    enrolled(ledger, "H-1", wang(), ["dibao"])
    case = _approved(ledger, "H-2", wang(ref="TL-2025-0002"))
    with pytest.raises(IllegalMove, match=r"^case 2: \$\.household\.members\[0\] "
                       r"\(230781\*{8}0214\) is already enrolled in dibao in household H-1 "
                       r"\(case 1, enrolment 1, from 2025-04-01\)") as caught:
        ledger.enrol(case, date(2025, 3, 12))
    assert "230781198205140214" not in str(caught.value)
    assert ledger.case(case)["state"] == "approved"
    assert ledger.enrolments("H-2") == []


def test_one_shared_member_is_enough_and_is_named_by_position(ledger):
    enrolled(ledger, "H-1", wang(), ["dibao"])
    case = _approved(ledger, "H-2", _sharing_one_member(2))
    with pytest.raises(IllegalMove, match=r"\$\.household\.members\[2\] .* household H-1"):
        ledger.enrol(case, date(2025, 3, 12))


def test_other_people_of_the_same_ages_are_enrolled(ledger):
    enrolled(ledger, "H-1", wang(), ["dibao"])
    case = _approved(ledger, "H-2", wang(ref="TL-2025-0002", family=1))
    assert len(ledger.enrol(case, date(2025, 3, 12))) == 1


def test_after_the_first_household_s_enrolment_ends_the_person_may_be_enrolled_elsewhere(
        ledger):
    first = enrolled(ledger, "H-1", wang(), ["dibao"])
    assert ledger.exit(first, "审批员", date(2025, 6, 2), "迁出") == date(2025, 6, 30)
    case = _approved(ledger, "H-2", wang(ref="TL-2025-0002"), decided=date(2025, 6, 12))
    [enrolment] = ledger.enrol(case, date(2025, 6, 12))  # paid from 2025-07-01
    assert ledger.enrolments("H-2")[0].starts_on == date(2025, 7, 1)
    assert ledger.verify() is None
