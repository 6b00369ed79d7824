from pathlib import Path

import pytest

from aidrules.cases import Books

# fixtures/ holds case files that are wrong on purpose: they are read by the tests here,
# never collected as cases by the aidrules plugin.
collect_ignore = ["fixtures"]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def assessor():
    return Books().assessor(ROOT / "rules", ROOT / "policies")
