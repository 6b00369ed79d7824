"""Kept regression (found by Hypothesis): free text holding a Unicode line break (U+0085,
U+2028, U+2029) reads back unchanged from a written YAML file. (A name may hold no line
break at all: names are one line.)"""

from pathlib import Path

import attrs
import pytest

from aidrules.model import read_application, write_application

EXAMPLES = Path(__file__).parents[2] / "examples" / "applications"
EXAMPLE = EXAMPLES / "01-tieli-urban-below-standard.yaml"


@pytest.mark.parametrize("text", ["0\x85", "a\u2028b", "x\u2029 y"])
def test_free_text_with_a_unicode_line_break_survives_a_yaml_file(tmp_path, text):
    application = read_application(EXAMPLE)
    head = attrs.evolve(application.household.members[0], illness=text)
    changed = attrs.evolve(application, household=attrs.evolve(
        application.household, members=(head, *application.household.members[1:])))
    write_application(changed, tmp_path / "a.yaml")
    assert read_application(tmp_path / "a.yaml") == changed


@pytest.mark.parametrize("name", ["0\x85", "a\u2028b", "x\u2029 y", "a\nb"])
def test_a_name_with_a_line_break_is_refused(name):
    application = read_application(EXAMPLE)
    with pytest.raises(ValueError, match="must not hold the hidden character"):
        attrs.evolve(application.household.members[0], name=name)
