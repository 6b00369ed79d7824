"""The notices of every shipped example read as plain words in both languages: the
criteria that decided, with values in yuan; no internal id, no double negative, no raw
fraction, no empty comparison; the issuing authority and the bodies that hear an appeal."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from aidrules.model import read_application
from aidrules.notices import decision_notice, issuer_of

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples/applications").glob("*.yaml"))


@pytest.fixture(scope="module")
def notices(book, assessor):
    found = {}
    for path in EXAMPLES:
        application = read_application(path)
        assessment = assessor.assess(application)
        issuer = issuer_of(book.policies, assessment.jurisdiction, assessment.on)
        for language in ("zh", "en"):
            for format in ("text", "html"):
                found[path.name, language, format] = decision_notice(
                    assessment, application, language=language, issuer=issuer, format=format)
    return found


INTERNAL = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z_]+\b|\b[a-z]+_[a-z_]+\b|优先）|aidrules")
DOUBLE_NEGATIVE = re.compile(r"不成立|不符合：[无未不非]|not met: (?:No|Not|Has not)|does not hold")
FRACTION = re.compile(r"\d+/\d+")
EMPTY = re.compile(r"\b0 (?:对比|vs) 0\b")


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("example", [p.name for p in EXAMPLES])
def test_every_example_notice_reads_plainly(notices, example, language):
    text = notices[example, language, "text"]
    for pattern in (INTERNAL, DOUBLE_NEGATIVE, FRACTION, EMPTY):
        assert not pattern.search(text), f"{pattern.pattern!r}: {pattern.search(text)[0]!r}"
    assert "铁力市民政局" in text or "Tieli Civil Affairs Bureau" in text
    assert ("铁力市人民政府" in text and "铁力市人民法院" in text) or \
        ("Tieli Municipal People's Government" in text and "Tieli People's Court" in text)


def test_a_refusal_says_what_is_over_and_by_how_much(notices):
    zh = notices["09-tieli-urban-above-every-line.yaml", "zh", "text"]
    dibao = zh[zh.index("1. 最低生活保障"):zh.index("2. 特困")]
    assert dibao.splitlines()[1:] == ["   · 家庭月人均收入 3333.33 元，高于本地低保标准 710 元",
                                      "   · 家庭金融资产 120000 元，超过规定上限 51120 元"]
    en = notices["09-tieli-urban-above-every-line.yaml", "en", "text"]
    assert ("monthly income per member is 3333.33 yuan, above the local standard of 710 yuan"
            in en)


def test_only_the_criteria_that_decided_are_given(notices):
    zh = notices["06-tieli-disqualified-by-car.yaml", "zh", "text"]
    dibao = zh[zh.index("1. 最低生活保障"):zh.index("2. 特困")]
    assert dibao.splitlines()[1:] == ["   · 家庭有 1 辆不予豁免的机动车"]  # not the grace period
    tekun = notices["03-tieli-elderly-alone-tekun.yaml", "zh", "text"]
    assert "   · 已认定为特困人员救助供养，按规定只认定其一" in tekun


def test_an_approval_gives_amount_period_start_and_review(notices):
    zh = notices["03-tieli-elderly-alone-tekun.yaml", "zh", "text"]
    assert "1. 特困人员救助供养：每月 1233.00 元\n   自 2025-06 起发放；下次复核：2026-05" in zh
    assert "2. 临时救助：一次性 1420.00 元至 8520.00 元" in zh
    en = notices["01-tieli-urban-below-standard.yaml", "en", "text"]
    assert ("Minimum living allowance: 30.00 yuan a month\n"
            "   Paid from 2025-04; next review: 2025-09") in en


def test_the_notice_cites_documents_and_has_a_place_for_the_seal(notices):
    zh = notices["01-tieli-urban-below-standard.yaml", "zh", "text"]
    assert "本告知依据《社会救助暂行办法》" in zh and "铁力市民政局（盖章）" in zh
    assert "规则书" not in zh and "rule book" not in notices[
        "01-tieli-urban-below-standard.yaml", "en", "text"]


def test_html_escapes_what_it_shows(book, assessor, tmp_path):
    application = read_application(EXAMPLES[0])
    html = decision_notice(assessor.assess(application), application, format="html",
                           issuer={"authority": "<b>x</b>"})
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


def test_the_parameters_notices_read_are_known_to_the_linter(book):
    from aidrules.notices.render import ISSUER_NUMBERS, ISSUER_PARAMETERS
    from aidrules.rulebook.lint import NOTICE_PARAMETERS
    read = {f"notice.{n}{s}" for n in ISSUER_PARAMETERS for s in ("", "_en")} | \
        {f"notice.{n}" for n in ISSUER_NUMBERS}
    assert read == NOTICE_PARAMETERS
    assert {n for n in book.policies.parameters() if n.startswith("notice.")} == read


def test_a_household_exactly_at_the_standard_is_told_it_is_equal_to_it(notices):
    zh = notices["02-tieli-urban-exactly-at-standard.yaml", "zh", "text"]
    assert "· 家庭月人均收入 710 元，等于本地低保标准 710 元" in zh
    en = notices["02-tieli-urban-exactly-at-standard.yaml", "en", "text"]
    assert "monthly income per member is 710 yuan, equal to the local standard of 710 yuan" in en


@pytest.mark.parametrize(("value", "other", "shown"), [
    (Fraction(2200, 3), Fraction(710), "733.33"), (Fraction(710), Fraction(710), "710"),
    (Fraction(709996, 1000), Fraction(710), "709.9960"),  # the fen would say "710.00"
    (Fraction(1, 8), Fraction(0), "0.13")])
def test_values_are_shown_in_yuan_to_the_fen(value, other, shown):
    from aidrules.notices.render import _number
    assert _number(value, other) == shown
