"""Printing HTML to PDF and PNG with the system's headless Chromium (a Debian package,
never a downloaded browser). Each run gets a fresh profile directory and no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from aidrules.errors import NoticeError

NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--hide-scrollbars", "--font-render-hinting=none")
TIMEOUT = 60  # seconds for one page


def browser() -> str | None:
    """The Chromium to run: ``AIDRULES_CHROMIUM`` when set, else the first on PATH."""
    named = os.environ.get("AIDRULES_CHROMIUM")
    if named:
        return named
    return next((found for name in NAMES if (found := shutil.which(name))), None)


def html_to_pdf(html: str, out: Path) -> Path:
    """Print ``html`` to the PDF file ``out`` (A4, as the page's own CSS sets)."""
    return _run(html, out, "--print-to-pdf={out}", "--no-pdf-header-footer")


def screenshot(html: str, out: Path, *, width: int = 900, height: int = 1270) -> Path:
    """A PNG of the page's first ``width`` × ``height`` pixels."""
    return _run(html, out, "--screenshot={out}", f"--window-size={width},{height}")


def _run(html: str, out: Path, *options: str) -> Path:
    binary = browser()
    if binary is None:
        raise NoticeError("no Chromium found (looked for " + ", ".join(NAMES) +
                          " on PATH and AIDRULES_CHROMIUM); on Debian: apt-get install chromium")
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="aidrules-chromium-") as work:
        page = Path(work, "page.html")
        page.write_text(html, encoding="utf-8")
        command = [binary, *FLAGS, f"--user-data-dir={Path(work, 'profile')}",
                   *(o.format(out=out) for o in options), page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise NoticeError(f"{binary}: no page after {TIMEOUT} s") from None
    if not out.is_file() or out.stat().st_size == 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise NoticeError(f"{binary} made no {out.suffix} (exit {done.returncode}): {last}")
    return out
