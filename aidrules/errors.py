"""The library's errors: few, small, and each subclassing a builtin.

A *problem* is one thing wrong in a rule or policy file (with ``file:line:col``) or
in an application (with its JSON path). Loading reports every problem at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import attrs


@attrs.frozen
class Problem:
    """One defect in a rule or policy file, located for the person who must fix it."""

    file: str
    line: int  # 1-based
    col: int  # 1-based
    message: str
    expected: str | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.col}: {self.message}"
        if self.expected:
            text += f"; expected {self.expected}"
        if self.suggestion:
            text += f"; did you mean '{self.suggestion}'?"
        return text


@attrs.frozen
class FieldProblem:
    """One bad field of an application, named by its path (``$.household.members[2].name``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class AidrulesError(Exception):
    """Base of every error aidrules raises on purpose."""


class _ProblemsError(AidrulesError):
    def __init__(self, problems: Iterable[Problem | FieldProblem], source: str = "") -> None:
        self.problems = tuple(problems)
        self.source = source
        head = f"{len(self.problems)} problem(s)" + (f" in {source}" if source else "")
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class RuleBookError(_ProblemsError, ValueError):
    """The rule book (rules and policies) did not load: it loads whole or not at all."""


class ApplicationError(_ProblemsError, ValueError):
    """An application has bad fields; every one is listed by its path."""

    problems: tuple[FieldProblem, ...]  # type: ignore[assignment]  # always by path


class PolicyLookupError(AidrulesError, LookupError):
    """A parameter has no value for a jurisdiction on a date, or not in the unit asked for."""


class UnknownAidError(AidrulesError, LookupError):
    """An aid type id that the rule book does not declare (a typo on the command line)."""

    def __init__(self, aid: str, known: Iterable[str]) -> None:
        known = sorted(known)
        close = did_you_mean(aid, known)
        super().__init__(f"unknown aid type {aid!r}; expected one of {', '.join(known)}"
                         + (f"; did you mean '{close}'?" if close else ""))
        self.aid = aid


class EngineError(AidrulesError, RuntimeError):
    """The rules engine failed in a way the compiler should have prevented."""


class InstallationError(AidrulesError, ImportError):
    """A dependency is installed in a way that cannot work here; the message says how to fix it."""


class NoticeError(AidrulesError, ValueError):
    """A notice could not be rendered: a template with a mistake, or an unknown language."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, if any is close enough."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return found[0] if found else None
