"""Many applications, one at a time: from a directory, several files, JSON Lines or a
multi-document YAML file, each record read as it is reached and then let go.

A bad record does not stop the others: it comes as a :class:`Record` carrying its error
and where it was (the file, and the line, the document or the list position in it).
Memory stays bounded for JSON Lines, multi-document YAML and directories; a single file
holding a list of applications is parsed whole first (its records still come one at a
time)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from aidrules import _yaml
from aidrules.errors import ApplicationError, FieldProblem
from aidrules.model.application import Application
from aidrules.model.reading import _load, application_from_dict, application_from_json

LINES = (".jsonl", ".ndjson")  # JSON Lines: one application per line
FILES = (".yaml", ".yml", ".json") + LINES  # what a directory is searched for


@attrs.frozen
class Record:
    """One application read, or why it could not be: ``error`` then says, by field path."""

    source: str  # the file
    where: str | None  # "line 3", "document 2", "$[4]"; None for a file of one application
    application: Application | None = None
    error: ApplicationError | None = None


def records(paths: Iterable[Path]) -> Iterator[Record]:
    """Every application in ``paths`` (files, or directories searched for FILES, sorted)."""
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.suffix.lower() in FILES
                                and p.is_file()):
                yield from _file(found)
        else:
            yield from _file(path)


def _file(path: Path) -> Iterator[Record]:
    suffix = path.suffix.lower()
    if suffix in LINES:
        yield from _lines(path)
    elif suffix == ".json":
        yield from _documents(path, _whole(path))
    else:
        yield from _documents(path, _yaml_documents(path))


def _lines(path: Path) -> Iterator[Record]:
    try:
        with path.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    yield _read(str(path), f"line {number}",
                                lambda line=line: application_from_json(line, str(path)))
    except OSError as exc:
        yield _unreadable(path, f"cannot read the file: {exc.strerror}")


def _whole(path: Path) -> Iterator[tuple[str | None, Any]]:
    try:
        yield None, _load(path)
    except ApplicationError as exc:
        yield None, exc


def _yaml_documents(path: Path) -> Iterator[tuple[str | None, Any]]:
    """Each YAML document of the file, parsed as it is reached."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        yield None, _problem(path, f"cannot read the file: {exc.strerror}")
        return
    except UnicodeDecodeError:
        yield None, _problem(path, "the file is not UTF-8 text")
        return
    number = 0
    try:
        for number, data in enumerate(_yaml._reader().load_all(text), 1):
            yield f"document {number}", data
    except MarkedYAMLError as exc:  # the rest of the file cannot be read reliably
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        yield f"document {number + 1}", _problem(
            path, f"not valid YAML: {(exc.problem or exc.context or '').strip()}{where}")
    except (YAMLError, ValueError, RecursionError) as exc:
        yield f"document {number + 1}", _problem(path, f"not valid YAML: {exc}")


def _documents(path: Path, documents: Iterator[tuple[str | None, Any]]) -> Iterator[Record]:
    """The applications in each document: a mapping is one, a list holds several."""
    found = list(_first_two(documents))
    single = len(found) == 1
    for where, data in _chain(found, documents):
        where = None if single else where
        if isinstance(data, ApplicationError):
            yield Record(str(path), where, error=data)
        elif isinstance(data, list):
            for index, item in enumerate(data):
                yield _read(str(path), f"{where + ' ' if where else ''}$[{index}]",
                            lambda item=item: application_from_dict(item, str(path)))
        else:
            yield _read(str(path), where, lambda data=data: application_from_dict(data, str(path)))


def _first_two(documents: Iterator[Any]) -> Iterator[Any]:
    for _, found in zip(range(2), documents, strict=False):
        yield found


def _chain(first: list[Any], rest: Iterator[Any]) -> Iterator[Any]:
    yield from first
    yield from rest


def _read(source: str, where: str | None, read: Any) -> Record:
    try:
        return Record(source, where, application=read())
    except ApplicationError as exc:
        return Record(source, where, error=exc)


def _problem(path: Path, message: str) -> ApplicationError:
    return ApplicationError([FieldProblem("$", message)], str(path))


def _unreadable(path: Path, message: str) -> Record:
    return Record(str(path), None, error=_problem(path, message))
