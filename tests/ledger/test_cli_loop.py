"""The closed loop from the command line, on an SQLite file: a data warning, its
verification task, the findings re-assessed, the decision, referrals and the departments'
feedback, then what is overdue; every step lands in the household's chain, which verifies.
Mistakes print one line and exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WANG = ROOT / "examples" / "applications" / "01-tieli-urban-below-standard.yaml"


@pytest.fixture
def earning_3000(tmp_path):
    """The Wang household of example 01 as it was in January: 3000 a month, 1000 a head
    (above Tieli's standard of 710, below 1.5 times it: a marginal family)."""
    path = tmp_path / "wang-january.yaml"
    text = WANG.read_text(encoding="utf-8")
    path.write_text(text.replace('amount: "2100.00"', 'amount: "3000.00"')
                    .replace("applied_on: 2025-03-01", "applied_on: 2025-01-06"),
                    encoding="utf-8")
    return path


def _ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def _one_line_error(result, text):
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: "), result.output
    assert text in result.output


def test_a_household_goes_round_the_closed_loop_from_the_command_line(run, earning_3000):
    registered = _ok(run("case", "register", "H-1", earning_3000, "--grid", "grid-07",
                         "--on", "2025-01-06"))
    assert "household H-1 under monitoring" in registered
    assert "blue risk level" in registered and "dibao_marginal" in registered

    # The warning gives the household's grid a verification task, overdue once past its day.
    warned = _ok(run("case", "warn", "H-1", "--department", "人力资源和社会保障局",
                     "--reason", "工资下降", "--worker", "网格员张", "--due", "2025-02-10",
                     "--on", "2025-02-03"))
    assert "warning 1: task 1 for grid grid-07 (网格员张), due 2025-02-10" in warned
    overdue = _ok(run("case", "due", "--overdue", "--on", "2025-02-11"))
    assert "verification" in overdue and "task 1" in overdue

    # The findings file the facts as found (2100 a month); re-assessed, dibao at 30.
    found = _ok(run("case", "findings", 1, "--worker", "网格员张", "--findings", "工资降至2100元",
                    "--facts", WANG, "--on", "2025-02-07"))
    assert "task 1 done" in found and "assessment 2 on 2025-02-07: yellow risk level" in found
    assert "dibao" in found and "30.00" in found
    assert "referral to push: medical → 医疗保障局, 卫生健康局" in found
    assert "task 1" not in _ok(run("case", "due", "--overdue", "--on", "2025-02-11"))

    # The decision on the case the household then files (assessment 3 is its own).
    _ok(run("case", "file", WANG, "--household", "H-1", "--by", "受理员", "--on", "2025-03-03"))
    _ok(run("case", "investigate", 1, "--staff", "甲", "--staff", "乙", "--findings", "属实",
            "--on", "2025-03-04"))
    _ok(run("case", "notice", 1, "--on", "2025-03-05"))
    _ok(run("case", "decide", 1, "--approve", "--aid", "dibao", "--by", "审批员",
            "--on", "2025-03-12"))
    assert "30.00" in _ok(run("case", "enrol", 1, "--on", "2025-03-12"))

    # Referrals of the findings' assessment, one per brand; the departments answer.
    pushed = _ok(run("case", "refer", 2, "--due", "2025-03-26", "--on", "2025-03-12"))
    assert "medical" in pushed and "education" in pushed and "pushed" in pushed
    half = _ok(run("case", "feedback", 1, "--department", "医疗保障局", "--action", "资助参保",
                   "--on", "2025-03-14"))
    assert "pushed" in half and "卫生健康局" in half
    whole = _ok(run("case", "feedback", 1, "--department", "卫生健康局", "--action", "建档",
                    "--on", "2025-03-20"))
    assert "answered" in whole

    # Only the education referral is late; the chain holds every step and verifies.
    late = _ok(run("case", "due", "--overdue", "--on", "2025-03-27"))
    assert "referral 2" in late and "教育局" in late and "referral 1" not in late
    assert "every household chain verifies" in _ok(run("ledger", "verify"))
    chain = _ok(run("ledger", "chain", "H-1"))
    for event in ("warned", "verified", "assessed", "decided", "referred", "feedback"):
        assert event in chain


def test_loop_mistakes_print_one_line_and_exit_1(run, earning_3000, tmp_path):
    _ok(run("case", "register", "H-1", earning_3000, "--grid", "grid-07", "--on", "2025-01-06"))
    _one_line_error(run("case", "warn", "H-9", "--department", "民政局", "--reason", "x",
                        "--worker", "张", "--due", "2025-02-10"), "no household 'H-9'")
    _ok(run("case", "warn", "H-1", "--department", "民政局", "--reason", "x", "--worker", "张",
            "--due", "2025-02-10", "--on", "2025-02-03"))
    broken = tmp_path / "broken.yaml"
    broken.write_text(WANG.read_text(encoding="utf-8").replace('amount: "2100.00"',
                                                               'amount: "lots"'),
                      encoding="utf-8")
    _one_line_error(run("case", "findings", 1, "--worker", "张", "--findings", "核实",
                        "--facts", broken), "$.household.members[0].incomes[0].amount")
    _ok(run("case", "findings", 1, "--worker", "张", "--findings", "核实", "--facts", WANG,
            "--on", "2025-02-07"))
    _one_line_error(run("case", "findings", 1, "--worker", "张", "--findings", "再核实",
                        "--facts", WANG), "task 1 was already done on 2025-02-07")
    _ok(run("case", "refer", 2, "--due", "2025-03-26", "--on", "2025-02-07"))
    _one_line_error(run("case", "feedback", 2, "--department", "医疗保障局", "--action", "x"),
                    "referral 2 went to 教育局, not 医疗保障局")
    assert "every household chain verifies" in _ok(run("ledger", "verify"))
