"""Every kind of mistake in a policy tree is reported with file:line:col, all at once."""

import shutil
from pathlib import Path

import pytest

from aidrules.errors import RuleBookError
from aidrules.policy import PolicyTree

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def expected(case: str) -> list[str]:
    return (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", CASES)
def test_each_mistake_is_reported_with_its_pinned_message(case):
    tree, problems = PolicyTree.check(BROKEN / case / "policies")
    assert tree is None
    assert [str(p) for p in problems] == expected(case)


@pytest.mark.parametrize("case", CASES)
def test_load_raises_the_same_problems(case):
    with pytest.raises(RuleBookError) as info:
        PolicyTree.load(BROKEN / case / "policies")
    assert [str(p) for p in info.value.problems] == expected(case)


def test_there_is_a_case_for_each_kind_of_mistake():
    assert len(CASES) >= 50
    assert all(expected(case) for case in CASES)


def test_several_broken_files_are_all_reported_in_one_pass_and_nothing_loads(tmp_path):
    """Files from five cases, merged into one tree, give exactly the five cases' problems."""
    merged = ["unknown_unit", "missing_basis", "money_too_many_decimals", "loose_date",
              "unit_differs_from_layer_above"]
    root = tmp_path / "policies"
    for case in merged:
        for path in (BROKEN / case / "policies").rglob("*"):
            if path.is_file():
                target = root / path.relative_to(BROKEN / case / "policies")
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.name == "x.yaml":
                    target = target.with_name(f"{case}.yaml")
                shutil.copy(path, target)
    tree, problems = PolicyTree.check(root)
    assert tree is None
    assert {str(p).split(":", 1)[0] for p in problems} == {
        f"policies/{layer}/dibao/{case}.yaml" for case, layer in [
            ("unknown_unit", "national"), ("missing_basis", "national"),
            ("money_too_many_decimals", "national"), ("loose_date", "national"),
            ("unit_differs_from_layer_above", "heilongjiang")]}
    assert len(problems) == 5
    with pytest.raises(RuleBookError) as info:
        PolicyTree.load(root)
    assert len(info.value.problems) == 5 and "5 problem(s)" in str(info.value)


def test_a_missing_directory_is_a_problem_not_a_crash(tmp_path):
    tree, problems = PolicyTree.check(tmp_path / "nowhere")
    assert tree is None
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'nowhere'}:1:1: the policy directory does not exist; "
        "expected a directory holding national/ and the jurisdictions"]
