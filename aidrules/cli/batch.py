"""``aidrules assess`` over many applications: each read, assessed, written and let go.

One application gives one document (indented JSON, or tables on a terminal). Several —
a directory, several files, JSON Lines, multi-document YAML, a list — stream: one JSON
line per application, and for a record that cannot be read or assessed an error line
naming its file and place, then the next record. Nothing is accumulated, so memory
stays flat however long the input (docs/assessment-json.md, "Many applications")."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any

import attrs
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from aidrules import messages
from aidrules.cli import tables as console
from aidrules.cli.console import err, out, say, say_err
from aidrules.errors import AidrulesError, ApplicationError, FieldProblem
from aidrules.model.records import LINES, Record, records
from aidrules.render.stream import error_document, json_line

PROGRESS_EVERY = 50  # applications between progress updates


@attrs.define
class Tally:
    assessed: int = 0
    failed: int = 0


def assess_files(paths: list[Path], assess: Callable[[Any], Any], *, as_json: bool,
                 detail: str, language: str) -> Tally:
    """Assess every application in ``paths`` with ``assess``, writing as it goes.

    Returns how many were assessed and how many failed (each reported where it was)."""
    found = records(paths)
    first = list(islice(found, 2))
    single = len(first) == 1 and len(paths) == 1 and not paths[0].is_dir() \
        and paths[0].suffix.lower() not in LINES
    tally = Tally()
    stream = chain(first, found)
    if single:
        _one(first[0], assess, as_json, detail, language, tally)
        return tally
    with Progress(SpinnerColumn(), TextColumn("{task.completed} read, "
                  "{task.fields[failed]} failed"), TimeElapsedColumn(), console=err,
                  transient=True, disable=not (as_json and err.is_terminal)) as progress:
        task = progress.add_task("assess", total=None, failed=0)
        for n, assessed in enumerate(_assessed(stream, assess, as_json, language), 1):
            if assessed is None:
                tally.failed += 1
            else:
                tally.assessed += 1
                if as_json:
                    sys.stdout.write(json_line(assessed.to_json(detail)))
                else:
                    _print(assessed)
            if n % PROGRESS_EVERY == 0:
                progress.update(task, completed=n, failed=tally.failed)
                sys.stdout.flush()
    sys.stdout.flush()
    return tally


def _assessed(stream: Iterator[Record], assess: Callable[[Any], Any], as_json: bool,
              language: str) -> Iterator[Any]:
    """Each record's assessment, or None after its error was reported."""
    for record in stream:
        problems: list[Any] = list(record.error.problems) if record.error else []
        assessed = None
        if record.application is not None:
            try:
                assessed = assess(record.application)
            except ApplicationError as exc:
                problems = list(exc.problems)
            except AidrulesError as exc:
                problems = [FieldProblem("$", str(exc))]
        if assessed is None:
            _report(record, problems, as_json, language)
        yield assessed


def _report(record: Record, problems: list[Any], as_json: bool,
            language: str) -> None:
    """The error line in the JSON stream (in its place among the others), and the same
    on stderr for a person."""
    if as_json:
        sys.stdout.write(json_line(error_document(
            record.source, record.where, [(p.path, p.message) for p in problems])))
    where = record.source + (f" ({record.where})" if record.where else "")
    for problem in problems:
        say_err(f"{where}: {messages.render(problem, language)}")


def _one(record: Record, assess: Callable[[Any], Any], as_json: bool, detail: str,
         language: str, tally: Tally) -> None:
    """One application: its document, indented, or its tables; errors on stderr only."""
    try:
        if record.error is not None:
            raise record.error
        assessed = assess(record.application)
    except ApplicationError as exc:
        for problem in exc.problems:
            say_err(f"{record.source}: {messages.render(problem, language)}")
        say_err(f"{len(exc.problems)} problem(s) in {record.source}")
        tally.failed += 1
        return
    except AidrulesError as exc:
        say_err(f"{record.source}: {exc}")
        tally.failed += 1
        return
    tally.assessed += 1
    if as_json:
        say(json.dumps(assessed.to_json(detail), ensure_ascii=False, indent=2))
    else:
        _print(assessed)


def _print(assessed: Any) -> None:
    out.print(console.table(assessed))
    for line in console.lines(assessed):
        say(line)

