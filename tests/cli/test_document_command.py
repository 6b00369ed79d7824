"""`aidrules document` writes the rule-book page and the coverage table; `--check` says
whether the committed ones are current."""

from pathlib import Path

ROOT = Path(__file__).parents[2]



def test_check_passes_on_the_committed_page(run):
    result = run("document", "--check")
    assert result.exit_code == 0, result.output
    assert "docs/rulebook.md is current." in result.output
    assert "docs/coverage.md is current." in result.output


def test_document_writes_the_same_pages_elsewhere(run, tmp_path):
    out, coverage = tmp_path / "page.md", tmp_path / "coverage.md"
    result = run("document", "--output", out, "--coverage", coverage)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "rulebook.md").read_text(
        encoding="utf-8")
    assert coverage.read_text(encoding="utf-8") == (ROOT / "docs" / "coverage.md").read_text(
        encoding="utf-8")


def test_check_fails_on_a_stale_page_and_writes_nothing(run, tmp_path):
    stale = tmp_path / "page.md"
    stale.write_text("# old\n", encoding="utf-8")
    result = run("document", "--check", "--output", stale, "--coverage", stale)
    assert result.exit_code == 1
    assert "is not current" in result.output
    assert stale.read_text(encoding="utf-8") == "# old\n"
