"""The ``aidrules`` command: check a rule book, read and assess applications, run the case
procedure and the month, serve HTTP.

Thin by design: each command parses its input, calls the library (built by the
composition root, :mod:`aidrules.compose`) and prints the result. One module per job;
this one assembles the command tree. Errors the library raises on purpose print without
a traceback and exit 1 (:func:`aidrules.cli.console.guarded`); usage errors exit 2.
The only package that imports typer.
"""

from __future__ import annotations

from typing import Annotated

import typer

from aidrules import __version__
from aidrules.cli import assess, cases, check, demo, feeds, ledger, notices, screen, serve
from aidrules.cli.console import say
from aidrules.cli.console import use_language as _use_language
from aidrules.cli.options import LangOption

app = typer.Typer(
    name="aidrules",
    help="Classify social-assistance applications across every aid type, with reasons.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# In the order the help lists them.
for sub_commands in (ledger.case_app, ledger.ledger_app, feeds.feeds_app, feeds.county_app):
    app.add_typer(sub_commands)
for command in (cases.replay, cases.impact, cases.boundaries, serve.serve, check.check,
                check.document, assess.validate, assess.assess, assess.explain, notices.notice,
                notices.publicity):
    app.command()(command)
app.add_typer(notices.report_app)
for last in (notices.referral, notices.tasks, screen.screen, demo.demo):
    app.command()(last)
app.command("screen-explain")(screen.screen_explain)


def main() -> None:
    """Entry point of the ``aidrules`` console script."""
    app()


def _print_version(asked: bool) -> None:
    if asked:
        say(f"aidrules {__version__}")
        raise typer.Exit()


@app.callback()
def _every_command(lang: LangOption = None, version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print the version and exit.")] = False) -> None:
    """Classify social-assistance applications across every aid type, with reasons."""
    _use_language(lang)


if __name__ == "__main__":  # pragma: no cover
    main()

