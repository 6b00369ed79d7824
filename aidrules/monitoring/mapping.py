"""Feed mappings: which column of a department file holds what (one small YAML file each).

A mapping is data a county engineer edits, so every defect comes back as
``file:line:col`` with what was expected, all at once (:class:`MappingError`)."""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from aidrules import _yaml
from aidrules.errors import RuleBookError, did_you_mean

EVENT_KINDS = frozenset({
    "student_in_difficulty",  # education bureau: students from families in difficulty
    "unemployment_registered",  # human resources and social security: registered unemployed
    "serious_illness",  # health commission: serious-illness diagnosis
    "medical_bill",  # medical security bureau: large out-of-pocket bill
    "disability_certificate",  # disabled persons' federation: certificate, kind, grade
    "death",  # civil registration / public security: a death
    "vehicle_registered",  # vehicle registration
    "business_registered",  # market regulation: business licence
    "property_registered",  # real-estate registration
})
REQUIRED_COLUMNS = ("id_number", "name", "date")
OPTIONAL_COLUMNS = ("amount",)
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")
_KEYS = ("source", "description", "event", "encoding", "sheet", "columns", "details",
         "date_formats")


class MappingError(RuleBookError):
    """A feed mapping file has defects; every one is listed as file:line:col."""


@attrs.frozen
class FeedMapping:
    source: str
    columns: Mapping[str, str]  # id_number/name/date[/amount] → header text
    event: str | None  # the one event kind every row gives, or None when read from a column
    event_column: str | None = None
    event_values: Mapping[str, str] = attrs.Factory(dict)  # cell text → event kind
    details: Mapping[str, str] = attrs.Factory(dict)  # detail name → header text
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    encoding: str | None = None  # None: detect (BOM, UTF-8, else GB18030)
    sheet: str | None = None  # xlsx: the sheet to read; None: the first
    description: str = ""
    file: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header the file must have."""
        extra = (self.event_column,) if self.event_column else ()
        return (*self.columns.values(), *extra, *self.details.values())


def load_mapping(path: Path | str) -> FeedMapping:
    """The mapping in ``path``, or :class:`MappingError` listing every defect."""
    label = str(path)
    doc, problems = _yaml.load(path, label=label)
    if not problems:
        reader = _Reader(label)
        mapping = reader.mapping(doc)
        problems = reader.problems
        if not problems and mapping is not None:
            return mapping
    raise MappingError(problems, label)


class _Reader(_yaml.Reporter):
    def mapping(self, doc: Any) -> FeedMapping | None:
        if not _yaml.is_mapping(doc):
            self.fail(doc, None, "a feed mapping must be a mapping of keys",
                      expected="source:, event:, columns:")
            return None
        for key in doc:
            if key not in _KEYS:
                self.fail(doc, key, f"unknown key {key!r}", expected=", ".join(_KEYS),
                          suggestion=did_you_mean(str(key), _KEYS), at_key=True)
        source = self.text(doc, "source", required=True)
        columns = self.columns(doc)
        event, column, values = self.event(doc)
        details = self.names(doc, "details") if "details" in doc else {}
        formats = self.formats(doc)
        encoding = self.encoding(doc)
        sheet = self.text(doc, "sheet")
        description = self.text(doc, "description") or ""
        if self.problems or source is None:
            return None
        return FeedMapping(source, columns, event, column, values, details, formats, encoding,
                           sheet, description, self.file)

    def text(self, doc: Any, key: str, required: bool = False) -> str | None:
        if key not in doc:
            if required:
                self.fail(doc, None, f"missing key {key!r}")
            return None
        value = doc[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(doc, key, f"{key} must be a non-empty text", expected="a text")
            return None
        return value.strip()

    def names(self, doc: Any, key: str) -> dict[str, str]:
        node = doc[key]
        if not _yaml.is_mapping(node) or not node:
            self.fail(doc, key, f"{key} must map names to column headers",
                      expected="name: header text")
            return {}
        out = {}
        for name, header in node.items():
            if not isinstance(header, str) or not header.strip():
                self.fail(node, name, f"{key}.{name} must be a column header text")
            else:
                out[str(name)] = header.strip()
        return out

    def columns(self, doc: Any) -> dict[str, str]:
        if "columns" not in doc:
            self.fail(doc, None, "missing key 'columns'", expected=", ".join(REQUIRED_COLUMNS))
            return {}
        columns = self.names(doc, "columns")
        known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
        for name in columns:
            if name not in known:
                self.fail(doc["columns"], name, f"unknown column role {name!r}",
                          expected=", ".join(known), suggestion=did_you_mean(name, known),
                          at_key=True)
        for name in REQUIRED_COLUMNS:
            if columns and name not in columns:
                self.fail(doc, "columns", f"columns has no {name!r}",
                          expected=", ".join(REQUIRED_COLUMNS))
        return columns

    def event(self, doc: Any) -> tuple[str | None, str | None, dict[str, str]]:
        if "event" not in doc:
            self.fail(doc, None, "missing key 'event'",
                      expected="an event kind, or column: and values:")
            return None, None, {}
        node = doc["event"]
        if isinstance(node, str):
            return self.kind(doc, "event", node), None, {}
        if not _yaml.is_mapping(node) or set(node) != {"column", "values"}:
            self.fail(doc, "event", "event must be an event kind, or column: and values:")
            return None, None, {}
        column = self.text(node, "column", required=True)
        values = self.names(node, "values")
        for cell, kind in values.items():
            self.kind(node["values"], cell, kind)
        return None, column, values

    def kind(self, node: Any, key: str, kind: str) -> str:
        if kind not in EVENT_KINDS:
            self.fail(node, key, f"unknown event kind {kind!r}",
                      expected=", ".join(sorted(EVENT_KINDS)),
                      suggestion=did_you_mean(kind, EVENT_KINDS))
        return kind

    def formats(self, doc: Any) -> tuple[str, ...]:
        if "date_formats" not in doc:
            return DEFAULT_DATE_FORMATS
        node = doc["date_formats"]
        if not _yaml.is_sequence(node) or not node:
            self.fail(doc, "date_formats", "date_formats must be a list",
                      expected="a list like ['%Y-%m-%d', '%Y%m%d']")
            return ()
        for i, fmt in enumerate(node):
            if not isinstance(fmt, str) or "%Y" not in fmt or "%d" not in fmt:
                self.fail(node, i, f"date format {fmt!r} must contain %Y, %m and %d")
        return tuple(str(f) for f in node)

    def encoding(self, doc: Any) -> str | None:
        name = self.text(doc, "encoding")
        if name is None or name == "auto":
            return None
        try:
            return codecs.lookup(name).name
        except LookupError:
            self.fail(doc, "encoding", f"unknown encoding {name!r}",
                      expected="auto, utf-8, utf-8-sig, gb18030 or gbk")
            return None
