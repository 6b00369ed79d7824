"""What every ``aidrules`` command shares: where it prints, and how it fails.

Messages print as they are (no markup, no wrapping: they are read and grepped whole);
an error the library raises on purpose exits 1 without a traceback (:func:`guarded`, the
one error wrapper of the command line); a bad option value is a usage error (exit 2)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import NoReturn, TypeVar, overload

import typer
from rich.console import Console

from aidrules import messages
from aidrules.errors import AidrulesError, ApplicationError, RuleBookError

out = Console(highlight=False, emoji=False)  # ":100:" in file:100:15 is no emoji
err = Console(stderr=True, highlight=False, emoji=False)
if not out.is_terminal:  # piped or captured: wide enough that tables do not fold every cell
    out.width = max(out.width, 160)

LANGUAGE = ["en"]  # of the problems printed: --lang, or the locale (set before each command)
T = TypeVar("T")


def say(text: str) -> None:
    out.print(text, markup=False, soft_wrap=True)


def say_err(text: str) -> None:
    err.print(text, markup=False, soft_wrap=True)


def fail(message: str) -> NoReturn:
    say_err(message)
    raise typer.Exit(1)


@overload
def day(text: str, option: str = "--on") -> date: ...
@overload
def day(text: None, option: str = "--on") -> None: ...
@overload
def day(text: str | None, option: str = "--on") -> date | None: ...
def day(text: str | None, option: str = "--on") -> date | None:
    """An option's date (YYYY-MM-DD), or a usage error naming the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{option}={text!r} is not a date; expected YYYY-MM-DD",
                                 param_hint=option) from None


def use_language(flag: str | None) -> None:
    if flag is not None and flag not in messages.LANGUAGES:
        raise typer.BadParameter(f"--lang={flag!r} is not a language; expected zh or en",
                                 param_hint="--lang")
    LANGUAGE[0] = messages.language(flag)


def guarded(call: Callable[..., T], source: str, *, tally: bool = True,
            prefix: str = "") -> T:
    """``call()``, or a clean message and exit 1 for an error the library raises on purpose
    (see :func:`reported`)."""
    with reported(source, tally=tally, prefix=prefix):
        return call()
    raise AssertionError("unreachable")  # pragma: no cover  (reported exits or re-raises)


@contextmanager
def reported(source: str, *, tally: bool = True, prefix: str = "") -> Iterator[None]:
    """Errors the library raises on purpose, as lines on stderr and exit 1.

    A rule book's or an application's problems print one a line in the chosen language
    (an application's after the file it is in), then, with ``tally``, how many there
    were; any other AidrulesError prints on one line, prefixed with ``source`` unless it
    names it already; a file that cannot be read says so. ``prefix`` starts every line
    (the ledger commands print ``error: ``)."""
    try:
        yield
    except (RuleBookError, ApplicationError) as exc:
        where = exc.source or source
        for problem in exc.problems:
            line = messages.render(problem, LANGUAGE[0])
            say_err(prefix + (f"{where}: {line}" if isinstance(exc, ApplicationError) and where
                              else line))
        if not tally:
            raise typer.Exit(1) from None
        fail(f"{len(exc.problems)} problem(s) in {where}")
    except AidrulesError as exc:  # a message naming the source already is not prefixed
        named = not source or str(exc).startswith(f"{source}: ")
        fail(prefix + (str(exc) if named else f"{source}: {exc}"))
    except OSError as exc:
        fail(prefix + (f"{source}: " if source else "") + f"cannot read: {exc.strerror or exc}")
