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
    assert "本人月收入低于低保标准（0 对比 710）" in text
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


# A county's template is text from outside the code: it runs in jinja2's sandbox and sees
# only the view. Each of these is a known way out of an unsandboxed template.
ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('id').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ range.__self__.__import__('os').popen('id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ application_id.__class__.__mro__[-1].__subclasses__() }}",
    "{{ eligible.__class__.__base__.__subclasses__() }}",
    "{{ (eligible | first).items.__self__.__class__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ '{0.__class__.__mro__}'.format(application_id) }}",
    "{{ '{0.__globals__}'.format(cycler) }}",
    "{{ '%s'.__mod__.__self__ }}",
    "{% set x = eligible.append(1) %}{{ x }}",
    "{{ self._TemplateReference__context.environment }}",
    "{{ range(10**9) | list | length }}",
    "{{ 'x' * 10**10 }}",
    "{{ 10 ** 1000000000 }}",
]


@pytest.mark.parametrize("template", ESCAPES)
def test_a_county_template_cannot_reach_past_its_view(assessed, tmp_path, template):
    (tmp_path / "decision.zh.j2").write_text("ok\n" + template + "\n", encoding="utf-8")
    with pytest.raises(NoticeError) as raised:
        decision_notice(*assessed[0], templates=tmp_path)
    message = str(raised.value)
    assert re.match(r".*decision\.zh\.j2:2: ", message), message
    assert "\n" not in message and "uid=" not in message


def test_a_sandbox_violation_is_one_line_from_the_command(tmp_path):
    from typer.testing import CliRunner

    from aidrules.cli import app
    (tmp_path / "decision.zh.j2").write_text(ESCAPES[0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["notice", str(SINGLE), "--templates", str(tmp_path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "decision.zh.j2:1: " in lines[0], result.output
    assert "uid=" not in result.output


def test_a_templates_directory_that_does_not_exist_is_an_error_not_the_shipped_wording(
        assessed, tmp_path):
    with pytest.raises(NoticeError, match=r"^templates='.*missing': no such directory$"):
        decision_notice(*assessed[0], templates=tmp_path / "missing")
