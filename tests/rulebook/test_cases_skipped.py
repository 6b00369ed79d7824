"""Case files sit beside the rules in directories named `cases`; the rule book never reads them."""

import shutil
from pathlib import Path

from aidrules.rulebook import check_rulebook

ROOT = Path(__file__).parents[2]
A_CASE_FILE = "cases:\n  - title: not a rule file\n    expect: {dibao: eligible}\n"


def _copy_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    return rules


def test_files_in_a_cases_directory_at_any_depth_are_not_read_as_rules(tmp_path):
    rules = _copy_rules(tmp_path)
    before, _ = check_rulebook(rules, ROOT / "policies")
    for folder in (rules / "cases", rules / "dibao" / "cases", rules / "dibao" / "cases" / "more"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "extra.yaml").write_text(A_CASE_FILE, encoding="utf-8")
    book, problems = check_rulebook(rules, ROOT / "policies")
    assert problems == []
    assert book.digest == before.digest


def test_a_rule_file_merely_named_cases_is_still_read(tmp_path):
    rules = _copy_rules(tmp_path)
    (rules / "dibao" / "cases.yaml").write_text(A_CASE_FILE, encoding="utf-8")
    book, problems = check_rulebook(rules, ROOT / "policies")
    assert book is None
    assert any("unknown key 'cases'" in str(p) for p in problems)
