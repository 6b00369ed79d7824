"""The load proof counts at least the alternatives the compiler builds, so that a rule book
that loads can always be assessed. 4940ac8 loaded and then failed every assessment: the
single-enrolment rule split into 96 alternatives, and the proof counted 48, taking a
``round`` whose rounding is ``mode: none`` (compared exactly, so written out by the
compiler, urban-or-rural 'if' and all) for one value."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aidrules.engine.assess import Assessor
from aidrules.engine.compiler import _Compiler
from aidrules.errors import AidrulesError
from aidrules.language.checker import check
from aidrules.language.parser import parse
from aidrules.rulebook import check_rulebook
from aidrules.rulebook.loader import _collections
from aidrules.rulebook.proofs import _CAP, MAX_ALTERNATIVES, _may_stay_exact, _Sizes

ROOT = Path(__file__).resolve().parents[2]
TIELI, ON = "heilongjiang/yichun/tieli", date(2025, 3, 1)
DISABLED_ADULT = "dibao.single_person_disabled_adult"


def counts(book, rule, jurisdiction=TIELI, on=ON) -> tuple[int, int]:
    """(the proof's count, the compiler's) for ``rule`` of a loaded ``book``."""
    sizes = _Sizes(book.facts, _collections(book.schema), _may_stay_exact(book.policies.history))
    assessor = Assessor(book)
    compiler = _Compiler(book, assessor.parameters(assessor.snapshot(jurisdiction, on)))
    return sizes.alternatives(rule), min(len(compiler.disjuncts(rule)), _CAP)


def test_every_shipped_rule_is_counted_at_least_as_the_compiler_builds_it(book):
    for rule in book.rules:
        proved, built = counts(book, rule)
        assert built <= proved <= MAX_ALTERNATIVES, rule.id


def test_the_single_enrolment_rule_under_the_cap_still_assesses(book, assessor):
    rule = next(r for r in book.rules if r.id == DISABLED_ADULT)
    assert counts(book, rule) == (64, 64)  # at the cap, counted exactly, and it compiles
    assert assessor.compiled(assessor.snapshot(TIELI, ON)).actions


def test_the_4940ac8_shape_is_refused_at_load_not_when_assessing(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    member = rules / "facts" / "member.yaml"
    text = member.read_text(encoding="utf-8")
    clause = 'relation == "child" and student_level in dibao.student_member_levels'
    assert text.count(clause) == 1
    member.write_text(text.replace(clause, 'relation == "child" and (age < dibao.adult_age '
                                   'or student_level in dibao.student_member_levels)'),
                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    book, problems = check_rulebook("rules", ROOT / "policies")
    assert book is None
    assert [str(p).split(": rule ")[0] for p in problems] == [
        "rules/dibao/eligibility.yaml:141:15"]
    assert f"rule '{DISABLED_ADULT}' splits into more than 64 alternatives" in \
        problems[0].message


# -- generated conditions: the proof never counts fewer than the compiler builds ----------
HOUSEHOLD = {
    "money": ["per_capita_income", "monthly_income", "dibao_standard", "marginal_line",
              "single_adult_income_line", "illness_cost_deduction", "temporary_income_line",
              "dibao.standard.urban",
              # mode none: written out by the compiler; half_up or up: sent as one value
              "round(dibao_standard * 2, dibao.single_adult_line_rounding)",
              "round(monthly_income, dibao.rounding)"],
    "whole": ["household_size", "review_interval_months", "elderly_count", "2", "0"],
    "flags": ["in_grace_period", "tekun_rural_person", "tekun_urban_treatment",
              "emergency_beyond_means", "has_student", "dibao.disabled_adult_alone",
              "eligible(tekun)", 'area == "urban"', 'area != "rural"',
              'tekun_area == "urban"', 'area in ["urban", "rural"]',
              'tekun_area not in ["rural"]', "household_size > 2",
              "per_capita_income < dibao_standard"],
}
MEMBER = {
    "money": [*HOUSEHOLD["money"], "single_adult_income", "topup_amount", "topup_minor",
              "countable_monthly_income", "care_amount"],
    "whole": [*HOUSEHOLD["whole"], "age", "dibao.adult_age"],
    "flags": [*HOUSEHOLD["flags"], "counts_in_household", "is_severely_disabled",
              "lacks_work_capacity", "refuses_work", "is_tekun_category", 'relation == "child"',
              "student_level in dibao.student_member_levels", "age < dibao.adult_age"],
}
OPS = ["<", "<=", ">", ">=", "==", "!="]


def conditions(names: dict[str, list[str]]):
    """Conditions of nested and/or/not/if over comparisons whose sides hold if, min, max."""
    flags = st.sampled_from(names["flags"])

    def numbers(leaves: list[str]):
        return st.recursive(st.sampled_from(leaves), lambda inner: st.one_of(
            st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"),
            st.tuples(flags, inner, inner).map(lambda t: f"(if {t[0]} then {t[1]} else {t[2]})"),
            st.tuples(inner, st.sampled_from(["+", "-"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"),
        ), max_leaves=3)

    comparisons = st.one_of(*(st.tuples(numbers(names[kind]), st.sampled_from(OPS),
                                        numbers(names[kind])) for kind in ("money", "whole")))
    return st.recursive(
        st.one_of(comparisons.map(" ".join), flags),
        lambda inner: st.one_of(
            inner.map(lambda c: f"not ({c})"),
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(inner, inner, inner).map(
                lambda t: f"(if {t[0]} then {t[1]} else {t[2]})"),
        ), max_leaves=5)


SCOPES = {"dibao.household": HOUSEHOLD, DISABLED_ADULT: MEMBER}  # household, member scope
RULE_CONDITIONS = st.sampled_from(sorted(SCOPES)).flatmap(
    lambda rule_id: st.tuples(st.just(rule_id),
                              st.lists(conditions(SCOPES[rule_id]), min_size=1, max_size=3)))


@pytest.fixture(scope="module")
def setting(book):
    sizes = _Sizes(book.facts, _collections(book.schema), _may_stay_exact(book.policies.history))
    assessor = Assessor(book)
    compilers = [_Compiler(book, assessor.parameters(assessor.snapshot(TIELI, on)))
                 for on in (ON, date(2022, 1, 1))]
    return book, sizes, compilers


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(generated=RULE_CONDITIONS)
def test_the_proof_never_counts_fewer_alternatives_than_the_compiler_builds(setting, generated):
    book, sizes, compilers = setting
    rule_id, tests = generated
    rule = next(r for r in book.rules if r.id == rule_id)
    scope = ("household",) if rule.scope == "household" else ("household", "member")
    criteria = []
    for text in tests:
        try:
            expr = parse(text)
        except AidrulesError:
            assume(False)
        assume(not check(expr, book.schema, scope, "<test>").problems)
        criteria.append(attrs.evolve(rule.criteria[0], test=expr, text=text))
    generated_rule = attrs.evolve(rule, criteria=tuple(criteria))
    proved = sizes.alternatives(generated_rule)
    assume(proved <= MAX_ALTERNATIVES)  # beyond it the book is refused: nothing to compile
    for compiler in compilers:
        built = min(len(compiler.disjuncts(generated_rule)), _CAP)
        assert built <= proved, (tests, built, proved)
