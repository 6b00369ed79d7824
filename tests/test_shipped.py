"""The rule book travels with the package: found from any folder, or named by the county
(option, AIDRULES_RULES / AIDRULES_POLICIES, or aidrules.toml)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidrules.cli import app
from aidrules.shipped import ConfigError, load_book, located, located_overlays, shipped

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples/applications/01-tieli-urban-below-standard.yaml"


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """An empty folder as the current directory, with no AIDRULES_* variable set."""
    for name in ("AIDRULES_RULES", "AIDRULES_POLICIES", "AIDRULES_OVERLAYS", "AIDRULES_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_shipped_book_is_found_from_an_empty_folder(elsewhere):
    assert (shipped("rules") / "book.yaml").is_file()
    assert located("policies") == shipped("policies")


def test_assess_runs_from_an_empty_folder_on_an_example_copied_out(elsewhere):
    shutil.copy(EXAMPLE, elsewhere / "a.yaml")
    result = CliRunner().invoke(app, ["assess", "a.yaml", "--json"])
    assert result.exit_code == 0, result.output
    assert '"dibao"' in result.output


def test_a_folder_in_the_current_directory_is_used_before_the_shipped_one(elsewhere):
    (elsewhere / "policies").mkdir()
    assert located("policies") == Path("policies")
    assert located("rules") == shipped("rules")


def test_an_option_wins_over_the_environment(elsewhere, monkeypatch):
    monkeypatch.setenv("AIDRULES_RULES", "from-env")
    assert located("rules", "given") == Path("given")
    assert located("rules") == Path("from-env")


def test_aidrules_toml_names_folders_relative_to_itself(elsewhere):
    (elsewhere / "aidrules.toml").write_text('[book]\npolicies = "county/mine"\n')
    assert located("policies") == elsewhere / "county" / "mine"
    assert located("rules") == shipped("rules")


def test_aidrules_config_names_another_file(elsewhere, monkeypatch):
    (elsewhere / "other.toml").write_text('[book]\nrules = "r"\n')
    monkeypatch.setenv("AIDRULES_CONFIG", str(elsewhere / "other.toml"))
    assert located("rules") == elsewhere / "r"


@pytest.mark.parametrize("text, said", [
    ("[book\n", "cannot read"),
    ("book = 1\n", "[book] must be a table"),
    ("[book]\nrules = 3\n", "[book] rules=3 is not a folder"),
])
def test_a_bad_aidrules_toml_is_a_clear_error(elsewhere, text, said):
    (elsewhere / "aidrules.toml").write_text(text)
    with pytest.raises(ConfigError, match=said.replace("[", r"\[")):
        located("rules")


def test_a_county_book_named_in_the_environment_is_the_one_loaded(elsewhere, monkeypatch):
    monkeypatch.setenv("AIDRULES_POLICIES", str(elsewhere / "nowhere"))
    result = CliRunner().invoke(app, ["assess", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "nowhere" in result.output


def test_load_book_without_arguments_loads_the_shipped_book(elsewhere):
    assert load_book().aids


def test_overlays_come_from_the_environment_or_aidrules_toml(elsewhere, monkeypatch):
    monkeypatch.delenv("AIDRULES_OVERLAYS", raising=False)
    assert located_overlays() == []
    (elsewhere / "aidrules.toml").write_text('[book]\noverlays = ["a", "b"]\n')
    assert located_overlays() == [elsewhere / "a", elsewhere / "b"]
    monkeypatch.setenv("AIDRULES_OVERLAYS", os.pathsep.join(["x", "y"]))
    assert located_overlays() == [Path("x"), Path("y")]
    assert located_overlays([]) == []  # given, even none, wins


def test_an_overlay_named_in_the_environment_is_laid_over_the_book(elsewhere, monkeypatch):
    monkeypatch.setenv("AIDRULES_OVERLAYS", str(elsewhere / "no-such-overlay"))
    result = CliRunner().invoke(app, ["assess", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "no-such-overlay:1:1: the overlay directory does not exist" in result.output


def test_overlays_in_aidrules_toml_must_be_a_list_of_folders(elsewhere, monkeypatch):
    monkeypatch.delenv("AIDRULES_OVERLAYS", raising=False)
    (elsewhere / "aidrules.toml").write_text('[book]\noverlays = "a"\n')
    with pytest.raises(ConfigError, match="is not a list of folders"):
        located_overlays()
