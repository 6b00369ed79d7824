"""The case ledger (台账): households, cases through the procedure, the closed loop, and
each household's hash-linked chain of events, in SQLite (default) or PostgreSQL.

The only package that imports sqlmodel, sqlalchemy and alembic. See docs/ledger.md.
"""

from aidrules.ledger.chain import BadEntry
from aidrules.ledger.errors import ConflictError, IllegalMove, LedgerError, NotFound, ReplayMismatch
from aidrules.ledger.ledger import DueItem, Ledger, database_url
from aidrules.ledger.procedure import State, TimeLimits

__all__ = [
    "BadEntry",
    "ConflictError",
    "DueItem",
    "IllegalMove",
    "Ledger",
    "LedgerError",
    "NotFound",
    "ReplayMismatch",
    "State",
    "TimeLimits",
    "database_url",
]
