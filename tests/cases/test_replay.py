"""Replay: each case at its own date and jurisdiction; agreement counted per aid type."""

from pathlib import Path

import attrs

from aidrules.cases import AidExpectation, Tally, discover, read_cases, run_case

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "county-sample" / "cases" / "dibao.yaml"
WRONG = ROOT / "tests" / "cases" / "fixtures" / "wrong.yaml"


def _cases(assessor, path=SAMPLE):
    cases, problems = read_cases(path, assessor.book, roots=[ROOT])
    assert problems == []
    return {c.title.split(" / ")[-1]: c for c in cases}


def test_every_recorded_decision_of_the_sample_agrees(assessor):
    outcomes = [run_case(assessor, c) for c in _cases(assessor).values()]
    assert [o.report() for o in outcomes if not o.agreed] == []


def test_a_case_is_assessed_on_its_own_date_not_the_application_date(assessor):
    case = _cases(assessor)["urban family of three just below the standard"]
    outcome = run_case(assessor, attrs.evolve(case, on=case.on.replace(year=2010)))
    assert not outcome.agreed and outcome.assessment is None
    assert outcome.error.startswith("dibao.standard.urban has no value for "
                                    "heilongjiang/yichun/tieli on 2010-03-01")
    assert "could not be assessed: dibao.standard.urban" in outcome.report()


def test_agreement_is_counted_per_aid_type(assessor):
    tally = Tally()
    for case in _cases(assessor, WRONG).values():
        tally.add(run_case(assessor, case))
    assert tally.rows() == [("dibao", 1, 1, 0), ("dibao_marginal", 2, 0, 0)]
    assert (tally.cases, tally.failed, tally.errors) == (2, 1, 0)


def test_an_unknown_rule_result_matches_a_rule_that_could_not_be_decided(assessor):
    case = _cases(assessor)["income not reported, cannot decide yet"]
    expect = AidExpectation("dibao", "undetermined", rules={"dibao.household": "unknown"})
    assert run_case(assessor, attrs.evolve(case, aids=(expect,))).agreed


def test_discovery_finds_yaml_below_cases_directories_and_takes_named_files(tmp_path):
    (tmp_path / "rules" / "dibao" / "cases").mkdir(parents=True)
    (tmp_path / "rules" / "dibao" / "eligibility.yaml").write_text("rules: []\n")
    (tmp_path / "rules" / "dibao" / "cases" / "a.yaml").write_text("{}\n")
    (tmp_path / "rules" / "dibao" / "cases" / "b.yml").write_text("{}\n")
    named = tmp_path / "elsewhere.yaml"
    assert discover([tmp_path, named]) == [tmp_path / "rules" / "dibao" / "cases" / "a.yaml",
                                           tmp_path / "rules" / "dibao" / "cases" / "b.yml",
                                           named]
