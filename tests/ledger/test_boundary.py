"""Persistence stays in its own room: only aidrules/ledger imports sqlmodel, sqlalchemy or
alembic; the ledger imports no durable_rules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "aidrules"
PERSISTENCE = {"sqlmodel", "sqlalchemy", "alembic"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_ledger_package_imports_the_database_libraries():
    outside = {str(p.relative_to(PACKAGE)): _imports(p) & PERSISTENCE
               for p in PACKAGE.rglob("*.py") if "ledger" not in p.relative_to(PACKAGE).parts}
    assert {path: names for path, names in outside.items() if names} == {}


def test_the_ledger_does_not_import_the_rules_engine_library():
    inside = [p for p in (PACKAGE / "ledger").rglob("*.py") if "durable_rules" in _imports(p)]
    assert inside == []


def test_the_command_line_loads_the_database_libraries_only_for_ledger_commands():
    code = ("import sys, aidrules.cli; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', "
            "'alembic'}))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert found == "[]"
