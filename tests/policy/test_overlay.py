"""Overlays laid over a policy tree: directories of policy files (a proposal, a published
example's own standard) and dated values written inline in another file (a case)."""

from datetime import date
from pathlib import Path

import pytest

from aidrules import _yaml
from aidrules.errors import RuleBookError
from aidrules.policy import InlineValues, PolicyTree

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "policies"
TIELI = "heilongjiang/yichun/tieli"
VALUES_ONLY = "values:\n  2026-01-01:\n    value: {value}\n    assumed: a proposal\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _inline(text: str, name: str = "dibao.standard.urban", jurisdiction: str = TIELI,
            file: str = "cases/x.yaml") -> InlineValues:
    doc, problems = _yaml.loads(text, file)
    assert not problems
    line, col = _yaml.position(doc["parameters"], name)
    return InlineValues(name, jurisdiction, doc["parameters"][name], file, line, col)


def test_a_file_of_an_overlay_replaces_the_same_file_of_the_tree(tmp_path):
    overlay = tmp_path / "proposal"
    written = _write(overlay / "heilongjiang/yichun/tieli/dibao/standard/urban.yaml",
                     VALUES_ONLY.format(value=760))
    tree = PolicyTree.load(SHIPPED, [overlay])
    found = tree.value("dibao.standard.urban", TIELI, date(2026, 1, 1))
    assert (found.value, found.file) == (760, written.as_posix())
    before = tree.value("dibao.standard.urban", TIELI, date(2025, 1, 1))
    assert before.jurisdiction == "heilongjiang/yichun"  # the whole file is replaced


def test_without_overlays_the_tree_is_the_shipped_tree(tmp_path):
    assert PolicyTree.load(SHIPPED, []).digest == PolicyTree.load(SHIPPED).digest
    overlay = tmp_path / "proposal"
    _write(overlay / "heilongjiang/yichun/tieli/dibao/standard/urban.yaml",
           VALUES_ONLY.format(value=760))
    assert PolicyTree.load(SHIPPED, [overlay]).digest != PolicyTree.load(SHIPPED).digest


def test_an_overlay_may_add_a_jurisdiction_with_only_its_values(tmp_path):
    overlay = tmp_path / "jilin-example"
    _write(overlay / "jilin/jurisdiction.yaml", 'name: 吉林省\nname_en: Jilin\ncode: "22"\n')
    _write(overlay / "jilin/dibao/standard/urban.yaml", VALUES_ONLY.format(value=800))
    tree = PolicyTree.load(SHIPPED, [overlay])
    assert tree.value("dibao.standard.urban", "jilin", date(2026, 3, 1)).value == 800


def test_a_mistake_in_an_overlay_is_reported_at_the_overlay_file(tmp_path):
    overlay = tmp_path / "proposal"
    written = _write(overlay / "heilongjiang/yichun/tieli/dibao/standard/urban.yaml",
                     VALUES_ONLY.format(value="7,60"))
    with pytest.raises(RuleBookError) as info:
        PolicyTree.load(SHIPPED, [overlay])
    assert [str(p).split(": ", 1)[0] for p in info.value.problems] == [
        f"{written.as_posix()}:3:12"]


def test_an_overlay_that_is_not_a_directory_is_one_problem(tmp_path):
    tree, problems = PolicyTree.check(SHIPPED, [tmp_path / "nowhere"])
    assert tree is None
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'nowhere'}:1:1: the overlay directory does not exist; expected a "
        "directory of policy files laid out as policies/ is"]


def test_inline_values_replace_the_jurisdictions_values_of_that_parameter():
    values = _inline("parameters:\n  dibao.standard.urban:\n    2025-01-01:\n"
                     "      value: 720\n      source: {document: 某县民政局通知, article: 一}\n")
    tree = PolicyTree.load(SHIPPED, [values])
    found = tree.value("dibao.standard.urban", TIELI, date(2025, 3, 1))
    assert (found.value, found.file, found.line, found.source.document) == (
        720, "cases/x.yaml", 3, "某县民政局通知")
    assert tree.value("dibao.standard.urban", "heilongjiang/yichun", date(2025, 3, 1)).value \
        == 710


def test_an_inline_value_without_a_basis_is_reported_in_the_file_it_is_written_in():
    values = _inline("parameters:\n  dibao.standard.urban:\n    2025-01-01:\n"
                     "      value: 720\n")
    tree, problems = PolicyTree.check(SHIPPED, [values])
    assert tree is None
    assert [str(p) for p in problems] == [
        "cases/x.yaml:3:5: the value for 2025-01-01 has neither source nor assumed; expected "
        "source: {document: ..., article: ...}, or assumed: <why this value was chosen>"]


def test_inline_values_for_an_unknown_jurisdiction_are_a_problem():
    values = _inline("parameters:\n  dibao.standard.urban:\n    2025-01-01: {value: 1, "
                     "assumed: x}\n", jurisdiction="heilongjiang/yichun/tiel")
    _, problems = PolicyTree.check(SHIPPED, [values])
    assert str(problems[0]).startswith(
        "cases/x.yaml:2:3: unknown jurisdiction 'heilongjiang/yichun/tiel' for the values of "
        "dibao.standard.urban; expected one of ")
    assert str(problems[0]).endswith("did you mean 'heilongjiang/yichun/tieli'?")


def test_a_missing_policy_directory_is_named_as_given_even_with_an_overlay(tmp_path):
    overlay = tmp_path / "proposal"
    _write(overlay / "heilongjiang/yichun/tieli/dibao/standard/urban.yaml",
           VALUES_ONLY.format(value=760))
    _, problems = PolicyTree.check(tmp_path / "nowhere", [overlay])
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'nowhere'}:1:1: the policy directory does not exist; expected a directory "
        "holding national/ and the jurisdictions"]
