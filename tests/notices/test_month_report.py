"""The monthly report reads a live ledger: its figures are the ledger's for that month,
the same in the chart page and the CSV, and the households' red / yellow / blue are never
mixed with the warnings' colours."""

from __future__ import annotations

import csv
import re
import sqlite3
import subprocess

import pytest

from aidrules.notices import screenshot
from tests.notices.png import gray_levels, variance
from tests.notices.test_documents import needs_chromium


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    from typer.testing import CliRunner

    from aidrules.cli import app
    db = tmp_path_factory.mktemp("report") / "county.db"
    result = CliRunner().invoke(app, ["demo", "--households", "150", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _csv(run, db, month, tmp_path):
    out = tmp_path / f"{month}.csv"
    result = run("report", "month", "--db", db, "--month", month, "--format", "csv",
                 "--out", out, "--leave-out", "EX-")
    assert result.exit_code == 0, result.output
    return {(r["section"], r["item"]): int(r["count"])
            for r in csv.DictReader(out.read_text(encoding="utf-8").splitlines())}


def test_the_figures_are_the_ledgers_for_the_month(run, ledger, tmp_path):
    rows = _csv(run, ledger, "2025-03", tmp_path)
    with sqlite3.connect(ledger) as db:
        warned = db.execute("select count(*) from early_warnings where raised_on between "
                            "'2025-03-01' and '2025-03-31' and household_id not like 'EX-%'"
                            ).fetchone()[0]
        red = db.execute("select count(*) from households where risk_level = 'red' and "
                         "id not like 'EX-%'").fetchone()[0]
    assert sum(n for (section, _), n in rows.items()
               if section == "warnings_by_department") == warned > 0
    assert rows.get(("households_by_risk", "red"), 0) == red
    assert ("people_monitored", "") in rows and ("tasks_overdue", "") in rows


def test_a_month_with_nothing_in_it_counts_nothing(run, ledger, tmp_path):
    rows = _csv(run, ledger, "2024-01", tmp_path)
    assert rows[("people_monitored", "")] == 0
    assert not any(section == "warnings_by_department" for section, _ in rows)


def test_a_month_that_is_not_a_month_is_refused(run, ledger):
    result = run("report", "month", "--db", ledger, "--month", "2025-13")
    assert result.exit_code == 1 and "expected YYYY-MM" in result.output


@needs_chromium
def test_the_report_prints_with_its_charts(run, ledger, tmp_path):
    html_file, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    for out, format in ((html_file, "html"), (pdf, "pdf")):
        result = run("report", "month", "--db", ledger, "--month", "2025-03",
                     "--format", format, "--out", out, "--leave-out", "EX-")
        assert result.exit_code == 0, result.output
    html = html_file.read_text(encoding="utf-8")
    assert html.count("<svg") >= 3 and "<script" not in html
    risk = html[html.index("低收入家庭（按困难等级"):]
    assert "红色预警" not in risk and "预警" not in risk.split("</svg>")[0]
    _, _, levels = gray_levels(screenshot(html, tmp_path / "report.png", width=600, height=800))
    assert variance(levels) > 100
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                                               capture_output=True, text=True).stdout)
    for part in ("铁力市民政局", "监测对象（人）", "预警信息（按来源部门）", "医保局",
                 "低收入家庭（按困难等级，户）"):
        assert part in text, part


def _full_names(db) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [n for (n,) in connection.execute("select distinct name from members")
                if len(n) > 1]


def test_the_referral_form_and_the_task_sheet_show_no_whole_id_or_name(run, ledger, tmp_path):
    with sqlite3.connect(ledger) as db:
        brand = db.execute("select brand from referrals order by pushed_on limit 1").fetchone()[0]
        month = db.execute("select substr(pushed_on, 1, 7) from referrals order by pushed_on "
                           "limit 1").fetchone()[0]
        grid, raised = db.execute("select t.grid, w.raised_on from verification_tasks t join "
                                  "warnings w on w.id = t.warning_id order by t.id limit 1"
                                  ).fetchone()
    pages = {}
    for name, args in (("referral", ["referral", "--brand", brand, "--month", month]),
                       ("tasks", ["tasks", "--grid", grid, "--on", raised])):
        out = tmp_path / f"{name}.html"
        result = run(*args, "--db", ledger, "--out", out)
        assert result.exit_code == 0, result.output
        pages[name] = out.read_text(encoding="utf-8")
    assert "信息推送单" in pages["referral"] and "********" in pages["referral"]
    assert "入户核查任务单" in pages["tasks"] and pages["tasks"].count("<tr>") > 1
    names = _full_names(ledger)
    for page in pages.values():
        assert not re.search(r"\d{17}[\dXx]", page)
        assert [n for n in names if n in page] == []


def test_the_public_notice_from_a_ledger_lists_the_noticed_cases_masked(run, ledger, tmp_path):
    with sqlite3.connect(ledger) as db:
        first, last = db.execute("select min(notice_from), max(notice_from) from cases"
                                 ).fetchone()
    out = tmp_path / "publicity.html"
    result = run("publicity", "--db", ledger, "--start", first, "--end", last,
                 "--format", "html", "--out", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count("<tr>") > 1 and "铁力市民政局" in page
    assert not re.search(r"\d{17}[\dXx]", page)
    assert [n for n in _full_names(ledger) if n in page] == []


def test_the_task_sheet_without_a_day_is_the_one_for_today(run, ledger, tmp_path):
    """``aidrules tasks`` without --on lists the tasks open today (it once failed on
    formatting no date)."""
    from datetime import date
    with sqlite3.connect(ledger) as db:
        grid = db.execute("select grid from verification_tasks limit 1").fetchone()[0]
    out = tmp_path / "today.html"
    result = run("tasks", "--grid", grid, "--db", ledger, "--out", out)
    assert result.exit_code == 0, result.output
    assert date.today().isoformat() in out.read_text(encoding="utf-8")
