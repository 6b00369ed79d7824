"""Monitoring is pure: no rules engine, database or template imports of its own."""

import ast
from pathlib import Path

FORBIDDEN = ("durable", "sqlmodel", "sqlalchemy", "jinja2")


def imported(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_monitoring_reaches_durable_rules_only_through_the_engine_module():
    for path in Path("aidrules/monitoring").glob("*.py"):
        for name in imported(path):
            assert name.split(".")[0] not in FORBIDDEN, f"{path} imports {name}"
