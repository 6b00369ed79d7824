"""`aidrules impact --register`: a whole register screened under the base and the
proposed book gives the per-case impact's counts and costs, per aid type and township."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from aidrules.cases.impact import Subject, measure
from aidrules.columnar import Screener, read_register
from aidrules.columnar.impact import register_impact
from aidrules.engine import Assessor
from aidrules.monitoring.synthetic import generate
from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[2]
ON = date(2026, 1, 1)
PROPOSAL = ROOT / "examples" / "county-sample" / "policies-proposed"


def test_the_register_impact_is_the_per_case_impact(tmp_path):
    generate(tmp_path, 150, 7, date(2025, 12, 1))
    base = load_rulebook(ROOT / "rules", ROOT / "policies")
    proposed = load_rulebook(ROOT / "rules", ROOT / "policies", overlays=[PROPOSAL])
    found = register_impact(Screener(base), Screener(proposed), tmp_path, ON)
    subjects = [Subject(a.application_id, a, ON) for a in read_register(tmp_path, ON)]
    expected = measure(Assessor(base), Assessor(proposed), subjects)
    assert found.changes.num_rows == len(expected.changes) > 0
    counts: dict[str, dict[str, int]] = {}
    cost: dict[str, int] = {}
    for row in found.summary.to_pylist():
        mine = counts.setdefault(row["aid"], dict.fromkeys(("gained", "lost", "amount",
                                                              "status"), 0))
        for kind in mine:
            mine[kind] += row[kind]
        cost[row["aid"]] = cost.get(row["aid"], 0) + row["cost_fen"]
    assert {a: c for a, c in counts.items() if any(c.values())} == expected.counts()
    assert {a: Decimal(f) / 100 for a, f in cost.items() if f} == expected.cost
    assert set(found.summary.column("township").to_pylist()) <= {str(t) for t in range(1, 13)}
    assert sum(found.per_household_fen) == expected.monthly_cost * 100


def test_impact_over_a_register_on_the_command_line(run, tmp_path):
    assert run("county", "generate", "--households", "80", "--seed", "7",
               tmp_path / "county").exit_code == 0
    chart = tmp_path / "impact.svg"
    result = run("impact", "--base", ".", "--overlay", PROPOSAL, "--on", ON.isoformat(),
                 "--register", tmp_path / "county", "--chart", chart)
    assert result.exit_code == 0, result.output
    assert "80 household(s) of the register" in result.output
    assert "Total monthly cost difference" in result.output
    assert chart.read_text().startswith("<svg") and "<rect" in chart.read_text()
    missing = run("impact", "--base", ".", "--register", tmp_path / "county")
    assert missing.exit_code != 0 and "--on" in missing.output
