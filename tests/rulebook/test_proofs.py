"""What loading proves, so that no assessment fails on a book that loaded: no division by a
value that can be 0, alternatives for the engine within its cap (counted, never expanded),
and conditions whose depth the compiler can walk."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from aidrules.engine.compiler import MAX_DISJUNCTS
from aidrules.rulebook import check_rulebook
from aidrules.rulebook.proofs import MAX_ALTERNATIVES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rules(tmp_path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", target)
    return target


def add_fact(rules: Path, fact: str) -> None:
    path = rules / "facts" / "household.yaml"
    path.write_text(path.read_text(encoding="utf-8") + fact, encoding="utf-8")


def messages(rules: Path, policies: Path = ROOT / "policies") -> list[str]:
    book, problems = check_rulebook(rules, policies)
    assert (book is None) == bool(problems)
    return [p.message for p in problems]


def test_the_engine_cap_is_the_one_proved_at_load():
    assert MAX_DISJUNCTS == MAX_ALTERNATIVES


@pytest.mark.parametrize("formula", [
    "if count(members where age >= 60) > 0 then monthly_income / count(members where age >= 60)"
    " else 0",
    "if count(members where age >= 60) == 0 then 0 else monthly_income / "
    "count(members where age >= 60)",
    "if not (count(members where age >= 60) <= 0) then monthly_income / "
    "count(members where age >= 60) else 0",
    "monthly_income / (household_size * 2)",
    "monthly_income / dibao.marginal_multiplier",
])
def test_a_guarded_or_never_zero_divisor_loads(rules, formula):
    add_fact(rules, f"\n  - id: shared_out\n    title: 测试\n    formula: {formula}\n")
    assert messages(rules) == []


def test_a_condition_of_the_rule_guards_a_division_in_another(rules):
    path = rules / "dibao" / "eligibility.yaml"
    path.write_text(path.read_text(encoding="utf-8") + """
  - id: dibao.per_elder
    aid: dibao
    title: 测试
    basis: {document: 测试}
    when:
      - count(members where age >= 60) >= 1
      - monthly_income / count(members where age >= 60) < dibao_standard
    overrides: [dibao.household, dibao.grace_period, dibao.single_person,
                dibao.single_person_disabled_adult, dibao.tiers]
""", encoding="utf-8")
    assert messages(rules) == []


def test_a_division_by_a_parameter_that_is_0_somewhere_is_a_load_problem(rules, tmp_path):
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    ratio = next(policies.rglob("marginal_multiplier.yaml"))
    text = ratio.read_text(encoding="utf-8")
    ratio.write_text(text.replace("value: ", "value: 0 #", 1), encoding="utf-8")
    add_fact(rules, "\n  - id: shared_out\n    title: 测试\n"
                    "    formula: monthly_income / dibao.marginal_multiplier\n")
    found = messages(rules, policies)
    assert len(found) == 1, found
    assert found[0].startswith("division by the parameter 'dibao.marginal_multiplier', whose "
                               "value is 0 in national from ")


def test_nested_minimums_are_refused_at_once_not_expanded(rules):
    nested = "dibao_standard"
    for i in range(12):
        nested = f"min({i}, {nested})"
    path = rules / "dibao" / "eligibility.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("test: per_capita_income < dibao_standard",
                                 f"test: per_capita_income < {nested}"), encoding="utf-8")
    started = time.process_time()
    found = messages(rules)
    assert time.process_time() - started < 5
    assert found == [f"rule 'dibao.household' splits into more than {MAX_ALTERNATIVES} "
                     "alternatives for the engine (each if, min or max inside a comparison "
                     "doubles them)"]


def test_a_long_chain_of_facts_is_refused_before_the_compiler_walks_it(rules):
    chain = "".join(f"\n  - id: step_{i}\n    title: 第{i}步\n    formula: "
                    f"{'monthly_income' if i == 0 else f'step_{i - 1}'} + 1\n"
                    for i in range(100))
    add_fact(rules, chain)
    path = rules / "dibao" / "eligibility.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("test: per_capita_income < dibao_standard",
                                 "test: step_99 < dibao_standard"), encoding="utf-8")
    found = messages(rules)
    assert len(found) == 1, found
    assert found[0].startswith("this condition is nested too deeply once the derived facts "
                               "it reads are written out (depth 20")


def test_an_emptied_rule_file_is_a_load_problem_not_a_disagreement_when_assessing(
        rules, monkeypatch):
    """Emptying tekun's rules once loaded, and then every assessment failed: the engine
    waited for tekun's status in the exclusive group while the evaluator went on."""
    (rules / "tekun" / "eligibility.yaml").write_text("# 暂无规则\n", encoding="utf-8")
    monkeypatch.chdir(rules.parent)
    book, problems = check_rulebook("rules", ROOT / "policies")
    assert book is None
    assert [str(p) for p in problems] == [
        "rules/book.yaml:8:10: aid type 'tekun' has no rule that concludes it; expected a rule "
        "with 'aid: tekun' in a rule file, or no 'tekun' in book.yaml",
        "rules/tekun/eligibility.yaml:1:1: the file is empty; expected 'facts:' and/or 'rules:'"]
