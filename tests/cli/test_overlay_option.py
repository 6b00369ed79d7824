"""assess, explain and notice take --overlay: directories laid over --policies, later ones
winning; a mistake in an overlay is named at the overlay's own file."""

from pathlib import Path

ROOT = Path(__file__).parents[2]
BELOW = ROOT / "examples" / "applications" / "01-tieli-urban-below-standard.yaml"  # 700 a head
TIELI_URBAN = Path("heilongjiang/yichun/tieli/dibao/standard/urban.yaml")


def _overlay(tmp_path: Path, name: str, value: str) -> Path:
    path = tmp_path / name / TIELI_URBAN
    path.parent.mkdir(parents=True)
    path.write_text(f"values:\n  2025-01-01:\n    value: {value}\n    assumed: for this test\n",
                    encoding="utf-8")
    return tmp_path / name


def test_assess_with_an_overlay_uses_its_values(run, tmp_path):
    assert "30.00" in run("assess", BELOW).output  # (710 − 700) × 3
    result = run("assess", BELOW, "--overlay", _overlay(tmp_path, "raise", "720"))
    assert result.exit_code == 0, result.output
    assert "60.00" in result.output and "30.00" not in result.output


def test_the_last_overlay_wins(run, tmp_path):
    first, second = _overlay(tmp_path, "a", "720"), _overlay(tmp_path, "b", "730")
    result = run("assess", BELOW, "--json", "--overlay", first, "--overlay", second)
    assert '"amount": "90.00"' in result.output, result.output


def test_explain_names_the_overlay_file_a_value_came_from(run, tmp_path):
    overlay = _overlay(tmp_path, "raise", "720")
    result = run("explain", BELOW, "--aid", "dibao", "--overlay", overlay)
    assert result.exit_code == 0, result.output
    assert "720" in result.output


def test_a_mistake_in_an_overlay_is_named_at_its_file(run, tmp_path):
    overlay = _overlay(tmp_path, "raise", "7,20")
    result = run("assess", BELOW, "--overlay", overlay)
    assert result.exit_code == 1
    assert f"{(overlay / TIELI_URBAN).as_posix()}:3:12: value='7,20' is not an amount" in \
        result.output


def test_check_with_an_overlay_checks_it_with_the_policies(run, tmp_path):
    good = run("check", "--overlay", _overlay(tmp_path, "good", "720"))
    assert good.exit_code == 0, good.output
    bad = _overlay(tmp_path, "bad", "7,20")
    result = run("check", "--overlay", bad)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(f"{(bad / TIELI_URBAN).as_posix()}:3:12: ")
