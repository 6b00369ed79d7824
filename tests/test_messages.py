"""Problems in Chinese for policy officers, chosen by --lang or the locale, with the English
kept: every pinned problem of a broken rule or policy file has a Chinese text, and a problem
without one is shown whole in English."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from aidrules.errors import FieldProblem, Problem
from aidrules.messages import language, render, translated

ROOT = Path(__file__).resolve().parents[1]
_LOCATION = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rest>.*)$", re.S)
_HINT = re.compile(r"; did you mean '(.*)'\?$")


def pinned_problems() -> list[Problem]:
    """The problems pinned by the broken-file tests, rebuilt from their text."""
    lines = [line for f in sorted((ROOT / "tests/policy/broken").glob("*/expected.txt"))
             for line in f.read_text(encoding="utf-8").splitlines()]
    lines += [line for f in sorted((ROOT / "tests/rulebook/broken").glob("*.yaml"))
              for line in YAML(typ="safe").load(f.read_text(encoding="utf-8"))["expected"]]
    return [_problem(line) for line in lines]


def _problem(line: str) -> Problem:
    found = _LOCATION.match(line)
    rest, suggestion = found["rest"], None
    if hint := _HINT.search(rest):
        rest, suggestion = rest[: hint.start()], hint[1]
    message, _, expected = rest.partition("; expected ")
    return Problem(found["file"], int(found["line"]), int(found["col"]), message,
                   expected or None, suggestion)


@pytest.mark.parametrize("problem", pinned_problems(), ids=lambda p: p.message[:50])
def test_every_pinned_problem_has_a_chinese_text_that_keeps_its_place(problem):
    assert translated(problem.message)
    text = render(problem, "zh")
    assert text.startswith(f"{problem.file}:{problem.line}:{problem.col}: ")
    assert re.search(r"[\u4e00-\u9fff]", text)
    if problem.suggestion:
        assert text.endswith(f"；是否应为“{problem.suggestion}”？")


def test_the_english_is_kept_and_is_the_default():
    problem = Problem("rules/x.yaml", 3, 7, "unknown fact 'incom'", suggestion="income")
    assert render(problem) == str(problem) == render(problem, "en")
    assert render(problem, "zh") == "rules/x.yaml:3:7: 未知的事实“incom”；是否应为“income”？"


def test_a_problem_with_no_chinese_text_yet_is_shown_whole_in_english():
    problem = Problem("rules/x.yaml", 1, 1, "a problem added yesterday", "something", "other")
    assert not translated(problem.message)
    assert render(problem, "zh") == str(problem)


def test_a_bad_field_is_translated_with_its_path_and_did_you_mean():
    problem = FieldProblem("$.area", "must be one of urban, rural, got 'urbn'; did you mean "
                           "'urban'?")
    assert render(problem, "zh") == ("$.area: 应为以下之一：urban, rural，实际为 'urbn'；"
                                     "是否应为“urban”？")


@pytest.mark.parametrize(("flag", "environ", "expected"), [
    (None, {}, "en"),
    (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
    (None, {"LANG": "en_US.UTF-8"}, "en"),
    (None, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    (None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
    ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
    ("zh", {}, "zh"),
])
def test_the_flag_wins_then_the_locale(flag, environ, expected):
    assert language(flag, environ) == expected


def _broken_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "dibao" / "eligibility.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "test: per_capita_income < dibao_standard", "test: per_capita_income ≤ dibao_standard"),
        encoding="utf-8")
    return rules


def test_check_speaks_chinese_with_lang_zh(run, tmp_path, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    rules = _broken_rules(tmp_path)
    result = run("check", rules, ROOT / "policies", "--lang", "zh")
    assert result.exit_code == 1
    assert "11:33: 无法读取表达式：此处不应出现字符 '≤'" in result.output
    assert "是否应为“<=”？" in result.output
    english = run("check", rules, ROOT / "policies")
    assert "11:33: cannot read the expression: unexpected character '≤'" in english.output


def test_check_speaks_chinese_under_a_chinese_locale(run, tmp_path, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = run("check", _broken_rules(tmp_path), ROOT / "policies")
    assert result.exit_code == 1
    assert "无法读取表达式" in result.output


def test_validate_speaks_chinese_with_lang_zh(run):
    bad = ROOT / "tests" / "model" / "bad" / "amount-below-fen.yaml"
    result = run("validate", bad, "--lang", "zh")
    assert result.exit_code == 1
    assert "金额应精确到分（最多两位小数），实际为 '1200.005'" in result.output


@pytest.mark.parametrize("message", [
    "must be a name of at most 64 characters, got 65",
    "must not hold the hidden character U+202E (right-to-left override)",
    "must list at most 1000 entries, got 1001",
    "must count at least one member as living in the household (every member is away or not "
    "co-residing)",
    "must be a date no later than 2027-12-02 (a year ahead of today), got 9999-12-31",
    "gives a birth date of 1890-01-01: 135 years old on 2025-03-01, older than 130",
])
def test_the_new_application_checks_have_chinese_texts(message):
    assert translated(message)
    assert re.search(r"[\u4e00-\u9fff]", render(FieldProblem("$.x", message), "zh"))
