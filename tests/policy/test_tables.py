"""Tables as parameters: a dated mapping from declared keys to values of the unit."""

import textwrap
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from aidrules.policy import Kind, PolicyTree


def tree_with(tmp_path, text: str, name: str = "tekun/care.yaml"):
    root = tmp_path / "policies"
    (root / "national").mkdir(parents=True)
    (root / "national" / "jurisdiction.yaml").write_text(
        "name: 全国\nname_en: National\n", encoding="utf-8")
    path = root / "national" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return PolicyTree.check(root)


CARE = """\
    description: 照料护理标准
    description_en: Care by level
    unit: yuan/month
    keys: [able, mild, moderate, severe]
    values:
      2024-01-01:
        value: {able: 100, mild: 300, moderate: 600, severe: 7200}
        unit: yuan/year
        assumed: test
"""


def test_a_table_keeps_each_key_and_converts_each_value_exactly(tmp_path):
    tree, problems = tree_with(tmp_path, CARE.replace("        unit: yuan/year\n", ""))
    assert problems == []
    assert tree.value("tekun.care", "national", date(2024, 6, 1)).value == {
        "able": Decimal(100), "mild": Decimal(300), "moderate": Decimal(600),
        "severe": Decimal(7200)}
    declared = tree.parameters()["tekun.care"]
    assert (declared.kind, declared.keys) == (Kind.MONEY, ("able", "mild", "moderate", "severe"))


def test_a_yearly_table_converts_entry_by_entry(tmp_path):
    tree, problems = tree_with(tmp_path, CARE)
    assert problems == []
    value = tree.value("tekun.care", "national", date(2024, 6, 1)).value
    assert value["mild"] == 25 and value["severe"] == 600 and value["able"] == Fraction(25, 3)


@pytest.mark.parametrize(("value", "message"), [
    ("{able: 100, mild: 300, moderate: 600}",
     "national/tekun/care.yaml:7:12: the table has no value for 'severe'; expected a value "
     "for each key: able, mild, moderate, severe"),
    ("{able: 100, mild: 300, moderate: 600, severe: 900, sever: 1}",
     "national/tekun/care.yaml:7:63: 'sever' is not a key of the table; expected one of able, "
     "mild, moderate, severe; did you mean 'severe'?"),
    ("{able: 100, mild: 300, moderate: 600, severe: 9.999}",
     "national/tekun/care.yaml:7:58: value=9.999 has more than 2 decimals; expected an amount "
     "to the fen (2 decimals)"),
    ("900", "national/tekun/care.yaml:7:12: value=900 is not a table; expected a mapping of "
     "each key to its value, e.g. {able: ..., mild: ...}"),
])
def test_a_mistake_in_a_table_names_the_key(tmp_path, value, message):
    text = CARE.replace("{able: 100, mild: 300, moderate: 600, severe: 7200}", value)
    _, problems = tree_with(tmp_path, text.replace("        unit: yuan/year\n", ""))
    assert [str(p).split("policies/", 1)[1] for p in problems] == [message]


def test_keys_must_be_a_list_of_different_texts(tmp_path):
    _, problems = tree_with(tmp_path, CARE.replace("[able, mild, moderate, severe]",
                                                   "[able, able]"))
    assert [str(p).split("policies/", 1)[1] for p in problems][0] == (
        "national/tekun/care.yaml:4:7: keys=a list is not a list of different texts; "
        "expected a list such as [able, mild, severe], or whole numbers such as [0, 1, 4]")


def test_a_table_changes_the_policy_version_when_one_entry_changes(tmp_path):
    first, _ = tree_with(tmp_path / "a", CARE)
    second, _ = tree_with(tmp_path / "b", CARE.replace("moderate: 600", "moderate: 612"))
    on = date(2024, 6, 1)
    assert first.at("national", on).version != second.at("national", on).version


STEPS = """\
    description: 照料护理占最低工资的比例（按未达到的日常生活指标数）
    description_en: Care as a share of the minimum wage, by failed activities of daily living
    unit: ratio
    keys: [0, 1, 4]
    values:
      2024-01-01:
        value: {0: 1/10, 1: 1/6, 4: 1/4}
        assumed: test
"""


def test_whole_number_keys_are_kept_as_numbers(tmp_path):
    tree, problems = tree_with(tmp_path, STEPS)
    assert problems == []
    assert tree.value("tekun.care", "national", date(2024, 6, 1)).value == {
        0: Fraction(1, 10), 1: Fraction(1, 6), 4: Fraction(1, 4)}
    assert tree.parameters()["tekun.care"].keys == (0, 1, 4)


def test_whole_number_keys_go_up(tmp_path):
    _, problems = tree_with(tmp_path, STEPS.replace("[0, 1, 4]", "[0, 4, 1]"))
    assert [str(p).split("policies/", 1)[1] for p in problems][0] == (
        "national/tekun/care.yaml:4:7: keys=a list are not in increasing order; expected whole "
        "numbers from the smallest up, such as [0, 1, 3, 5]")


def test_a_schedule_starts_at_0_so_every_whole_number_has_an_entry(tmp_path):
    """A step below the first key would give 'unknown' when assessing: refused at load."""
    _, problems = tree_with(tmp_path, STEPS.replace("[0, 1, 4]", "[1, 4]").replace(
        "{0: 1/10, 1: 1/6, 4: 1/4}", "{1: 1/6, 4: 1/4}"))
    assert [str(p).split("policies/", 1)[1] for p in problems][0] == (
        "national/tekun/care.yaml:4:7: the first step of the schedule is 1, so a value below it "
        "has no entry; expected whole numbers starting at 0, such as [0, 1, 3, 5]")


SCHEDULE = """\
    description: 护理比例
    description_en: Care share by failed activities
    unit: ratio
    keys: [0, 1, 4]
    values:
      2024-01-01:
        value: {0: 1/10, 1: 1/6, 4: 1/4}
        assumed: test
"""


def tree_with_province(tmp_path, national: str, province: str):
    root = tmp_path / "policies"
    for layer, text in (("national", national), ("p", province)):
        folder = root / layer
        (folder / "tekun").mkdir(parents=True)
        (folder / "jurisdiction.yaml").write_text("name: 某地\nname_en: Somewhere\n",
                                                  encoding="utf-8")
        (folder / "tekun" / "care.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return PolicyTree.check(root)


def test_a_jurisdiction_may_give_a_schedule_levels_of_its_own(tmp_path):
    tree, problems = tree_with_province(tmp_path, SCHEDULE, """\
        keys: [0, 1, 3, 5]
        values:
          2024-01-01:
            value: {0: 0.1, 1: 0.2, 3: 0.4, 5: 0.8}
            assumed: test
    """)
    assert problems == []
    assert tree.value("tekun.care", "p", date(2024, 6, 1)).value[5] == Fraction(4, 5)
    assert tree.value("tekun.care", "national", date(2024, 6, 1)).value[4] == Fraction(1, 4)


def test_texts_keys_stay_those_declared(tmp_path):
    _, problems = tree_with_province(tmp_path, CARE.replace("        unit: yuan/year\n", ""), """\
        keys: [able, severe]
        values:
          2024-01-01:
            value: {able: 1, severe: 2}
            assumed: test
    """)
    assert any("keys differ from those declared in" in str(p) for p in problems), problems


def test_a_whole_number_key_not_declared_is_named(tmp_path):
    _, problems = tree_with(tmp_path, SCHEDULE.replace("4: 1/4}", "4: 1/4, 6: 1/2}"))
    assert [p.message for p in problems] == ["6 is not a key of the table"], problems
