"""The OpenAPI document: FastAPI's, generated from the routes, with the application's
JSON Schema (aidrules.model.schema) as the request body of every route that takes one."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI

from aidrules.model.schema import application_schema

APPLICATION_REF = {"$ref": "#/components/schemas/Application"}
APPLICATION_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": APPLICATION_REF}}}}


def document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document, built once."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi
        spec = get_openapi(title=app.title, version=app.version, routes=app.routes,
                           description=app.description)
        spec.setdefault("components", {}).setdefault("schemas", {}).update(_schemas())
        app.openapi_schema = spec
    return app.openapi_schema


def _schemas() -> dict[str, Any]:
    schema = application_schema()
    defs = schema.pop("$defs")
    for name in ("$schema", "$id"):
        schema.pop(name)
    text = json.dumps({"Application": schema, **defs})
    return json.loads(text.replace('"#/$defs/', '"#/components/schemas/'))
