"""docs/rulebook.md is generated from the rule and policy files and is current."""

from pathlib import Path

from aidrules.rulebook import load_rulebook
from aidrules.rulebook.document import rulebook_markdown

ROOT = Path(__file__).parents[2]
PAGE = ROOT / "docs" / "rulebook.md"


def _generated() -> str:
    return rulebook_markdown(load_rulebook(ROOT / "rules", ROOT / "policies"), ROOT)


def test_the_committed_rulebook_page_is_current():
    assert PAGE.read_text(encoding="utf-8") == _generated(), \
        "docs/rulebook.md is stale: run 'aidrules document' and commit the result"


def test_the_page_names_every_rule_its_basis_and_every_parameter():
    book = load_rulebook(ROOT / "rules", ROOT / "policies")
    text = _generated()
    for rule in book.rules:
        assert f"`{rule.id}`" in text and str(rule.basis) in text, rule.id
    for name in book.policies.parameters():
        assert f"#### `{name}`" in text, name
    assert text.count("#### `") == len(book.policies.parameters())  # each listed once


def test_assumed_values_are_marked_on_the_page():
    book = load_rulebook(ROOT / "rules", ROOT / "policies")
    text = _generated()
    assert text.count("**假定 / assumed**") == len(book.policies.assumed())
