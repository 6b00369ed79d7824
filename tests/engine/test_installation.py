"""On Python 3.13, durable-rules built without the define it needs fails to import with an
undefined symbol; aidrules turns that into an error that says how to rebuild it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples/applications/01-tieli-urban-below-standard.yaml"
UNDEFINED = ("durable_rules_engine.cpython-313-x86_64-linux-gnu.so: "
             "undefined symbol: PyEval_CallObject")


def run_with_a_broken_build(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Python with a `durable` package whose engine fails to import as a bad build does."""
    (tmp_path / "durable").mkdir()
    (tmp_path / "durable" / "__init__.py").write_text("")
    (tmp_path / "durable" / "engine.py").write_text(f"raise ImportError({UNDEFINED!r})\n")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=tmp_path)


def test_importing_the_engine_names_the_build_flag(tmp_path):
    done = run_with_a_broken_build(tmp_path, "-c", "import aidrules.engine")
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("aidrules.errors.InstallationError: durable-rules was built")
    assert "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject" in last


def test_the_command_says_what_to_do_without_a_traceback(tmp_path):
    done = run_with_a_broken_build(tmp_path, "-m", "aidrules", "assess", str(EXAMPLE))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject" in done.stderr
