"""`aidrules serve` where the web server is not installed says which extra to install."""

from __future__ import annotations

import subprocess
import sys


def test_serve_without_the_extra_names_it(tmp_path):
    (tmp_path / "fastapi").mkdir()
    (tmp_path / "fastapi" / "__init__.py").write_text("raise ImportError('no fastapi here')\n")
    (tmp_path / "tokens.toml").write_text("")
    done = subprocess.run([sys.executable, "-m", "aidrules", "serve", "--tokens", "tokens.toml"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1
    assert "pip install 'aidrules[serve]'" in done.stderr
    assert "Traceback" not in done.stderr
