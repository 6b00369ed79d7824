"""The expression tree. Positions are kept for messages but are not part of equality,
so ``parse(to_text(tree)) == tree`` compares meaning, not layout."""

from __future__ import annotations

from decimal import Decimal

import attrs


def _pos():
    return attrs.field(default=(1, 1), eq=False, repr=False, kw_only=True)


@attrs.frozen
class Number:
    value: Decimal
    pos: tuple[int, int] = _pos()


@attrs.frozen
class Text:
    value: str
    pos: tuple[int, int] = _pos()


@attrs.frozen
class Bool:
    value: bool
    pos: tuple[int, int] = _pos()


@attrs.frozen
class Name:
    """A fact, a member field or a parameter, by its dotted name."""

    parts: tuple[str, ...]
    pos: tuple[int, int] = _pos()

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@attrs.frozen
class ListOf:
    items: tuple[Expr, ...]
    pos: tuple[int, int] = _pos()


@attrs.frozen
class Neg:
    operand: Expr
    pos: tuple[int, int] = _pos()


@attrs.frozen
class Arith:
    op: str  # + - * /
    left: Expr
    right: Expr
    pos: tuple[int, int] = _pos()


@attrs.frozen
class Compare:
    op: str  # < <= > >= == != in "not in"
    left: Expr
    right: Expr
    pos: tuple[int, int] = _pos()


@attrs.frozen
class Not:
    operand: Expr
    pos: tuple[int, int] = _pos()


@attrs.frozen
class Logic:
    op: str  # and | or
    operands: tuple[Expr, ...]
    pos: tuple[int, int] = _pos()


@attrs.frozen
class If:
    condition: Expr
    then: Expr
    otherwise: Expr
    pos: tuple[int, int] = _pos()


@attrs.frozen
class Call:
    """``name(args)``; for aggregates the first argument is a collection and
    ``where`` filters it: ``count(members where age >= 60)``."""

    function: str
    args: tuple[Expr, ...]
    where: Expr | None = None
    pos: tuple[int, int] = _pos()


Expr = Number | Text | Bool | Name | ListOf | Neg | Arith | Compare | Not | Logic | If | Call

COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==",
           "in": "not in", "not in": "in"}


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of ``node``."""
    match node:
        case Neg(operand) | Not(operand):
            return (operand,)
        case Arith(_, left, right) | Compare(_, left, right):
            return (left, right)
        case Logic(_, operands):
            return operands
        case If(condition, then, otherwise):
            return (condition, then, otherwise)
        case Call(_, args, where):
            return args + ((where,) if where is not None else ())
        case ListOf(items):
            return items
    return ()


def walk(node: Expr):
    """Every node of the tree, parents before children."""
    yield node
    for child in children(node):
        yield from walk(child)
