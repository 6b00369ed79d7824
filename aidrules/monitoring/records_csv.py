"""Splitting CSV text into records one physical line at a time, so that one unmatched
quote costs one line and never the rest of the file.

Python's ``csv`` module reads a quote that opens a cell and never closes as one cell
running to the end of the file. Here the lines a record takes are remembered: a record
that runs over more than :data:`MAX_CELL_LINES` lines, reaches the end of the file inside
a quote, spans several lines without making a row of the header's width, or takes in a
line that is a whole row by itself, gives back its lines; its first line is rejected with
the reason and the next lines are read again on their own. Every physical line ends up in
exactly one record."""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator

import attrs

from aidrules.errors import AidrulesError

MAX_CELL_LINES = 10  # physical lines one quoted cell may run over (an address, a note)


@attrs.frozen
class Line:
    number: int  # 1-based physical line
    text: str  # decoded, with its line ending
    undecodable: bool = False  # some byte did not decode in the file's encoding


@attrs.frozen
class Record:
    first_line: int
    line: int  # the physical line where the record ends
    cells: tuple[str, ...]
    undecodable: bool = False
    error: str = ""  # why the line is not a record (then ``cells`` is the line as read)


_END = Line(0, "\n")  # handed to the csv reader once the file is exhausted


class _RunawayQuote(AidrulesError):
    pass


class _Lines:
    """The iterator ``csv.reader`` pulls lines from; it remembers each record's lines so
    a runaway record can be given back."""

    def __init__(self, lines: Iterator[Line]) -> None:
        self.source = lines
        self.again: deque[Line] = deque()
        self.taken: list[Line] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if len(self.taken) > MAX_CELL_LINES:
            raise _RunawayQuote
        line: Line | None
        if self.again:
            line = self.again.popleft()
        else:
            line = next(self.source, None)
            if line is None:
                if self.taken and self.taken[-1] is _END:
                    raise StopIteration
                line = _END
        self.taken.append(line)
        return line.text

    def real(self) -> list[Line]:
        return [line for line in self.taken if line is not _END]

    def give_back(self, reason: str) -> Record:
        """Reject the record's first line alone; its other lines are read again."""
        first, *rest = self.real()
        self.again.extendleft(reversed(rest))
        return Record(first.number, first.number, _as_read(first), first.undecodable, reason)


def records(lines: Iterator[Line]) -> Iterator[Record]:
    """Every record, the header first; each physical line in exactly one record."""
    pull = _Lines(lines)
    reader, width = csv.reader(pull), None
    while True:
        pull.taken = []
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _RunawayQuote:
            yield pull.give_back(UNMATCHED_QUOTE)
            reader = csv.reader(pull)
            continue
        except csv.Error as exc:
            if not pull.real():
                return
            yield _unreadable(pull, str(exc))
            reader = csv.reader(pull)
            continue
        taken = pull.real()
        if not taken:
            return
        if pull.taken[-1] is _END or (len(taken) > 1 and not _fits(cells, taken, width)):
            yield pull.give_back(UNMATCHED_QUOTE)
            reader = csv.reader(pull)
            continue
        width = _width(cells) if width is None else width
        yield Record(taken[0].number, taken[-1].number, tuple(cells),
                     any(line.undecodable for line in taken))


UNMATCHED_QUOTE = ("unmatched quote: a cell on this line opens a quotation mark that does "
                   "not close into a row; this line is rejected alone and the next lines are "
                   "read on their own")


def _unreadable(pull: _Lines, reason: str) -> Record:
    if len(pull.real()) > 1:
        return pull.give_back(reason)
    line = pull.real()[0]
    return Record(line.number, line.number, _as_read(line), line.undecodable, reason)


def _as_read(line: Line) -> tuple[str, ...]:
    """A line that is no record, kept whole as its one cell (without its line ending)."""
    return (line.text.rstrip("\r\n"),)


def _width(cells: list[str]) -> int:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return len(cells)


def _fits(cells: list[str], taken: list[Line], width: int | None) -> bool:
    """A record over several lines is kept only as a row of the header's width, and only if
    none of the lines after its first is a whole row on its own (a stray quote closed by
    another one lines later would otherwise swallow the rows between)."""
    if width is None:
        return True  # the header
    if not len(cells) >= width >= _width(cells):
        return False
    return all(len(_alone(line.text)) < width for line in taken[1:])


def _alone(text: str) -> list[str]:
    """The line's cells read by itself; a line that cannot be is no whole row."""
    try:
        return next(csv.reader([text]), [])
    except csv.Error:
        return []
