"""Thresholds are exact at the boundary: generated cases one fen (or one) below, at and
above every reachable comparison come out as the comparison means, in the engine."""

import re
from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from aidrules.cases.boundaries import check, generate
from aidrules.cli import app
from aidrules.model import read_application
from aidrules.testing import TIELI, applications

ROOT = Path(__file__).resolve().parents[2]
BASES = ["01-tieli-urban-below-standard.yaml", "05-tieli-rigid-expenditure-medical.yaml"]


@pytest.mark.parametrize("base", BASES)
def test_every_generated_boundary_case_comes_out_as_its_comparison_means(assessor, base):
    boundaries, _ = generate(assessor, read_application(ROOT / "examples" / "applications" / base))
    assert len(boundaries) >= 30
    wrong = [(b.title, b.expected, check(assessor, b)) for b in boundaries
             if check(assessor, b) != b.expected]
    assert wrong == []


def test_a_household_exactly_at_the_dibao_standard_is_not_below_it(assessor):
    base = read_application(ROOT / "examples" / "applications" / BASES[0])
    boundaries, _ = generate(assessor, base)
    standard = [b for b in boundaries if b.rule == "dibao.household"
                and b.criterion == "per_capita_income < dibao_standard"]
    assert [(b.point, str(b.fact), b.expected) for b in standard] == [
        ("below", "70999/100", "true"), ("at", "710", "false"), ("above", "71001/100", "false")]


def test_comparisons_no_knob_reaches_are_reported_not_dropped(assessor):
    base = read_application(ROOT / "examples" / "applications" / BASES[0])
    _, skipped = generate(assessor, base)
    assert "temporary_assistance.emergency: recent_emergency_count > 0: no knob moves it exactly " \
           "onto the line" in skipped


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applications(on=date(2025, 3, 1)))
def test_boundaries_from_any_tieli_household_come_out_as_their_comparisons_mean(assessor,
                                                                              application):
    application = attrs.evolve(application, jurisdiction=TIELI)
    boundaries, _ = generate(assessor, application)
    assert [(b.title, b.expected) for b in boundaries if check(assessor, b) != b.expected] == []


def test_the_boundaries_command_lists_every_case_and_exits_0_when_all_hold(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["boundaries", f"examples/applications/{BASES[0]}"])
    assert result.exit_code == 0, result.output
    assert re.search(r"\n\d+ boundary case\(s\), 0 not as their comparison means; "
                     r"\d+ comparison\(s\) skipped\.\n", result.output)
