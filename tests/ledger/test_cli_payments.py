"""`aidrules ledger payments roll` and `aidrules case challenge` from the command line."""

from __future__ import annotations

import csv

from aidrules.ledger import Ledger
from tests.ledger.households import enrolled, wang


def _ledger(run, assessor):
    ledger = Ledger.open(run.db, assessor=assessor)
    case = enrolled(ledger, "H-1", wang(), ["dibao"])
    ledger.close()
    return case


def test_a_roll_is_issued_written_and_shown_again(run, assessor, tmp_path):
    _ledger(run, assessor)
    out = tmp_path / "roll.csv"
    issued = run("ledger", "payments", "roll", "--month", "2025-04", "--issue", "--by", "发放员",
                 "--on", "2025-04-03", "--out", out)
    assert issued.exit_code == 0, issued.output
    assert "1 line(s), 1 household(s)" in issued.output
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["序号", "户编号", "户主姓名", "身份证号码"] and "*" in rows[2][3]
    shown = run("ledger", "payments", "roll", "--month", "2025-04")
    assert shown.exit_code == 0 and shown.output.splitlines()[-1] == \
        issued.output.splitlines()[-1]
    again = run("ledger", "payments", "roll", "--month", "2025-04", "--issue", "--by", "发放员")
    assert again.exit_code == 1 and "was issued already" in again.output
    missing = run("ledger", "payments", "roll", "--month", "2025-05")
    assert missing.exit_code == 1 and "no roll of heilongjiang/yichun/tieli for 2025-05" in \
        missing.output
    bad = run("ledger", "payments", "roll", "--month", "2025-5")
    assert bad.exit_code == 1 and "not YYYY-MM" in bad.output


def test_an_overpayment_and_a_challenge_from_the_command_line(run, assessor):
    case = _ledger(run, assessor)
    for month in ("2025-04", "2025-05"):
        assert run("ledger", "payments", "roll", "--month", month, "--issue", "--by", "发放员",
                   "--on", f"{month}-02").exit_code == 0
    found = run("ledger", "payments", "overpayment", case, "--by", "复核员", "--aid", "dibao",
                "--from", "2025-04", "--to", "2025-05", "--entitled", "1.00",
                "--reason", "收入未申报", "--instalments", "3", "--on", "2025-05-20")
    assert found.exit_code == 0, found.output
    assert "in 3 instalment(s) from 2025-06" in found.output
    filed = run("case", "challenge", "file", case, "--kind", "reconsideration",
                "--knew-on", "2025-03-13", "--on", "2025-04-01")
    assert filed.exit_code == 0, filed.output
    # day 60 after 13 March is Monday 12 May; the body decides within 60 days of 1 April
    assert "deadline 2025-05-12, to be decided by 2025-05-31" in filed.output
    decided = run("case", "challenge", "decide", "1", "--outcome", "quashed", "--reasons", "x",
                  "--on", "2025-05-02")
    assert decided.exit_code == 1 and "not one of upheld, changed, revoked" in decided.output
