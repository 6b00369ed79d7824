"""aidrules feeds import / county generate: thin commands with the library's counts."""

from pathlib import Path

ROOT = Path(__file__).parents[2]



def test_importing_a_sample_feed_prints_its_counts_and_screens_it(run):
    result = run("feeds", "import", "feeds/medical_insurance.yaml",
                 "examples/feeds/feeds/2025-03/medical_insurance.xlsx",
                 "--register", "examples/feeds/register", "--on", "2025-03-31")
    assert result.exit_code == 0, result.output
    assert "35 rows: 33 imported, 2 rejected, 0 blank" in result.output
    assert "rejected, bad amount: 1" in result.output
    assert "yellow large_medical_bill_unassisted: 4" in result.output


def test_rejects_are_written_with_line_and_reason(run, tmp_path):
    result = run("feeds", "import", "feeds/medical_insurance.yaml",
                 "tests/monitoring/feeds/bad_dates.csv", "--rejects", tmp_path / "r.csv")
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "line,reason,cells" and len(lines) == 4
    assert lines[1].startswith("3,unknown date format: '03.01.2025'")


def test_a_broken_mapping_exits_1_with_file_line_col(run):
    result = run("feeds", "import", "tests/monitoring/mappings/unknown_event.yaml",
                 "tests/monitoring/feeds/empty.csv")
    assert result.exit_code == 1
    assert "unknown_event.yaml:2:8: unknown event kind 'medical_bil'" in result.output


def test_county_generate_writes_a_register_and_feeds(run, tmp_path):
    result = run("county", "generate", "--households", 100, "--seed", 3, tmp_path)
    assert result.exit_code == 0, result.output
    assert "100 households" in result.output
    assert (tmp_path / "register/people.csv").exists()
    assert (tmp_path / "feeds/2025-03/registrations.csv").exists()


def _one_clean_line(result, *expected: str) -> None:
    """Exit 1, no traceback, and one line on stderr that says what is wrong."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert all(text in lines[0] for text in expected), lines[0]


def test_a_corrupt_excel_file_exits_1_with_one_line(run, tmp_path):
    corrupt = tmp_path / "bills.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not a workbook")
    result = run("feeds", "import", "feeds/medical_insurance.yaml", corrupt)
    _one_clean_line(result, "bills.xlsx", "not a readable Excel workbook")


def test_a_missing_register_exits_1_with_one_line(run, tmp_path):
    result = run("feeds", "import", "feeds/medical_insurance.yaml",
                 "tests/monitoring/feeds/bad_ids.csv", "--register", tmp_path / "nonreg")
    _one_clean_line(result, "nonreg", "households.csv")


def test_missing_warning_rules_exit_1_with_one_line(run, tmp_path):
    result = run("feeds", "import", "feeds/medical_insurance.yaml",
                 "tests/monitoring/feeds/bad_ids.csv", "--register", "examples/feeds/register",
                 "--warnings", tmp_path / "warnings")
    _one_clean_line(result, "warnings", "no warning rules")


def test_a_file_missing_its_identity_column_exits_1_naming_the_column(run, tmp_path):
    bills = tmp_path / "bills.csv"
    bills.write_text("姓名,结算日期,个人自付金额,医疗机构\n王伟,2025-03-01,25000,铁力市人民医院\n",
                     encoding="utf-8")
    result = run("feeds", "import", "feeds/medical_insurance.yaml", bills)
    _one_clean_line(result, "bills.csv", "missing column(s) in the header: 身份证号码")
    assert "rejected, missing column:" in result.stdout  # the rows are still accounted for


def test_an_empty_file_exits_1(run):
    result = run("feeds", "import", "feeds/medical_insurance.yaml",
                 "tests/monitoring/feeds/empty.csv")
    _one_clean_line(result, "empty.csv", "the file is empty")


def test_a_file_with_rejected_rows_but_a_good_header_exits_0(run):
    result = run("feeds", "import", "feeds/medical_insurance.yaml",
                 "tests/monitoring/feeds/bad_ids.csv")
    assert result.exit_code == 0, result.output
    assert "rejected, bad identity number: 3" in result.stdout
