"""What a case is: an application as filed, when and where it was decided, and what was decided.

The file format is described in docs/cases.md (case format version 1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from aidrules.model import Application

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

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def name(self) -> str:
        return f"{self.file}::{self.title}"
