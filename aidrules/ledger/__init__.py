"""The case ledger (台账): households, cases through the procedure, the closed loop, and
each household's hash-linked chain of events, in SQLite (default) or PostgreSQL.

The only package that imports sqlmodel, sqlalchemy and alembic. See docs/ledger.md.
Names are loaded on first use, so ``aidrules`` commands that never touch the ledger do
not pay for importing the database libraries.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "BadEntry": "chain",
    "Broken": "integrity",
    "ConflictError": "errors",
    "DueItem": "ledger",
    "Enrolled": "ledger",
    "IllegalMove": "errors",
    "Ledger": "ledger",
    "LedgerError": "errors",
    "NotFound": "errors",
    "ReplayMismatch": "errors",
    "State": "aidrules.casework.procedure",
    "TimeLimits": "aidrules.casework.procedure",
    "database_url": "ledger",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'aidrules.ledger' has no attribute {name!r}")
    module = _WHERE[name]  # a module of the ledger, or of the domain by its full name
    return getattr(importlib.import_module(module if "." in module else
                                           f"aidrules.ledger.{module}"), name)
