"""Field rules shared by the model (checked on construction) and the reader (checked per path).

A *rule* takes a field's value and returns what is wrong with it as a message that
reads after a path (``must be a non-negative amount, got '-5'``), or None when the
value is fine. :func:`field` turns a rule into an attrs validator and keeps it in the
field's metadata, where the reader finds it to report every bad field at once.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from aidrules.errors import did_you_mean

Rule = Callable[[Any], "str | None"]
# A check on a whole collection: (path below the field, message) for each problem.
Check = Callable[[Any], Iterable[tuple[str, str]]]

# Limits no real household reaches, chosen so that the engine's whole units (1/1200 yuan)
# stay far inside 64-bit integers even summed over every entry an application may hold
# (50 members × 24 incomes, 1,000 expenditures: at most 1.2·10^11 yuan, 1.44·10^14 units,
# four orders of magnitude of room for the coefficients a comparison multiplies them by).
AMOUNT_LIMIT = Decimal(10) ** 8  # one hundred million yuan (一亿元) per amount
NAME_LENGTH = 64  # characters in a person's name
_FEN = Decimal("0.01")
_AMOUNT_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")
_SHOWN_LENGTH = 40


def shown(value: Any) -> str:
    """A bad value as a message shows it: text and amounts quoted, containers named."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple | set):
        return "a list"
    if isinstance(value, str | Decimal):
        text = str(value)
        return repr(text if len(text) <= _SHOWN_LENGTH else text[:_SHOWN_LENGTH] + "…")
    try:
        return str(value)[:_SHOWN_LENGTH]
    except ValueError:  # an integer too long for str()
        return "a number too long to show"


def field(rule: Rule, check: Check | None = None, **kwargs: Any) -> Any:
    """An attrs field validated by ``rule`` (and ``check``), both kept for the reader."""
    metadata = {"rule": rule, "check": check}
    return attrs.field(validator=_validator(rule, check), metadata=metadata, **kwargs)


def _validator(rule: Rule, check: Check | None) -> Callable[[Any, Any, Any], None]:
    def validate(instance: Any, attribute: Any, value: Any) -> None:
        found = [("", message)] if (message := rule(value)) else list(check(value) if check else ())
        if found:
            where = f"{type(instance).__name__}.{attribute.name}"
            raise ValueError("; ".join(f"{where}{sub}: {msg}" for sub, msg in found))

    return validate


def optional(rule: Rule) -> Rule:
    return lambda value: None if value is None else rule(value)


def text(value: Any) -> str | None:
    """Free text (notes, descriptions): line breaks allowed, hidden control characters not."""
    if not isinstance(value, str) or not value.strip():
        return f"must be non-empty text, got {shown(value)}"
    hidden = next((ch for ch in value if _is_hidden(ch) and ch not in _LINE_BREAKS), None)
    return None if hidden is None else _hidden_message(hidden)


def name(value: Any) -> str | None:
    """A person's name: text on one line, without hidden characters, of a sane length."""
    if not isinstance(value, str) or not value.strip():
        return f"must be non-empty text, got {shown(value)}"
    hidden = next((ch for ch in value if _is_hidden(ch) or ch in _LINE_BREAKS), None)
    if hidden is not None:
        return _hidden_message(hidden)
    if len(value) > NAME_LENGTH:
        return f"must be a name of at most {NAME_LENGTH} characters, got {len(value)}"
    return None


_LINE_BREAKS = frozenset("\t\n\r\x85\u2028\u2029")
# Marks that reverse or isolate the direction of text: they make a name read differently
# from what it holds (in a notice, a log, the ledger).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_hidden(char: str) -> bool:
    """A control or format character (NUL, escape, bidirectional marks, zero-width ones)."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") or char in _BIDI


def _hidden_message(char: str) -> str:
    return (f"must not hold the hidden character U+{ord(char):04X} "
            f"({unicodedata.name(char, 'a control character').lower()})")


def flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, got {shown(value)}"


def whole_number(low: int, high: int | None = None) -> Rule:
    wanted = f"a whole number ≥ {low}" if high is None else f"a whole number from {low} to {high}"

    def rule(value: Any) -> str | None:
        fits = isinstance(value, int) and not isinstance(value, bool) and low <= value
        if fits and (high is None or value <= high):
            return None
        return f"must be {wanted}, got {shown(value)}"

    return rule


def day(value: Any) -> str | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return None
    return f"must be a date like 2025-03-01, got {shown(value)}"


def amount(value: Any) -> str | None:
    """Money: an exact Decimal, not negative, below a sane limit, in whole fen."""
    if not isinstance(value, Decimal) or not value.is_finite() or value.is_signed():
        return f"must be a non-negative amount, got {shown(value)}"
    if value >= AMOUNT_LIMIT:
        return f"must be an amount below {AMOUNT_LIMIT:,.0f} yuan, got {shown(value)}"
    if value != value.quantize(_FEN):
        return f"must be an amount in whole fen (at most 2 decimal places), got {shown(value)}"
    return None


def to_amount(value: Any) -> Any:
    """Whole numbers and amount text ('1234.50') as Decimal; anything else left for the rule."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str) and _AMOUNT_TEXT.fullmatch(value.strip()):
        return Decimal(value.strip())
    return value


def one_of(kind: type[enum.StrEnum]) -> Rule:
    names = ", ".join(member.value for member in kind)

    def rule(value: Any) -> str | None:
        if isinstance(value, kind):
            return None
        message = f"must be one of {names}, got {shown(value)}"
        close = did_you_mean(value, [m.value for m in kind]) if isinstance(value, str) else None
        return message + (f"; did you mean '{close}'?" if close else "")

    return rule


def to_member(kind: type[enum.StrEnum]) -> Callable[[Any], Any]:
    """A converter: a known value as the enum's member, anything else left for the rule."""
    values = {member.value: member for member in kind}
    return lambda value: values.get(value, value) if isinstance(value, str) else value


def items(kind: type, most: int | None = None) -> Rule:
    """A list of ``kind``, with at most ``most`` entries (no real household has more)."""
    def rule(value: Any) -> str | None:
        if not (isinstance(value, tuple) and all(isinstance(item, kind) for item in value)):
            return f"must be a list of {kind.__name__}, got {shown(value)}"
        if most is not None and len(value) > most:
            return f"must list at most {most} entries, got {len(value)}"
        return None

    return rule


def instance(kind: type) -> Rule:
    return lambda value: None if isinstance(value, kind) else (
        f"must be a {kind.__name__}, got {shown(value)}")


def to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
