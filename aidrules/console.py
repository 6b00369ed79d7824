"""What every ``aidrules`` command shares: where it prints, and how it fails.

Messages print as they are (no markup, no wrapping: they are read and grepped whole);
an error the library raises on purpose exits 1 without a traceback; a bad option value
is a usage error (exit 2)."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

out = Console(highlight=False, emoji=False)  # ":100:" in file:100:15 is no emoji
err = Console(stderr=True, highlight=False, emoji=False)
if not out.is_terminal:  # piped or captured: wide enough that tables do not fold every cell
    out.width = max(out.width, 160)


def say(text: str) -> None:
    out.print(text, markup=False, soft_wrap=True)


def say_err(text: str) -> None:
    err.print(text, markup=False, soft_wrap=True)


def fail(message: str) -> None:
    say_err(message)
    raise typer.Exit(1)


def day(text: str | None, option: str = "--on") -> date | None:
    """An option's date (YYYY-MM-DD), or a usage error naming the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{option}={text!r} is not a date; expected YYYY-MM-DD",
                                 param_hint=option) from None
