"""The article-by-article coverage table (docs/coverage.md): every criterion-defining article
of the national texts is cited by a rule or parameter, or listed as not encoded with a reason;
the page is generated and current."""

import shutil
from pathlib import Path

import pytest

from aidrules.rulebook import load_rulebook
from aidrules.rulebook.coverage import (
    COVERAGE_FILE,
    article_refs,
    coverage_markdown,
    coverage_problems,
    read_coverage,
    uncited_rules,
)

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "rules" / COVERAGE_FILE


def _shipped():
    documents, defects = read_coverage(FILE)
    assert defects == []
    return load_rulebook(ROOT / "rules", ROOT / "policies"), documents


@pytest.mark.parametrize("text, refs", [
    ("第四条至第九条、第二十条", [(4,), (5,), (6,), (7,), (8,), (9,), (20,)]),
    ("第十二条第二款", [(12,)]),
    ("一（三）", [(1, 3)]),
    ("二（一）至（三）", [(2, 1), (2, 2), (2, 3)]),
    ("二（一）、（二）", [(2, 1), (2, 2)]),
    ("四（二）1", [(4, 2, 1)]),
    ("三", [(3,)]),
])
def test_citations_name_articles_and_sections(text, refs):
    assert article_refs(text) == refs


def test_every_listed_article_is_encoded_or_explained():
    book, documents = _shipped()
    assert coverage_problems(book, documents, str(FILE)) == []


def test_every_rule_cites_a_listed_national_text_or_says_it_is_a_local_design():
    book, documents = _shipped()
    assert uncited_rules(book, documents) == []


def test_the_committed_coverage_page_is_current():
    book, documents = _shipped()
    assert (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8") == \
        coverage_markdown(book, documents), \
        "docs/coverage.md is stale: run 'aidrules document' and commit the result"


def _book_without(tmp_path, path, old, new):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    file = rules / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_rulebook(rules, ROOT / "policies"), rules


def test_an_article_whose_only_rule_loses_it_from_its_basis_is_reported(tmp_path):
    book, rules = _book_without(tmp_path, Path("dibao") / "eligibility.yaml",
                                "第三十四条；社会救助暂行办法第九条、第四十五条",
                                "第三十四条；社会救助暂行办法第九条")
    documents, _ = read_coverage(rules / COVERAGE_FILE)
    problems = coverage_problems(book, documents, "coverage.yaml")
    assert len(problems) == 1
    assert "社会救助暂行办法 第四十五条 is cited by no rule or parameter" in problems[0]


def test_an_article_entry_that_goes_missing_is_reported(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    text = (rules / COVERAGE_FILE).read_text(encoding="utf-8")
    old = "      - article: 第九条\n        topic: 情形复杂的"
    assert old in text
    (rules / COVERAGE_FILE).write_text(text.replace(old, "      - topic: 情形复杂的"),
                                       encoding="utf-8")
    documents, defects = read_coverage(rules / COVERAGE_FILE)
    assert len(defects) == 1 and "an article needs 'article:'" in defects[0]


def test_an_article_marked_not_encoded_that_a_rule_cites_is_reported(tmp_path):
    book, documents = _shipped()
    text = FILE.read_text(encoding="utf-8").replace(
        "      - article: 第七条\n        topic: 共同生活的家庭成员及不计入的人员 / "
        "co-residing members and who is left out\n",
        "      - article: 第七条\n        topic: members\n        not_encoded: nobody does\n")
    (tmp_path / COVERAGE_FILE).write_text(text, encoding="utf-8")
    documents, _ = read_coverage(tmp_path / COVERAGE_FILE)
    problems = coverage_problems(book, documents, "coverage.yaml")
    assert len(problems) == 1 and "marked not encoded but rule `dibao.household`" in problems[0]
