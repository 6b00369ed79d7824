"""What a case is: an application as filed, when and where it was decided, and what was decided.

The file format is described in docs/cases.md (case format version 1); an inline example
under a rule (`examples:` in a rule file) is a case in the same format."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from aidrules.model import Application
from aidrules.policy import Overlay

STATUSES = ("eligible", "ineligible", "undetermined")
RULE_RESULTS = ("true", "false", "unknown")
UNCHECKED: Any = attrs.make_class("Unchecked", [], repr=False)()  # an expectation left out


@attrs.frozen
class AidExpectation:
    """What was decided for one aid type; fields left out of the file are UNCHECKED."""

    aid: str
    status: str
    amount: Decimal | None = UNCHECKED
    amount_max: Decimal | None = UNCHECKED
    members: tuple[int, ...] = UNCHECKED
    rules: dict[str, str] = attrs.Factory(dict)  # rule id → true | false | unknown


@attrs.frozen
class Case:
    """One historical (or hand-written) case: replayed, it must come out as expected."""

    title: str
    file: str
    line: int
    application: Application
    on: date
    jurisdiction: str
    aids: tuple[AidExpectation, ...]
    risk_level: str | None = UNCHECKED
    referrals: frozenset[str] = UNCHECKED
    source: str | None = None
    note: str | None = None
    rule: str | None = None  # for an inline example: the id of the rule it is written under
    overlays: tuple[Overlay, ...] = ()  # policies laid over the book's for this case alone

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def heading(self) -> str:
        """The title, after the rule's id for an inline example."""
        return self.title if self.rule is None else f"{self.rule}: {self.title}"

    @property
    def name(self) -> str:
        return "::".join(p for p in (self.file, self.rule, self.title) if p is not None)
