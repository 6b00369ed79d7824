"""Rooms with one job, imports pointing one way (docs: style.md): the engine's, the
database's and the templates' libraries each stay in their one place, and the lower
layers know nothing of the ones built on them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "aidrules"

# A third-party library → the only modules (path prefixes under aidrules/) that may import it.
CONFINED = {
    "durable": ("engine/durable.py",),
    "durable_rules_engine": ("engine/durable.py",),
    "sqlmodel": ("ledger/",),
    "sqlalchemy": ("ledger/",),
    "alembic": ("ledger/",),
    "jinja2": ("notices/",),
    "duckdb": ("columnar/",),
    "pyarrow": ("columnar/",),
    "pyspark": ("columnar/",),
    "sqlglot": ("columnar/",),
    # the signatures of the chain's anchors (docs/chain.md)
    "cryptography": ("ledger/anchor.py",),
    # the web framework and its server: the HTTP service only
    "fastapi": ("service/",),
    "starlette": ("service/",),
    "uvicorn": ("service/",),
    # the command line's libraries: the command line only (aidrules/cli/)
    "typer": ("cli/",),
    "click": ("cli/",),
    "rich": ("cli/",),
}

# A room of the library → the rooms it may import (besides itself, errors and _yaml).
LOWER = {
    "language": set(),
    "policy": set(),
    "model": set(),
    # render imports nothing of the library: its words are for every room
    "rulebook": {"language", "policy", "model", "render"},
    # the results serialise themselves and carry one summary through render's words
    "engine": {"language", "policy", "model", "rulebook", "render"},
    # words and documents from results as data: no engine code (type hints only)
    "render": set(),
    # monitoring is pure; the ledger stores its records, the month and the demo wire them
    "monitoring": {"language", "policy", "model", "rulebook", "engine"},
    # the case model without a database: the law on cases, money and challenges, and the
    # procedure's use cases (which assess through the engine)
    "casework": {"language", "policy", "model", "rulebook", "engine"},
    "ledger": {"language", "policy", "model", "rulebook", "engine", "monitoring", "casework"},
    # rendering reads assessments and parameters; it knows nothing of the ledger or the loop
    "notices": {"language", "policy", "model", "rulebook", "engine", "render"},
    # the columnar executor compiles the checked trees itself: it never imports the engine
    "columnar": {"language", "policy", "model", "rulebook", "monitoring"},
    # the HTTP service: an entry point over the library (and the package's __version__)
    "service": {"language", "policy", "model", "rulebook", "engine", "render", "notices", "ledger",
                "columnar", "shipped", "compose", "__version__"},
    # the composition root wires the book, the engine and the ledger; it serves no one
    "compose": {"language", "policy", "model", "rulebook", "engine", "ledger", "cases",
                "shipped"},
}


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module name the file imports (parsed, never run), those for type hints only
    (under ``if TYPE_CHECKING:``) left out: they are no dependency at run time."""
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            if node.module == "aidrules":
                names |= {f"aidrules.{alias.name}" for alias in node.names}
    return names


def room(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


@pytest.mark.parametrize("library", sorted(CONFINED))
def test_a_third_party_library_is_imported_only_in_its_place(library):
    allowed = CONFINED[library]
    offenders = [str(p.relative_to(PACKAGE)) for p in modules()
                 if any(n.split(".")[0] == library for n in imported(p))
                 and not str(p.relative_to(PACKAGE)).startswith(allowed)]
    assert offenders == []


@pytest.mark.parametrize("lower", sorted(LOWER))
def test_a_lower_room_does_not_import_the_rooms_built_on_it(lower):
    allowed = LOWER[lower] | {lower, "errors", "_yaml"}
    files = [p for p in modules() if room(p) == lower]
    assert files, f"no room {lower}"
    found = {(str(p.relative_to(PACKAGE)), n) for p in files
             for n in imported(p) if n.startswith("aidrules.")}
    assert {(f, n) for f, n in found if n.split(".")[1] not in allowed} == set()


ENTRY_POINTS = {"notices", "service"}  # the rendering room itself, and what serves it


def test_no_domain_room_renders_documents():
    """Templates, HTML and the browser stay in the rendering room: no room below it
    imports aidrules.notices."""
    found = [str(p.relative_to(PACKAGE)) for lower in LOWER if lower not in ENTRY_POINTS
             for p in (PACKAGE / lower).rglob("*.py")
             if any(n.startswith("aidrules.notices") for n in imported(p))]
    assert found == []


def test_only_the_printing_module_starts_the_browser():
    """Chromium is run from aidrules/notices/chromium.py alone."""
    found = [str(p.relative_to(PACKAGE)) for p in modules()
             if "chromium" in p.read_text(encoding="utf-8").lower()
             and p.parts[-2:] != ("notices", "chromium.py")
             and room(p) not in ("cli", "notices", "service")]
    assert found == []


DATABASE_LIBRARIES = {"sqlmodel", "sqlalchemy", "alembic", "sqlite3", "psycopg", "psycopg2",
                      "duckdb"}


def test_the_case_domain_imports_no_database_library():
    """The Case aggregate, its rules and use cases run without a database: every import
    under aidrules/casework/ is the standard library, attrs, or a room below it."""
    found = {(str(p.relative_to(PACKAGE)), n) for p in (PACKAGE / "casework").rglob("*.py")
             for n in imported(p) if n.split(".")[0] in DATABASE_LIBRARIES}
    assert (PACKAGE / "casework" / "case.py").is_file()
    assert found == set()


def test_nothing_imports_the_command_line():
    assert [p.name for p in modules() if room(p) != "cli" and "aidrules.cli" in imported(p)
            and p.name != "__main__.py"] == []


def test_the_command_lines_rooms_are_gone():
    """Every command lives in aidrules/cli/, one job a module: no room keeps a cli module
    of its own, and the library is wired in one place (aidrules/compose.py)."""
    assert [str(p.relative_to(PACKAGE)) for p in modules()
            if p.stem in ("cli", "console", "command") and room(p) != "cli"] == []


def test_only_the_command_line_reaches_the_service():
    assert [str(p.relative_to(PACKAGE)) for p in modules()
            if room(p) not in {"service", "cli"}
            and any(n.startswith("aidrules.service") for n in imported(p))] == []


def test_the_cases_room_opens_the_ledger_only_when_asked():
    """Replay and impact on case files never load the database libraries: the cases room
    imports the ledger inside the function that reads it, never at module level."""
    at_top = {str(p.relative_to(PACKAGE)) for p in (PACKAGE / "cases").rglob("*.py")
              for node in ast.parse(p.read_text(encoding="utf-8")).body
              if isinstance(node, ast.Import | ast.ImportFrom)
              and any(n.startswith("aidrules.ledger") for n in _names(node))}
    assert at_top == set()


def _names(node: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    return {node.module or ""} | {f"{node.module}.{alias.name}" for alias in node.names}
