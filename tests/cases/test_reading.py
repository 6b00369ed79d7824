"""Case files are data checked like rule files: every problem at once, at file:line:col,
with what was expected and a suggestion."""

from datetime import date
from decimal import Decimal
from textwrap import dedent, indent

import pytest

from aidrules.cases import UNCHECKED, read_cases

APPLICATION = """\
application:
  application_id: T-1
  applied_on: 2025-03-01
  jurisdiction: heilongjiang/yichun/tieli
  area: urban
  household:
    members:
      - {id_number: "230781198205140214", name: 王建国, relation: head}
"""


def _single(expect: str, application: str = APPLICATION) -> str:
    """A one-case file: title on line 1, the application on lines 2-9, expect on line 10."""
    return f"title: bad\n{application}expect: {expect}\n"


def _read(tmp_path, text, assessor):
    path = tmp_path / "case.yaml"
    path.write_text(dedent(text), encoding="utf-8")
    return read_cases(path, assessor.book, label="case.yaml")


def _messages(tmp_path, text, assessor):
    cases, problems = _read(tmp_path, text, assessor)
    assert not cases
    return [str(p) for p in problems]


def test_a_single_case_reads_with_its_defaults_from_the_application(tmp_path, assessor):
    cases, problems = _read(tmp_path, _single("{dibao: ineligible}").replace("bad", "one"),
                            assessor)
    assert problems == []
    (case,) = cases
    assert (case.title, case.on, case.jurisdiction) == ("one", date(2025, 3, 1),
                                                        "heilongjiang/yichun/tieli")
    assert case.aids[0].status == "ineligible" and case.aids[0].amount is UNCHECKED
    assert case.risk_level is UNCHECKED and case.referrals is UNCHECKED


def test_the_long_form_reads_amounts_exactly_and_rule_results(tmp_path, assessor):
    expect = dedent("""\
        expect:
          dibao: {status: eligible, amount: "30.10", members: [1, 0],
                  rules: {dibao.household: true, dibao.single_person: unknown}}
          temporary_assistance: {status: ineligible, amount: null}
          risk_level: null
          referrals: [medical]
        """)
    text = "cases:\n  - title: long\n    on: 2025-04-01\n" + indent(APPLICATION + expect, "    ")
    cases, problems = _read(tmp_path, text, assessor)
    assert problems == []
    dibao, temporary = cases[0].aids
    assert dibao.amount == Decimal("30.10") and dibao.members == (0, 1)
    assert dibao.rules == {"dibao.household": "true", "dibao.single_person": "unknown"}
    assert temporary.amount is None and cases[0].on == date(2025, 4, 1)
    assert cases[0].risk_level is None and cases[0].referrals == {"medical"}


@pytest.mark.parametrize("expect, message", [
    ("{dibaoo: eligible}", "case.yaml:10:10: unknown key 'dibaoo' in 'expect' (not an aid type "
     "of the rule book); expected one of dibao, tekun, dibao_marginal, rigid_expenditure, "
     "temporary_assistance, medical_aid, education_aid, employment_aid, housing_aid, "
     "elderly_care, hardship_aid, risk_level, referrals; did you mean 'dibao'?"),
    ("{dibao: eligable}", "case.yaml:10:17: unknown status 'eligable'; expected eligible, "
     "ineligible, undetermined; did you mean 'eligible'?"),
    ("{dibao: {status: eligible, amout: '1'}}", "case.yaml:10:36: unknown key 'amout' in the "
     "expectation for 'dibao'; expected one of status, amount, amount_max, members, rules; "
     "did you mean 'amount'?"),
    ("{dibao: {status: eligible, amount: 'lots'}}", "case.yaml:10:44: amount='lots' is not an "
     "amount; expected yuan in whole fen as text, like \"30.00\", or null for none"),
    ("{dibao: {status: eligible, amount: '800.001'}}", "case.yaml:10:44: amount='800.001' is "
     "not an amount; expected yuan in whole fen as text, like \"30.00\", or null for none"),
    ("{dibao: {status: eligible, rules: {dibao.housold: true}}}", "case.yaml:10:44: unknown "
     "rule 'dibao.housold'; did you mean 'dibao.household'?"),
    ("{tekun: {status: eligible, rules: {dibao.household: true}}}", "case.yaml:10:44: rule "
     "'dibao.household' does not conclude 'tekun'; expected one of tekun.household"),
    ("{risk_level: purple}", "case.yaml:10:22: unknown risk level 'purple'; expected red, "
     "yellow, blue or null"),
    ("{referrals: [medcal]}", "case.yaml:10:22: unknown brand 'medcal'; expected medical, "
     "education, employment, elderly, hardship; did you mean 'medical'?"),
])
def test_each_bad_expectation_is_named_at_its_place(tmp_path, assessor, expect, message):
    assert _messages(tmp_path, _single(expect), assessor) == [message]


def test_a_bad_application_field_is_named_by_its_path_at_its_line(tmp_path, assessor):
    text = _single("{dibao: eligible}", APPLICATION.replace("area: urban", "area: urbn"))
    assert _messages(tmp_path, text, assessor) == [
        "case.yaml:6:3: application $.area: must be one of urban, rural, got 'urbn'; "
        "did you mean 'urban'?"]


def test_unknown_case_keys_and_jurisdictions_get_a_suggestion(tmp_path, assessor):
    assert _messages(tmp_path, """\
        title: bad
        tittle: x
        jurisdiction: heilongjiang/yichun/teili
        application_file: nowhere.yaml
        expect: {}
        """, assessor) == [
        "case.yaml:2:1: unknown key 'tittle' in a case; expected one of title, source, note, "
        "on, jurisdiction, application, application_file, overlay, parameters, expect; "
        "did you mean 'title'?",
        "case.yaml:3:15: unknown jurisdiction 'heilongjiang/yichun/teili'; expected one of "
        "example, heilongjiang, heilongjiang/yichun, heilongjiang/yichun/tieli, national; "
        "did you mean 'heilongjiang/yichun/tieli'?",
        f"case.yaml:4:19: no application file at {tmp_path / 'nowhere.yaml'}"]


def test_a_date_that_does_not_exist_is_named_at_its_place(tmp_path, assessor):
    text = _single("{dibao: eligible}").replace("title: bad\n", "title: bad\non: 2025-13-01\n")
    assert _messages(tmp_path, text, assessor) == [
        "case.yaml:2:5: on='2025-13-01' is not a date; expected YYYY-MM-DD"]
    text = _single("{dibao: eligible}", APPLICATION.replace("2025-03-01", "2025-02-30"))
    assert _messages(tmp_path, text, assessor) == [
        "case.yaml:4:3: application $.applied_on: must be a date like 2025-03-01, got "
        "'2025-02-30'"]


def test_two_cases_with_one_title_and_broken_yaml_are_problems(tmp_path, assessor):
    body = indent(APPLICATION + "expect: {}\n", "    ")
    assert _messages(tmp_path, "cases:\n  - title: same\n" + body + "  - title: same\n" + body,
                     assessor) == ["case.yaml:12:12: two cases are titled 'same' (the first at "
                                   "line 2); expected a distinct title"]
    assert _messages(tmp_path, "title: a: b\n", assessor) == [
        "case.yaml:1:9: not valid YAML: mapping values are not allowed here"]


def _named(tmp_path, assessor, name: str, **roots):
    case = tmp_path / "cases" / "case.yaml"
    case.parent.mkdir(exist_ok=True)
    case.write_text(f"title: t\napplication_file: {name}\nexpect: {{dibao: eligible}}\n",
                    encoding="utf-8")
    return [str(p) for p in read_cases(case, assessor.book, **roots)[1]]


@pytest.mark.parametrize("name", ["/etc/passwd", "../secret.yaml", "sub/../../secret.yaml"])
def test_an_application_file_outside_the_case_directory_is_refused_unread(tmp_path, assessor,
                                                                          name):
    (tmp_path / "secret.yaml").write_text("password: hunter2\n", encoding="utf-8")
    messages = _named(tmp_path, assessor, name)
    assert len(messages) == 1 and "is outside" in messages[0], messages
    assert "hunter2" not in messages[0] and "root:" not in messages[0]


def test_a_symbolic_link_out_of_the_case_directory_is_refused(tmp_path, assessor):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "link.yaml").symlink_to("/etc/passwd")
    assert "is outside" in _named(tmp_path, assessor, "link.yaml")[0]


def test_a_file_that_is_not_an_application_is_named_without_its_contents(tmp_path, assessor):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "notes.yaml").write_text("the key is hunter2\n", encoding="utf-8")
    messages = _named(tmp_path, assessor, "notes.yaml")
    assert messages == [f"{tmp_path / 'cases' / 'case.yaml'}:2:19: application file "
                        f"{tmp_path / 'cases' / 'notes.yaml'} is not a valid application: "
                        f"bad $ (aidrules validate {tmp_path / 'cases' / 'notes.yaml'} says why)"]


def test_a_configured_root_admits_application_files_under_it(tmp_path, assessor):
    from pathlib import Path
    example = Path(__file__).parents[2] / "examples/applications/01-tieli-urban-below-standard.yaml"
    assert "is outside" in _named(tmp_path, assessor, str(example))[0]
    assert _named(tmp_path, assessor, str(example), roots=[example.parent]) == []
