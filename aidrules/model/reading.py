"""Reading applications from dicts, YAML and JSON, and writing them back.

The reader walks the model's own attrs fields: each field's type says how to read
it, and the rule kept in its metadata (the same one the class checks when built)
says what is wrong with it. Every bad field is reported at once, by its path
(``$.household.members[2].incomes[0].amount``), in one :class:`ApplicationError`.
Nothing else escapes, whatever the input.

Amounts are exact. They may be written as text (``"1234.50"``) or whole numbers;
a YAML float such as ``1234.5`` is read through its shortest decimal spelling, so
it is taken as written, and rejected like any other amount if it has more than two
decimal places. JSON numbers are parsed as Decimal from the start. Booleans must be
real booleans (YAML 1.2 ``true``/``false``; ``yes`` is text). A field left out
means its default, or None (*not reported*) where None is allowed.
"""

from __future__ import annotations

import json
import math
import re
import types
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, cast, get_args, get_origin

import attrs
from ruamel.yaml import YAML
from ruamel.yaml.scalarbool import ScalarBoolean

from aidrules import _yaml
from aidrules.errors import ApplicationError, FieldProblem, did_you_mean
from aidrules.model import application as model
from aidrules.model._checks import shown

_INVALID = object()  # a field that has problems (already reported)
_DEFAULT = object()  # a field left out that has a default
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# ---- Reading -------------------------------------------------------------------------

def application_from_dict(data: Mapping[str, Any], source: str = "") -> model.Application:
    """The application in ``data``, or ApplicationError listing every bad field."""
    problems: list[FieldProblem] = []
    application = _structure(data, model.Application, "$", problems)
    if problems:
        raise ApplicationError(problems, source)
    return application


def application_from_json(document: bytes | str, source: str = "") -> model.Application:
    """The application in a JSON document (bytes as UTF-8), numbers kept exact, or
    ApplicationError listing every bad field (``$`` when it is not JSON at all)."""
    data, message = _parse_json(document)
    if message:
        raise ApplicationError([FieldProblem("$", message)], source)
    return application_from_dict(data, source)


def applications_from_json(document: bytes | str, source: str = "") -> list[model.Application]:
    """The applications in a JSON array (a register sent whole), or ApplicationError
    listing every bad field of every one, by ``$[index]`` paths."""
    data, message = _parse_json(document)
    if message is None and not isinstance(data, list):
        message = f"must be a list of applications, got {shown(data)}"
    if message:
        raise ApplicationError([FieldProblem("$", message)], source)
    return _structure_all(data, source)


def read_application(path: Path | str) -> model.Application:
    """The one application in a YAML file (or JSON, by the ``.json`` extension)."""
    return application_from_dict(_load(path), source=str(path))


def read_applications(path: Path | str) -> list[model.Application]:
    """Every application in a file holding a list of them (or a single one)."""
    data = _load(path)
    if not isinstance(data, list):
        return [application_from_dict(data, source=str(path))]
    return _structure_all(data, str(path))


def _structure_all(data: list[Any], source: str) -> list[model.Application]:
    problems: list[FieldProblem] = []
    found = [_structure(item, model.Application, f"$[{index}]", problems)
             for index, item in enumerate(data)]
    if problems:
        raise ApplicationError(problems, source)
    return found


def _structure(value: Any, kind: Any, path: str, out: list[FieldProblem]) -> Any:
    """``value`` read as ``kind``, or _INVALID after reporting why not."""
    if attrs.has(kind):
        return _structure_class(value, kind, path, out)
    if isinstance(kind, types.UnionType):  # X | None
        inner = next(arg for arg in get_args(kind) if arg is not type(None))
        return None if value is None else _structure(value, inner, path, out)
    if get_origin(kind) is tuple:
        return _structure_items(value, get_args(kind)[0], path, out)
    return _LEAVES.get(kind, _plain)(value)


def _structure_class(data: Any, cls: type, path: str, out: list[FieldProblem]) -> Any:
    if not isinstance(data, Mapping):
        out.append(FieldProblem(path, f"must be a mapping of fields, got {shown(data)}"))
        return _INVALID
    _report_unknown_fields(data, cls, path, out)
    values = {a.name: _structure_field(data, a, f"{path}.{a.name}", out) for a in attrs.fields(cls)}
    if any(value is _INVALID for value in values.values()):
        return _INVALID
    try:
        return cls(**{name: value for name, value in values.items() if value is not _DEFAULT})
    except model.InconsistentApplication as exc:  # fields that do not fit together
        out.extend(FieldProblem(path + below, message) for below, message in exc.problems)
        return _INVALID
    except (ValueError, TypeError) as exc:  # a safety net: the rules above should catch all
        out.append(FieldProblem(path, str(exc)))
        return _INVALID


def _report_unknown_fields(data: Mapping, cls: type, path: str, out: list[FieldProblem]) -> None:
    names = [a.name for a in attrs.fields(cls)]
    for key in data:
        if key not in names:
            close = did_you_mean(key, names) if isinstance(key, str) else None
            hint = f"; did you mean '{close}'?" if close else ""
            out.append(FieldProblem(path, f"unknown field {shown(key)}{hint}"))


def _structure_field(data: Mapping, a: attrs.Attribute, path: str, out: list[FieldProblem]) -> Any:
    if a.name not in data:
        return _missing(a, path, out)
    value = _structure(data[a.name], a.type, path, out)
    if value is _INVALID:
        return _INVALID
    value = cast(Callable[[Any], Any], a.converter)(value) if a.converter else value
    found = _field_problems(a, value)
    out.extend(FieldProblem(path + sub, message) for sub, message in found)
    return _INVALID if found else value


def _missing(a: attrs.Attribute, path: str, out: list[FieldProblem]) -> Any:
    if a.default is not attrs.NOTHING:
        return _DEFAULT
    if isinstance(a.type, types.UnionType) and type(None) in get_args(a.type):
        return None  # left out: not reported
    out.append(FieldProblem(path, "is required"))
    return _INVALID


def _field_problems(a: attrs.Attribute, value: Any) -> list[tuple[str, str]]:
    message = a.metadata["rule"](value)
    if message:
        return [("", message)]
    check = a.metadata["check"]
    return list(check(value)) if check else []


def _structure_items(value: Any, kind: type, path: str, out: list[FieldProblem]) -> Any:
    if not isinstance(value, list | tuple):
        out.append(FieldProblem(path, f"must be a list, got {shown(value)}"))
        return _INVALID
    found = [_structure(item, kind, f"{path}[{i}]", out) for i, item in enumerate(value)]
    return _INVALID if any(item is _INVALID for item in found) else tuple(found)


def _plain(value: Any) -> Any:
    """A YAML scalar as the plain Python value it stands for."""
    if isinstance(value, ScalarBoolean):  # a boolean with an anchor
        return bool(value)
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return value


def _amount(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value))  # the float's shortest spelling: 1234.5, as written
    return value


def _date(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


_LEAVES = {Decimal: _amount, date: _date}


# ---- Files ---------------------------------------------------------------------------

def _load(path: Path | str) -> Any:
    """The document in a YAML or JSON file, or ApplicationError if it cannot be parsed."""
    loader = _load_json if Path(path).suffix.lower() == ".json" else _load_yaml
    data, message = loader(path)
    if message:
        raise ApplicationError([FieldProblem("$", message)], str(path))
    return data


def _load_yaml(path: Path | str) -> tuple[Any, str | None]:
    """The document (read as every YAML file is: :func:`aidrules._yaml.read`), or the
    message for the ``$`` path, placed in the file when the parser placed it."""
    data, unreadable = _yaml.read(path)
    if unreadable is None:
        return data, None
    where = f" (line {unreadable.line}, column {unreadable.col})" if unreadable.marked else ""
    return None, unreadable.message + where


def _load_json(path: Path | str) -> tuple[Any, str | None]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror}"
    return _parse_json(raw)


def _parse_json(raw: bytes | str) -> tuple[Any, str | None]:
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        return json.loads(text, parse_float=Decimal, parse_constant=Decimal,
                          object_pairs_hook=_json_object), None
    except UnicodeDecodeError:
        return None, "the file is not UTF-8 text"
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except (ValueError, RecursionError) as exc:
        return None, f"not valid JSON: {exc}"


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        repeated = next(key for i, (key, _) in enumerate(pairs) if key in dict(pairs[:i]))
        raise ValueError(f"the key {repeated!r} appears twice in one object")
    return found


# ---- Writing -------------------------------------------------------------------------

def application_to_dict(application: model.Application) -> dict[str, Any]:
    """Plain JSON-able data that reads back to an equal application.

    Amounts become text with two decimals ("1234.50"), dates ISO text, choices
    their names. Fields at their default are left out, and so are fields whose None
    means *not reported*, since leaving a field out reads back as exactly that.
    """
    return _unstructure(application)


def _unstructure(value: Any) -> Any:
    if attrs.has(type(value)):
        pairs = ((a, getattr(value, a.name)) for a in attrs.fields(type(value)))
        return {a.name: _unstructure(v) for a, v in pairs if not _omitted(a, v)}
    if isinstance(value, tuple):
        return [_unstructure(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _omitted(a: attrs.Attribute, value: Any) -> bool:
    if a.default is attrs.NOTHING:
        return value is None
    return value == a.default and type(value) is type(a.default)


def write_application(application: model.Application, path: Path | str) -> None:
    """Write an application as YAML (or JSON, by the ``.json`` extension), UTF-8."""
    data = application_to_dict(application)
    with Path(path).open("w", encoding="utf-8") as stream:
        if Path(path).suffix.lower() == ".json":
            json.dump(data, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        else:
            writer = YAML(typ="rt")
            writer.representer.add_representer(str, _represent_text)
            writer.dump(data, stream)


_LINE_BREAKS = ("\x85", "\u2028", "\u2029")  # YAML line breaks that quotes other than "" fold


def _represent_text(representer: Any, value: str) -> Any:
    """Text with a Unicode line break is double-quoted, so it reads back unchanged."""
    style = '"' if any(c in value for c in _LINE_BREAKS) else None
    return representer.represent_scalar("tag:yaml.org,2002:str", value, style=style)
