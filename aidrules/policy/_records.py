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

ROUNDING_STEPS = (Decimal("1"), Decimal("0.1"), Decimal("0.01"))
ROUNDING_MODES = ("up", "down", "half_up")


def _check_step(_: Any, __: Any, to: Decimal) -> None:
    if not isinstance(to, Decimal) or to not in ROUNDING_STEPS:
        raise ValueError(f"to={to!r} must be Decimal('1'), Decimal('0.1') or Decimal('0.01')")


@attrs.frozen
class Rounding:
    """How an amount is rounded: to the yuan, jiao or fen; up, down or half up.

    ``up`` is the ceiling (toward +infinity), ``down`` the floor, ``half_up`` the
    nearest step with ties toward +infinity. For the non-negative amounts aid deals
    in, these are "round up", "cut off" and "round to nearest, 0.5 up".
    """

    to: Decimal = attrs.field(validator=_check_step)
    mode: str = attrs.field(validator=attrs.validators.in_(ROUNDING_MODES))

    def apply(self, amount: Decimal | Fraction | int) -> Decimal:
        """``amount`` rounded exactly, as a Decimal with the step's decimals."""
        if isinstance(amount, bool | float) or not isinstance(amount, Decimal | Fraction | int):
            raise TypeError(f"amount={amount!r} must be a Decimal, Fraction or int")
        steps = Fraction(amount) / Fraction(self.to)
        if self.mode == "up":
            count = math.ceil(steps)
        elif self.mode == "down":
            count = math.floor(steps)
        else:
            count = math.floor(steps + Fraction(1, 2))
        return Decimal(f"{count}E{self.to.as_tuple().exponent}")


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
