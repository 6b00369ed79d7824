"""Every kind of syntax error is a problem with its place, what was expected and, where the
slip is a known one, what to write; none escapes as lark's own exception or a
RecursionError, whatever the lark release."""

from __future__ import annotations

import time

import pytest

from aidrules.language import parse
from aidrules.language.parser import MAX_DEPTH, ExpressionSyntaxError


def problem(text: str, **kwargs):
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(text, file="r.yaml", line=5, col=10, **kwargs)
    return caught.value.problem


@pytest.mark.parametrize(("text", "col", "found", "suggestion"), [
    ('area = "urban"', 15, "unexpected character '='", "=="),
    ("a ≤ b", 12, "unexpected character '≤'", "<="),
    ("a ≥ b", 12, "unexpected character '≥'", ">="),
    ("a ≠ b", 12, "unexpected character '≠'", "!="),
    ("min（a, b)", 13, "unexpected character '（'", "("),
    ("min(a，b)", 15, "unexpected character '，'", ","),
    ("a < 3 && b", 16, "unexpected character '&'", "and"),
    ("a => b", 12, "unexpected character '='", ">="),
])
def test_a_slip_is_named_with_what_to_write(text, col, found, suggestion):
    found_problem = problem(text)
    assert (found_problem.line, found_problem.col) == (5, col)
    assert found_problem.message == f"cannot read the expression: {found}"
    assert found_problem.suggestion == suggestion
    assert found_problem.expected


def test_a_chinese_name_gets_the_fact_whose_title_it_matches():
    found = problem("人均收入 < 700", glossary={"家庭月人均收入": "per_capita_income",
                                             "家庭月收入": "monthly_income"})
    assert (found.line, found.col, found.suggestion) == (5, 10, "per_capita_income")
    assert found.message.startswith("cannot read the expression: '人均收入' is not a name")


@pytest.mark.parametrize(("text", "message", "col"), [
    ("a ==", "the expression ends too early", 14),
    ("(a", "the expression ends too early", 12),
    ('area == "urban', "a text with no closing quote", 18),
    ("a == == 0", "unexpected '=='", 15),
    ("x < 3 )", "unexpected ')'", 16),
])
def test_each_kind_of_mistake_is_placed(text, message, col):
    found = problem(text)
    assert (found.line, found.col, found.message) == (5, col,
                                                     f"cannot read the expression: {message}")


def test_a_mistake_on_a_later_line_of_the_expression_counts_columns_from_that_line():
    found = problem("a <\n  b ≥ c")
    assert (found.line, found.col) == (6, 5)


def test_a_700_term_sum_is_refused_at_once_not_a_recursion_error():
    started = time.process_time()
    found = problem(" + ".join(["income"] * 700))
    assert time.process_time() - started < 2
    assert found.message.startswith("the expression is too long or nested too deeply")


@pytest.mark.parametrize("text", [
    "-" * (MAX_DEPTH + 5) + "a",
    "min(" * (MAX_DEPTH + 5) + "a" + ", b)" * (MAX_DEPTH + 5),
])
def test_deep_nesting_is_refused(text):
    assert "nested too deeply" in problem(text).message


def test_brackets_alone_do_not_nest_the_tree():
    assert parse("(" * 200 + "a" + ")" * 200) == parse("a")
