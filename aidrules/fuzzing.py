"""Hostile inputs for rule books and applications, drawn from a ``random.Random``.

The same mutators drive the Hypothesis fuzz tests (``st.randoms()``) and the long run in
``benchmarks/fuzz.py``, so a counterexample from one is replayed by the other. Each
``try_*`` function feeds one input through the library and says how it ended: ``"ok"``
(accepted), ``"refused"`` (the library's own error, with positions or paths), or raises
whatever escaped, which is a crash."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from aidrules.errors import AidrulesError, ApplicationError, FieldProblem, Problem

# Characters a policy officer's editor, a paste or a hostile file may put in an expression.
EXPRESSION_CHARACTERS = (
    "abcxyz_019.,()[] \"'+-*/<>=!&|#:%"
    "≤≥≠＝＜＞（）【】，、×÷－＋“”‘’．。"
    "家庭人均收入标准成员年龄低保特困"
    "\u200b\u202e\u00a0\t"
)
# An expression in a rule file: one line, after one of these keys or as a list item of when.
_EXPRESSION_LINE = re.compile(
    r"^(?P<head>\s*(?:-\s+)?(?:test|formula|amount|amount_max):\s+)(?P<text>[^>|\s].*)$")
_POSITION = re.compile(r"^.+:\d+:\d+: ")


def expression_sites(rules: Path) -> list[tuple[Path, int]]:
    """(file, line index) of every one-line expression in the rule files under ``rules``."""
    sites = []
    for path in sorted(rules.rglob("*.yaml")):
        if "cases" in path.relative_to(rules).parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        sites += [(path, i) for i, line in enumerate(lines) if _EXPRESSION_LINE.match(line)]
    return sites


def mutate_expression(text: str, rng: random.Random, edits: int = 3) -> str:
    """``text`` with up to ``edits`` characters deleted, inserted or replaced."""
    chars = list(text)
    for _ in range(rng.randint(1, edits)):
        at = rng.randint(0, len(chars))
        kind = rng.choice(("delete", "insert", "replace"))
        if kind == "delete" and at < len(chars):
            del chars[at]
        elif kind == "replace" and at < len(chars):
            chars[at] = rng.choice(EXPRESSION_CHARACTERS)
        else:
            chars.insert(at, rng.choice(EXPRESSION_CHARACTERS))
    return "".join(chars)


def mutate_line(line: str, rng: random.Random) -> str:
    """A rule-file line with its expression mutated (the key and indentation kept)."""
    found = _EXPRESSION_LINE.match(line)
    assert found is not None, f"not an expression line: {line!r}"
    return found["head"] + mutate_expression(found["text"], rng)


def mutate_structure(text: str, rng: random.Random) -> str:
    """A rule file with a line deleted, repeated, re-indented or cut short."""
    lines = text.splitlines()
    if not lines:
        return text
    at = rng.randrange(len(lines))
    kind = rng.choice(("delete", "repeat", "indent", "cut"))
    if kind == "delete":
        del lines[at]
    elif kind == "repeat":
        lines.insert(at, lines[at])
    elif kind == "indent":
        lines[at] = " " * rng.choice((0, 1, 3, 8)) + lines[at].lstrip()
    else:
        lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
    return "\n".join(lines) + "\n"


def problems_are_placed(problems: list[Problem]) -> bool:
    return all(isinstance(p, Problem) and p.line >= 1 and p.col >= 1 and str(p).startswith(
        f"{p.file}:{p.line}:{p.col}: ") for p in problems)


def output_is_placed(lines: list[str]) -> bool:
    """Every line of ``aidrules check`` output before its summary is ``file:line:col: …``."""
    return bool(lines) and lines[-1].endswith("nothing was loaded.") and all(
        _POSITION.match(line) for line in lines[:-1])


# -- applications -----------------------------------------------------------------------
HOSTILE_VALUES: tuple[Any, ...] = (
    None, True, 0, -1, int("9" * 4000), 2**63, -2**63 - 1, 1e308, float("nan"),
    float("inf"), "", " ", "\x00", "李\u202e四", "a" * 5000, "9999-12-31", "0001-01-01",
    "2025-02-30", "1e3", "1,000", "99999999.99", "100000000", "-0.01", "0.001", [], {}, [[]],
    {"x": 1}, date(9999, 12, 31), date(1, 1, 1), "urban", "head", "monthly", "medical",
    "230781198205140214", "23078119820514021X", "０", "＋１",
)


def hostile_application(valid: dict, rng: random.Random, edits: int = 3) -> dict:
    """A copy of ``valid`` (an application as plain data) with a few values replaced by
    hostile ones, lists emptied or repeated, fields removed or added."""
    data = _copy(valid)
    for _ in range(rng.randint(1, edits)):
        parent, key = _pick(data, rng)
        if parent is None:
            continue
        kind = rng.choice(("value", "value", "remove", "repeat", "add"))
        if kind == "value":
            parent[key] = rng.choice(HOSTILE_VALUES)
        elif kind == "remove" and isinstance(parent, dict):
            del parent[key]
        elif kind == "repeat" and isinstance(parent[key], list) and parent[key]:
            parent[key] = parent[key] * rng.choice((2, 50, 1100))
        elif kind == "add" and isinstance(parent, dict):
            parent[rng.choice(("nmae", "extra", "", "\x00"))] = rng.choice(HOSTILE_VALUES)
    return data


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _pick(data: Any, rng: random.Random) -> tuple[Any, Any]:
    """A random (container, key or index) somewhere in ``data``."""
    places = []
    stack = [data]
    while stack:
        node = stack.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node)) \
            if isinstance(node, list) else ()
        for key in keys:
            places.append((node, key))
            if isinstance(node[key], dict | list):
                stack.append(node[key])
    return rng.choice(places) if places else (None, None)


def try_application(data: Any, assess: Callable[[Any], Any]) -> str:
    """Read ``data`` as an application and, if it reads, assess it. An EngineError (the
    engine and the library disagree, or the engine failed) is a crash, not a refusal."""
    from aidrules.errors import EngineError
    from aidrules.model import application_from_dict

    try:
        application = application_from_dict(data)
    except ApplicationError as exc:
        assert all(isinstance(p, FieldProblem) and p.path.startswith("$") for p in exc.problems)
        return "refused"
    try:
        assess(application)
    except EngineError:
        raise
    except AidrulesError:
        return "refused"
    return "ok"
