"""JSON Lines for many applications: one line per assessment, one per bad record.

A line is written as soon as its application is assessed and nothing is kept, so a
county's file of any length streams in bounded memory (docs/assessment-json.md,
"Many applications")."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def json_line(document: dict[str, Any]) -> str:
    """One document on one line (UTF-8 text kept as it is), newline included."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def error_document(source: str, record: str | None,
                   problems: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """A record that could not be read or assessed: the file, where in it, and each
    problem by its JSON path (``$`` for the record as a whole)."""
    return {"error": {"source": source, "record": record,
                      "problems": [{"path": path, "message": message}
                                   for path, message in problems]}}
