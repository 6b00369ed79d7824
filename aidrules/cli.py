"""The ``aidrules`` command: check a rule book, read and assess applications.

Thin by design: each command parses its input, calls the library and prints the
result. Errors the library raises on purpose print without a traceback and exit 1;
usage errors exit 2.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from aidrules import __version__, messages
from aidrules.cases.cli import register as register_cases
from aidrules.console import day, fail, out, say, say_err
from aidrules.errors import AidrulesError, ApplicationError, RuleBookError
from aidrules.ledger.cli import case_app, ledger_app
from aidrules.model import read_applications
from aidrules.monitoring.cli import county_app, feeds_app
from aidrules.rulebook import RuleBook, check_rulebook, load_rulebook
from aidrules.service.command import register as register_serve
from aidrules.shipped import load_book, located, located_overlays

app = typer.Typer(
    name="aidrules",
    help="Classify social-assistance applications across every aid type, with reasons.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for sub_commands in (case_app, ledger_app, feeds_app, county_app):
    app.add_typer(sub_commands)
register_cases(app)  # replay, impact, boundaries
register_serve(app)  # serve (HTTP)

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


def main() -> None:
    """Entry point of the ``aidrules`` console script."""
    app()


def _print_version(asked: bool) -> None:
    if asked:
        say(f"aidrules {__version__}")
        raise typer.Exit()


# ---- check ---------------------------------------------------------------------------

@app.command()
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


# ---- document ------------------------------------------------------------------------

@app.command()
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


# ---- validate ------------------------------------------------------------------------

@app.command()
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


# ---- assess / explain / demo ---------------------------------------------------------

@app.command()
def assess(
    file: Annotated[Path, typer.Argument(help="An application file (YAML or JSON).")],
    on: OnOption = None,
    jurisdiction: JurisdictionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON document.")] = False,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
    overlay: OverlayOption = None,
) -> None:
    """Assess every application in FILE across every aid type."""
    documents = []
    for _, a in _assessments(file, on, jurisdiction, rules, policies, overlay)[1]:
        if as_json:
            documents.append(a.to_json())
        else:
            _print_assessment(a)
    if as_json:
        doc = documents[0] if len(documents) == 1 else documents
        say(json.dumps(doc, ensure_ascii=False, indent=2))


@app.command()
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


FormatOption = Annotated[str, typer.Option("--format", help="text, html or pdf.")]
OutOption = Annotated[Path | None, typer.Option(
    "--out", help="Write the document here (needed for pdf; text and html print otherwise).")]


@app.command()
def notice(
    file: Annotated[Path, typer.Argument(help="An application file (YAML or JSON).")],
    language: Annotated[str, typer.Option("--language", help="zh or en.")] = "zh",
    format: FormatOption = "text",
    out_file: OutOption = None,
    templates: Annotated[Path | None, typer.Option(
        "--templates", help="A directory of the county's own templates (same names).")] = None,
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


@app.command()
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
    templates: Annotated[Path | None, typer.Option(
        "--templates", help="A directory of the county's own templates (same names).")] = None,
    on: OnOption = None,
    jurisdiction: JurisdictionOption = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
) -> None:
    """The public notice (公示) of the households found eligible, names and numbers masked."""
    from aidrules.notices import issuer_of, public_list, public_notice
    first, last = day(start or None), day(end or None)
    if not start or not end:
        fail("give the notice period: --start DATE --end DATE")
    if bool(files) == bool(db):
        fail("give application files or --db, one of the two")
    if db:
        from aidrules.ledger import Ledger
        from aidrules.ledger.report import publicity_rows
        book = _guarded(lambda: load_book(rules, policies), str(rules or "rules"))
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
app.add_typer(report_app)


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
    book = _guarded(lambda: load_book(rules, policies), str(rules or "rules"))
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


@app.command()
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


@app.command()
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
    when = day(on)
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
    book = _guarded(lambda: load_book(rules, policies), str(rules or "rules"))
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


def _assessments(file: Path, on, jurisdiction, rules: Path | None, policies: Path | None,
                 overlays: list[Path] | None = None):
    """The assessor, and every application in ``file`` with its assessment."""
    when = day(on)
    applications = _guarded(lambda: read_applications(file), str(file))
    assessor = _assessor(rules, policies, overlays)
    return assessor, [(application, _guarded(lambda application=application: assessor.assess(
        application, on=when, jurisdiction=jurisdiction), str(file)))
        for application in applications]


@app.command()
def screen(
    register: Annotated[Path, typer.Argument(help="The county register directory (households.csv "
                                                  "and people.csv), or application files.")],
    on: Annotated[str, typer.Option("--on", help="Screen as of this date (YYYY-MM-DD).")],
    result: Annotated[Path, typer.Option("--out", help="Where to write the result (Parquet).")],
    jurisdiction: JurisdictionOption = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
    overlay: OverlayOption = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (in-process) or spark "
                                        "(PySpark, local[2]).")] = "duckdb",
) -> None:
    """Screen a whole register on DuckDB or Spark: statuses and amounts per household
    (docs/screening.md)."""
    from aidrules.columnar import STATUSES, screen_register, screener_for  # late: duckdb
    book = _guarded(lambda: load_book(rules, policies, overlay), str(rules or "rules"))
    found = _guarded(lambda: screen_register(screener_for(book, engine), register, day(on),
                                             result, jurisdiction, progress=sys.stdout.isatty()),
                     str(register)).to_pylist()
    table = Table("aid", *STATUSES, "monthly amount (yuan)", "amount pending")
    for row in found:
        table.add_row(row["aid"], *(str(row[s]) for s in STATUSES),
                      f"{row['monthly_amount_fen'] / 100:,.2f}", str(row["amount_pending"]))
    households = sum(found[0][s] for s in STATUSES) if found else 0
    say(f"{result}: {households} households screened as of {on}")
    out.print(table)


@app.command("screen-explain")
def screen_explain(
    result: Annotated[Path, typer.Option("--from", help="A screening (Parquet) written by "
                                         "'aidrules screen'.")],
    household: Annotated[str, typer.Option("--household", help="Its application id, or the "
                                           "county household's id.")],
    aid: Annotated[str | None, typer.Option("--aid", help="One aid type (default: all).")] = None,
    rules: RulesOption = None,
    policies: PoliciesOption = None,
) -> None:
    """The full reasons of one screened household, from the per-case path (docs/screening.md)."""
    from aidrules.columnar import screened_application  # late: loads duckdb
    application, on, where = _guarded(lambda: screened_application(result, household),
                                      str(result))
    assessor = _assessor(rules, policies)
    assessment = _guarded(lambda: assessor.assess(application, on=on, jurisdiction=where),
                          str(result))
    for found in assessment.results:
        if aid in (None, found.aid):
            say(_guarded(lambda a=found.aid: assessor.explain(assessment, a), str(result)))


@app.command()
def demo(
    households: Annotated[int, typer.Option("--households", min=1, help="Households in the "
                                            "synthetic county.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="The county's random seed.")] = 1,
    db: Annotated[Path, typer.Option("--db", help="The SQLite ledger, recreated each run; "
                                  "a file that is not a demo ledger is refused.")]
    = Path("aidrules-demo.db"),
    month: Annotated[str, typer.Option("--month", help="The month of feeds, YYYY-MM.")]
    = "2025-03",
    rules: RulesOption = None,
    policies: PoliciesOption = None,
) -> None:
    """The main job: one month of monitoring, verification and enrolment on a synthetic county
    in an SQLite ledger, and its summary (docs/monitoring.md, "The demo")."""
    from aidrules.demo import Places, run_demo, summary  # loads the ledger's libraries

    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise typer.BadParameter(f"--month={month!r} is not a month; expected YYYY-MM",
                                 param_hint="--month") from None
    places = Places(rules=located("rules", rules), policies=located("policies", policies),
                    feeds=located("feeds"), warnings=located("warnings"),
                    examples=located("examples/applications"))
    result = _guarded(lambda: run_demo(db, households, seed, first, places), str(db))
    for line in summary(result):
        say(line)
    say(f"ledger: {db} (aidrules ledger verify --db {db})")


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


# ---- helpers -------------------------------------------------------------------------

LANGUAGE = ["en"]  # of the problems printed: --lang, or the locale (set before each command)


def _use_language(flag: str | None) -> None:
    if flag is not None and flag not in messages.LANGUAGES:
        raise typer.BadParameter(f"--lang={flag!r} is not a language; expected zh or en",
                                 param_hint="--lang")
    LANGUAGE[0] = messages.language(flag)


@app.callback()
def _every_command(lang: LangOption = None, version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print the version and exit.")] = False) -> None:
    """Classify social-assistance applications across every aid type, with reasons."""
    _use_language(lang)


def _assessor(rules: Path | None, policies: Path | None,
              overlays: list[Path] | None = None) -> Any:
    from aidrules.engine import Assessor  # late: only the commands that assess need it

    book = _guarded(lambda: load_book(rules, policies, overlays), str(rules or "rules"))
    return Assessor(book)


def _guarded(call: Callable[[], Any], source: str) -> Any:
    """``call()``, or a clean message and exit 1 for an error the library raises on purpose."""
    try:
        return call()
    except (RuleBookError, ApplicationError) as exc:
        for problem in exc.problems:
            line = messages.render(problem, LANGUAGE[0])
            say_err(f"{source}: {line}" if isinstance(exc, ApplicationError) else line)
        fail(f"{len(exc.problems)} problem(s) in {exc.source or source}")
    except AidrulesError as exc:  # a message naming the source already is not prefixed
        fail(str(exc) if str(exc).startswith(f"{source}: ") else f"{source}: {exc}")
    except OSError as exc:
        fail(f"{source}: cannot read: {exc.strerror or exc}")






def _first_line(exc: BaseException) -> str:
    problems = getattr(exc, "problems", ())
    text = str(problems[0]) if problems else (str(exc).splitlines() or [""])[0]
    return text if len(text) <= 120 else text[:119] + "…"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
