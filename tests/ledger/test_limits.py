"""What the ledger stores is checked before the database sees it, alike on SQLite and
PostgreSQL: a name over 64 characters, staff that do not fit, a NUL character are refused
by where they go, never echoing the value; a database error that gets through anyway is
the library's error, with no statement parameters (identity numbers, names) in it."""

from __future__ import annotations

import traceback
from datetime import date

import pytest
import sqlalchemy as sa

from aidrules.errors import ApplicationError
from aidrules.ledger import IllegalMove, LedgerError
from aidrules.model import application_from_dict, application_to_dict
from tests.ledger.households import wang

WANG_ID = "230781198205140214"  # the head of the Wang household (example 01)


@pytest.fixture
def case(ledger):
    return ledger.file_application(wang(), "H-1", by="受理员", grid="grid-07")


def _shown(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def _refused(match: str, move, *args, **kwargs) -> IllegalMove:
    with pytest.raises(IllegalMove, match=match) as caught:
        move(*args, **kwargs)
    assert WANG_ID not in _shown(caught.value)
    return caught.value


def test_an_officer_s_name_over_64_characters_is_refused_by_role(ledger, case):
    name = "李" * 65
    error = _refused(r"^case 1: the investigating staff: at most 64 characters, got 65$",
                     ledger.investigate, case, [name, "王"], "属实", date(2025, 3, 4))
    assert name not in str(error)
    assert ledger.case(case)["state"] == "accepted"


def test_forty_investigators_are_kept_and_a_name_with_a_comma_stays_one_name(ledger, case):
    """The investigators are a JSON array (migration 0009_casework): no length cap beyond
    each name's, and a comma inside a name does not make two investigators."""
    staff = [f"第{n:02d}号入户调查员" for n in range(40)]  # 9 characters each
    ledger.investigate(case, staff, "属实", date(2025, 3, 4))
    assert ledger.case(case)["investigators"] == sorted(staff)
    other = ledger.file_application(wang(family=2), "H-2", by="受理员", grid="grid-07")
    ledger.investigate(other, ["李,王", "张"], "属实", date(2025, 3, 4))
    assert ledger.case(other)["investigators"] == ["张", "李,王"]
    ledger.publish_notice(other, date(2025, 3, 5))
    with pytest.raises(IllegalMove, match="李,王 investigated this case"):
        ledger.decide(other, False, "李,王", date(2025, 3, 12), reasons="不符合")
    ledger.decide(other, False, "王", date(2025, 3, 12), reasons="不符合")  # 王 did not


@pytest.mark.parametrize("name", ["李\x00", "李\u200f", "李\x07"])
def test_a_name_with_a_control_or_formatting_character_is_refused(ledger, case, name):
    _refused(r"^case 1: the investigating staff: ", ledger.investigate, case, [name, "王"],
             "属实", date(2025, 3, 4))


def test_a_nul_character_in_any_text_is_refused_where_it_goes(ledger, case):
    _refused(r"^case 1: findings: holds a NUL character", ledger.investigate, case,
             ["甲", "乙"], "属\x00实", date(2025, 3, 4))
    _refused(r"^warning \(new\): department: holds a NUL character", ledger.record_warning,
             "H-1", "民政\x00局", "x", date(2025, 3, 6), "网格员", date(2025, 3, 9))


def test_a_member_s_name_over_64_characters_is_refused_by_its_path(ledger):
    """The application model refuses it first (the ledger's own check stays behind it)."""
    data = application_to_dict(wang())
    data["household"]["members"][1]["name"] = "王" * 70
    with pytest.raises(ApplicationError, match=r"\$\.household\.members\[1\]\.name: must be "
                       r"a name of at most 64 characters, got 70"):
        ledger.file_application(application_from_dict(data), "H-1", by="受理员", grid="grid-07")
    with pytest.raises(Exception, match="no household 'H-1'"):
        ledger.chain("H-1")


def test_a_household_id_over_64_characters_is_refused(ledger):
    _refused(r"^the household id: at most 64 characters, got 65$",
             ledger.file_application, wang(), "H" * 65, by="受理员", grid="grid-07")


def test_a_database_error_inside_the_ledger_echoes_no_parameter(ledger, case):
    """The last line of defence: what the checks above miss reaches no traceback."""
    with pytest.raises(LedgerError, match="^the database refused the change") as caught, \
            ledger._tx() as s:
        s.connection().execute(sa.text(
            "INSERT INTO members (application_id, position, id_number, name, relation) "
            "VALUES (NULL, 0, :number, :name, 'head')"), {"number": WANG_ID, "name": "王建国"})
    shown = _shown(caught.value)
    assert WANG_ID not in shown and "王建国" not in shown
    assert "members.application_id" in shown or "application_id" in shown


def test_the_engine_never_echoes_statement_parameters(ledger):
    """(PostgreSQL's own DETAIL line may still show the failing row: the ledger keeps only
    the first line of the database's message, as the test above shows.)"""
    with pytest.raises(sa.exc.DBAPIError) as caught, ledger.engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO members (application_id, position, id_number, "
                                   "name, relation) VALUES (NULL, 0, :n, 'x', 'head')"),
                           {"n": WANG_ID})
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(caught.value)
