"""Every command and the Python snippet in the README run as shown, so it cannot rot."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidrules.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", README, re.S)
FILE = "examples/applications/01-tieli-urban-below-standard.yaml"


def commands() -> list[str]:
    """Each `aidrules …` line of the shell blocks (after `&&`, as the quick start writes it)."""
    found = []
    for language, text in BLOCKS:
        for line in text.splitlines():
            line = line.split("  #")[0].split("&&")[-1].strip()
            line = re.sub(r"^\S*/aidrules\b", "aidrules", line)  # .venv/bin/aidrules
            if language == "" and line.startswith("aidrules "):
                found.append(line.replace("FILE", FILE))
    return found


def test_the_readme_shows_the_commands_of_the_tour():
    assert {c.split()[1] for c in commands()} >= {"check", "validate", "assess", "explain", "demo"}


@pytest.mark.parametrize("command", commands())
def test_each_readme_command_runs(command, monkeypatch, tmp_path):
    for shipped in ("rules", "policies", "examples", "feeds", "warnings", "docs"):
        (tmp_path / shipped).symlink_to(ROOT / shipped)  # what a checkout has; outputs land here
    monkeypatch.chdir(tmp_path)
    args = [arg for part in shlex.split(command)[1:]
            for arg in (sorted(str(p) for p in Path().glob(part)) if "*" in part else [part])]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


def test_the_python_snippet_prints_what_its_comment_says():
    snippet = next(text for language, text in BLOCKS if language == "python")
    said = re.search(r"print\(.*\)\s+# (.+)", snippet).group(1).strip()
    done = subprocess.run([sys.executable, "-c", snippet], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == said
