"""A case may carry the few parameter values it needs (`parameters:`) or name a directory of
policy files beside it (`overlay:`): replayed, it is assessed with them laid over the book's
policies, and a mistake in them is named at its place."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from textwrap import dedent

from aidrules.cases import Books, read_cases
from aidrules.cases.replay import discover

ROOT = Path(__file__).resolve().parents[2]
AIDRULES = Path(sys.executable).parent / "aidrules"
TIELI_HOUSEHOLD = """\
    application:
      application_id: T-OWN
      applied_on: 2025-03-01
      jurisdiction: heilongjiang/yichun/tieli
      area: urban
      household:
        members:
          - id_number: "230781198205140214"
            name: 王建国
            relation: head
            incomes: [{kind: wage, amount: "1460.00", period: monthly}]
          - {id_number: "230781198409020281", name: 李秀梅, relation: spouse, incomes: []}
        assets: {financial_assets: "1000.00", housing_units: 1}
"""
OWN_STANDARD = """\
    parameters:
      dibao.standard.urban:
        2025-01-01:
          value: 750
          assumed: 个案所用标准 / the standard this case was decided under
"""


def _case(tmp_path: Path, *parts: str, expect: str = "{dibao: eligible}") -> Path:
    path = tmp_path / "cases" / "own.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(dedent(p) for p in parts)
    path.write_text(f"title: own values\n{body}expect: {expect}\n", encoding="utf-8")
    return path


def _replay(books: Books, path: Path):
    assessor = books.assessor(ROOT / "rules", ROOT / "policies")
    cases, problems = read_cases(path, assessor.book, label="own.yaml")
    assert problems == []
    return [books.run(assessor, case) for case in cases]


def test_a_case_with_its_own_standard_is_assessed_under_it(tmp_path):
    path = _case(tmp_path, TIELI_HOUSEHOLD, OWN_STANDARD)
    (outcome,) = _replay(Books(), path)
    dibao = outcome.assessment.result("dibao")
    assert (dibao.status, dibao.amount) == ("eligible", Decimal("40.00"))  # 750 × 2 − 1460


def test_without_its_values_the_same_household_is_not_eligible(tmp_path):
    path = _case(tmp_path, TIELI_HOUSEHOLD)
    (outcome,) = _replay(Books(), path)
    assert outcome.assessment.result("dibao").status == "ineligible"  # 730 a head ≥ 710


def test_the_case_values_do_not_reach_other_cases(tmp_path):
    books = Books()
    _replay(books, _case(tmp_path, TIELI_HOUSEHOLD, OWN_STANDARD))
    (plain,) = _replay(books, _case(tmp_path / "other", TIELI_HOUSEHOLD))
    assert plain.assessment.result("dibao").status == "ineligible"


def test_a_value_without_a_basis_is_named_at_its_line_when_replayed(tmp_path):
    path = _case(tmp_path, TIELI_HOUSEHOLD, OWN_STANDARD.replace(
        "          assumed: 个案所用标准 / the standard this case was decided under\n", ""))
    (outcome,) = _replay(Books(), path)
    assert not outcome.agreed
    assert "own.yaml:17:5: the value for 2025-01-01 has neither source nor assumed" in \
        outcome.error


def test_an_unknown_parameter_is_named_when_the_case_is_read(tmp_path):
    path = _case(tmp_path, TIELI_HOUSEHOLD, OWN_STANDARD.replace("standard.urban", "standard.urbn"))
    book = Books().book(ROOT / "rules", ROOT / "policies")
    _, problems = read_cases(path, book, label="own.yaml")
    assert [str(p) for p in problems] == [
        "own.yaml:16:3: unknown parameter 'dibao.standard.urbn'; did you mean "
        "'dibao.standard.urban'?"]


def _overlay(tmp_path: Path, name: str = "policies-own") -> Path:
    standard = tmp_path / "cases" / name / "heilongjiang/yichun/tieli/dibao/standard/urban.yaml"
    standard.parent.mkdir(parents=True)
    standard.write_text("values:\n  2025-01-01:\n    value: 750\n    assumed: the case's own\n",
                        encoding="utf-8")
    return standard


def test_a_case_naming_an_overlay_beside_it_is_assessed_under_it(tmp_path):
    _overlay(tmp_path)
    path = _case(tmp_path, "overlay: policies-own\n", TIELI_HOUSEHOLD)
    (outcome,) = _replay(Books(), path)
    assert outcome.assessment.result("dibao").amount == Decimal("40.00")


def test_an_overlay_beside_the_cases_is_not_read_as_cases(tmp_path):
    _overlay(tmp_path)
    path = _case(tmp_path, "overlay: policies-own\n", TIELI_HOUSEHOLD)
    assert discover([tmp_path]) == [path]


def test_an_overlay_outside_the_case_files_directory_is_refused(tmp_path):
    _overlay(tmp_path / "elsewhere")
    book = Books().book(ROOT / "rules", ROOT / "policies")
    for name, message in [
            ("../elsewhere/cases/policies-own", "overlay '../elsewhere/cases/policies-own' is "
             "outside the case file's directory"),
            ("own-values", "overlay 'own-values' is not in a directory named policies or "
             "policies-... (other directories beside case files hold case files)"),
            ("policies-none", f"no overlay directory at {tmp_path / 'cases/policies-none'}")]:
        (tmp_path / "cases" / "own-values").mkdir(parents=True, exist_ok=True)
        path = _case(tmp_path, f"overlay: {name}\n", TIELI_HOUSEHOLD)
        _, problems = read_cases(path, book, label="own.yaml")
        assert [str(p) for p in problems] == [
            f"own.yaml:2:10: {message}; expected a directory named policies-... beside the "
            "case file, laid out as policies/ is, e.g. 'overlay: policies-2023'"]


def test_replay_lays_an_overlay_over_every_case(tmp_path):
    overlay = _overlay(tmp_path).parents[5]
    path = _case(tmp_path, TIELI_HOUSEHOLD, expect='{dibao: {status: eligible, amount: "40.00"}}')
    book = ["--rules", str(ROOT / "rules"), "--policies", str(ROOT / "policies")]
    plain = subprocess.run([str(AIDRULES), "replay", str(path), *book], capture_output=True,
                           text=True, timeout=300)
    assert plain.returncode == 1, plain.stdout
    done = subprocess.run([str(AIDRULES), "replay", str(path), *book, "--overlay",
                           str(overlay)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 case(s): 1 agreed" in done.stdout


def test_the_replay_report_names_each_cases_own_policies(tmp_path):
    import json
    path = _case(tmp_path, TIELI_HOUSEHOLD, OWN_STANDARD)
    report = tmp_path / "r.json"
    done = subprocess.run([str(AIDRULES), "replay", str(path), "--rules", str(ROOT / "rules"),
                           "--policies", str(ROOT / "policies"), "--report", str(report)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (case,) = json.loads(report.read_text(encoding="utf-8"))["cases"]
    assert case["overlays"] == [f"{path}:16: dibao.standard.urban"]


def test_overlays_need_an_assessor_the_books_loaded(tmp_path):
    import pytest

    from aidrules.engine import Assessor
    books = Books()
    book = books.book(ROOT / "rules", ROOT / "policies")
    assessor = Assessor(book)
    cases, _ = read_cases(_case(tmp_path, TIELI_HOUSEHOLD, OWN_STANDARD), book)
    with pytest.raises(ValueError, match="was not loaded by this Books"):
        books.run(assessor, cases[0])
