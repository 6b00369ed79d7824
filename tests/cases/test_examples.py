"""Inline examples: a rule may carry `examples:`, cases in the format of a case file, read
by the same reader and placed at their lines in the rule file. The rule book keeps them
as written and does not read them."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from aidrules.cases import AidExpectation, read_examples, run_case
from aidrules.rulebook import check_rulebook

ROOT = Path(__file__).resolve().parents[2]
WRONG_BOOK = ROOT / "tests" / "cases" / "fixtures" / "wrong-book"
RULE_FILE = "rules/dibao/eligibility.yaml"


def _book(tmp_path, monkeypatch, *edits: tuple[str, str], book_yaml: str = ""):
    """The fixture book in ``tmp_path/rules`` with each (old, new) edit made once to its
    rule file; problems name ``rules/...`` as a policy officer sees it."""
    shutil.copytree(WRONG_BOOK, tmp_path / "rules")
    path = tmp_path / RULE_FILE
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    with (tmp_path / "rules" / "book.yaml").open("a", encoding="utf-8") as book:
        book.write(book_yaml)
    monkeypatch.chdir(tmp_path)
    book, problems = check_rulebook("rules", ROOT / "policies")
    return book, [str(p) for p in problems]


def _examples(book, rule_id="dibao.household"):
    return read_examples(book.rule(rule_id), book)


def test_the_shipped_household_rule_has_examples_and_they_agree(assessor):
    cases, problems = _examples(assessor.book)
    assert problems == [] and len(cases) >= 2
    outcomes = [run_case(assessor, c) for c in cases]
    assert [o.report() for o in outcomes if not o.agreed] == []


def test_expect_written_without_an_aid_type_is_about_the_rules_own_aid_type(tmp_path,
                                                                            monkeypatch):
    book, problems = _book(tmp_path, monkeypatch)
    assert problems == []
    (below, at), wrong = _examples(book)
    assert wrong == []
    assert below.aids == (AidExpectation("dibao", "eligible"),)
    assert (at.aids[0].aid, at.aids[0].status, at.aids[0].amount) == ("dibao", "eligible",
                                                                      Decimal("1.00"))
    assert at.aids[0].rules == {"dibao.household": "true"}
    assert at.name == f"{RULE_FILE}::dibao.household::at the standard, recorded as eligible"
    assert (at.file, at.line, at.rule) == (RULE_FILE, 37, "dibao.household")


def test_an_example_may_also_name_aid_types_as_a_case_file_does(tmp_path, monkeypatch):
    book, _ = _book(tmp_path, monkeypatch, ("expect: eligible", "expect: {dibao: eligible}"))
    (below, _), problems = _examples(book)
    assert problems == [] and below.aids == (AidExpectation("dibao", "eligible"),)


def test_the_rule_book_loads_an_example_it_does_not_read(tmp_path, monkeypatch):
    book, problems = _book(tmp_path, monkeypatch, ("expect: eligible", "expect: elegible"))
    assert problems == []
    rule = book.rule("dibao.household")
    assert len(rule.examples) == 2 and hash(rule) == hash(rule)


def test_a_mistake_in_an_example_is_named_at_its_place_in_the_rule_file(tmp_path, monkeypatch):
    book, _ = _book(tmp_path, monkeypatch, ("expect: eligible", "expect: elegible"),
                    ("area: urban", "area: urbn"), ("amount: \"1.00\"", "amout: \"1.00\""))
    cases, problems = _examples(book)
    assert cases == []
    assert [str(p) for p in problems] == [
        f"{RULE_FILE}:31:11: application $.area: must be one of urban, rural, got 'urbn'; "
        "did you mean 'urban'?",
        f"{RULE_FILE}:36:17: unknown status 'elegible'; expected eligible, ineligible, "
        "undetermined; did you mean 'eligible'?",
        f"{RULE_FILE}:47:36: unknown key 'amout' in the expectation for 'dibao'; expected one "
        "of status, amount, amount_max, members, rules; did you mean 'amount'?"]


def test_two_examples_of_one_rule_may_not_share_a_title(tmp_path, monkeypatch):
    book, _ = _book(tmp_path, monkeypatch, ("title: at the standard, recorded as eligible",
                                            "title: one fen below the standard"))
    _, problems = _examples(book)
    assert [str(p) for p in problems] == [
        f"{RULE_FILE}:37:16: two cases are titled 'one fen below the standard' (the first at "
        "line 26); expected a distinct title"]


def test_an_example_of_a_risk_rule_names_what_it_expects(tmp_path, monkeypatch):
    risk_rule = """
  - id: risk.low_income
    risk: red
    title: 人均收入为零
    basis: {document: 本地设计}
    when: [per_capita_income == 0]
    examples:
      - title: no income
        application_file: cases/01.yaml
        expect: red
"""
    _book(tmp_path, monkeypatch, book_yaml="risk_levels: [red]\n")
    (tmp_path / "rules/dibao/cases").mkdir(exist_ok=True)
    shutil.copy(ROOT / "examples/applications/01-tieli-urban-below-standard.yaml",
                tmp_path / "rules/dibao/cases/01.yaml")
    path = tmp_path / RULE_FILE
    path.write_text(path.read_text(encoding="utf-8") + risk_rule, encoding="utf-8")
    book, problems = check_rulebook("rules", ROOT / "policies")
    assert problems == []
    _, problems = _examples(book, "risk.low_income")
    assert [str(p) for p in problems] == [
        f"{RULE_FILE}:57:17: rule 'risk.low_income' concludes a risk, not an aid type: its "
        "examples say what they expect by name; expected 'expect: {risk_level: ...}'"]


@pytest.mark.parametrize("written, message", [
    ("examples: yes", f"{RULE_FILE}:25:15: 'examples' must be a list of at least one case; "
     "expected '- title: ...' items, each a case as in a case file"),
    ("examples: [a case]", f"{RULE_FILE}:25:16: an example is a case: a mapping with 'title', "
     "'application' and 'expect'"),
])
def test_examples_that_are_not_a_list_of_cases_stop_the_rule_book(tmp_path, monkeypatch,
                                                                 written, message):
    text = (WRONG_BOOK / "dibao" / "eligibility.yaml").read_text(encoding="utf-8")
    examples = text[text.index("    examples:"):]
    book, problems = _book(tmp_path, monkeypatch, (examples, f"    {written}\n"))
    assert book is None and problems == [message]
