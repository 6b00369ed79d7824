"""The errors of the case ledger and its domain. Each says what was refused and why; a
refused move changes nothing."""

from __future__ import annotations

from aidrules.errors import AidrulesError


class LedgerError(AidrulesError):
    """Base of the errors the case ledger raises on purpose."""


class IllegalMove(LedgerError, ValueError):
    """A procedural step that the case's state or the rules do not allow (nothing changed)."""


class ConflictError(LedgerError, RuntimeError):
    """Someone else changed the case (or household chain) first; reload and try again."""


class NotFound(LedgerError, LookupError):
    """No case, household, task or referral with that id."""


class ReplayMismatch(LedgerError, ValueError):
    """A past assessment or decision replayed under its rule book gives a different result,
    or the rule book and policies on hand are not the ones it was made with."""
