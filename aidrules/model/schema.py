"""The JSON Schema of an application, built from the model's own classes.

Published at docs/application.schema.json (a test keeps it current) and in the HTTP
service's OpenAPI document. It gives every field, its type and its allowed values; the
reader (application_from_dict) still has the last word on ranges and on fields that must
agree with each other.
"""

from __future__ import annotations

import enum
import types
import typing
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from aidrules.model.application import Application

DIALECT = "https://json-schema.org/draft/2020-12/schema"
AMOUNT = {"description": "yuan, to the fen; text like \"2100.00\" keeps it exact",
          "anyOf": [{"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
                    {"type": "number", "minimum": 0}]}
SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"}, bool: {"type": "boolean"}, int: {"type": "integer"},
    date: {"type": "string", "format": "date"}, Decimal: AMOUNT,
}


def application_schema() -> dict[str, Any]:
    """The schema of one application, its nested classes under ``$defs``."""
    defs: dict[str, Any] = {}
    root = _class_schema(Application, defs)
    return {"$schema": DIALECT, "$id": "https://aidrules.example/application.schema.json",
            "title": "An application for social assistance (aidrules)", **root,
            "$defs": dict(sorted(defs.items()))}


def _class_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    fields = [f for f in attrs.fields(cls) if f.init]
    return {"type": "object", "additionalProperties": False,
            "properties": {f.name: _type_schema(f.type, defs) for f in fields},
            "required": [f.name for f in fields if _required(f)]}


def _required(field: attrs.Attribute) -> bool:
    """As the reader has it: no default, and None (not reported) is not allowed."""
    optional = typing.get_origin(field.type) in (types.UnionType, typing.Union) and (
        type(None) in typing.get_args(field.type))
    return field.default is attrs.NOTHING and not optional


def _type_schema(kind: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if kind in SCALARS:
        return dict(SCALARS[kind])
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {"type": "string", "enum": [member.value for member in kind]}
    if attrs.has(kind):
        if kind.__name__ not in defs:
            defs[kind.__name__] = {}  # placed first: a class may refer to itself
            defs[kind.__name__] = _class_schema(kind, defs)
        return {"$ref": f"#/$defs/{kind.__name__}"}
    return _generic_schema(kind, defs)


def _generic_schema(kind: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        return {"anyOf": [_type_schema(a, defs) if a is not type(None) else {"type": "null"}
                          for a in args]}
    if origin in (tuple, list, frozenset):
        return {"type": "array", "items": _type_schema(args[0], defs)}
    raise TypeError(f"no JSON Schema for the field type {kind!r}")
