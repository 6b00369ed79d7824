"""The words of outcomes and criteria are written in one place, aidrules/render/words.py;
every format (the explanation, the summaries, the rule-book pages) takes them from there."""

from __future__ import annotations

import re
from pathlib import Path

from aidrules.model import read_application
from aidrules.render import words
from aidrules.render.text import explain

PACKAGE = Path(__file__).resolve().parents[2] / "aidrules"
EXAMPLE = PACKAGE.parent / "examples" / "applications" / "07-tieli-income-not-reported.yaml"
WORDS = re.compile("成立|无法判断")  # 不成立 contains 成立
# messages.py: problems in Chinese, one of which says two rules may both hold (成立)
ALLOWED = ("render/words.py", "render/__init__.py", "messages.py")


def test_the_three_values_are_written_only_in_the_words_module():
    found = [str(p.relative_to(PACKAGE)) for p in sorted(PACKAGE.rglob("*"))
             if p.is_file() and p.suffix in (".py", ".j2", ".html", ".md", ".txt")
             and WORDS.search(p.read_text(encoding="utf-8"))]
    assert sorted(set(found) - set(ALLOWED)) == []
    assert "render/words.py" in found


def test_the_explanation_takes_its_words_from_the_words_module(assessor):
    text = explain(assessor.assess(read_application(EXAMPLE)), "dibao")
    assert text.splitlines()[0].endswith(f": {words.outcome('undetermined')}")
    for value in ("true", "false", "unknown"):
        assert f"{words.truth(value)}" in text
    assert words.truth("unknown") == "? 无法判断 unknown"


def test_the_summary_of_a_refusal_says_which_criterion_does_not_hold(assessor):
    result = assessor.assess(read_application(EXAMPLE)).result("housing_aid")
    assert result.status == "ineligible"
    assert result.summary.endswith("不成立（1 对比 0）")
    assert result.summary_en.endswith("does not hold (1 vs 0)")
