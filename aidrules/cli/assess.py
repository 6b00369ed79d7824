"""``aidrules validate``, ``assess`` and ``explain``: applications read, assessed across
every aid type, and one aid type's reasoning."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aidrules import compose, messages
from aidrules.cli.console import LANGUAGE, day, fail, say
from aidrules.cli.console import guarded as _guarded
from aidrules.cli.console import use_language as _use_language
from aidrules.cli.options import (
    ApplicationFile,
    JurisdictionOption,
    LangOption,
    OnOption,
    OverlayOption,
    PoliciesOption,
    RulesOption,
)
from aidrules.errors import ApplicationError
from aidrules.model import read_applications

if TYPE_CHECKING:  # the engine is imported when a command assesses, not when the CLI starts
    from aidrules.engine import Assessor


def validate(
    files: Annotated[list[Path], typer.Argument(help="Application files (YAML or JSON).")],
    lang: LangOption = None,
) -> None:
    """Read applications; print every bad field by its path."""
    if lang:
        _use_language(lang)
    bad = False
    for file in files:
        try:
            read_applications(file)
        except ApplicationError as exc:
            bad = True
            for problem in exc.problems:
                say(f"{file}: {messages.render(problem, LANGUAGE[0])}")
        except OSError as exc:
            bad = True
            say(f"{file}: cannot read: {exc.strerror or exc}")
        else:
            say(f"{file}: ok")
    if bad:
        raise typer.Exit(1)


def assess(
    files: Annotated[list[Path], typer.Argument(help="Application files (YAML, JSON, JSON "
                     "Lines .jsonl, multi-document YAML) or directories of them.")],
    on: OnOption = None,
    jurisdiction: JurisdictionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON document; JSON "
                       "Lines for many applications.")] = False,
    detail: Annotated[str, typer.Option("--detail", help="compact (statuses, amounts, missing "
                      "facts, what decided) or full (every rule and criterion).")] = "compact",
    rules: RulesOption = None,
    policies: PoliciesOption = None,
    overlay: OverlayOption = None,
    verify: Annotated[bool, typer.Option("--verify", help="Also decide every rule with the "
                                         "library's own evaluator; stop if it disagrees.")] = False,
) -> None:
    """Assess every application in FILES across every aid type (docs/assessment-json.md).
    Exit 1 when any application could not be read or assessed (the others are printed)."""
    from aidrules.cli.batch import assess_files
    if detail not in ("compact", "full"):
        raise typer.BadParameter(f"--detail={detail!r}; expected compact or full",
                                 param_hint="--detail")
    when, assessor = day(on), _assessor(rules, policies, overlay)
    tally = assess_files(files, lambda a: assessor.assess(a, on=when, jurisdiction=jurisdiction,
                                                          verify=verify),
                         as_json=as_json, detail=detail, language=LANGUAGE[0])
    if not tally.assessed and not tally.failed:
        fail(f"no application in {', '.join(map(str, files))}")
    if tally.failed:
        raise typer.Exit(1)


def explain(
    file: ApplicationFile,
    aid: Annotated[str, typer.Option("--aid", help="The aid type id, like dibao.")],
    on: OnOption = None,
    jurisdiction: JurisdictionOption = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
    overlay: OverlayOption = None,
) -> None:
    """Print the full reasoning for one aid type."""
    from aidrules.render.text import explain as explained
    _, assessments = _assessments(file, on, jurisdiction, rules, policies, overlay)
    for _, a in assessments:
        say(_guarded(lambda a=a: explained(a, aid), str(file)))


def _assessments(file: Path, on, jurisdiction, rules: Path | None, policies: Path | None,
                 overlays: list[Path] | None = None, verify: bool = False):
    """The assessor, and every application in ``file`` with its assessment."""
    when = day(on)
    applications = _guarded(lambda: read_applications(file), str(file))
    assessor = _assessor(rules, policies, overlays)
    return assessor, [(application, _guarded(lambda application=application: assessor.assess(
        application, on=when, jurisdiction=jurisdiction, verify=verify), str(file)))
        for application in applications]


def _assessor(rules: Path | None, policies: Path | None,
              overlays: list[Path] | None = None) -> Assessor:
    return _guarded(lambda: compose.assessor(rules, policies, overlays), str(rules or "rules"))
