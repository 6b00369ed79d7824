"""The payment roll on a real ledger (SQLite and PostgreSQL): arrears for a late enrolment,
the amount changed at review, grace months after an exit, an overpayment recovered in
instalments, every payment on the household's chain; the roll's totals agree with the
monthly report; the roll as CSV and Excel."""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from aidrules.ledger import IllegalMove
from aidrules.ledger.payments import issue_roll, overpayments, read_roll, record_overpayment
from aidrules.ledger.report import month_figures, payments_due
from tests.ledger.households import enrolled, wang

TIELI = "heilongjiang/yichun/tieli"
APRIL, MAY, JUNE = date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)


def _lines(roll):
    return [(line.payment.household, line.payment.aid, f"{line.payment.month:%Y-%m}",
             line.payment.basis, line.payment.arrears, str(line.payment.net))
            for line in roll.lines]


def _amount(ledger, household):
    return Decimal(ledger.enrolments(household)[-1].monthly_amount)


def test_a_late_enrolment_is_paid_its_months_as_arrears_once(ledger):
    enrolled(ledger, "H-1", wang(), ["dibao"])
    issue_roll(ledger, TIELI, APRIL, date(2025, 4, 3), "发放员")
    late = ledger.file_application(wang(ref="TL-2", family=1), "H-2", by="受理员", grid="g")
    ledger.investigate(late, ["甲", "乙"], "属实", date(2025, 3, 14))
    ledger.publish_notice(late, date(2025, 3, 17))
    ledger.decide(late, True, "审批员", date(2025, 3, 28), aids=["dibao"])
    ledger.enrol(late, date(2025, 4, 10))  # after April's roll was issued: from 1 April
    may = issue_roll(ledger, TIELI, MAY, date(2025, 5, 6), "发放员")
    one, two = _amount(ledger, "H-1"), _amount(ledger, "H-2")
    assert _lines(may) == [("H-1", "dibao", "2025-05", "month", False, str(one)),
                           ("H-2", "dibao", "2025-04", "month", True, str(two)),
                           ("H-2", "dibao", "2025-05", "month", False, str(two))]
    assert may.totals.arrears == two and may.totals.net == one + 2 * two
    paid = [json.loads(e.payload) for e in ledger.chain("H-2") if e.kind == "paid"]
    assert [(p["month"], [x["month"] for x in p["payments"]]) for p in paid] == [
        ("2025-05", ["2025-04", "2025-05"])]
    assert ledger.verify() is None


def test_a_roll_is_issued_once_month_after_month(ledger):
    enrolled(ledger, "H-1", wang(), ["dibao"])
    issue_roll(ledger, TIELI, APRIL, date(2025, 4, 3), "发放员")
    with pytest.raises(IllegalMove, match="was issued already"):
        issue_roll(ledger, TIELI, APRIL, date(2025, 4, 4), "发放员")
    with pytest.raises(IllegalMove, match="issue 2025-05 next, not 2025-06"):
        issue_roll(ledger, TIELI, JUNE, date(2025, 6, 3), "发放员")
    with pytest.raises(IllegalMove, match="before the month starts"):
        issue_roll(ledger, TIELI, MAY, date(2025, 4, 30), "发放员")


def test_review_changes_the_amount_and_an_exit_pays_its_grace_months(ledger):
    case = enrolled(ledger, "H-1", wang(), ["dibao"])
    before = _amount(ledger, "H-1")
    for month in range(4, 7):
        issue_roll(ledger, TIELI, date(2025, month, 1), date(2025, month, 2), "发放员")
    assert ledger.review(case, "复核员", date(2025, 6, 20), wang("2115.00")) == "changed"
    after = _amount(ledger, "H-1")
    ledger.exit(case, "审批员", date(2025, 7, 15), "就业后收入超标", grace_months=2,
                because_of_work=True)  # paid until 30 September
    lines = []
    for month in range(7, 11):
        lines += _lines(issue_roll(ledger, TIELI, date(2025, month, 1),
                                   date(2025, month, 2), "发放员"))
    assert after != before
    assert lines == [("H-1", "dibao", "2025-07", "month", False, str(after)),
                     ("H-1", "dibao", "2025-08", "grace", False, str(after)),
                     ("H-1", "dibao", "2025-09", "grace", False, str(after))]  # none in October


def test_an_overpayment_is_recovered_from_later_payments_in_instalments(ledger):
    case = enrolled(ledger, "H-1", wang(), ["dibao"])
    for month in (4, 5):
        issue_roll(ledger, TIELI, date(2025, month, 1), date(2025, month, 2), "发放员")
    paid = _amount(ledger, "H-1")
    found = record_overpayment(ledger, case, "dibao", APRIL, MAY, paid - Decimal("50.00"),
                               date(2025, 5, 20), "复核员", "4、5月务工收入未申报")
    plan = overpayments(ledger, "H-1")[0]
    assert (plan["total"], len(plan["plan"]), plan["starts"]) == ("100.00", 6, JUNE)
    assert plan["plan"] == ["16.67", "16.67", "16.67", "16.67", "16.66", "16.66"]
    june = issue_roll(ledger, TIELI, JUNE, date(2025, 6, 2), "发放员")
    line = june.lines[0].payment
    assert (line.gross, line.recovered, line.net, line.overpayment) == (
        paid, Decimal("16.67"), paid - Decimal("16.67"), found)
    for month in range(7, 12):
        issue_roll(ledger, TIELI, date(2025, month, 1), date(2025, month, 2), "发放员")
    assert overpayments(ledger, "H-1")[0]["outstanding"] == "0.00"
    december = issue_roll(ledger, TIELI, date(2025, 12, 1), date(2025, 12, 1), "发放员")
    assert december.lines[0].payment.recovered == 0
    kinds = [e.kind for e in ledger.chain("H-1")]
    assert kinds.count("overpayment_found") == 1 and kinds.count("paid") == 9
    assert ledger.verify() is None


def test_an_overpayment_needs_months_paid_above_what_was_found(ledger):
    case = enrolled(ledger, "H-1", wang(), ["dibao"])
    issue_roll(ledger, TIELI, APRIL, date(2025, 4, 2), "发放员")
    paid = _amount(ledger, "H-1")
    with pytest.raises(IllegalMove, match="2025-05 was not paid by a roll"):
        record_overpayment(ledger, case, "dibao", APRIL, MAY, "1.00", date(2025, 5, 9), "复核员",
                           "x")
    with pytest.raises(IllegalMove, match="not more than"):
        record_overpayment(ledger, case, "dibao", APRIL, APRIL, paid, date(2025, 5, 9), "复核员",
                           "x")
    with pytest.raises(IllegalMove, match="whole fen"):
        record_overpayment(ledger, case, "dibao", APRIL, APRIL, "1.001", date(2025, 5, 9),
                           "复核员", "x")


def test_the_roll_reconciles_with_the_monthly_report(ledger):
    enrolled(ledger, "H-1", wang(), ["dibao"])
    enrolled(ledger, "H-2", wang("1500.00", ref="TL-2", family=1), ["dibao"])
    roll = issue_roll(ledger, TIELI, APRIL, date(2025, 4, 3), "发放员")
    in_month = [line.payment for line in roll.lines if not line.payment.arrears]
    due = payments_due(ledger, "2025-04", TIELI)
    assert due == {"dibao": {"households": 2, "amount": sum(p.gross for p in in_month)}}
    assert month_figures(ledger, "2025-04")["households_paid_by_aid"] == {"dibao": 2}
    assert roll.totals.households == 2 and roll.totals.arrears == 0


def test_the_roll_as_csv_and_excel_masks_identity_numbers_and_totals(ledger, tmp_path, book):
    from aidrules.casework.payment_file import write_csv, write_xlsx
    enrolled(ledger, "H-1", wang(), ["dibao"])
    roll = issue_roll(ledger, TIELI, APRIL, date(2025, 4, 3), "发放员")
    names = {aid: item.name for aid, item in book.aids.items()}
    write_csv(tmp_path / "r.csv", roll.lines, names)
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    head = dict(zip(rows[1], rows[2], strict=True))
    whole = roll.lines[0].head_id_number
    assert head["id_number"] == whole[:6] + "********" + whole[14:]
    assert (head["aid"], head["month"], head["net"]) == ("最低生活保障", "2025-04",
                                                         f"{roll.totals.net:.2f}")
    assert rows[-1][0] == "合计" and rows[-1][11] == f"{roll.totals.net:.2f}"
    write_xlsx(tmp_path / "r.xlsx", roll.lines, names, APRIL, TIELI, full_ids=True)
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert sheet.title == "2025-04" and cells[2][3] == whole
    assert Decimal(str(cells[-1][11])) == roll.totals.net


def test_read_roll_gives_the_roll_as_issued(ledger):
    enrolled(ledger, "H-1", wang(), ["dibao"])
    issued = issue_roll(ledger, TIELI, APRIL, date(2025, 4, 3), "发放员")
    assert read_roll(ledger, TIELI, APRIL) == issued
