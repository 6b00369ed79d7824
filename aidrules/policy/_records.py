"""The records a policy tree hands out: units, kinds, sources, rounding rules, values."""

from __future__ import annotations

import enum
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs


class Kind(enum.StrEnum):
    """The type the expression language sees for a parameter."""

    MONEY = "money"  # Decimal, yuan, at most 2 decimals
    NUMBER = "number"  # Decimal, or Fraction when written as a/b
    INT = "int"
    BOOL = "bool"
    TEXT = "text"
    TEXT_LIST = "text_list"  # tuple[str, ...]
    ROUNDING = "rounding"  # Rounding


#: Every unit a parameter may have, in the order error messages list them.
UNITS: dict[str, Kind] = {
    "yuan/month": Kind.MONEY,
    "yuan/year": Kind.MONEY,
    "yuan": Kind.MONEY,
    "ratio": Kind.NUMBER,
    "months": Kind.INT,
    "days": Kind.INT,
    "working_days": Kind.INT,
    "years": Kind.INT,
    "count": Kind.INT,
    "bool": Kind.BOOL,
    "text": Kind.TEXT,
    "text_list": Kind.TEXT_LIST,
    "rounding": Kind.ROUNDING,
}

#: The usual steps (yuan, jiao, fen); any positive whole number of fen may be declared.
ROUNDING_STEPS = (Decimal("1"), Decimal("0.1"), Decimal("0.01"))
ROUNDING_MODES = ("up", "down", "half_up", "half_even", "none")
ROUNDING_PERIODS = ("month", "year")
_FEN = Fraction(1, 100)


def _check_step(instance: Any, _: Any, to: Decimal | None) -> None:
    if instance.mode == "none":
        if to is not None:
            raise ValueError("a rounding with mode 'none' has no step")
        return
    if not isinstance(to, Decimal) or not to.is_finite() or to <= 0 or \
            (Fraction(to) / _FEN).denominator != 1:
        raise ValueError(f"to={to!r} must be a positive Decimal of whole fen (0.01, 0.1, 1, 10…)")


@attrs.frozen(init=False)  # its own __init__ takes the step first, as it is written
class Rounding:
    """How a figure is rounded: to a step (fen, jiao, yuan, ten yuan or any whole number
    of fen), by a mode, at a stage (the monthly figure, or the yearly figure).

    ``up`` is the ceiling (toward +infinity), ``down`` the floor, ``half_up`` the
    nearest step with ties toward +infinity, ``half_even`` the nearest with ties to the
    even step, ``none`` leaves the figure exact (declared, never a silent default). With
    ``per="year"`` the yearly figure (twelve months) is rounded and the month is the
    twelfth of it, exactly: a whole number of fen a year is a whole number of engine
    units (1/1200 yuan) a month.
    """

    mode: str = attrs.field(validator=attrs.validators.in_(ROUNDING_MODES))
    to: Decimal | None = attrs.field(validator=_check_step)
    per: str = attrs.field(default="month", validator=attrs.validators.in_(ROUNDING_PERIODS))

    def __init__(self, to: Decimal | None, mode: str, per: str = "month") -> None:
        self.__attrs_init__(mode, to, per)

    def apply(self, amount: Decimal | Fraction | int) -> Decimal | Fraction:
        """``amount`` (a month's figure) rounded exactly: a Decimal with the step's
        decimals for a monthly rounding, a Fraction for a yearly one or for 'none'."""
        if isinstance(amount, bool | float) or not isinstance(amount, Decimal | Fraction | int):
            raise TypeError(f"amount={amount!r} must be a Decimal, Fraction or int")
        if self.mode == "none":
            return Fraction(amount)
        if self.per == "year":
            return Fraction(self._round(Fraction(amount) * 12)) / 12
        return self._round(Fraction(amount))

    def _round(self, amount: Fraction) -> Decimal:
        assert self.to is not None
        steps = amount / Fraction(self.to)
        if self.mode == "up":
            count = math.ceil(steps)
        elif self.mode == "down":
            count = math.floor(steps)
        elif self.mode == "half_up":
            count = math.floor(steps + Fraction(1, 2))
        else:
            count = round(steps)  # Fraction.__round__ ties to even
        return Decimal(count) * self.to

    def __str__(self) -> str:
        if self.mode == "none":
            return "none (exact)"
        return f"to {self.to}, {self.mode}" + (", per year" if self.per == "year" else "")


@attrs.frozen
class Source:
    """The legal or published basis of a value: a document and where in it."""

    document: str
    article: str | None = None
    url: str | None = None
    note: str | None = None


@attrs.frozen
class Jurisdiction:
    """A layer of the policy tree: ``national`` or a path such as ``heilongjiang/yichun``."""

    path: str
    name: str
    name_en: str
    code: str | None = None
    parent: str | None = None  # None only for national


@attrs.frozen
class Parameter:
    """A named parameter as first declared (its unit is the same in every layer)."""

    name: str
    unit: str
    description: str
    description_en: str
    kind: Kind
    file: str
    line: int
    choices: tuple[str, ...] | None = None  # allowed texts, for text and text_list units
    keys: tuple[str, ...] | tuple[int, ...] | None = None  # a table: its values map these keys


@attrs.frozen
class ParameterValue:
    """One dated value of a parameter, as set by one layer, with its basis."""

    name: str
    value: Any
    unit: str
    effective_from: date
    jurisdiction: str  # the layer that set it
    source: Source | None
    assumed: str | None
    file: str
    line: int
