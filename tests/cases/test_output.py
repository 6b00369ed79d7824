"""The failure output of the pytest plugin and of `aidrules replay` is pinned: it must stay
readable for the policy officer who wrote the case."""

# ruff: noqa: E501 (the pinned output is compared line for line, as printed)

import re
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from aidrules.cli import app

ROOT = Path(__file__).resolve().parents[2]
WRONG = ROOT / "tests" / "cases" / "fixtures" / "wrong.yaml"

DIFFERENCE = """\
cases/wrong.yaml:30: at the standard, recorded as dibao
  assessed on 2025-03-01 in heilongjiang/yichun/tieli
  dibao: status expected eligible, got ineligible
    rule dibao.household: false — Monthly income per member below the local standard, and assets within the rules
      ✗ per_capita_income < dibao_standard: 710 vs 710 (margin 0) — Income per member below the standard
    rule dibao.grace_period: false — A dibao household whose income rose above the standard through work keeps its payment during the grace period
      ✗ in_grace_period — Now a dibao household, income rose through work, within the grace period
      ? dibao_paid_amount > 0; missing $.household.dibao_monthly_amount — The dibao amount now paid
    rule dibao.tiers: false — Payment by tiers - income per member below the standard, paid at the tier the county assigned
      ✗ dibao.payment_method == "tiers": gap vs tiers — Paid by tiers
      ✗ dibao_standard > per_capita_income: 710 vs 710 (margin 0) — Income per member below the standard
      ? dibao_tier >= 1; missing $.household.dibao_tier — A tier has been assigned
    rule dibao.single_person: false for every member (0, 1) — A severely disabled or seriously ill member of a marginal family is enrolled alone
    rule dibao.single_person_disabled_adult: false for every member (0, 1) — An unemployed severely disabled adult may be enrolled alone
    rule dibao.single_person_religious: false for every member (0, 1) — A member of the clergy who has left the family and lived at a religious venue for three years or more, in hardship, applies alone
  dibao: amount expected 20.00, got none
  dibao: rule dibao.household expected true, got false
  rule book VERSION"""


def _pinned(text: str) -> str:
    return re.sub(r"rule book \S+ \(\w+\), policies \w+", "rule book VERSION", text)


def _county(tmp_path: Path) -> Path:
    (tmp_path / "cases").mkdir()
    shutil.copy(WRONG, tmp_path / "cases" / "wrong.yaml")
    (tmp_path / "pytest.ini").write_text(
        f"[pytest]\naidrules_rules = {ROOT / 'rules'}\naidrules_policies = {ROOT / 'policies'}\n",
        encoding="utf-8")
    return tmp_path


def test_a_failing_case_prints_file_case_and_difference_without_a_traceback(tmp_path):
    county = _county(tmp_path)
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
                          cwd=county, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    section = done.stdout.split("_ case: at the standard, recorded as dibao _")[1]
    section = section.split("\n", 1)[1].split("\n=====")[0]
    assert _pinned(section.strip()) == DIFFERENCE
    assert "Traceback" not in done.stdout and "aidrules/" not in section
    assert "FAILED cases/wrong.yaml::at the standard, recorded as dibao" in done.stdout
    assert "1 failed, 1 passed" in done.stdout


def test_the_plugin_names_items_by_file_and_title(tmp_path):
    county = _county(tmp_path)
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           "--collect-only", "-q"], cwd=county, capture_output=True,
                          text=True, timeout=300)
    assert done.stdout.splitlines()[:2] == [
        "cases/wrong.yaml::at the standard, recorded correctly",
        "cases/wrong.yaml::at the standard, recorded as dibao"]


def test_replay_prints_the_agreement_then_every_difference_and_exits_1(tmp_path, monkeypatch):
    county = _county(tmp_path)
    monkeypatch.chdir(county)
    result = CliRunner().invoke(app, ["replay", "cases/wrong.yaml", "--rules",
                                      str(ROOT / "rules"), "--policies", str(ROOT / "policies")])
    assert result.exit_code == 1
    table, rest = result.output.split("\nDifferences (1 case(s)):\n")
    assert re.search(r"│ dibao +│ +1 │ +1 │ +0 │", table)
    assert re.search(r"│ dibao_marginal +│ +2 │ +0 │ +0 │", table)
    assert _pinned(rest.strip()) == DIFFERENCE + \
        "\n2 case(s): 1 agreed, 1 with differences, 0 not assessed."


def test_a_case_file_with_mistakes_is_a_collection_error_listing_each_at_its_place(tmp_path):
    county = _county(tmp_path)
    (county / "cases" / "wrong.yaml").write_text(
        WRONG.read_text(encoding="utf-8").replace("dibao_marginal: eligible\n\n",
                                                  "dibao_marginl: eligible\n\n")
        .replace("status: eligible\n", "status: elegible\n"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
                          cwd=county, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr
    section = done.stdout.split(" ERROR collecting cases/wrong.yaml _")[1].split("\n", 1)[1]
    assert section.split("\n=====")[0].strip() == """\
2 problem(s) in the case file:
  cases/wrong.yaml:28:7: unknown key 'dibao_marginl' in 'expect' (not an aid type of the rule book); expected one of dibao, tekun, dibao_marginal, rigid_expenditure, temporary_assistance, medical_aid, education_aid, employment_aid, housing_aid, elderly_care, hardship_aid, risk_level, referrals; did you mean 'dibao_marginal'?
  cases/wrong.yaml:34:17: unknown status 'elegible'; expected eligible, ineligible, undetermined; did you mean 'eligible'?"""
    assert "Traceback" not in done.stdout


def test_another_projects_yaml_under_cases_is_left_alone(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "fixture.yaml").write_text("foo: bar\n", encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 5, done.stdout + done.stderr  # 5: no tests collected


# ---- inline examples in rule files --------------------------------------------------

WRONG_BOOK = ROOT / "tests" / "cases" / "fixtures" / "wrong-book"
EXAMPLE_DIFFERENCE = """\
rules/dibao/eligibility.yaml:37: dibao.household: at the standard, recorded as eligible
  assessed on 2025-03-01 in heilongjiang/yichun/tieli
  dibao: status expected eligible, got ineligible
    rule dibao.household: false — Monthly income per member below the local standard
      ✗ per_capita_income < dibao_standard: 710 vs 710 (margin 0) — Income per member below the standard
  dibao: amount expected 1.00, got none
  dibao: rule dibao.household expected true, got false
  rule book VERSION"""


def _county_with_book(tmp_path: Path) -> Path:
    """A county repository whose own rules/ is the fixture book with a wrong example."""
    shutil.copytree(WRONG_BOOK, tmp_path / "rules")
    (tmp_path / "pytest.ini").write_text(
        f"[pytest]\naidrules_policies = {ROOT / 'policies'}\n", encoding="utf-8")
    return tmp_path


def _pytest(county: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
                          cwd=county, capture_output=True, text=True, timeout=300)


def test_inline_examples_are_items_named_by_file_rule_and_title(tmp_path):
    done = _pytest(_county_with_book(tmp_path), "--collect-only")
    assert done.stdout.splitlines()[:2] == [
        "rules/dibao/eligibility.yaml::dibao.household::one fen below the standard",
        "rules/dibao/eligibility.yaml::dibao.household::at the standard, recorded as eligible"]


def test_a_failing_inline_example_prints_the_same_difference_without_a_traceback(tmp_path):
    done = _pytest(_county_with_book(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    section = done.stdout.split(
        "_ case: dibao.household: at the standard, recorded as eligible _")[1]
    section = section.split("\n", 1)[1].split("\n=====")[0]
    assert _pinned(section.strip()) == EXAMPLE_DIFFERENCE
    assert "Traceback" not in done.stdout and "aidrules/" not in section
    assert ("FAILED rules/dibao/eligibility.yaml::dibao.household::at the standard, "
            "recorded as eligible") in done.stdout
    assert "1 failed, 1 passed" in done.stdout


def test_one_inline_example_runs_alone_by_its_name(tmp_path):
    done = _pytest(_county_with_book(tmp_path),
                   "rules/dibao/eligibility.yaml::dibao.household::one fen below the standard")
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr


def test_a_rule_book_that_does_not_load_is_one_collection_error_at_its_book_yaml(tmp_path):
    county = _county_with_book(tmp_path)
    rule_file = county / "rules" / "dibao" / "eligibility.yaml"
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace(
        "test: per_capita_income <", "test: per_capita_incom <"), encoding="utf-8")
    done = _pytest(county)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout.count("ERROR collecting") == 1
    section = done.stdout.split(" ERROR collecting rules/book.yaml _")[1].split("\n", 1)[1]
    assert section.split("\n=====")[0].strip().splitlines()[1:] == [
        f"  {rule_file}:22:15: unknown fact 'per_capita_incom'; did you mean "
        "'per_capita_income'?"]


def test_replay_of_a_rules_directory_replays_its_inline_examples(tmp_path, monkeypatch):
    _county_with_book(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["replay", "rules", "--rules", "rules", "--policies",
                                      str(ROOT / "policies")])
    assert result.exit_code == 1
    table, rest = result.output.split("\nDifferences (1 case(s)):\n")
    assert re.search(r"│ dibao +│ +1 │ +1 │ +0 │", table)
    assert _pinned(rest.strip()) == EXAMPLE_DIFFERENCE + \
        "\n2 case(s): 1 agreed, 1 with differences, 0 not assessed."
