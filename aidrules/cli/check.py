"""``aidrules check`` and ``aidrules document``: the rule book checked, and its pages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from aidrules import messages
from aidrules.cli.console import LANGUAGE, fail, out, say
from aidrules.cli.console import guarded as _guarded
from aidrules.cli.console import use_language as _use_language
from aidrules.cli.options import LangOption, OverlayOption, PoliciesOption, RulesOption
from aidrules.compose import located, located_overlays
from aidrules.rulebook import RuleBook, check_rulebook, load_rulebook


def check(
    rules: Annotated[Path | None, typer.Argument(help="The rules directory; default: as for "
                                                 "assess.")] = None,
    policies: Annotated[Path | None, typer.Argument(help="The policies directory.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Also lint (unused parameters, rules "
                                         "that can never fire, dates without values, identical "
                                         "rules); exit 1 on any warning.")] = False,
    lang: LangOption = None,
    overlay: OverlayOption = None,
) -> None:
    """Load and check the rule book and policies; list every problem, or the assumed values."""
    if lang:
        _use_language(lang)
    rules = located("rules", rules)
    book, problems = check_rulebook(rules, located("policies", policies),
                                    located_overlays(overlay))
    if problems or book is None:
        for problem in problems:
            say(messages.render(problem, LANGUAGE[0]))
        say(f"{len(problems)} problem(s); nothing was loaded."
            + (f"（共 {len(problems)} 个问题，未加载任何内容。）"
               if LANGUAGE[0] == "zh" else ""))
        raise typer.Exit(1)
    _print_summary(book)
    _print_assumed(book)
    if strict:
        from aidrules.rulebook.lint import ACKNOWLEDGED_FILE, acknowledge, lint
        acknowledged = located("rules", rules) / ACKNOWLEDGED_FILE
        findings, accepted = acknowledge(lint(book), acknowledged)
        for item in accepted:
            say(str(item))
        for finding in findings:
            say(str(finding))
        say(f"{len(findings)} warning(s) under --strict; {len(accepted)} acknowledged with a "
            f"reason in {acknowledged}.")
        if findings:
            raise typer.Exit(1)


def _print_summary(book: RuleBook) -> None:
    tree = book.policies
    say(f"Rule book: {book.name}, version {book.version} (digest {book.digest})")
    say(f"OK: {len(book.aids)} aid types, {len(book.facts)} derived facts, "
              f"{len(book.rules)} rules, {len(tree.parameters())} parameters, "
              f"{len(tree.jurisdictions())} jurisdictions.")


def _print_assumed(book: RuleBook) -> None:
    assumed = book.policies.assumed()
    if not assumed:
        say("No value is marked assumed.")
        return
    table = Table(title=f"{len(assumed)} value(s) marked assumed: confirm them locally "
                  "(假定值，需当地确认)", show_lines=True)
    for column in ("parameter", "jurisdiction", "from", "value", "where"):
        table.add_column(column, overflow="fold", min_width=10)
    table.add_column("reason", overflow="fold", min_width=40)
    for v in assumed:
        table.add_row(v.name, v.jurisdiction, v.effective_from.isoformat(),
                      f"{_plain(v.value)} {v.unit}", f"{v.file}:{v.line}", str(v.assumed))
    out.print(table)


def _plain(value: Any) -> str:
    if isinstance(value, (list, tuple, frozenset, set)):
        return "[" + ", ".join(str(x) for x in value) + "]"
    return str(value)


def document(
    output: Annotated[Path, typer.Option("--output", help="Where to write the page.")]
    = Path("docs/rulebook.md"),
    coverage: Annotated[Path, typer.Option(
        "--coverage", help="Where to write the article-by-article coverage table.")]
    = Path("docs/coverage.md"),
    check_only: Annotated[bool, typer.Option(
        "--check", help="Write nothing; exit 1 if a page is not current.")] = False,
    rules: RulesOption = Path("rules"),
    policies: PoliciesOption = Path("policies"),
) -> None:
    """Generate the rule-book page and the coverage table (rules/coverage.yaml) from the rule
    and policy files."""
    from aidrules.rulebook.document import rulebook_markdown

    rules, policies = located("rules", rules), located("policies", policies)  # as given
    book = _guarded(lambda: load_rulebook(rules, policies), str(rules))
    pages = [(output, rulebook_markdown(book, Path.cwd()))]
    if (rules / "coverage.yaml").exists():
        pages.append((coverage, _coverage_page(book, rules / "coverage.yaml")))
    for path, text in pages:
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if check_only:
            if current != text:
                fail(f"{path} is not current; run 'aidrules document' to regenerate it")
            say(f"{path} is current.")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        say(f"wrote {path} ({len(text.splitlines())} lines)")


def _coverage_page(book: RuleBook, file: Path) -> str:
    from aidrules.rulebook.coverage import coverage_markdown, coverage_problems, read_coverage

    documents, defects = read_coverage(file)
    problems = defects or coverage_problems(book, documents, str(file))
    if problems:
        for problem in problems:
            say(problem)
        fail(f"{len(problems)} problem(s) in {file}; the coverage table was not written")
    return coverage_markdown(book, documents)

