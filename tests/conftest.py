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
