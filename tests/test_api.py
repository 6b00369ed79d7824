"""The public surface: `import aidrules` gives an integrator's names, every error the
library raises on purpose is an AidrulesError, and docs/api.md's example runs as shown."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from typer.testing import CliRunner

import aidrules
from aidrules.cli import app

ROOT = Path(__file__).resolve().parents[1]
# Signals to pytest, not errors of the library: a case that does not hold is a test failure.
NOT_ERRORS = {"aidrules.pytest_plugin.CaseFailed"}


def test_all_is_sorted_and_every_name_resolves():
    assert aidrules.__all__ == sorted(aidrules.__all__)
    for name in aidrules.__all__:
        assert getattr(aidrules, name) is not None, name
    assert set(dir(aidrules)) == set(aidrules.__all__)


def test_the_version_is_the_package_metadata_and_the_cli_prints_it():
    assert aidrules.__version__ == version("aidrules")
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"aidrules {aidrules.__version__}"


def test_importing_aidrules_loads_neither_the_engine_nor_the_database():
    code = "import sys, aidrules; print(sorted({'durable', 'sqlmodel'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_the_package_is_typed():
    assert (ROOT / "aidrules" / "py.typed").is_file()


def exception_classes():
    for info in pkgutil.walk_packages(aidrules.__path__, "aidrules."):
        if ".migrations" in info.name:  # alembic's scripts run only under alembic
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == info.name:
                yield f"{info.name}.{cls.__qualname__}", cls


def test_every_exception_the_library_defines_is_an_aidrules_error():
    outside = [name for name, cls in exception_classes()
               if not issubclass(cls, aidrules.AidrulesError) and name not in NOT_ERRORS]
    assert outside == []


def test_errors_keep_their_builtin_bases():
    from aidrules.language.parser import ExpressionSyntaxError
    from aidrules.model import InconsistentApplication
    from aidrules.monitoring.feed import RowError
    for cls in (ExpressionSyntaxError, InconsistentApplication, RowError):
        assert issubclass(cls, ValueError)


def test_the_example_in_docs_api_runs_and_prints_what_it_says(tmp_path):
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    snippet = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    said = [m.strip() for m in re.findall(r"#\s*→\s*(.+)", snippet)]
    done = subprocess.run([sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == said
