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

from aidrules.errors import AidrulesError
from aidrules.model.identity import mask_name
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
        """Names masked (王*国): the line is printed and logged."""
        return (f"{self.event.source} line {self.event.line}: name "
                f"{mask_name(self.event.name)!r} differs from the registered "
                f"{mask_name(self.registered_name)!r}; matched by identity number only")


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


class RegisterError(AidrulesError, ValueError):
    """The register cannot be used; the message names the file and line of the first problem."""


def read_register(directory: Path | str) -> Register:
    """The register written by the synthetic county (households.csv, people.csv), checked
    whole: a bad cell, a missing column or a person of an unknown household is an error
    naming its file and line (and how many more problems there are)."""
    directory = Path(directory)
    problems: list[str] = []
    households = _read(directory / "households.csv", HOUSEHOLD_COLUMNS, _household, problems)
    people = _read(directory / "people.csv", PERSON_COLUMNS, _person, problems)
    known = {h.household_id for _, h in households}
    problems.extend(f"{directory / 'people.csv'}:{line}: household_id={p.household_id!r} is "
                    "not in households.csv" for line, p in people if p.household_id not in known)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise RegisterError(problems[0] + more)
    return Register((h for _, h in households), (p for _, p in people))


def _read(path: Path, columns: tuple[str, ...], make, problems: list[str]) -> list:
    """(line, record) for every good row; a problem for every bad one, by file and line."""
    found = []
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            missing = [c for c in columns if c not in header]
            if missing:
                problems.append(f"{path}:1: missing column(s): " + ", ".join(missing))
                return []
            for cells in reader:
                try:
                    found.append((reader.line_num, make(_cells(cells, header))))
                except ValueError as exc:
                    problems.append(f"{path}:{reader.line_num}: {exc}")
    except UnicodeDecodeError:
        problems.append(f"{path}: not UTF-8 text")
    except (OSError, csv.Error) as exc:
        problems.append(f"{path}: cannot read the file: {exc}")
    return found


def _cells(cells: list[str], header: list[str]) -> dict[str, str]:
    if len(cells) != len(header):
        raise ValueError(f"the row has {len(cells)} cells, the header {len(header)}")
    return dict(zip(header, cells, strict=True))


def _household(row: dict[str, str]) -> Household:
    status = row["status"]
    if status not in STATUSES:
        raise ValueError(f"status={status!r} is not one of " + ", ".join(STATUSES))
    return Household(row["household_id"], row["grid"], status, _whole(row, "members"),
                     _date(row, "review_on"), _date(row, "grace_ends_on"))


def _person(row: dict[str, str]) -> Person:
    if row["is_earner"] not in ("0", "1", ""):
        raise ValueError(f"is_earner={row['is_earner']!r} must be 0 or 1")
    return Person(row["id_number"], row["name"], row["household_id"], row["is_earner"] == "1")


def _whole(row: dict[str, str], column: str) -> int:
    text = row[column]
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"{column}={text!r} is not a whole number")
    return int(text)


def _date(row: dict[str, str], column: str) -> date | None:
    text = row[column]
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValueError(f"{column}={text!r} is not a date (YYYY-MM-DD)") from None
