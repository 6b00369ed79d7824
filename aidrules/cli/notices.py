"""The documents: the applicant's notice, the public notice, the month's report, the
referral forms and the grid workers' task sheets (the templates are aidrules.notices')."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from aidrules import compose
from aidrules.cli.assess import _assessments
from aidrules.cli.console import day, fail, say
from aidrules.cli.console import guarded as _guarded
from aidrules.cli.options import (
    ApplicationFile,
    FormatOption,
    JurisdictionOption,
    OnOption,
    OutOption,
    OverlayOption,
    PoliciesOption,
    RulesOption,
    TemplatesOption,
)
from aidrules.compose import located
from aidrules.errors import AidrulesError
from aidrules.rulebook import RuleBook


def notice(
    file: ApplicationFile,
    language: Annotated[str, typer.Option("--language", help="zh or en.")] = "zh",
    format: FormatOption = "text",
    out_file: OutOption = None,
    templates: TemplatesOption = None,
    on: OnOption = None,
    jurisdiction: JurisdictionOption = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
    overlay: OverlayOption = None,
) -> None:
    """The applicant's written notice: outcome, amount and reasons per aid type, and rights."""
    from aidrules.notices import decision_notice, issuer_of
    assessor, assessed = _assessments(file, on, jurisdiction, rules, policies, overlay)
    documents = [_guarded(lambda a=a, application=application: decision_notice(
        a, application, language=language, templates=templates, format=_markup(format),
        issuer=issuer_of(assessor.book.policies, a.jurisdiction, a.on)), str(file))
        for application, a in assessed]
    _deliver(documents, format, out_file)


def publicity(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Application files (YAML or JSON); or give --db.")] = None,
    start: Annotated[str, typer.Option("--start", help="First day of the notice period.")] = "",
    end: Annotated[str, typer.Option("--end", help="Last day of the notice period.")] = "",
    db: Annotated[str | None, typer.Option(
        "--db", help="A ledger: list the cases whose notice period begins between --start "
        "and --end.")] = None,
    title: Annotated[str, typer.Option("--title", help="The notice's heading.")] =
        "最低生活保障和特困人员救助供养审核确认结果公示",
    format: FormatOption = "text",
    out_file: OutOption = None,
    templates: TemplatesOption = None,
    on: OnOption = None,
    jurisdiction: JurisdictionOption = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
) -> None:
    """The public notice (公示) of the households found eligible, names and numbers masked."""
    from aidrules.notices import issuer_of, public_list, public_notice
    first, last = day(start or None), day(end or None)
    if first is None or last is None:
        fail("give the notice period: --start DATE --end DATE")
    if bool(files) == bool(db):
        fail("give application files or --db, one of the two")
    if db:
        from aidrules.ledger import Ledger
        from aidrules.ledger.report import publicity_rows
        book = _guarded(lambda: compose.book(rules, policies), str(rules or "rules"))
        ledger = _guarded(lambda: Ledger.open(db, create=False), db)
        try:
            rows = publicity_rows(ledger, first, last)
        finally:
            ledger.close()
        document = _guarded(lambda: public_list(
            rows, title=title, start=start, end=end, templates=templates,
            issuer=_issuer_anywhere(book, last), format=_markup(format)), "publicity")
        return _deliver([document], format, out_file)
    entries, assessor = [], None
    for file in files or []:
        assessor, assessed = _assessments(file, on, jurisdiction, rules, policies)
        entries += [(a, application) for application, a in assessed]
    if not entries or assessor is None:
        fail("no applications given")
    head = entries[0][0]
    issuer = issuer_of(assessor.book.policies, head.jurisdiction, head.on)
    document = _guarded(lambda: public_notice(entries, title=title, start=start, end=end,
                                              templates=templates, issuer=issuer,
                                              format=_markup(format)), "publicity")
    _deliver([document], format, out_file)


def _markup(format: str) -> str:
    if format not in ("text", "html", "pdf"):
        fail(f"--format {format!r}: expected text, html or pdf")
    return "text" if format == "text" else "html"


def _deliver(documents: list[str], format: str, out_file: Path | None) -> None:
    """Print the documents, or write them to ``out_file`` (a PDF through Chromium)."""
    if format == "pdf" and out_file is None:
        fail("--format pdf needs --out FILE")
    if out_file is None:
        for document in documents:
            say(document)
        return
    if format == "pdf":
        from aidrules.notices import html_to_pdf
        _guarded(lambda: html_to_pdf(_joined(documents), out_file), str(out_file))
    else:
        out_file.write_text("\n".join(documents), encoding="utf-8")
    say(f"{out_file}: written")


def _joined(pages: list[str]) -> str:
    """Several HTML documents as one, each on its own printed page."""
    if len(pages) == 1:
        return pages[0]
    bodies = [p[p.index("<body>") + 6: p.rindex("</body>")] for p in pages]
    head = pages[0][: pages[0].index("<body>") + 6]
    breaker = '<div style="break-after: page"></div>'
    return head + breaker.join(bodies) + "</body></html>"


report_app = typer.Typer(name="report", help="Reports read from a live ledger.",
                         no_args_is_help=True)


@report_app.command("month")
def report_month(
    db: Annotated[str, typer.Option("--db", help="The ledger: an SQLite file or a database URL.")],
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")],
    format: Annotated[str, typer.Option("--format", help="html, pdf or csv.")] = "html",
    out_file: OutOption = None,
    leave_out: Annotated[str | None, typer.Option(
        "--leave-out", help="Households whose id starts with this are not counted "
        "(the demo's shipped examples: EX-).")] = None,
    feeds: Annotated[Path | None, typer.Option(
        "--feeds", help="The feed mappings, for the departments' names.")] = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
) -> None:
    """The month's figures (monitoring, warnings, enrolments, referrals, risk) with charts,
    or the same figures as CSV."""
    import csv
    import io

    from aidrules.ledger import Ledger
    from aidrules.ledger.report import month_bounds, month_figures
    from aidrules.notices import month_report, month_report_rows
    if format not in ("html", "pdf", "csv"):
        fail(f"--format {format!r}: expected html, pdf or csv")
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        fail(f"--month {month!r}: expected YYYY-MM, e.g. 2025-03")
    book = _guarded(lambda: compose.book(rules, policies), str(rules or "rules"))
    ledger = _guarded(lambda: Ledger.open(db, create=False), db)
    try:
        figures = month_figures(ledger, month, leave_out)
    finally:
        ledger.close()
    labels = _report_labels(book, located("feeds", feeds))
    if format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(month_report_rows(figures, labels))
        return _deliver([buffer.getvalue().rstrip("\n")], "csv", out_file)
    last = month_bounds(month)[1]
    issuer = _issuer_anywhere(book, last)
    html = _guarded(lambda: month_report(figures, labels, title=f"{month} 低收入人口动态监测和"
                                         "救助工作月报", issuer=issuer), "report")
    _deliver([html], format, out_file)


def referral(
    db: Annotated[str, typer.Option("--db", help="The ledger: an SQLite file or a database URL.")],
    brand: Annotated[str, typer.Option("--brand", help="The brand's id (medical, education, "
                                       "employment, elderly, hardship).")],
    month: Annotated[str, typer.Option("--month", help="The month pushed, YYYY-MM.")],
    format: Annotated[str, typer.Option("--format", help="html or pdf.")] = "html",
    out_file: OutOption = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
) -> None:
    """The referral form of one brand for its departments: the households pushed in a month."""
    from aidrules.ledger.report import month_bounds, referral_sheet
    from aidrules.notices import referral_form
    book, ledger = _report_inputs(db, month, format, rules, policies)
    if brand not in book.brands:
        fail(f"--brand {brand!r}: expected one of {', '.join(book.brands)}")
    try:
        rows = referral_sheet(ledger, brand, month)
    finally:
        ledger.close()
    html = _guarded(lambda: referral_form(rows, brand=book.brands[brand].name, month=month,
                                          issuer=_issuer_anywhere(book, month_bounds(month)[1])),
                    "referral")
    _deliver([html], format, out_file)


def tasks(
    db: Annotated[str, typer.Option("--db", help="The ledger: an SQLite file or a database URL.")],
    grid: Annotated[str, typer.Option("--grid", help="The grid (网格) whose sheet to print.")],
    on: OnOption = None,
    format: Annotated[str, typer.Option("--format", help="html or pdf.")] = "html",
    out_file: OutOption = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
) -> None:
    """The grid worker's verification task sheet: tasks not done by the day, with room for
    the findings."""
    from aidrules.ledger.report import task_sheet as open_tasks
    from aidrules.notices import task_sheet
    when = day(on) or date.today()  # without --on: the tasks open today
    book, ledger = _report_inputs(db, f"{when:%Y-%m}", format, rules, policies)
    try:
        rows = open_tasks(ledger, grid, when)
    finally:
        ledger.close()
    html = _guarded(lambda: task_sheet(rows, grid=grid, on=when.isoformat(),
                                       issuer=_issuer_anywhere(book, when)), "tasks")
    _deliver([html], format, out_file)


def _report_inputs(db: str, month: str, format: str, rules, policies) -> tuple[RuleBook, Any]:
    from aidrules.ledger import Ledger
    if format not in ("html", "pdf"):
        fail(f"--format {format!r}: expected html or pdf")
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        fail(f"--month {month!r}: expected YYYY-MM, e.g. 2025-03")
    book = _guarded(lambda: compose.book(rules, policies), str(rules or "rules"))
    return book, _guarded(lambda: Ledger.open(db, create=False), db)


def _report_labels(book: RuleBook, feeds: Path) -> dict[str, str]:
    """Names for the ids a report is keyed by: aid types, brands, and the departments of
    the feed mappings (their description's first word)."""
    from aidrules.monitoring import load_mapping
    labels = {aid: info.name for aid, info in book.aids.items()}
    labels |= {brand: info.name for brand, info in book.brands.items()}
    for path in sorted(feeds.glob("*.yaml")) if feeds.is_dir() else []:
        try:
            mapping = load_mapping(path)
        except AidrulesError:
            continue
        if mapping.description:
            labels.setdefault(mapping.source, mapping.description.split()[0])
    return labels


def _issuer_anywhere(book: RuleBook, on: date) -> dict[str, Any]:
    """The notice parameters of the one jurisdiction that sets an issuing authority."""
    from aidrules.notices import issuer_of
    found = [issuer_of(book.policies, path, on) for path in book.policies.jurisdictions()]
    found = [f for f in found if "authority" in f]
    return found[0] if len(found) == 1 else {}

