"""Notices tell applicants the outcome and the reasons in writing, in Chinese or English,
and never show a whole identity number or name in public."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aidrules.errors import NoticeError
from aidrules.model import read_application
from aidrules.notices import decision_notice, mask_name, public_notice

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples/applications").glob("*.yaml"))
SINGLE = next(p for p in EXAMPLES if p.name.startswith("04-"))


@pytest.fixture(scope="module")
def assessed(book):
    from aidrules.engine import Assessor
    assessor = Assessor(book)
    return [(assessor.assess(a), a) for a in map(read_application, EXAMPLES)]


def test_the_notice_states_amount_basis_and_the_values_compared(assessed):
    assessment, application = next(x for x in assessed if x[1].application_id == "TL-2025-0004")
    text = decision_notice(assessment, application)
    assert "1. 最低生活保障：每月 710.00 元" in text
    assert "单独纳入：第2位家庭成员" in text
    assert "依据：最低生活保障审核确认办法（民发〔2021〕57号） 第八条" in text
    assert "本人月收入低于低保标准（0 对比 710）：成立" in text
    assert "1. 就业救助：缺少第3位家庭成员的就业状况" in text
    english = decision_notice(assessment, application, language="en")
    assert "1. Minimum living allowance: 710.00 yuan a month" in english
    assert "1. Employment aid: member 3: employment status" in english


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_notice_shows_a_whole_identity_number_or_name(assessed, language):
    for assessment, application in assessed:
        text = decision_notice(assessment, application, language=language)
        assert not re.search(r"\d{17}[\dX]", text)
        assert all(m.name not in text for m in application.household.members if len(m.name) > 1)


def test_the_public_notice_lists_dibao_and_tekun_households_masked(assessed):
    text = public_notice(assessed, title="铁力市2025年6月低保公示", start="2025-06-04",
                         end="2025-06-10")
    rows = [line for line in text.splitlines() if re.match(r"\| \d+ \|", line)]
    eligible = sum(r.status == "eligible" for a, _ in assessed for r in a.results
                   if r.aid in ("dibao", "tekun"))
    assert len(rows) == eligible > 0
    assert not re.search(r"\d{17}[\dX]", text)


@pytest.mark.parametrize("name, masked", [
    ("王建国", "王*国"), ("李梅", "李*"), ("欧阳娜娜", "欧**娜"), ("张", "*")])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_a_county_template_replaces_the_wording(assessed, tmp_path):
    (tmp_path / "decision.zh.j2").write_text("{{ application_id }}：{{ eligible | length }} 项\n",
                                            encoding="utf-8")
    assessment, application = assessed[0]
    granted = sum(r.status == "eligible" for r in assessment.results)
    assert decision_notice(assessment, application, templates=tmp_path) == \
        f"{assessment.application_id}：{granted} 项\n"


@pytest.mark.parametrize("template, message", [
    ("ok\n{{ no_such }}\n", r"decision\.zh\.j2:2: 'no_such' is undefined"),
    ("ok\n{% if %}\n", r"decision\.zh\.j2:2: Expected an expression"),
])
def test_a_mistake_in_a_county_template_names_its_line(assessed, tmp_path, template, message):
    (tmp_path / "decision.zh.j2").write_text(template, encoding="utf-8")
    with pytest.raises(NoticeError, match=message):
        decision_notice(*assessed[0], templates=tmp_path)


def test_an_unknown_language_is_refused(assessed):
    with pytest.raises(NoticeError, match="language='fr' is not offered"):
        decision_notice(*assessed[0], language="fr")
