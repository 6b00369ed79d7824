"""Impact: the same households under a base and a current rule book; who gains, who loses,
what it costs per month (exactly), and which criterion flipped."""

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from aidrules.cases import Books, read_cases
from aidrules.cases.impact import BaseError, base_directories, measure, subjects_from_cases

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "county-sample"
URBAN = Path("heilongjiang/yichun/tieli/dibao/standard/urban.yaml")


def _raised(tmp_path: Path, value: str) -> Path:
    """A copy of the shipped policies with Tieli's urban standard at ``value`` from 2024-07-01."""
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    path = policies / URBAN
    path.write_text(path.read_text(encoding="utf-8").replace("value: 710", f"value: {value}"),
                    encoding="utf-8")
    return policies


def _impact(tmp_path, value):
    books = Books()
    base = books.assessor(ROOT / "rules", ROOT / "policies")
    current = books.assessor(ROOT / "rules", _raised(tmp_path, value))
    cases, problems = read_cases(SAMPLE / "cases" / "dibao.yaml", current.book, roots=[ROOT])
    assert problems == []
    return measure(base, current, subjects_from_cases(cases))


def test_raising_the_standard_by_50_gains_dibao_where_income_per_member_lies_below_it(tmp_path):
    found = _impact(tmp_path, "760")
    assert found.counts()["dibao"] == {"gained": 2, "lost": 0, "amount": 1, "status": 0}
    gained = [c for c in found.changes if c.aid == "dibao" and c.kind == "gained"]
    assert [(c.base_status, c.status, c.amount) for c in gained] == [
        ("ineligible", "eligible", Decimal("100.00")), ("ineligible", "eligible", Decimal("60.00"))]
    assert any("per_capita_income < dibao_standard: 710 vs 710 (margin 0)" in line
               and "710 vs 760 (margin -50)" in line for line in gained[0].flipped)
    assert "parameter dibao.standard.urban: 710 → 760" in gained[0].flipped


def test_the_monthly_cost_is_the_exact_sum_of_every_changed_monthly_amount(tmp_path):
    found = _impact(tmp_path, "760")
    # dibao: 30 → 180 (+150), 0 → 100, 0 → 60; tekun 1233 → 1298 (+65).
    assert found.cost["dibao"] == Decimal("310.00") and found.cost["tekun"] == Decimal("65.00")
    assert found.monthly_cost == Decimal("375.00")
    assert found.one_off == {"temporary_assistance"}
    assert found.one_off_cost == Decimal("100.00")


def test_an_unchanged_policy_changes_nobody(tmp_path):
    found = _impact(tmp_path, "710")
    assert found.changes == [] and found.monthly_cost == 0 and found.households == 6


def test_a_git_revision_is_extracted_as_the_base(tmp_path):
    repo = tmp_path / "county"
    shutil.copytree(ROOT / "rules", repo / "rules")
    shutil.copytree(ROOT / "policies", repo / "policies")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    path = repo / "policies" / URBAN
    path.write_text(path.read_text(encoding="utf-8").replace("value: 710", "value: 760"),
                    encoding="utf-8")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    rules, policies = base_directories("HEAD", repo / "rules", repo / "policies", scratch,
                                       where=repo)
    assert "value: 710" in (policies / URBAN).read_text(encoding="utf-8")
    assert (rules / "book.yaml").is_file()
    with pytest.raises(BaseError, match="neither a directory nor a git revision"):
        base_directories("no-such-rev", repo / "rules", repo / "policies", scratch, where=repo)
