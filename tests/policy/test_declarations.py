"""A parameter declared once in national/ with no value; jurisdictions give values only."""

from datetime import date
from pathlib import Path

from aidrules.policy import PolicyTree

DECLARATION = "description: 城市低保标准\ndescription_en: Urban standard\nunit: yuan/month\n"
VALUES = "values:\n  2024-07-01:\n    value: {value}\n    assumed: for this test\n"


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "policies"
    for name, text in {"national/dibao/standard/urban.yaml": DECLARATION, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for province in {name.split("/")[0] for name in files} - {"national"}:
        (root / province / "jurisdiction.yaml").write_text(
            f"name: {province}\nname_en: {province}\ncode: \"99\"\n", encoding="utf-8")
    return root


def test_two_provinces_give_only_values_for_one_national_declaration(tmp_path):
    tree = PolicyTree.load(_tree(tmp_path, {
        "jilin/dibao/standard/urban.yaml": VALUES.format(value=800),
        "liaoning/dibao/standard/urban.yaml": VALUES.format(value=750)}))
    assert tree.value("dibao.standard.urban", "jilin", date(2025, 1, 1)).value == 800
    assert tree.value("dibao.standard.urban", "liaoning", date(2025, 1, 1)).value == 750
    assert tree.parameters()["dibao.standard.urban"].file == \
        "policies/national/dibao/standard/urban.yaml"


def test_a_province_that_repeats_the_declaration_still_loads(tmp_path):
    """Repeating description and unit below national is redundant, not wrong."""
    tree = PolicyTree.load(_tree(tmp_path, {
        "jilin/dibao/standard/urban.yaml": DECLARATION + VALUES.format(value=800)}))
    assert tree.value("dibao.standard.urban", "jilin", date(2025, 1, 1)).value == 800
