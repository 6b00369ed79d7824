"""Random bytes and random YAML in a rule file never crash the loader: they come back as
problems with a file and a line, and nothing loads."""

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidrules.rulebook import check_rulebook

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(
                                   ["rules", "facts", "id", "when", "aid", "title", "basis",
                                    "formula", "scope", "amount", "x"]), children, max_size=5)),
    max_leaves=15)


@pytest.fixture(scope="module")
def book_copy(tmp_path_factory):
    target = tmp_path_factory.mktemp("book") / "rules"
    shutil.copytree(ROOT / "rules", target)
    return target


def _check(book_copy: Path, content: bytes):
    (book_copy / "zz_fuzz.yaml").write_bytes(content)
    try:
        return check_rulebook(book_copy, ROOT / "policies")
    finally:
        (book_copy / "zz_fuzz.yaml").unlink()


@SETTINGS
@given(st.binary(max_size=200))
def test_random_bytes_are_problems_not_crashes(book_copy, content):
    book, problems = _check(book_copy, content)
    assert (book is None) == bool(problems)
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


@SETTINGS
@given(YAML_VALUES)
def test_random_yaml_is_problems_not_crashes(book_copy, value):
    from io import StringIO

    from ruamel.yaml import YAML
    stream = StringIO()
    YAML().dump(value, stream)
    book, problems = _check(book_copy, stream.getvalue().encode())
    assert (book is None) == bool(problems)
