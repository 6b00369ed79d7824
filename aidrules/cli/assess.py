"""``aidrules validate``, ``assess`` and ``explain``: applications read, assessed across
every aid type, and one aid type's reasoning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from aidrules import compose, messages
from aidrules.cli.console import LANGUAGE, day, out, say
from aidrules.cli.console import guarded as _guarded
from aidrules.cli.console import use_language as _use_language
from aidrules.cli.options import (
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
    file: Annotated[Path, typer.Argument(help="An application file (YAML or JSON).")],
    on: OnOption = None,
    jurisdiction: JurisdictionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON document.")] = False,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
    overlay: OverlayOption = None,
    verify: Annotated[bool, typer.Option("--verify", help="Also decide every rule with the "
                                         "library's own evaluator; stop if it disagrees.")] = False,
) -> None:
    """Assess every application in FILE across every aid type."""
    documents = []
    for _, a in _assessments(file, on, jurisdiction, rules, policies, overlay, verify)[1]:
        if as_json:
            documents.append(a.to_json())
        else:
            _print_assessment(a)
    if as_json:
        doc = documents[0] if len(documents) == 1 else documents
        say(json.dumps(doc, ensure_ascii=False, indent=2))



def explain(
    file: Annotated[Path, typer.Argument(help="An application file (YAML or JSON).")],
    aid: Annotated[str, typer.Option("--aid", help="The aid type id, like dibao.")],
    on: OnOption = None,
    jurisdiction: JurisdictionOption = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
    overlay: OverlayOption = None,
) -> None:
    """Print the full reasoning for one aid type."""
    assessor, assessments = _assessments(file, on, jurisdiction, rules, policies, overlay)
    for _, a in assessments:
        say(_guarded(lambda a=a: assessor.explain(a, aid), str(file)))



def _print_assessment(a: Any) -> None:
    doc = a.to_json()
    table = Table(title=f"{doc.get('application_id')} · {doc.get('jurisdiction')} · "
                  f"{doc.get('on')}")
    for column in ("aid type", "", "status", "amount"):
        table.add_column(column, overflow="fold")
    for r in a.results:
        amount = "" if r.amount is None else str(r.amount)
        if r.status == "eligible" and r.amount is None and r.missing:
            amount = "not yet computed (missing facts) / 金额待计算"
        if getattr(r, "amount_max", None) is not None:
            amount += f" (max {r.amount_max})"
        if r.amount is not None:
            amount += {"month": " a month", "year": " a year", "once": " once"}.get(r.period, "")
        table.add_row(r.name, r.name_en, r.status, amount)
    out.print(table)
    say(f"Risk level: {a.risk_level or 'none'}"
              + (f" ({a.risk_reason})" if a.risk_reason else ""))
    for ref in a.referrals:
        say(f"Referral {ref.name} ({ref.brand}) → {', '.join(ref.departments)}: "
                  f"{ref.reason}")
    for r in a.results:
        say(f"- {r.aid}: {r.summary} / {r.summary_en}")
        if r.missing:
            say(f"    missing: {', '.join(r.missing)}")



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
