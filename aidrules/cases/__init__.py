"""Cases: historical decisions replayed as tests, and rule changes measured before they ship.

Read case files (:func:`read_cases`) and rules' inline examples (:func:`read_examples`),
replay them (:func:`run_case`), tally agreement (:class:`Tally`), and compare two rule
books (:mod:`aidrules.cases.impact`). The format is described in docs/cases.md."""

from importlib import import_module
from typing import Any

# Names are loaded on first use, so that the ``aidrules`` command (which registers the
# replay and impact commands from this package) starts without loading the engine.
_WHERE = {
    "UNCHECKED": "case", "AidExpectation": "case", "Case": "case",
    "read_cases": "reading", "read_examples": "reading",
    "Books": "replay", "Difference": "replay", "Outcome": "replay", "Tally": "replay",
    "discover": "replay", "reasons": "replay", "run_case": "replay",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'aidrules.cases' has no attribute {name!r}")
    return getattr(import_module(f"aidrules.cases.{_WHERE[name]}"), name)
