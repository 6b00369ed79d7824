"""What the ledger stores, checked before the database sees it, the same on SQLite (which
would take anything) and PostgreSQL (which refuses, with a traceback that echoes the row):
a text no longer than its column, and no NUL character. Messages name where the value
goes and its length, never the value (it may be a name or an identity number)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from aidrules.casework.names import check_text

__all__ = ["check_flush", "check_text", "check_values"]


def check_values(table: sa.Table, values: Mapping[str, Any], where: str) -> None:
    """Refuse a text too long for its column or holding a NUL character."""
    for name, value in values.items():
        if isinstance(value, str) and name in table.c:
            check_text(value, f"{where}: {name}", getattr(table.c[name].type, "length", None))


def check_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Before every flush: each new or changed row's texts (a ``before_flush`` listener)."""
    for row in (*session.new, *session.dirty):
        table = getattr(row, "__table__", None)
        if table is not None:
            key = sa.inspect(row).dict.get("id")
            where = f"{table.name.removesuffix('s').replace('_', ' ')} {key or '(new)'}"
            check_values(table, sa.inspect(row).dict, where)
