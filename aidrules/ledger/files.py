"""SQLite ledger files that say what made them, in the ``application_id`` field of the
SQLite header, so a command that recreates its own file (``aidrules demo``) never deletes
anyone else's."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from aidrules.ledger.errors import LedgerError


def file_mark(path: Path) -> int | None:
    """The ``application_id`` of the SQLite database at ``path`` (0: none was set); None
    when ``path`` is not one that can be opened. Never creates or changes the file (an
    interrupted transaction's journal is rolled back, as any opening would)."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)) as db:
            return db.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.Error:
        return None


def recreate_marked(path: Path, mark: int, what: str) -> None:
    """Start an empty SQLite database at ``path`` carrying ``mark``. A file already there
    is deleted only if it carries the same mark (it is ``what``, made before); anything
    else is refused with a LedgerError and left untouched."""
    if path.exists() or path.is_symlink():
        if file_mark(path) != mark:
            raise LedgerError(f"{path}: exists and is not {what}, so it is not replaced; "
                              "delete it or choose another file")
        path.unlink()  # its journal, if a run was killed, was rolled back by file_mark
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA application_id = {int(mark)}")
        db.commit()
