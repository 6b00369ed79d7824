"""The aidrules command: thin over the library, clean messages, exit 0 / 1 / 2."""

import shutil
from pathlib import Path

import pytest

from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples" / "applications").glob("*.yaml"))
BAD = ROOT / "tests" / "model" / "bad"



def test_check_passes_on_the_shipped_rules_and_lists_assumed_values(run):
    result = run("check")
    assert result.exit_code == 0, result.output
    book = load_rulebook(ROOT / "rules", ROOT / "policies")
    assert f"OK: {len(book.aids)} aid types, {len(book.facts)} derived facts, " \
        f"{len(book.rules)} rules" in result.output
    assert f"{len(book.policies.assumed())} value(s) marked assumed" in result.output


def test_check_prints_every_problem_and_exits_1(run, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "dibao" / "eligibility.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "per_capita_income < dibao_standard", "per_capita_incom < dibao_standard"),
        encoding="utf-8")
    result = run("check", rules, ROOT / "policies")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:11:15: unknown fact 'per_capita_incom'; did you mean 'per_capita_income'?",
        "1 problem(s); nothing was loaded.",
    ]


def test_check_reports_a_rule_file_that_is_a_directory_as_a_problem(run, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "dibao" / "extra.yaml").mkdir()
    result = run("check", rules, ROOT / "policies")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.splitlines() == [
        f"{rules / 'dibao' / 'extra.yaml'}:1:1: cannot read the file: Is a directory",
        "1 problem(s); nothing was loaded.",
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_validate_accepts_every_example(run, example):
    result = run("validate", example)
    assert result.exit_code == 0, result.output
    assert result.output == f"{example}: ok\n"


def test_validate_names_every_bad_field_by_its_path_and_exits_1(run):
    good, bad = EXAMPLES[0], BAD / "amount-below-fen.yaml"
    result = run("validate", good, bad)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{good}: ok",
        f"{bad}: $.household.members[0].incomes[0].amount: must be an amount in whole fen "
        "(at most 2 decimal places), got '1200.005'",
    ]


def test_validate_reports_a_missing_file_without_a_traceback(run, tmp_path):
    result = run("validate", tmp_path / "nowhere.yaml")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith(f"{tmp_path / 'nowhere.yaml'}: ")


def test_a_usage_error_exits_2(run):
    assert run("validate").exit_code == 2
    assert run("assess", EXAMPLES[0], "--on", "yesterday").exit_code == 2


def test_assess_reports_a_bad_application_by_path_and_exits_1(run):
    bad = BAD / "amount-below-fen.yaml"
    result = run("assess", bad)
    assert result.exit_code == 1
    assert "$.household.members[0].incomes[0].amount: must be an amount in whole fen" in \
        result.output
    assert "Traceback" not in result.output


def test_explain_with_an_unknown_aid_is_one_line_with_a_did_you_mean(run):
    result = run("explain", EXAMPLES[0], "--aid", "dibaoo")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"{EXAMPLES[0]}: unknown aid type 'dibaoo'; expected one of ")
    assert lines[0].endswith("; did you mean 'dibao'?")


def test_a_problem_on_line_100_prints_as_written_not_as_an_emoji(capsys):
    """rich turned 'file.yaml:100:15' into 'file.yaml💯15' (found by fuzzing)."""
    from aidrules.cli.console import say, say_err
    say("rules/dibao/eligibility.yaml:100:15: unknown fact 'x'")
    say_err("rules/dibao/eligibility.yaml:100:15: unknown fact 'x'")
    captured = capsys.readouterr()
    assert captured.out == captured.err == "rules/dibao/eligibility.yaml:100:15: unknown fact 'x'\n"
