"""Every kind of mistake in a rule file is reported with file:line:col, and nothing loads."""

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from aidrules.rulebook import check_rulebook

ROOT = Path(__file__).parents[2]
BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.stem for p in BROKEN.glob("*.yaml"))
_LOCATION = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.*)$", re.S)


def case(name: str) -> dict:
    return YAML(typ="safe").load((BROKEN / f"{name}.yaml").read_text(encoding="utf-8"))


def broken_book(tmp_path: Path, spec: dict) -> Path:
    """A copy of the shipped rules/ in ``tmp_path`` with the one defect of ``spec``."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / spec["file"]
    text = path.read_text(encoding="utf-8")
    if "append" in spec:
        text += textwrap.indent(spec["append"], "  ")  # items of the file's top-level list
    else:
        assert text.count(spec["replace"]) == 1, f"{spec['replace']!r} must occur once"
        text = text.replace(spec["replace"], spec["with"])
    path.write_text(text, encoding="utf-8")
    return rules


def problems_of(tmp_path, monkeypatch, name: str) -> tuple[object, list[str], dict]:
    spec = case(name)
    broken_book(tmp_path, spec)
    monkeypatch.chdir(tmp_path)  # so problems name rules/... as a policy officer sees it
    book, problems = check_rulebook("rules", ROOT / "policies")
    return book, [str(p) for p in problems], spec


def _pinned(name: str):
    bug = case(name).get("known_bug")
    return pytest.param(name, marks=pytest.mark.xfail(reason=bug, strict=True) if bug else ())


def test_the_shipped_rule_book_loads_without_problems():
    book, problems = check_rulebook(ROOT / "rules", ROOT / "policies")
    assert problems == []
    assert book is not None


@pytest.mark.parametrize("name", [_pinned(n) for n in CASES])
def test_each_mistake_is_reported_with_its_pinned_message(tmp_path, monkeypatch, name):
    book, problems, spec = problems_of(tmp_path, monkeypatch, name)
    assert book is None
    assert problems == spec["expected"]


@pytest.mark.parametrize("name", CASES)
def test_each_mistake_names_its_file_line_and_what_is_wrong(tmp_path, monkeypatch, name):
    """Holds even for the known bugs: the same file, line and message, once each."""
    book, problems, spec = problems_of(tmp_path, monkeypatch, name)
    assert book is None

    def without_column(text: str) -> tuple[str, str, str]:
        found = _LOCATION.match(text)
        assert found, f"{text!r} does not start with file:line:col"
        return found["file"], found["line"], found["message"]

    assert sorted({without_column(p) for p in problems}) == sorted(
        without_column(p) for p in spec["expected"])


def test_several_mistakes_in_several_files_are_all_reported_in_one_pass(tmp_path, monkeypatch):
    names = ["unknown_fact", "unknown_aid", "bad_text_value", "no_legal_basis"]
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for name in names:  # unknown_aid and no_legal_basis change one file in two places
        spec = case(name)
        path = rules / spec["file"]
        path.write_text(path.read_text(encoding="utf-8").replace(spec["replace"], spec["with"]),
                        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    book, problems = check_rulebook("rules", ROOT / "policies")
    assert book is None
    expected = [line for name in names for line in case(name)["expected"]]
    assert sorted(str(p) for p in problems) == sorted(expected)


def test_one_bad_policy_value_is_one_problem_not_one_per_rule_reading_it(tmp_path):
    """Rules are checked against the parameters declared well, even when a value is wrong."""
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    urban = policies / "heilongjiang" / "dibao" / "standard" / "urban.yaml"
    urban.write_text(urban.read_text(encoding="utf-8").replace("value: 573", 'value: "7x0"', 1),
                     encoding="utf-8")
    book, problems = check_rulebook(ROOT / "rules", policies)
    assert book is None
    assert [p.message for p in problems] == ["value='7x0' is not an amount of money"]
