"""`aidrules check --strict`: what loads but is probably wrong, as file:line warnings."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidrules.cli import app
from aidrules.language.parser import parse as parse_expression
from aidrules.rulebook import load_rulebook
from aidrules.rulebook.lint import ACKNOWLEDGED_FILE, Finding, acknowledge, contradict, lint

ROOT = Path(__file__).resolve().parents[2]
DIBAO = Path("dibao") / "eligibility.yaml"


def _book(tmp_path, old, new):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / DIBAO
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_rulebook(rules, ROOT / "policies")


@pytest.mark.parametrize("x, y, clash", [
    ("a < b", "a >= b", True),
    ("a < b", "a > b", True),
    ("a <= b", "a >= b", False),
    ("a == b", "a < b", True),
    ("n > 5", "n < 3", True),
    ("n > 5", "n < 7", False),
    ("n >= 5", "n <= 5", False),
    ("n == 2", "n == 3", True),
    ("a < b", "c > b", False),
])
def test_two_comparisons_of_one_expression_contradict_when_no_value_satisfies_both(x, y, clash):
    assert contradict(parse_expression(x), parse_expression(y)) is clash


def test_a_rule_whose_conditions_contradict_can_never_fire(tmp_path):
    book = _book(tmp_path, "      - test: financial_assets <= financial_assets_limit",
                 "      - test: per_capita_income >= dibao_standard\n"
                 "      - test: financial_assets <= financial_assets_limit")
    found = [str(f) for f in lint(book) if "never fire" in f.message]
    assert found == [f"{tmp_path / 'rules' / DIBAO}:3: warning: rule 'dibao.household' can "
                     "never fire: its conditions 'per_capita_income < dibao_standard' and "
                     "'per_capita_income >= dibao_standard' cannot both hold"]


def test_parameters_no_rule_reads_are_listed_where_they_are_declared():
    found = [str(f).replace(f"{ROOT}/", "")
             for f in lint(load_rulebook(ROOT / "rules", ROOT / "policies"))]
    assert "policies/national/rigid/lookback_months.yaml:3: warning: parameter " \
           "'rigid.lookback_months' is read by no rule, derived fact or amount" in found
    assert not any("dibao.standard.urban" in f and "read by no rule" in f for f in found)
    assert not any("deadline.total_wd" in f for f in found)  # the ledger's procedure reads it


def test_the_first_date_every_parameter_has_a_value_is_reported_per_jurisdiction():
    found = [f.message for f in lint(load_rulebook(ROOT / "rules", ROOT / "policies"))]
    assert any(m.startswith("heilongjiang/yichun/tieli has every parameter the book reads only "
                            "from ") for m in found)


def test_check_strict_passes_on_the_shipped_book_every_finding_acknowledged_with_a_reason(
        monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["check", "--strict"])
    assert result.exit_code == 0, result.output
    assert "0 warning(s) under --strict" in result.output
    assert "acknowledged: parameter 'rigid.lookback_months' is read by no rule" in result.output


def test_without_the_acknowledgements_check_strict_prints_the_warnings_and_exits_1(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / ACKNOWLEDGED_FILE).unlink()
    result = CliRunner().invoke(app, ["check", "--strict", str(rules), str(ROOT / "policies")])
    assert result.exit_code == 1, result.output
    assert "warning: parameter 'rigid.lookback_months' is read by no rule" in result.output
    assert "warning(s) under --strict" in result.output
    assert CliRunner().invoke(app, ["check", str(rules), str(ROOT / "policies")]).exit_code == 0


def _acknowledged(tmp_path, text):
    path = tmp_path / ACKNOWLEDGED_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_an_acknowledgement_that_matches_no_finding_is_a_finding(tmp_path):
    path = _acknowledged(tmp_path, "acknowledged:\n  - finding: \"gone\"\n    reason: fixed\n")
    kept, done = acknowledge([Finding("a.yaml", 3, "still here")], path)
    assert done == []
    assert {str(f) for f in kept} == {
        "a.yaml:3: warning: still here",
        f"{path}:2: warning: acknowledged finding no longer occurs: 'gone'; remove the entry"}


def test_an_acknowledgement_without_a_reason_is_a_finding_and_excuses_nothing(tmp_path):
    path = _acknowledged(tmp_path, "acknowledged:\n  - finding: \"still here\"\n")
    kept, done = acknowledge([Finding("a.yaml", 3, "still here")], path)
    assert done == [] and len(kept) == 2
    assert any("needs 'finding:'" in f.message and "'reason:'" in f.message for f in kept)


def test_an_acknowledged_finding_carries_its_reason(tmp_path):
    path = _acknowledged(tmp_path, "acknowledged:\n  - findings: [\"x\", \"y\"]\n"
                                   "    reason: kept for the ledger\n")
    kept, done = acknowledge([Finding("a.yaml", 3, "x"), Finding("b.yaml", 1, "y")], path)
    assert kept == []
    assert [str(d) for d in done] == ["a.yaml:3: acknowledged: x (kept for the ledger)",
                                      "b.yaml:1: acknowledged: y (kept for the ledger)"]
