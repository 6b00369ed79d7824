"""The application's JSON Schema: published in docs/, current, and true to the reader."""

from __future__ import annotations

import json
from pathlib import Path

from aidrules.model import application_to_dict, read_application
from aidrules.model.schema import application_schema

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "docs" / "application.schema.json"


def test_the_published_schema_is_current():
    """Regenerate with: python -c "import json; from aidrules.model.schema import
    application_schema as s; print(json.dumps(s(), indent=2, ensure_ascii=False))"
    > docs/application.schema.json"""
    assert json.loads(PUBLISHED.read_text(encoding="utf-8")) == application_schema()


def test_every_field_of_every_example_is_in_the_schema():
    schema = application_schema()
    for file in sorted((ROOT / "examples" / "applications").glob("*.yaml")):
        _within(application_to_dict(read_application(file)), schema, schema, file.name)


def _within(value, node, schema, where):
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in node:
        return
    if node.get("type") == "object":
        assert set(value) <= set(node["properties"]), where
        assert set(node["required"]) <= set(value), where
        for key, item in value.items():
            _within(item, node["properties"][key], schema, f"{where}.{key}")
    elif node.get("type") == "array":
        for i, item in enumerate(value):
            _within(item, node["items"], schema, f"{where}[{i}]")
    elif "enum" in node:
        assert value in node["enum"], where
