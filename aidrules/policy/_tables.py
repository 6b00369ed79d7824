"""Tables as parameter values: each declared key with a value of the parameter's unit.

A table is declared with ``keys: [able, mild, ...]`` beside its ``unit``; every dated value
is then a mapping with exactly those keys (care by level of self-care, a figure by area).
Each entry is read and converted like a single value of the unit (a yearly table becomes
monthly entry by entry, exactly)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aidrules.errors import did_you_mean
from aidrules.policy import _values
from aidrules.policy._values import Bad, show


class BadEntry(Bad):
    """A mistake in one entry of a table; ``key`` says which (None: the whole table)."""

    def __init__(self, exc: Bad, key: str | int | None) -> None:
        super().__init__(exc.message, exc.expected, exc.suggestion)
        self.key = key


Keys = tuple[str, ...] | tuple[int, ...]  # different texts, or a step schedule's levels


def keys(raw: Any) -> Keys:
    """The keys as declared: different texts, or whole numbers in increasing order from 0 (a
    step schedule: each entry holds from its key up to the next, the last one upwards, so
    every whole number has an entry); raises Bad."""
    if isinstance(raw, list) and raw and all(_whole(k) for k in raw):
        if not all(a < b for a, b in zip(raw, raw[1:], strict=False)):
            raise Bad(f"keys={show(raw)} are not in increasing order",
                      "whole numbers from the smallest up, such as [0, 1, 3, 5]")
        if raw[0] != 0:
            raise Bad(f"the first step of the schedule is {raw[0]}, so a value below it has no "
                      "entry", "whole numbers starting at 0, such as [0, 1, 3, 5]")
        return tuple(int(k) for k in raw)
    ok = isinstance(raw, list) and raw and all(isinstance(k, str) and k for k in raw)
    if not ok or len(set(raw)) != len(raw):
        raise Bad(f"keys={show(raw)} is not a list of different texts",
                  "a list such as [able, mild, severe], or whole numbers such as [0, 1, 4]")
    return tuple(str(k) for k in raw)


def _shown(keys: Sequence[Any]) -> str:
    return ", ".join(str(k) for k in keys)


def is_schedule(keys: Sequence[Any]) -> bool:
    """Whether ``keys`` are a step schedule's whole numbers (not texts)."""
    return all(_whole(k) for k in keys)


def _whole(key: Any) -> bool:
    return isinstance(key, int) and not isinstance(key, bool) and key >= 0


def parse(raw: Any, keys: Keys, given: str, unit: str,
          choices: Sequence[str] | None) -> dict[str | int, Any]:
    """The table ``raw`` written in unit ``given``, converted to ``unit``; raises BadEntry."""
    if not isinstance(raw, dict):
        raise BadEntry(Bad(f"value={show(raw)} is not a table", "a mapping of each key to its "
                           "value, e.g. {" + ", ".join(f"{k}: ..." for k in keys[:2]) + "}"), None)
    for key in raw:
        if key not in keys:
            shown = [str(k) for k in keys]
            raise BadEntry(Bad(f"{show(key)} is not a key of the table",
                               "one of " + _shown(keys), did_you_mean(str(key), shown)), key)
    for key in keys:
        if key not in raw:
            raise BadEntry(Bad(f"the table has no value for {key!r}",
                               "a value for each key: " + _shown(keys)), None)
    table: dict[str | int, Any] = {}
    for key in keys:
        try:
            table[key] = _values.convert(_values.parse(raw[key], given, choices), given, unit)
        except Bad as exc:
            raise BadEntry(exc, key) from None
    return table
