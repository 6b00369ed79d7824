"""The options several commands share: where the book is, the day, the jurisdiction, the
language, the document's format and where it goes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

RulesOption = Annotated[Path | None, typer.Option("--rules", help="The rules directory; default: "
                       "$AIDRULES_RULES, aidrules.toml, ./rules, or the shipped book.")]


PoliciesOption = Annotated[Path | None, typer.Option("--policies", help="The policies directory; "
                          "default: $AIDRULES_POLICIES, aidrules.toml, ./policies, or the "
                          "shipped book.")]


OnOption = Annotated[str | None, typer.Option(
    "--on", help="Assess as of this date (YYYY-MM-DD); default: the application date.")]


OverlayOption = Annotated[list[Path] | None, typer.Option(
    "--overlay", help="A directory of policy files laid over --policies: files at the same "
    "path replace, new ones are added (repeatable; later ones win).")]


LangOption = Annotated[str | None, typer.Option(
    "--lang", help="Language of the problems: zh (中文) or en; default: zh when LANG or LC_ALL "
    "starts with zh, else en.")]


JurisdictionOption = Annotated[str | None, typer.Option(
    "--jurisdiction", help="Jurisdiction path, like heilongjiang/yichun/tieli; default: the "
    "application's own.")]


FormatOption = Annotated[str, typer.Option("--format", help="text, html or pdf.")]


OutOption = Annotated[Path | None, typer.Option(
    "--out", help="Write the document here (needed for pdf; text and html print otherwise).")]


ApplicationFile = Annotated[Path, typer.Argument(help="An application file (YAML or JSON).")]


TemplatesOption = Annotated[Path | None, typer.Option(
    "--templates", help="A directory of the county's own templates (same names).")]
