"""aidrules feeds import / county generate: thin commands with the library's counts."""

from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]



def test_importing_a_sample_feed_prints_its_counts_and_screens_it(run):
    result = run("feeds", "import", "feeds/medical_insurance.yaml",
                 "examples/feeds/feeds/2025-03/medical_insurance.xlsx",
                 "--register", "examples/feeds/register", "--on", "2025-03-31")
    assert result.exit_code == 0, result.output
    assert "35 rows: 33 imported, 2 rejected, 0 blank" in result.output
    assert "rejected, bad amount: 1" in result.output
    assert "yellow large_medical_bill_unassisted: 4" in result.output


def test_the_warning_thresholds_of_a_jurisdiction_are_chosen_by_name(run):
    args = ("feeds", "import", "feeds/medical_insurance.yaml",
            "examples/feeds/feeds/2025-03/medical_insurance.xlsx",
            "--register", "examples/feeds/register", "--on", "2025-03-31", "--jurisdiction")
    tieli = run(*args, "heilongjiang/yichun/tieli")
    assert tieli.exit_code == 0, tieli.output
    assert "yellow large_medical_bill_unassisted: 4" in tieli.output
    misspelt = run(*args, "heilongjiang/yichun/teili")
    assert misspelt.exit_code == 1
    assert "did you mean 'heilongjiang/yichun/tieli'?" in misspelt.output


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


def _register(tmp_path, households: str, people: str) -> Path:
    register = tmp_path / "register"
    register.mkdir()
    (register / "households.csv").write_text(households, encoding="utf-8")
    (register / "people.csv").write_text(people, encoding="utf-8")
    return register


HOUSEHOLDS = "household_id,grid,status,members,review_on,grace_ends_on\nH1,G1,none,1,,\n"
PEOPLE = "id_number,name,household_id,is_earner\n23078119700102011X,王伟,H1,1\n"


@pytest.mark.parametrize("households, people, expected", [
    ("household_id,grid\nH1,G1\n", PEOPLE,
     "households.csv:1: missing column(s): status, members, review_on, grace_ends_on"),
    (HOUSEHOLDS.replace(",1,,", ",one,,"), PEOPLE,
     "households.csv:2: members='one' is not a whole number"),
    (HOUSEHOLDS.replace(",1,,", ",1,2025-13-01,"), PEOPLE,
     "households.csv:2: review_on='2025-13-01' is not a date (YYYY-MM-DD)"),
    (HOUSEHOLDS.replace("none", "dibo"), PEOPLE,
     "households.csv:2: status='dibo' is not one of dibao, tekun"),
    (HOUSEHOLDS, PEOPLE.replace("H1", "H9"),
     "people.csv:2: household_id='H9' is not in households.csv"),
    (HOUSEHOLDS, PEOPLE + "230781198506300226,李娜\n",
     "people.csv:3: the row has 2 cells, the header 4"),
])
def test_a_bad_register_exits_1_with_one_line_naming_file_and_line(run, tmp_path, households,
                                                                   people, expected):
    register = _register(tmp_path, households, people)
    result = run("feeds", "import", "feeds/medical_insurance.yaml",
                 "tests/monitoring/feeds/bad_ids.csv", "--register", register)
    _one_clean_line(result, expected)
    assert "23078119700102011X" not in result.output


def test_a_register_not_in_utf8_exits_1_with_one_line(run, tmp_path):
    register = _register(tmp_path, HOUSEHOLDS, "")
    (register / "people.csv").write_bytes(PEOPLE.encode("gbk"))
    result = run("feeds", "import", "feeds/medical_insurance.yaml",
                 "tests/monitoring/feeds/bad_ids.csv", "--register", register)
    _one_clean_line(result, "people.csv", "not UTF-8 text")


def test_rejects_and_name_mismatches_show_no_whole_identity_number_or_name(run, tmp_path):
    bills = tmp_path / "bills.csv"
    bills.write_text("身份证号码,姓名,结算日期,个人自付金额,医疗机构\n"
                     "23078119700102011X,王建国,2025-13-01,100,医院\n"
                     "23078119700102011X,王建国,2025-03-01,100,医院\n", encoding="utf-8")
    register = _register(tmp_path, HOUSEHOLDS, PEOPLE)
    result = run("feeds", "import", "feeds/medical_insurance.yaml", bills, "--register",
                 register, "--rejects", tmp_path / "r.csv", "--on", "2025-03-31")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "name '王*国' differs from the registered '王*'" in result.output
    assert "230781********011X | 王*国 | 2025-13-01" in written
    for text in (result.output, written):
        assert "23078119700102011X" not in text and "王建国" not in text and "王伟" not in text


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(1)"])
def test_a_rejects_file_never_starts_a_cell_with_a_formula(run, tmp_path, cell):
    import csv
    bills = tmp_path / "bills.csv"
    with bills.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["医疗机构", "身份证号码", "姓名", "结算日期", "个人自付金额"],
                                 [cell, "23078119700102011X", "王伟", "2025-13-01", "100"]])
    result = run("feeds", "import", "feeds/medical_insurance.yaml", bills,
                 "--rejects", tmp_path / "r.csv")
    assert result.exit_code == 0, result.output
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 2
    assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r"))
               for row in rows for value in row)
    assert rows[1][2].startswith("'" + cell)


@pytest.mark.parametrize("text, written", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("王伟", "王伟"), ("", ""), ("1=1", "1=1")])
def test_a_cell_a_spreadsheet_would_read_as_a_formula_is_written_as_text(text, written):
    from aidrules.cli.feeds import spreadsheet_safe
    assert spreadsheet_safe(text) == written


def test_the_count_made_apart_from_the_reader_is_printed(run, tmp_path):
    bills = tmp_path / "bills.csv"
    bills.write_bytes("身份证号码,姓名,结算日期,个人自付金额,医疗机构\r"
                      "23078119700102011X,\"王伟,2025-03-01,100,医院\r"
                      "230781198506300226,李娜,2025-03-01,100,医院\r".encode())
    result = run("feeds", "import", "feeds/medical_insurance.yaml", bills)
    assert result.exit_code == 0, result.output
    assert "2 rows: 1 imported, 1 rejected, 0 blank; 3 lines in the file, each in a row or the " \
        "header" in result.output
    assert "rejected, unmatched quote: 1" in result.output


def test_an_xlsx_with_a_doctype_exits_1_with_one_line(run, tmp_path):
    import zipfile

    import openpyxl
    path = tmp_path / "dtd.xlsx"
    openpyxl.Workbook().save(path)
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = b'<!DOCTYPE x [<!ENTITY a "a">]>' + parts[sheet]
    with zipfile.ZipFile(path, "w") as new:
        for name, data in parts.items():
            new.writestr(name, data)
    result = run("feeds", "import", "feeds/medical_insurance.yaml", path)
    _one_clean_line(result, "dtd.xlsx: not a readable Excel workbook", "DOCTYPE")


def test_a_line_that_is_not_split_into_cells_is_withheld_from_the_rejects_file(run, tmp_path):
    bills = tmp_path / "bills.csv"
    bills.write_text("身份证号码,姓名,结算日期,个人自付金额,医疗机构\n"
                     '230781198506300226,"王建国,2025-03-01,100,医院\n', encoding="utf-8")
    result = run("feeds", "import", "feeds/medical_insurance.yaml", bills,
                 "--rejects", tmp_path / "r.csv")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert written[1].startswith("2,unmatched quote:")
    assert written[1].endswith(",(the line is not split into cells: 41 characters withheld)")
    assert "王建国" not in "".join(written)
