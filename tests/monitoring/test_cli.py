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
