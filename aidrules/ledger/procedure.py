"""The procedure's states, moves and time limits: defined by the domain
(:mod:`aidrules.casework.procedure`); kept here so existing imports still work."""

from aidrules.casework.procedure import MOVES, State, TimeLimits, require_move

__all__ = ["MOVES", "State", "TimeLimits", "require_move"]
