"""Warning rule files are data, checked at load time with file:line:col, all or nothing."""

import shutil
from pathlib import Path

import pytest

from aidrules.monitoring import WarningRuleError, load_warning_rules
from aidrules.rulebook import load_rulebook

HERE = Path("tests/monitoring/warnings")
KINDS = ("business_registered, death, disability_certificate, grace_period_ending, "
         "medical_bill, property_registered, review_due, serious_illness, student_in_difficulty, "
         "task_overdue, unemployment_registered, vehicle_registered")
AIDS = ("dibao, dibao_marginal, education_aid, elderly_care, employment_aid, hardship_aid, "
        "housing_aid, medical_aid, rigid_expenditure, tekun, temporary_assistance")
BROKEN = {
    "bad_values.yaml": [
        f"3:10: unknown on value 'medical_bil'; expected one of {KINDS}; did you mean "
        "'medical_bill'?",
        f"5:15: unknown suggest value 'medical'; expected one of {AIDS}; did you mean "
        "'medical_aid'?",
        "6:13: colour 'orange' is not allowed; expected red | yellow | blue",
        "7:15: once_per 'week' is not allowed; expected household | person | month | event"],
    "mixed_or.yaml": [
        "4:11: an 'or' here mixes event and household facts; expected comparisons of one "
        "event.* or household.* fact with a constant, joined by and / or / not (an 'or' may "
        "not mix event and household facts)"],
    "status_typo.yaml": [
        "4:31: 'dibbao' is not a value of 'household.status'; expected one of dibao, "
        "dibao_marginal, none, rigid_expenditure, tekun, unknown; did you mean 'dibao'?",
        "10:13: reason needs a Chinese and an English text; expected zh: ... and en: ..."],
    "syntax.yaml": [
        "4:23: cannot read the expression: the expression ends too early; expected a name or "
        "a number or a quoted text or '(' or '-' or '['"],
    "unknown_fact.yaml": ["4:11: unknown parameter 'event.amout'; did you mean 'event.amount'?"],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_warning_rule_file_names_every_defect(name, tmp_path):
    shutil.copy(HERE / name, tmp_path / name)
    with pytest.raises(WarningRuleError) as caught:
        load_warning_rules(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / name}:{m}" for m in BROKEN[name]]


def test_every_broken_warning_file_has_its_pinned_messages():
    assert sorted(p.name for p in HERE.glob("*.yaml")) == sorted(BROKEN)


def test_the_same_warning_id_twice_is_an_error(tmp_path):
    text = Path("warnings/education.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(WarningRuleError, match="'student_in_no_category' is already used at"):
        load_warning_rules(tmp_path)


def test_the_shipped_warning_rules_load_and_suggest_only_aid_types_of_the_rule_book():
    book = load_warning_rules("warnings")
    aids = set(load_rulebook("rules", "policies").aids)
    assert len(book.rules) == 13
    assert {aid for rule in book.rules for aid in rule.suggest} <= aids


def test_the_rule_book_loader_does_not_read_the_warning_rules():
    assert not list(Path("rules").rglob("*warning*"))
    assert Path("warnings").is_dir() and not Path("warnings").is_relative_to("rules")
