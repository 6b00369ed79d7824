"""Mutated rule books never crash 'aidrules check': expressions of the shipped rule files
with characters deleted, inserted or replaced (Unicode operators, full-width brackets, CJK,
quotes, YAML's own characters), and files with lines deleted, repeated, re-indented or cut,
come back as file:line:col problems and exit 1 (or still load, exit 0), never a traceback,
on the lark version installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aidrules.cli import app
from aidrules.fuzzing import (
    expression_sites,
    mutate_line,
    mutate_structure,
    output_is_placed,
    problems_are_placed,
)
from aidrules.rulebook import check_rulebook

ROOT = Path(__file__).resolve().parents[2]
# Each example checks the whole book (half a second to a second): 45 examples in all, for CI.
FUZZ = settings(max_examples=15, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "rules"
    shutil.copytree(ROOT / "rules", target, ignore=shutil.ignore_patterns("cases"))
    return target


def _mutated(path: Path, text: str):
    original = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    return original


@FUZZ
@given(rng=st.randoms(use_true_random=False), pick=st.integers(0, 10**6))
def test_a_mutated_expression_is_a_placed_problem_never_a_traceback(rules, rng, pick):
    sites = expression_sites(rules)
    path, index = sites[pick % len(sites)]
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[index] = mutate_line(lines[index], rng)
    original = _mutated(path, "\n".join(lines) + "\n")
    try:
        result = CliRunner().invoke(app, ["check", str(rules), str(ROOT / "policies")])
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.output
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert output_is_placed(result.output.splitlines()), result.output


@FUZZ
@given(rng=st.randoms(use_true_random=False), pick=st.integers(0, 10**6))
def test_a_rule_file_with_a_line_broken_is_placed_problems_or_a_book(rules, rng, pick):
    files = sorted(p for p in rules.rglob("*.yaml"))
    path = files[pick % len(files)]
    original = _mutated(path, mutate_structure(path.read_text(encoding="utf-8"), rng))
    try:
        book, problems = check_rulebook(rules, ROOT / "policies")
    finally:
        path.write_text(original, encoding="utf-8")
    assert (book is None) == bool(problems)
    assert problems_are_placed(problems)


SLIPS = "≤≥≠＝＜＞（）【】，、×÷“”家庭收入人均"


def _between_tokens(text: str) -> list[int]:
    """Indexes of ``text`` where a token starts after a space, outside quoted texts (a slip
    typed inside a word makes the word itself the first mistake)."""
    inside, found = None, []
    for i, char in enumerate(text):
        if inside is None and char not in "\"'" and (i == 0 or text[i - 1] == " "):
            found.append(i)
        if char in "\"'":
            inside = None if inside == char else (char if inside is None else inside)
    return found + [len(text)]


@FUZZ
@given(slip=st.sampled_from(SLIPS), pick=st.integers(0, 10**6), where=st.integers(0, 10**6))
def test_a_typed_slip_is_a_problem_at_its_own_line_and_column(rules, slip, pick, where):
    """A Unicode operator, a full-width bracket or a Chinese character typed into any
    expression: exit 1, and a problem points at the very character."""
    sites = [(p, i) for p, i in expression_sites(rules)
             if p.read_text(encoding="utf-8").splitlines()[i].split(": ", 1)[1][0] not in "\"'"]
    path, index = sites[pick % len(sites)]
    lines = path.read_text(encoding="utf-8").splitlines()
    head, text = lines[index].split(": ", 1)
    places = _between_tokens(text)
    at = places[where % len(places)]
    lines[index] = f"{head}: {text[:at]}{slip}{text[at:]}"
    original = _mutated(path, "\n".join(lines) + "\n")
    try:
        result = CliRunner().invoke(app, ["check", str(rules), str(ROOT / "policies")])
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.exit_code == 1, result.output
    assert output_is_placed(result.output.splitlines()), result.output
    column = len(head) + 2 + at + 1
    assert f"{path}:{index + 1}:{column}: cannot read the expression" in result.output, \
        (lines[index], result.output)
