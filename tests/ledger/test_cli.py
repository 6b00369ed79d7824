"""``aidrules case`` and ``aidrules ledger``: a case through the procedure from the shell;
``ledger verify`` exits 1 naming the first bad entry; the chain shows masked numbers only."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from aidrules.ledger import migrate

ROOT = Path(__file__).resolve().parents[2]
WANG = ROOT / "examples" / "applications" / "01-tieli-urban-below-standard.yaml"


def _ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def test_a_case_goes_through_the_procedure_from_the_command_line(run):
    assert f"schema None → {migrate.head_revision()}" in _ok(run("ledger", "upgrade", run.db))
    assert "case 1 accepted" in _ok(run("case", "file", WANG, "--household", "H-1",
                                        "--grid", "g-1", "--by", "受理员"))
    _ok(run("case", "investigate", 1, "--staff", "甲", "--staff", "乙", "--findings", "属实",
            "--on", "2025-03-04"))
    assert "notice until 2025-03-11" in _ok(run("case", "notice", 1, "--on", "2025-03-05"))
    refused = run("case", "decide", 1, "--approve", "--by", "甲", "--on", "2025-03-12")
    assert refused.exit_code == 1
    assert "甲 investigated this case and may not also decide it" in refused.output
    _ok(run("case", "decide", 1, "--approve", "--aid", "dibao", "--by", "审批员",
            "--on", "2025-03-12", "--referrals-due", "2025-03-26"))
    shown = _ok(run("case", "enrol", 1, "--on", "2025-03-12"))
    assert "2025-04-01" in shown and "30.00" in shown and "2025-10-01" in shown
    overdue = _ok(run("case", "due", "--overdue", "--on", "2025-10-02"))
    assert "review" in overdue and "referral" in overdue and "教育局" in overdue
    assert "every household chain verifies" in _ok(run("ledger", "verify"))
    chain = _ok(run("ledger", "chain", "H-1"))
    assert "decided" in chain and "230781198205140214" not in chain
    assert "paid until 2025-10-31" in _ok(run("case", "exit", 1, "--by", "审批员",
                                              "--reason", "收入超标", "--on", "2025-10-08"))


def test_ledger_verify_exits_1_naming_the_first_bad_entry(run):
    _ok(run("case", "file", WANG, "--household", "H-1", "--grid", "g-1", "--by", "受理员"))
    engine = sa.create_engine(f"sqlite:///{run.db}")
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TRIGGER chain_entries_no_update"))  # a tamperer
        connection.execute(sa.text("UPDATE chain_entries SET payload = replace(payload, "
                                   "'受理员', '别人') WHERE seq = 2"))
    engine.dispose()
    result = run("ledger", "verify")
    assert result.exit_code == 1
    assert "chain broken: household H-1 entry 2" in result.output
    assert "content changed" in result.output


def test_an_objection_appraisal_and_refusal_from_the_command_line(run):
    _ok(run("case", "file", WANG, "--household", "H-1", "--grid", "g-1", "--by", "受理员"))
    _ok(run("case", "investigate", 1, "--staff", "甲", "--staff", "乙", "--findings", "属实",
            "--on", "2025-03-04"))
    no_objection = run("case", "appraise", 1, "--by", "村委会", "--outcome", "评议", "--on",
                       "2025-03-06")
    assert no_objection.exit_code == 1, no_objection.output
    assert "case 1 is investigated; 'appraise' needs it to be noticed" in no_objection.output
    _ok(run("case", "notice", 1, "--on", "2025-03-05"))
    objected = _ok(run("case", "object", 1, "--objection", "邻居称其有车", "--on", "2025-03-07"))
    assert re.search(r"has_objection\W+True", objected)
    early = run("case", "decide", 1, "--refuse", "--reasons", "有车", "--by", "审批员",
                "--on", "2025-03-12")
    assert early.exit_code == 1 and "the notice drew an objection; appraise first" in early.output
    assert "appraised" in _ok(run("case", "appraise", 1, "--by", "村委会", "--outcome",
                                  "评议认定车辆属实", "--on", "2025-03-13"))
    _ok(run("case", "decide", 1, "--refuse", "--reasons", "家庭拥有机动车", "--by", "审批员",
            "--on", "2025-03-14"))
    assert "refusal notice" in _ok(run("case", "due", "--overdue", "--on", "2025-03-20"))
    _ok(run("case", "notify-refusal", 1, "--on", "2025-03-17"))
    assert "refusal notice" not in _ok(run("case", "due", "--on", "2025-03-20"))
    assert "every household chain verifies" in _ok(run("ledger", "verify"))


def _at(db, *args):
    """``aidrules ARGS --db DB`` (the ``run`` fixture's own --db left out)."""
    from typer.testing import CliRunner

    from aidrules.cli import app
    return CliRunner().invoke(app, [*map(str, args), "--db", str(db)])


def _one_line_error(result, text):
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: "), result.output
    assert text in result.output


def test_only_commands_that_start_a_ledger_create_one(run, tmp_path):
    typo = tmp_path / "typo.db"
    for command in (["ledger", "verify"], ["case", "due"], ["case", "show", "1"],
                    ["ledger", "chain", "H-1"]):
        _one_line_error(_at(typo, *command),
                        f"{typo}: no ledger here; create one with 'aidrules ledger upgrade {typo}'")
    assert not typo.exists()
    _ok(run("ledger", "upgrade", typo))
    assert "every household chain verifies" in _ok(_at(typo, "ledger", "verify"))
    fresh = tmp_path / "fresh.db"
    assert "case 1 accepted" in _ok(_at(fresh, "case", "file", WANG, "--household", "H-1",
                                        "--grid", "g-1", "--by", "受理员"))
    assert "every household chain verifies" in _ok(_at(fresh, "ledger", "verify"))


def test_a_file_that_is_not_a_ledger_or_a_missing_directory_is_one_line(run, tmp_path):
    csv = tmp_path / "some.csv"
    csv.write_text("id,name\n1,王\n", encoding="utf-8")
    _one_line_error(_at(csv, "ledger", "verify"), "file is not a database")
    _one_line_error(run("ledger", "upgrade", csv), "file is not a database")
    assert csv.read_text(encoding="utf-8") == "id,name\n1,王\n"
    nowhere = tmp_path / "nodir" / "x.db"
    _one_line_error(_at(nowhere, "ledger", "verify"), "no ledger here")
    _one_line_error(run("ledger", "upgrade", nowhere), "unable to open database file")
    _one_line_error(_at(nowhere, "case", "file", WANG, "--household", "H-1", "--grid", "g-1",
                        "--by", "受理员"), "unable to open database file")


def test_the_chain_of_an_unknown_household_is_an_error(run):
    _ok(run("case", "file", WANG, "--household", "H-1", "--grid", "g-1", "--by", "受理员"))
    _one_line_error(run("ledger", "chain", "NOPE"), "no household 'NOPE' in the ledger")


def test_a_back_dated_move_is_refused_from_the_command_line(run):
    _ok(run("case", "file", WANG, "--household", "H-1", "--grid", "g-1", "--by", "受理员",
            "--on", "2025-03-03"))
    _one_line_error(run("case", "investigate", 1, "--staff", "李", "--staff", "王",
                        "--findings", "属实", "--on", "2025-02-01"),
                    "case 1 was accepted on 2025-03-03; 'investigate' cannot be dated "
                    "2025-02-01, before it")
    _ok(run("case", "investigate", 1, "--staff", "李", "--staff", "王", "--findings", "属实",
            "--on", "2025-03-04"))
    _ok(run("case", "notice", 1, "--on", "2025-03-05"))
    _one_line_error(run("case", "decide", 1, "--approve", "--by", " 李", "--on", "2025-03-12"),
                    "李 investigated this case and may not also decide it")


def test_verify_on_a_ledger_with_a_dropped_table_is_one_error_line(run):
    _ok(run("case", "file", WANG, "--household", "H-1", "--grid", "g-1", "--by", "受理员"))
    engine = sa.create_engine(f"sqlite:///{run.db}")
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE enrolments"))
    engine.dispose()
    _one_line_error(run("ledger", "verify"),
                    "error: cannot read the ledger (no such table: enrolments)")


def test_verify_prints_the_ledger_head_to_archive(run):
    _ok(run("case", "file", WANG, "--household", "H-1", "--grid", "g-1", "--by", "受理员"))
    shown = _ok(run("ledger", "verify"))
    assert re.search(r"ledger head 1: [0-9a-f]{64}", shown), shown


def test_deciding_for_an_unknown_aid_is_one_line_with_a_did_you_mean(run):
    _ok(run("case", "file", WANG, "--household", "H-1", "--grid", "g-1", "--by", "受理员"))
    _ok(run("case", "investigate", 1, "--staff", "甲", "--staff", "乙", "--findings", "属实",
            "--on", "2025-03-04"))
    _ok(run("case", "notice", 1, "--on", "2025-03-05"))
    result = run("case", "decide", 1, "--approve", "--aid", "dibaoo", "--by", "审批员",
                 "--on", "2025-03-12")
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1, result.output
    assert "unknown aid type 'dibaoo'" in result.output
    assert result.output.rstrip().endswith("did you mean 'dibao'?")


def test_a_move_with_a_stale_expected_version_is_refused_and_changes_nothing(run):
    """Two officers read case 1 at version 2; the first posts the notice with it, the
    second's objection with the same version is refused (exit 1) and stores nothing."""
    _ok(run("case", "file", WANG, "--household", "H-1", "--grid", "g-1", "--by", "受理员"))
    _ok(run("case", "investigate", 1, "--staff", "甲", "--staff", "乙", "--findings", "属实",
            "--on", "2025-03-04", "--expect-version", 1))
    _ok(run("case", "notice", 1, "--on", "2025-03-05", "--expect-version", 2))
    stale = run("case", "object", 1, "--objection", "邻居反映", "--on", "2025-03-06",
                "--expect-version", 2)
    assert stale.exit_code == 1
    assert "case 1 is at version 3, not 2: someone else changed it" in stale.output
    assert "objected" not in _ok(run("ledger", "chain", "H-1"))
    _ok(run("case", "object", 1, "--objection", "邻居反映", "--on", "2025-03-06",
            "--expect-version", 3))
