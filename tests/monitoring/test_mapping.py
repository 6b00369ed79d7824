"""Feed mapping files are checked like rule files: every defect at file:line:col."""

from pathlib import Path

import pytest

from aidrules.monitoring import MappingError, load_mapping

HERE = Path("tests/monitoring/mappings")
KINDS = ("business_registered, death, disability_certificate, medical_bill, "
         "property_registered, serious_illness, student_in_difficulty, unemployment_registered, "
         "vehicle_registered")

BROKEN = {
    "bad_encoding.yaml": ["3:11: unknown encoding 'big6'; expected auto, utf-8, utf-8-sig, "
                          "gb18030 or gbk"],
    "bad_event_value.yaml": [f"5:10: unknown event kind 'vehicle'; expected {KINDS}"],
    "misspelt_role.yaml": ["7:3: unknown column role 'amout'; expected id_number, name, date, "
                           "amount; did you mean 'amount'?"],
    "no_date_column.yaml": ["4:3: columns has no 'date'; expected id_number, name, date"],
    "not_yaml.yaml": ["3:1: not valid YAML: expected ',' or ']', but got '<stream end>'"],
    "two_defects.yaml": ["3:1: unknown key 'encodng'; expected source, description, event, "
                         "encoding, sheet, columns, details, date_formats; did you mean "
                         "'encoding'?",
                         "8:16: date format '%d.%m' must contain %Y, %m and %d"],
    "unknown_event.yaml": [f"2:8: unknown event kind 'medical_bil'; expected {KINDS}; did you "
                           "mean 'medical_bill'?"],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_mapping_names_every_defect_by_file_line_and_column(name):
    with pytest.raises(MappingError) as caught:
        load_mapping(HERE / name)
    assert [str(p) for p in caught.value.problems] == [f"{HERE / name}:{m}" for m in BROKEN[name]]


def test_every_broken_mapping_file_has_its_pinned_messages():
    assert sorted(p.name for p in HERE.glob("*.yaml")) == sorted(BROKEN)


@pytest.mark.parametrize("path", sorted(Path("feeds").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_mapping_loads(path):
    mapping = load_mapping(path)
    assert mapping.columns.keys() >= {"id_number", "name", "date"}


def test_shipped_mappings_cover_every_department_named_in_the_closed_loop():
    kinds = set()
    for path in Path("feeds").glob("*.yaml"):
        mapping = load_mapping(path)
        kinds |= {mapping.event} if mapping.event else set(mapping.event_values.values())
    assert kinds == set(KINDS.split(", "))
