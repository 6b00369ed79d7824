"""A construct the executor cannot compile yet is refused when the book is compiled,
naming the rule or fact and the construct, never silently computed otherwise."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from aidrules.columnar import NotCompiled, compile_screening
from aidrules.rulebook import load_rulebook

SEMANTICS = Path(__file__).resolve().parent / "semantics"


def book_with(tmp_path, text: str):
    shutil.copytree(SEMANTICS, tmp_path / "book")
    (tmp_path / "book" / "rules" / "extra.yaml").write_text(text, encoding="utf-8")
    return load_rulebook(tmp_path / "book" / "rules", tmp_path / "book" / "policies")


def test_a_sum_of_shares_with_varying_denominators_is_refused(tmp_path):
    book = book_with(tmp_path, """facts:
  - id: shares_total
    title: t
    title_en: t
    formula: sum(members, if age > 0 then first_income / age else 0)
""")
    with pytest.raises(NotCompiled, match=r"extra.yaml:2: fact 'shares_total': cannot compile "
                                          r"sum\(\.\.\.\) of a value whose denominator varies"):
        compile_screening(book, book.policies.at("national", date(2025, 3, 1)))


def test_an_aggregate_inside_an_aggregate_is_refused(tmp_path):
    book = book_with(tmp_path, """facts:
  - id: incomes_counted
    title: t
    title_en: t
    formula: sum(members, count(incomes))
""")
    with pytest.raises(NotCompiled, match=r"fact 'incomes_counted': cannot compile count\(\.\.\.\) "
                                          r"over a list inside another list's aggregate"):
        compile_screening(book, book.policies.at("national", date(2025, 3, 1)))


@pytest.mark.parametrize("on", [date(2023, 6, 1), date(2025, 3, 1), date(2026, 1, 1)])
def test_the_shipped_book_compiles_whole_in_every_jurisdiction(book, on):
    """Nothing of the shipped book is refused: every household can be screened in columns
    (a refusal here names the rule and construct to compile next)."""
    for jurisdiction in book.policies.jurisdictions():
        if jurisdiction != "national":
            assert compile_screening(book, book.policies.at(jurisdiction, on)).sql
