"""Warning rule files are data, checked at load time with file:line:col, all or nothing."""

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from aidrules.engine.compiler import MONEY_UNITS
from aidrules.monitoring import WarningRuleError, load_warning_rules
from aidrules.rulebook import load_rulebook
from aidrules.rulebook.lint import WARNING_PARAMETERS

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
    "function.yaml": [
        "4:27: max() is not available in a warning condition; expected comparisons of "
        "event.* and household.* facts with constants or parameters, joined by and / or / not",
        "4:66: a true/false fact is written as it is, or with 'not', not compared with '=='; "
        "expected comparisons of event.* and household.* facts with constants or parameters, "
        "joined by and / or / not"],
    "status_typo.yaml": [
        "4:31: 'dibbao' is not a value of 'household.status'; expected one of dibao, "
        "dibao_marginal, none, rigid_expenditure, tekun, unknown; did you mean 'dibao'?",
        "10:13: reason needs a Chinese and an English text; expected zh: ... and en: ..."],
    "syntax.yaml": [
        "4:23: cannot read the expression: the expression ends too early; expected a name or "
        "a number or a quoted text or '(' or '-' or '['"],
    "unknown_fact.yaml": ["4:11: unknown parameter 'event.amout'; did you mean 'event.amount'?"],
    "unknown_parameter.yaml": [
        "4:27: unknown parameter 'warning.medical_bill_mim'; did you mean "
        "'warning.medical_bill_min'?"],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_warning_rule_file_names_every_defect(name, tmp_path):
    shutil.copy(HERE / name, tmp_path / name)
    with pytest.raises(WarningRuleError) as caught:
        load_warning_rules(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / name}:{m}" for m in BROKEN[name]]


def test_every_broken_warning_file_has_its_pinned_messages():
    assert sorted(p.name for p in HERE.glob("*.yaml")) == sorted([*BROKEN, "mixed_or.yaml"])


def test_an_or_over_event_and_household_facts_compiles_into_alternatives(tmp_path):
    # one compiler: an 'or' across the two facts is two durable rules, like a rule's
    shutil.copy(HERE / "mixed_or.yaml", tmp_path / "mixed_or.yaml")
    book = load_warning_rules(tmp_path)
    compiled = book.compile(book.values(date(2025, 3, 31)))
    assert sorted(k for k, v in compiled.actions.items() if v == "mixed") == [
        "mixed#0", "mixed#1"]


def test_the_thresholds_are_dated_parameters_read_by_name():
    book = load_warning_rules("warnings")
    assert book.parameters == {"warning.medical_bill_min", "warning.property_value_min",
                               "warning.review_days_ahead", "warning.grace_days_ahead"}
    assert book.parameters == WARNING_PARAMETERS  # what `aidrules check` counts as read
    assert book.values(date(2025, 3, 31)) == {
        "warning.grace_days_ahead": 30, "warning.medical_bill_min": 20000,
        "warning.property_value_min": 100000, "warning.review_days_ahead": 30}
    for name in book.parameters:
        [first] = book.policies.history(name)
        assert first.assumed and first.file.startswith("policies/national/warning/")


def test_an_unknown_jurisdiction_is_refused_with_the_closest_one(tmp_path):
    with pytest.raises(WarningRuleError, match="unknown jurisdiction 'heilongjiang/yichun/teili'"
                       ".*did you mean 'heilongjiang/yichun/tieli'"):
        load_warning_rules("warnings", jurisdiction="heilongjiang/yichun/teili")


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


def test_money_reaches_the_engine_in_the_rules_unit_and_an_unknown_amount_is_guarded():
    book = load_warning_rules("warnings")
    compiled = book.compile(book.values(date(2025, 3, 31)))
    assert compiled.fact("other", {"amount": Decimal("20000.01"), "event_kind": "medical_bill"}
                         )["amount"] == 20000_01 * MONEY_UNITS // 100
    unknown = compiled.fact("other", {"event_kind": "medical_bill"})
    assert (unknown["amount"], unknown["amount__known"]) == (0, False)
    bill = compiled.rules["large_medical_bill_unassisted#0"]["all"][1]["m"]["$and"]
    assert {"amount__known": True} in bill
