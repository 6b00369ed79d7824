"""The built wheel carries the rule book inside the package (the installed library finds
it from any folder); .ci/run installs that wheel in a fresh venv and runs the demo."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # builds the wheel: about 8 s


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    return zipfile.ZipFile(next(out.glob("aidrules-*.whl")))


def test_the_wheel_carries_every_shipped_folder(wheel):
    names = set(wheel.namelist())
    for folder in ("rules", "policies", "feeds", "warnings", "examples/applications"):
        shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}
        assert {f"aidrules/_shipped/{name}" for name in shipped} <= names, folder


def test_the_wheel_is_typed_and_has_its_console_script(wheel):
    names = set(wheel.namelist())
    assert "aidrules/py.typed" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "aidrules = aidrules.__main__:main" in wheel.read(entry).decode()
