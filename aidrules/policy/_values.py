"""Reading one value from YAML by its unit, and converting between units, exactly."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from aidrules.errors import AidrulesError, did_you_mean
from aidrules.policy._records import ROUNDING_MODES, ROUNDING_PERIODS, UNITS, Kind, Rounding

FEN = Decimal("0.01")
#: Conversions between units: (from, to) -> factor. Only money rates convert.
CONVERSIONS: dict[tuple[str, str], Fraction] = {
    ("yuan/year", "yuan/month"): Fraction(1, 12),
    ("yuan/month", "yuan/year"): Fraction(12),
}
_FRACTION = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


class Bad(AidrulesError, ValueError):
    """A value that cannot be read; the loader adds file:line:col."""

    def __init__(self, message: str, expected: str | None = None, suggestion: str | None = None):
        super().__init__(message)
        self.message, self.expected, self.suggestion = message, expected, suggestion


def show(raw: Any) -> str:
    """A YAML value as the officer wrote it, for messages."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if raw is None:
        return "(nothing)"
    if isinstance(raw, str):
        return repr(str(raw))
    if isinstance(raw, int | float | Decimal | Fraction):
        return str(raw)
    if isinstance(raw, dict):
        return "a mapping"
    if isinstance(raw, list):
        return "a list"
    return repr(str(raw))


def parse(raw: Any, unit: str, choices: Sequence[str] | None = None) -> Any:
    """The value ``raw`` read for ``unit`` (money, ratio, ...); raises Bad."""
    kind = UNITS[unit]
    if kind is Kind.MONEY:
        return _money(raw)
    if kind is Kind.NUMBER:
        return _ratio(raw)
    if kind is Kind.INT:
        return _whole(raw, unit)
    if kind is Kind.BOOL:
        if not isinstance(raw, bool):
            raise Bad(f"value={show(raw)} is not true or false", "true or false")
        return raw
    if kind is Kind.TEXT:
        return _text(raw, choices)
    if kind is Kind.TEXT_LIST:
        return _text_list(raw, choices)
    return rounding(raw)


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return Decimal(int(raw))
    if isinstance(raw, float):
        text = str(float(raw))
    elif isinstance(raw, str):
        text = raw.strip()
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _without_commas(raw: Any) -> str | None:
    if isinstance(raw, str) and "," in raw:
        plain = raw.replace(",", "").strip()
        if _decimal(plain) is not None:
            return plain
    return None


def _money(raw: Any) -> Decimal:
    amount = _decimal(raw)
    expected = "an amount in yuan with at most 2 decimals, e.g. 710 or 334.75"
    if amount is None:
        raise Bad(f"value={show(raw)} is not an amount of money", expected, _without_commas(raw))
    if amount < 0:
        raise Bad(f"value={show(raw)} is negative", "an amount of 0 or more")
    if amount != amount.quantize(FEN):
        raise Bad(f"value={show(raw)} has more than 2 decimals",
                  "an amount to the fen (2 decimals)")
    return amount


def _ratio(raw: Any) -> Decimal | Fraction:
    expected = "a number such as 1.5 or 0.7, or an exact fraction such as 1/6"
    if isinstance(raw, str) and "/" in raw:
        match = _FRACTION.fullmatch(raw)
        if not match:
            raise Bad(f"value={show(raw)} is not a fraction",
                      "a fraction of whole numbers such as 1/6")
        top, bottom = int(match[1]), int(match[2])
        if bottom == 0:
            raise Bad(f"value={show(raw)} divides by zero", "a fraction such as 1/6")
        return Fraction(top, bottom)
    number = _decimal(raw)
    if number is None:
        raise Bad(f"value={show(raw)} is not a number", expected, _without_commas(raw))
    if number < 0:
        raise Bad(f"value={show(raw)} is negative", "a ratio of 0 or more")
    return number


def _whole(raw: Any, unit: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        suggestion = None
        number = _decimal(raw)
        if number is not None and number == number.to_integral_value():
            suggestion = str(int(number))
        raise Bad(f"value={show(raw)} is not a whole number of {unit}", "a whole number",
                  suggestion)
    if raw < 0:
        raise Bad(f"value={show(raw)} is negative", "a whole number of 0 or more")
    return int(raw)


def _choice(raw: Any, choices: Sequence[str] | None, what: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise Bad(f"{what}={show(raw)} is not text", "some text")
    text = str(raw)
    if choices is not None and text not in choices:
        raise Bad(f"{what}={show(raw)} is not one of the choices", "one of " + ", ".join(choices),
                  did_you_mean(text, choices))
    return text


def _text(raw: Any, choices: Sequence[str] | None) -> str:
    return _choice(raw, choices, "value")


def _text_list(raw: Any, choices: Sequence[str] | None) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise Bad(f"value={show(raw)} is not a list", "a list of texts, e.g. [car, truck]")
    items = tuple(_choice(item, choices, "item") for item in raw)
    for i, item in enumerate(items):
        if item in items[:i]:
            raise Bad(f"item {item!r} is listed twice", "each item once")
    return items


_ROUNDING_EXPECTED = ("a mapping {to: '1', mode: up} (to: a step in yuan; mode: up, down, "
                      "half_up, half_even, or none with no to; optional per: month | year)")
_STEP_EXPECTED = ("a positive whole number of fen, such as '0.01' (fen), '0.1' (jiao), "
                  "'1' (yuan) or '10'")


def rounding(raw: Any) -> Rounding:
    """A rounding rule written ``{to: "1", mode: up}`` (optionally ``per: year``, or
    ``{mode: none}`` for a figure the policy leaves exact); raises Bad."""
    if not isinstance(raw, dict):
        raise Bad(f"value={show(raw)} is not a rounding rule", _ROUNDING_EXPECTED)
    unknown = [key for key in raw if key not in ("to", "mode", "per")]
    if unknown:
        raise Bad(f"unknown key {show(unknown[0])} in the rounding rule", "only to, mode and per",
                  did_you_mean(str(unknown[0]), ("to", "mode", "per")))
    if "mode" not in raw:
        raise Bad("the rounding rule has no mode", _ROUNDING_EXPECTED)
    mode = raw["mode"]
    if not isinstance(mode, str) or mode not in ROUNDING_MODES:
        raise Bad(f"mode={show(mode)} is not a rounding mode", ", ".join(ROUNDING_MODES[:-1])
                  + " or " + ROUNDING_MODES[-1], did_you_mean(str(mode), ROUNDING_MODES))
    per = raw.get("per", "month")
    if per not in ROUNDING_PERIODS:
        raise Bad(f"per={show(per)} is not a stage", "month or year",
                  did_you_mean(str(per), ROUNDING_PERIODS))
    if mode == "none":
        if "to" in raw:
            raise Bad("a rounding with mode none has no step", "{mode: none} alone")
        return Rounding(None, "none")
    if "to" not in raw:
        raise Bad("the rounding rule has no to", _ROUNDING_EXPECTED)
    step = _decimal(raw["to"])
    if step is None or step <= 0 or step != step.quantize(FEN):
        raise Bad(f"to={show(raw['to'])} is not a rounding step", _STEP_EXPECTED)
    return Rounding(step, str(mode), per=str(per))


def convert(value: Any, from_unit: str, to_unit: str) -> Any:
    """``value`` in ``from_unit`` expressed in ``to_unit``, exactly: a Decimal when it is a
    whole number of fen, else a Fraction (4,000 a year is 1000/3 a month); raises Bad."""
    if from_unit == to_unit:
        return value
    factor = CONVERSIONS.get((from_unit, to_unit))
    if factor is None:
        raise Bad(f"unit {from_unit} cannot be converted to {to_unit}, the parameter's unit",
                  " or ".join(sorted({to_unit} | {b for (a, b) in CONVERSIONS if a == to_unit})))
    exact = Fraction(value) * factor
    if (exact * 100).denominator != 1:
        return exact  # a yearly figure that is not whole fen a month: kept exact
    fen = int(exact * 100)
    whole, cents = divmod(fen, 100)
    return Decimal(whole) if cents == 0 else Decimal(f"{fen}E-2")
