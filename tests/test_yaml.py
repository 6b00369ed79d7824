"""The one YAML reader bounds aliases, for every kind of file read through it: a file whose
aliases expand it past a hundred thousand values is refused at its first alias, at once (a
13 KB file of aliases to aliases once took 46 s to read); an alias inside the value it names
is refused; a few aliases that repeat a part (a household in two cases) still read."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aidrules import _yaml
from aidrules.errors import ApplicationError
from aidrules.model import read_application
from aidrules.policy import PolicyTree

ROOT = Path(__file__).resolve().parents[1]
TOO_MANY = "not valid YAML: " + _yaml.TOO_MANY


def laughs(levels: int = 9) -> str:
    """Each level repeats the one before nine times: 9^levels strings from a few lines."""
    lines = ['l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused_at_once_at_its_first_alias():
    started = time.process_time()
    doc, problems = _yaml.loads(laughs(), "laughs.yaml")
    assert time.process_time() - started < 2
    assert doc is None
    assert [str(p) for p in problems] == [f"laughs.yaml:2:10: {TOO_MANY}"]


def test_an_alias_inside_the_value_it_names_is_refused():
    doc, problems = _yaml.loads("a: &a [1, *a]\n", "f.yaml")
    assert doc is None
    assert [str(p) for p in problems] == [f"f.yaml:1:11: not valid YAML: {_yaml.SELF_ALIAS}"]


def test_a_few_aliases_that_repeat_a_part_still_read():
    doc, problems = _yaml.loads("a: &a [1, 2]\nb: *a\nc: {<<: {x: 1}, y: *a}\n", "f.yaml")
    assert problems == []
    assert doc["b"] == [1, 2] and doc["c"]["y"] == [1, 2]


def test_an_application_with_a_billion_laughs_is_refused_with_its_path(tmp_path):
    text = (ROOT / "examples/applications/01-tieli-urban-below-standard.yaml").read_text("utf-8")
    path = tmp_path / "a.yaml"
    path.write_text(laughs() + text, "utf-8")
    with pytest.raises(ApplicationError) as caught:
        read_application(path)
    assert [str(p) for p in caught.value.problems] == [f"$: {TOO_MANY} (line 2, column 10)"]


def test_a_policy_file_with_a_billion_laughs_is_refused(tmp_path):
    policies = tmp_path / "policies"
    (policies / "national" / "dibao").mkdir(parents=True)
    (policies / "national" / "dibao" / "x.yaml").write_text(laughs(), "utf-8")
    tree, problems = PolicyTree.check(policies)
    assert tree is None
    assert [p.message for p in problems] == [TOO_MANY]
