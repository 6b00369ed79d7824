"""`aidrules screen` on a generated county writes one Parquet row per household, the same
as the per-case path, and prints the summary per aid type."""

from __future__ import annotations

from datetime import date

import pyarrow.parquet as pq

from aidrules.model import application_from_dict
from aidrules.monitoring.synthetic import Facts
from tests.columnar.both import differences, per_case

ON = date(2025, 3, 31)


def test_screen_a_generated_county(run, tmp_path, assessor):
    assert run("county", "generate", "--households", "60", "--seed", "3",
               tmp_path / "county").exit_code == 0
    out = tmp_path / "screened.parquet"
    result = run("screen", tmp_path / "county", "--on", ON.isoformat(), "--out", out)
    assert result.exit_code == 0, result.output
    assert "dibao" in result.output and "60 households" in result.output
    assert "amount pending" in result.output
    screened = pq.read_table(out).to_pylist()
    facts = Facts(tmp_path / "county" / "register")
    applications = [application_from_dict(facts.application(h, ON)) for h in facts.households]
    assert differences([per_case(assessor, a) for a in applications], screened) == []


def test_screen_application_files(run, tmp_path):
    out = tmp_path / "examples.parquet"
    result = run("screen", "examples/applications", "--on", "2025-03-01", "--out", out)
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).num_rows == 14


def test_a_register_that_is_not_there(run, tmp_path):
    result = run("screen", tmp_path / "nothing", "--on", "2025-03-01",
                 "--out", tmp_path / "x.parquet")
    assert result.exit_code == 1 and "nothing" in result.output


def test_screen_under_another_jurisdiction(run, tmp_path, assessor):
    out = tmp_path / "yichun.parquet"
    result = run("screen", "examples/applications", "--on", "2025-03-01",
                 "--jurisdiction", "heilongjiang/yichun", "--out", out)
    assert result.exit_code == 0, result.output
    from aidrules.model import read_application
    from tests.columnar.both import ROOT_APPLICATIONS
    applications = [read_application(p) for p in ROOT_APPLICATIONS]
    expected = [per_case(assessor, a, date(2025, 3, 1), "heilongjiang/yichun")
                for a in applications]
    assert differences(expected, pq.read_table(out).to_pylist()) == []


def test_an_engine_that_is_not_known(run, tmp_path):
    result = run("screen", "examples/applications", "--on", "2025-03-01",
                 "--engine", "oracle", "--out", tmp_path / "x.parquet")
    assert result.exit_code == 1 and "duckdb, spark" in result.output


def test_the_full_reasons_of_one_screened_household(run, tmp_path, assessor):
    """`aidrules screen-explain` finds the household in the register the screening read
    and gives the per-case path's reasons, as of the screening's date."""
    assert run("county", "generate", "--households", "12", "--seed", "4",
               tmp_path / "county").exit_code == 0
    out = tmp_path / "screened.parquet"
    assert run("screen", tmp_path / "county", "--on", ON.isoformat(), "--out", out).exit_code == 0
    row = pq.read_table(out).to_pylist()[3]
    household = row["application_id"].removeprefix("M-")
    result = run("screen-explain", "--from", out, "--household", household, "--aid", "dibao")
    assert result.exit_code == 0, result.output
    facts = Facts(tmp_path / "county" / "register")
    application = application_from_dict(facts.application(household, ON))
    expected = assessor.explain(assessor.assess(application, on=ON), "dibao")
    assert expected.strip() in result.output
    assert {"eligible": "符合", "ineligible": "不符合"}.get(row["dibao"], "") in result.output
    missing = run("screen-explain", "--from", out, "--household", "H9999999")
    assert missing.exit_code == 1 and "no household H9999999" in missing.output
