"""The application's JSON Schema: published in docs/, current, and true to the reader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs  # schemathesis's validator, a test dependency through it
import pytest

from aidrules.errors import ApplicationError
from aidrules.model import application_from_dict, application_to_dict, read_application
from aidrules.model.schema import application_schema

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "docs" / "application.schema.json"


def test_the_published_schema_is_current():
    """Regenerate with: python -c "import json; from aidrules.model.schema import
    application_schema as s; print(json.dumps(s(), indent=2, ensure_ascii=False))"
    > docs/application.schema.json"""
    assert json.loads(PUBLISHED.read_text(encoding="utf-8")) == application_schema()


def as_sent(file: Path) -> dict:
    """An example as a county system would send it in JSON."""
    return json.loads(json.dumps(application_to_dict(read_application(file)), default=str))


EXAMPLES = sorted((ROOT / "examples" / "applications").glob("*.yaml"))


@pytest.mark.parametrize("file", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_is_valid_under_the_published_schema(file):
    validator = jsonschema_rs.Draft202012Validator(application_schema(), validate_formats=True)
    assert list(validator.iter_errors(as_sent(file))) == []


@pytest.mark.parametrize("change, where", [
    (lambda d: d.update(area="city"), ["area"]),
    (lambda d: d.update(colour="red"), []),
    (lambda d: d["household"]["members"][0].pop("relation"), ["household", "members", 0]),
    (lambda d: d["household"]["assets"].update(financial_assets="1.234"),
     ["household", "assets"]),  # assets may be null: the anyOf is one level up
])
def test_the_schema_refuses_what_the_reader_refuses(change, where):
    body = as_sent(EXAMPLES[0])
    change(body)
    errors = list(jsonschema_rs.Draft202012Validator(application_schema()).iter_errors(body))
    assert [list(e.instance_path) for e in errors] == [where]
    with pytest.raises(ApplicationError):
        application_from_dict(body)
