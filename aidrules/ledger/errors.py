"""The ledger's errors: defined by the domain (:mod:`aidrules.casework.errors`), the same
classes whichever store raises them."""

from aidrules.casework.errors import (
    ConflictError,
    IllegalMove,
    LedgerError,
    NotFound,
    ReplayMismatch,
)

__all__ = ["ConflictError", "IllegalMove", "LedgerError", "NotFound", "ReplayMismatch"]
