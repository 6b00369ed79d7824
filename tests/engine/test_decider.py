"""durable_rules decides; the library's own evaluator only explains.

With the evaluator's explanation path disabled, every shipped case, rule example and
example application still gets its pinned statuses, amounts, members, risk level and
referrals (reasons=False); with ``verify=True`` the evaluator decides every rule too and
must agree with what fired."""

from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from aidrules.cases import discover, read_cases
from aidrules.cases.reading import read_examples
from aidrules.cases.replay import Books, compare
from aidrules.engine import Assessor
from aidrules.engine.assess import _Run
from aidrules.errors import EngineError
from aidrules.model import read_application
from aidrules.testing import applications

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "applications").glob("*.yaml"))
CASE_DIRS = [ROOT / "rules", ROOT / "examples" / "county-sample" / "cases"]


def shipped_cases(book):
    found = []
    for path in discover(CASE_DIRS):
        cases, problems = read_cases(path, book, roots=[ROOT])
        assert problems == [], path
        found += cases
    for rule in book.rules:
        if rule.examples:
            cases, problems = read_examples(rule, book, roots=[ROOT])
            assert problems == [], rule.id
            found += cases
    return found


@pytest.fixture(scope="module")
def books():
    return Books()


@pytest.fixture(scope="module")
def shipped(books):
    assessor = books.assessor(ROOT / "rules", ROOT / "policies")
    return assessor, shipped_cases(assessor.book)


def _without_rule_expectations(case):
    """The case's statuses, amounts, members, risk and referrals; its expected rule
    results need the reasons, which this path does not compute."""
    return attrs.evolve(case, aids=tuple(attrs.evolve(a, rules={}) for a in case.aids))


def _evaluator_disabled(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the evaluator was asked to decide on the default path")
    monkeypatch.setattr(_Run, "explain_rule", refuse)
    monkeypatch.setattr(_Run, "explain_criterion", refuse)


def test_the_shipped_cases_are_many(shipped):
    assert len(shipped[1]) >= 100


def test_every_shipped_case_is_decided_without_the_evaluator(shipped, books, monkeypatch):
    assessor, cases = shipped
    _evaluator_disabled(monkeypatch)
    failures = []
    for case in cases:
        found = books.for_case(assessor, case).assess(case.application, on=case.on,
                                                      jurisdiction=case.jurisdiction,
                                                      reasons=False)
        differences = compare(_without_rule_expectations(case), found)
        if differences:
            failures.append(f"{case.where} {case.heading}: {[str(d) for d in differences]}")
    assert failures == []


def test_every_example_is_decided_without_the_evaluator(assessor, monkeypatch):
    expected = {p.name: assessor.assess(read_application(p)) for p in EXAMPLES}
    _evaluator_disabled(monkeypatch)
    for path in EXAMPLES:
        found = assessor.assess(read_application(path), reasons=False)
        want = expected[path.name]
        assert [(r.aid, r.status, r.amount, r.amount_max, r.members, r.missing, r.deciding)
                for r in found.results] == \
            [(r.aid, r.status, r.amount, r.amount_max, r.members, r.missing, r.deciding)
             for r in want.results], path.name
        assert (found.risk_level, found.referrals) == (want.risk_level, want.referrals)


def test_the_evaluator_agrees_with_the_engine_on_every_shipped_case(shipped, books):
    assessor, cases = shipped
    for case in cases:
        books.for_case(assessor, case).assess(case.application, on=case.on,
                                              jurisdiction=case.jurisdiction,
                                              reasons=False, verify=True)


def test_the_evaluator_agrees_at_the_knife_edge(assessor, book):
    """Households exactly at the standard (and 1.5 × it), incomes split so that only
    their exact sum lands on the line (tests/engine/test_knife_edge.py)."""
    from fractions import Fraction

    from tests.engine.test_knife_edge import generated
    for multiplier in (Fraction(1), Fraction(3, 2)):
        for _, _, app in generated(book, 300, multiplier, seed=18):
            assessor.assess(app, reasons=False, verify=True)


def test_the_reasons_agree_with_the_status(assessor):
    for path in EXAMPLES:
        for result in assessor.assess(read_application(path)).results:
            held = {t.result for t in result.rules}
            want = {"eligible": "true", "undetermined": "unknown"}.get(result.status)
            if want is None:
                assert held == {"false"}, (path.name, result.aid)
            else:
                assert want in held and (want == "true" or "true" not in held), \
                    (path.name, result.aid)


def test_verify_catches_an_engine_that_decides_wrongly(assessor, monkeypatch):
    application = read_application(EXAMPLES[6])  # 07: the wife's income not reported
    assert assessor.assess(application, verify=True).result("dibao").status == "undetermined"
    # an engine run that took every unfired rule as false would call dibao ineligible
    monkeypatch.setattr(_Run, "is_open", lambda self, inputs, member: False)
    assert assessor.assess(application).result("dibao").status == "ineligible"
    with pytest.raises(EngineError, match="engine false, evaluator unknown"):
        assessor.assess(application, verify=True)


def test_deciding_names_the_rules_that_settled_each_status(assessor):
    found = assessor.assess(read_application(EXAMPLES[0]), reasons=False)
    assert found.result("dibao").deciding == ("dibao.household",)
    marginal = found.result("dibao_marginal")
    assert marginal.status == "ineligible"
    assert set(marginal.deciding) == {r.id for r in assessor.book.rules
                                      if r.aid == "dibao_marginal"}
    undecided = assessor.assess(read_application(EXAMPLES[6]), reasons=False)
    assert "dibao.household" in undecided.result("dibao").deciding


def test_an_assessor_is_usable_after_a_fresh_engine(assessor):
    fresh = Assessor(assessor.book)
    assert fresh.assess(read_application(EXAMPLES[0]), reasons=False).result(
        "dibao").status == "eligible"


def test_aidrules_assess_verify(monkeypatch):
    import json

    from typer.testing import CliRunner

    from aidrules.cli import app
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(app, ["assess", str(EXAMPLES[6]), "--verify", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    dibao = next(r for r in document["results"] if r["aid"] == "dibao")
    assert dibao["status"] == "undetermined"
    assert "dibao.household" in [d["rule"] for d in dibao["deciding"]]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(applications(on=date(2025, 3, 1)).map(
    lambda a: attrs.evolve(a, jurisdiction="heilongjiang/yichun/tieli")))
def test_generated_households_with_unreported_facts_are_decided_as_the_evaluator_would(
        assessor, application):
    """Households with any part unreported: the engine's statuses (probes included) agree
    with the evaluator's, and the default path gives what the explained one gives."""
    decided = assessor.assess(application, reasons=False, verify=True)
    explained = assessor.assess(application)
    assert [(r.status, r.amount, r.amount_max, r.members, r.missing, r.deciding)
            for r in decided.results] == \
        [(r.status, r.amount, r.amount_max, r.members, r.missing, r.deciding)
         for r in explained.results]
    assert (decided.risk_level, decided.referrals) == (explained.risk_level,
                                                       explained.referrals)
