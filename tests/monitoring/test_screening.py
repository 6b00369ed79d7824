"""Screening: matched events and due dates raise the declared warnings, once each."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidrules.model.identity import make_id_number
from aidrules.monitoring import (
    Event,
    FixedClock,
    Household,
    Monitor,
    Person,
    Register,
    VerificationTask,
    load_warning_rules,
)
from aidrules.policy import PolicyTree

TODAY = date(2025, 3, 31)
BOOK = load_warning_rules("warnings")


def pid(n, year=1975):
    return make_id_number("230781", date(year, 1, 1) + timedelta(days=n), n % 900)


EARNER, CHILD, DIBAO, MARGINAL, TEKUN = pid(1), pid(2, 2008), pid(3), pid(4), pid(5)
STRANGER = pid(6)
REGISTER = Register(
    [Household("H1", "G01-0001", "none", 2),
     Household("H2", "G01-0002", "dibao", 1, review_on=TODAY + timedelta(days=20),
               grace_ends_on=TODAY + timedelta(days=45)),
     Household("H3", "G02-0001", "dibao_marginal", 1),
     Household("H4", "G02-0002", "tekun", 1)],
    [Person(EARNER, "王伟", "H1", True), Person(CHILD, "王小明", "H1"),
     Person(DIBAO, "李娜", "H2", True), Person(MARGINAL, "张强", "H3", True),
     Person(TEKUN, "赵军", "H4")])


def event(kind, who, name="", on=date(2025, 3, 10), amount=None, **details):
    names = {p.id_number: p.name for p in REGISTER.people.values()}
    return Event("test", kind, who, name or names.get(who, "陌生人"), on,
                 None if amount is None else Decimal(amount),
                 tuple(sorted((k, str(v)) for k, v in details.items())))


def screen(events, tasks=(), today=TODAY, book=BOOK):
    # verify: the library's evaluator re-checks every (rule, event) pair the engine decided
    return Monitor(REGISTER, book, verify=True).screen(events, today, tasks)


def raised(events, tasks=(), today=TODAY, book=BOOK):
    return sorted((w.rule_id, w.household_id, w.colour)
                  for w in screen(events, tasks, today, book).warnings
                  if w.rule_id not in ("review_coming_due",))


@pytest.mark.parametrize(("amount", "warns"), [
    ("19999.99", False), ("20000", True), ("20000.00", True), ("20000.01", True)])
def test_a_bill_exactly_at_the_threshold_warns_and_one_fen_less_does_not(amount, warns):
    # warning.medical_bill_min is 20,000 yuan (policies/national/warning/)
    assert raised([event("medical_bill", EARNER, amount=amount)]) == (
        [("large_medical_bill_unassisted", "H1", "yellow")] if warns else [])


@pytest.mark.parametrize(("amount", "warns"), [
    ("99999.99", False), ("100000.00", True), ("100000.01", True)])
def test_a_property_exactly_at_the_threshold_warns_and_one_fen_less_does_not(amount, warns):
    # warning.property_value_min is 100,000 yuan
    assert raised([event("property_registered", DIBAO, amount=amount)]) == (
        [("property_in_dibao", "H2", "yellow")] if warns else [])


def test_a_property_registration_without_an_amount_never_warns_on_its_value():
    assert raised([event("property_registered", DIBAO)]) == []


@pytest.mark.parametrize(("days", "warns"), [(29, True), (30, True), (31, False)])
def test_a_grace_period_ending_exactly_at_the_threshold_warns_and_a_day_later_does_not(
        days, warns):
    # H2's grace period ends on TODAY + 45; warning.grace_days_ahead is 30 days
    today = TODAY + timedelta(days=45 - days)
    rules = {w.rule_id for w in screen([], today=today).warnings}
    assert ("grace_period_ending" in rules) is warns


def test_a_large_bill_in_an_assisted_household_raises_nothing():
    assert raised([event("medical_bill", DIBAO, amount="50000")]) == []


def test_a_registered_unemployed_member_of_a_marginal_household_asks_for_an_income_recheck():
    assert raised([event("unemployment_registered", MARGINAL),
                   event("unemployment_registered", EARNER)]) == [
        ("unemployed_in_marginal_household", "H3", "yellow")]


def test_the_death_of_the_earner_is_red_and_of_another_member_is_not_a_warning():
    assert raised([event("death", EARNER)]) == [("earner_died", "H1", "red")]
    assert raised([event("death", CHILD)]) == []


def test_a_student_in_difficulty_from_a_household_in_no_category():
    assert raised([event("student_in_difficulty", CHILD)]) == [
        ("student_in_no_category", "H1", "blue")]


def test_a_vehicle_or_business_in_a_dibao_or_tekun_household_asks_for_review():
    assert raised([event("vehicle_registered", DIBAO, amount="80000"),
                   event("business_registered", TEKUN, amount="10000"),
                   event("vehicle_registered", EARNER, amount="80000")]) == [
        ("vehicle_or_business_in_dibao", "H2", "yellow"),
        ("vehicle_or_business_in_dibao", "H4", "yellow")]


def test_a_severe_disability_certificate_in_an_unassisted_household():
    assert raised([event("disability_certificate", CHILD, grade=2),
                   event("disability_certificate", EARNER, grade=3)]) == [
        ("severe_disability_unassisted", "H1", "yellow")]


def test_review_dates_within_30_days_warn_and_grace_periods_only_within_30():
    result = screen([])
    assert [(w.rule_id, w.household_id, w.on) for w in result.warnings] == [
        ("review_coming_due", "H2", TODAY + timedelta(days=20))]
    later = screen([], today=TODAY + timedelta(days=20))
    assert {w.rule_id for w in later.warnings} == {"review_coming_due", "grace_period_ending"}


def test_an_overdue_verification_task_is_escalated_by_the_clock_tests_control():
    task = VerificationTask("T1", "H3", due_on=date(2025, 3, 20))
    clock = FixedClock(date(2025, 3, 20))
    assert raised([], [task], clock.today()) == []
    clock = FixedClock(date(2025, 3, 21))
    assert raised([], [task], clock.today()) == [("verification_overdue", "H3", "red")]
    done = VerificationTask("T1", "H3", due_on=date(2025, 3, 20), is_done=True)
    assert raised([], [done], clock.today()) == []


def test_a_different_name_is_a_mismatch_warning_and_still_matches_by_identity_number():
    result = screen([event("death", EARNER, name="王 伟"), event("death", CHILD, name="王晓明")])
    assert result.matched == 2
    assert [(m.event.id_number, m.registered_name) for m in result.mismatches] == [
        (CHILD, "王小明")]  # spaces are not a difference


def test_an_unknown_person_is_discovered_and_can_raise_a_warning_without_a_grid():
    result = screen([event("serious_illness", STRANGER, name="孙丽")])
    assert list(result.discovered) == [STRANGER] and result.matched == 0
    [warning] = [w for w in result.warnings if w.household_id != "H2"]  # H2: review due
    assert (warning.rule_id, warning.household_id, warning.grid) == (
        "serious_illness_unassisted", "D" + STRANGER, "")


def test_a_warning_carries_reasons_in_both_languages_and_the_aid_types_to_look_at():
    [warning] = screen([event("death", EARNER)]).warnings[:1]
    assert warning.reason_zh.startswith("家庭主要劳动力死亡")
    assert warning.reason_en.startswith("the household's earner died")
    assert warning.suggest == ("temporary_assistance", "dibao")
    assert warning.key == "earner_died|H1|" and warning.grid == "G01-0001"


def test_the_same_situation_twice_in_a_month_raises_one_warning_for_the_earliest_bill():
    result = screen([event("medical_bill", EARNER, on=date(2025, 3, 20), amount="30000"),
                     event("medical_bill", CHILD, on=date(2025, 3, 5), amount="25000")])
    [warning] = [w for w in result.warnings if w.rule_id.startswith("large")]
    assert warning.on == date(2025, 3, 5) and warning.key == (
        "large_medical_bill_unassisted|H1|2025-03")


def test_screening_the_same_events_again_changes_nothing():
    monitor = Monitor(REGISTER, BOOK, verify=True)
    events = [event("death", EARNER), event("serious_illness", STRANGER)]
    first = monitor.screen(events, TODAY)
    second = monitor.screen(events, TODAY)
    assert len(first.warnings) == 3 and first.matched == 1
    assert (second.warnings, second.matched, second.duplicates) == ([], 0, 2)


EVENTS = [event("medical_bill", EARNER, on=date(2025, 3, d), amount=a)
          for d, a in ((3, "30000"), (9, "20000"), (9, "100"))] + [
    event("death", EARNER), event("death", CHILD, name="王晓明"),
    event("student_in_difficulty", CHILD), event("unemployment_registered", MARGINAL),
    event("vehicle_registered", DIBAO, amount="5000"),
    event("serious_illness", STRANGER), event("serious_illness", TEKUN),
    event("disability_certificate", CHILD, grade=1)]


@settings(max_examples=40, deadline=None)
@given(st.permutations(EVENTS + EVENTS[:3]), st.permutations(EVENTS))
def test_feeding_events_in_any_order_gives_the_same_warnings(order, other):
    tasks = [VerificationTask("T9", "H2", date(2025, 3, 1))]
    a, b = screen(order, tasks), screen(other, tasks)
    assert a.warnings == b.warnings and len(a.warnings) == 10
    assert a.mismatches == b.mismatches and a.discovered == b.discovered
    assert a.duplicates == 3 and b.duplicates == 0


@pytest.mark.parametrize("rule", BOOK.rules, ids=lambda r: r.id)
def test_every_shipped_warning_rule_fires_in_some_test_situation(rule):
    tasks = [VerificationTask("T9", "H2", date(2025, 3, 1))]
    fired = {w.rule_id for w in screen(EVENTS, tasks, TODAY + timedelta(days=20)).warnings}
    fired |= {w.rule_id for w in screen([event("death", DIBAO),
                                         event("property_registered", DIBAO,
                                               amount="300000")]).warnings}
    assert rule.id in fired


def test_a_county_sets_its_own_threshold_from_a_date_and_screening_reads_the_one_in_force(
        tmp_path):
    county = tmp_path / "heilongjiang" / "yichun" / "tieli" / "warning"
    county.mkdir(parents=True)
    (county / "medical_bill_min.yaml").write_text(
        "values:\n  2025-03-15:\n    value: 10000\n    assumed: a test county's own line\n",
        encoding="utf-8")
    tree = PolicyTree.load("policies", [tmp_path])
    tieli = load_warning_rules("warnings", tree, "heilongjiang/yichun/tieli")
    bill = [event("medical_bill", EARNER, on=date(2025, 3, 10), amount="15000")]
    warned = [("large_medical_bill_unassisted", "H1", "yellow")]
    assert raised(bill, today=date(2025, 3, 14), book=tieli) == []  # 20,000: national
    assert raised(bill, today=date(2025, 3, 31), book=tieli) == warned  # Tieli's 10,000
    assert raised(bill, today=date(2025, 3, 31)) == []  # the national book
    exact = [event("medical_bill", EARNER, amount="10000.00")]
    below = [event("medical_bill", EARNER, amount="9999.99")]
    assert raised(exact, book=tieli) == warned and raised(below, book=tieli) == []
