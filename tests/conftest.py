from pathlib import Path

import pytest

from aidrules.engine import Assessor
from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def book():
    return load_rulebook(ROOT / "rules", ROOT / "policies")


@pytest.fixture(scope="session")
def assessor(book):
    return Assessor(book)


@pytest.fixture
def run(monkeypatch):
    """Run the ``aidrules`` command in the checkout (its default ./rules and ./policies)."""
    from typer.testing import CliRunner

    from aidrules.cli import app
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])
