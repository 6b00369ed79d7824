"""The known population and matching department events to it by identity number.

The name is only a cross-check: a differing name raises a :class:`NameMismatch`
beside the match, never a merge or a re-assignment. A person nobody knows becomes a
:class:`Discovered` candidate (主动发现)."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import attrs

from aidrules.monitoring.records import Event

STATUSES = ("dibao", "tekun", "dibao_marginal", "rigid_expenditure", "none")
ASSISTED = frozenset(STATUSES[:4])


@attrs.frozen
class Person:
    id_number: str
    name: str
    household_id: str
    is_earner: bool = False


@attrs.frozen
class Household:
    household_id: str
    grid: str  # the grid (网格) whose worker verifies
    status: str  # one of STATUSES: the household's current assistance
    members: int
    review_on: date | None = None  # next periodic review
    grace_ends_on: date | None = None  # end of the employment grace period (渐退期)

    @property
    def is_assisted(self) -> bool:
        return self.status in ASSISTED


@attrs.frozen
class Match:
    event: Event
    person: Person
    household: Household


@attrs.frozen
class NameMismatch:
    """The identity number is known, the name in the feed is not the registered one."""

    event: Event
    registered_name: str

    def __str__(self) -> str:
        return (f"{self.event.source} line {self.event.line}: name {self.event.name!r} differs "
                f"from the registered {self.registered_name!r}; matched by identity number only")


@attrs.frozen
class Discovered:
    """A person in a department feed who is not in the register: a candidate to look at."""

    event: Event


class Register:
    """People and households by key; small enough for memory at a county's scale."""

    def __init__(self, households: Iterable[Household], people: Iterable[Person]) -> None:
        self.households = {h.household_id: h for h in households}
        self.people = {p.id_number: p for p in people}

    def match(self, event: Event) -> tuple[Match | Discovered, NameMismatch | None]:
        person = self.people.get(event.id_number)
        if person is None:
            return Discovered(event), None
        mismatch = None
        if _same_name(event.name) != _same_name(person.name):
            mismatch = NameMismatch(event, person.name)
        return Match(event, person, self.households[person.household_id]), mismatch


def _same_name(name: str) -> str:
    """Names compared as a person would: NFKC (full-width letters), no spaces or dots."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "·.")


HOUSEHOLD_COLUMNS = ("household_id", "grid", "status", "members", "review_on", "grace_ends_on")
PERSON_COLUMNS = ("id_number", "name", "household_id", "is_earner")


def read_register(directory: Path | str) -> Register:
    """The register written by the synthetic county (households.csv, people.csv)."""
    directory = Path(directory)
    return Register(_read(directory / "households.csv", _household),
                    _read(directory / "people.csv", _person))


def _read(path: Path, make):
    with path.open(encoding="utf-8", newline="") as f:
        yield from (make(row) for row in csv.DictReader(f))


def _household(row: dict[str, str]) -> Household:
    return Household(row["household_id"], row["grid"], row["status"], int(row["members"]),
                     _date(row["review_on"]), _date(row["grace_ends_on"]))


def _person(row: dict[str, str]) -> Person:
    return Person(row["id_number"], row["name"], row["household_id"], row["is_earner"] == "1")


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None
