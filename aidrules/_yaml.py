"""Reading YAML with line and column marks (ruamel.yaml, YAML 1.2).

YAML 1.2 matters to policy officers: ``no`` stays the string "no", and ``0755``
is not octal. Every mapping and sequence keeps where its keys and items stand,
so the checker can point at ``file:line:col``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple, TypeGuard

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from aidrules.errors import Problem


class _LenientDates(RoundTripConstructor):
    """Leaves a date-like scalar that is no real date (2021-02-30) as text.

    ruamel would otherwise fail the whole file without a position; as text, the
    reader of the field reports it where it stands, with the other problems."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return str(node.value)


_LenientDates.add_constructor("tag:yaml.org,2002:timestamp", _LenientDates.construct_yaml_timestamp)


MAX_EXPANDED = 100_000  # values in one file with its aliases written out: ten times the rule book
TOO_MANY = (f"aliases (*name) here expand the file to more than {MAX_EXPANDED:,} values; "
            "write the repeated part out, or split the file")
SELF_ALIAS = "an alias (*name) inside the value it names repeats it without end"


class _BoundedAliases(Composer):
    """Anchors and aliases, bounded: a file whose aliases expand it past MAX_EXPANDED values
    is refused at its first alias. (Aliases to aliases multiply: a 13 KB file once stood
    for billions of values and took 46 s to read.)"""

    def compose_document(self) -> Any:
        self._aliases: list[Any] = []
        node = super().compose_document()
        if self._aliases:
            _check_expansion(node, self._aliases[0])
        return node

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            self._aliases.append(event.start_mark)
        return super().compose_node(parent, index)


def _check_expansion(root: Any, mark: Any) -> None:
    """Count the values ``root`` stands for, each alias written out, in linear time."""
    weight: dict[int, int | None] = {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        children = _children(node)
        if done:
            total = 1 + sum(weight[id(c)] or 0 for c in children)
            weight[id(node)] = total
            if total > MAX_EXPANDED:
                raise ComposerError(None, None, TOO_MANY, mark)
            continue
        if id(node) in weight:
            if weight[id(node)] is None:
                raise ComposerError(None, None, SELF_ALIAS, mark)
            continue
        weight[id(node)] = None
        stack.append((node, True))
        stack.extend((c, False) for c in children if weight.get(id(c), 0) is None
                     or id(c) not in weight)


def _children(node: Any) -> list[Any]:
    value = getattr(node, "value", None)
    if not isinstance(value, list):
        return []
    return [part for item in value for part in (item if isinstance(item, tuple) else (item,))]


def _reader() -> YAML:
    """The one YAML reader: YAML 1.2, no duplicate keys, aliases bounded, impossible dates
    as text."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Constructor = _LenientDates
    yaml.Composer = _BoundedAliases
    return yaml


class Unreadable(NamedTuple):
    """Why a file holds no YAML document: the message, and where (``marked`` when the
    parser placed it; 1, 1 otherwise)."""

    message: str
    line: int = 1
    col: int = 1
    expected: str | None = None
    marked: bool = False

    def problem(self, label: str) -> Problem:
        return Problem(label, self.line, self.col, self.message, expected=self.expected)


def load(path: Path | str, *, label: str | None = None) -> tuple[Any, list[Problem]]:
    """The document in ``path`` and the problems met reading it (then the document is None)."""
    data, unreadable = read(path)
    return data, [] if unreadable is None else [unreadable.problem(label or str(path))]


def loads(raw: bytes | str, label: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text (bytes must be UTF-8); never raises for bad input."""
    data, unreadable = parse(raw)
    return data, [] if unreadable is None else [unreadable.problem(label)]


def read(path: Path | str) -> tuple[Any, Unreadable | None]:
    """The document in the file at ``path``, or why there is none. Every YAML file the
    library reads (rules, policies, cases, feeds' mappings, warnings, applications) is
    read here: ``load`` reports a rule-book style Problem, the application reader a
    message for the path ``$``."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return None, Unreadable(f"cannot read the file: {exc.strerror}")
    return parse(raw)


def parse(raw: bytes | str) -> tuple[Any, Unreadable | None]:
    """The document in YAML text (bytes must be UTF-8), or why there is none; never raises
    for bad input."""
    text = raw
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            return None, Unreadable("the file is not UTF-8 text", line,
                                    expected="a file saved as UTF-8")
    try:
        return _reader().load(text), None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "not valid YAML").strip()
        if mark is None:
            return None, Unreadable(f"not valid YAML: {what}")
        return None, Unreadable(f"not valid YAML: {what}", mark.line + 1, mark.column + 1,
                                marked=True)
    except (YAMLError, ValueError, RecursionError) as exc:
        return None, Unreadable(f"not valid YAML: {exc}")


def position(node: Any, key: Any = None) -> tuple[int, int]:
    """1-based (line, col) of ``node``, or of its ``key`` (a mapping key or a list index)."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return 1, 1
    try:
        if key is not None and isinstance(node, CommentedMap) and key in node:
            line, col = lc.key(key)
        elif key is not None and isinstance(node, CommentedSeq) and 0 <= key < len(node):
            line, col = lc.item(key)
        else:
            line, col = lc.line, lc.col
    except (KeyError, IndexError, TypeError):
        line, col = lc.line, lc.col
    if line is None or col is None:  # ruamel kept no mark (e.g. a bare tag)
        return 1, 1
    return line + 1, col + 1


def value_position(node: Any, key: Any) -> tuple[int, int]:
    """1-based (line, col) of the value stored under ``key`` in a mapping."""
    lc = getattr(node, "lc", None)
    try:
        if lc is not None and isinstance(node, CommentedMap) and key in node:
            line, col = lc.value(key)
            return line + 1, col + 1
    except (KeyError, TypeError):  # no mark kept, or a key that cannot be looked up
        pass
    return position(node, key)


def placed(file: str, node: Any, key: Any, message: str, expected: str | None = None,
           suggestion: str | None = None, *, at_value: bool = False) -> Problem:
    """The one way a reader reports a problem in a YAML file: at ``node`` (or its ``key``),
    or with ``at_value`` at the value stored under ``key``."""
    line, col = value_position(node, key) if at_value else position(node, key)
    return Problem(file, line, col, message, expected, suggestion)


class Reporter:
    """Collects the problems of one file, each placed at a mapping's key or its value."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def fail(self, node: Any, key: Any, message: str, expected: str | None = None,
             suggestion: str | None = None, at_key: bool = False) -> None:
        self.problems.append(placed(self.file, node, key, message, expected, suggestion,
                                    at_value=key is not None and not at_key))


def is_mapping(node: Any) -> TypeGuard[dict[Any, Any]]:
    return isinstance(node, dict)


def is_sequence(node: Any) -> TypeGuard[list[Any]]:
    return isinstance(node, list)
