"""Text → tree. Syntax errors come back as problems with file:line:col and what was expected."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources

from lark import Lark, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from aidrules.errors import Problem
from aidrules.language import ast

_TOKEN_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "STRING": "a quoted text", "COMPARE": "a comparison",
    "ADD_OP": "+ or -", "MUL_OP": "* or /", "LPAR": "'('", "RPAR": "')'", "LSQB": "'['",
    "RSQB": "']'", "COMMA": "','", "MINUS": "'-'", "DOT": "'.'", "IF": "'if'", "THEN": "'then'",
    "ELSE": "'else'", "AND": "'and'", "OR": "'or'", "NOT": "'not'", "IN": "'in'",
    "_WHERE": "'where'", "TRUE": "'true'", "FALSE": "'false'", "$END": "the end of the expression",
}


class ExpressionSyntaxError(ValueError):
    """An expression that does not parse; ``problem`` says where and what was expected."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@cache
def _parser() -> Lark:
    grammar = resources.files("aidrules.language").joinpath("grammar.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True)


def parse(text: str, *, file: str = "<expression>", line: int = 1, col: int = 1) -> ast.Expr:
    """Parse ``text``; ``line``/``col`` say where it starts in its file, for messages."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionSyntaxError(Problem(file, line, col, "empty expression",
                                            expected="a condition or a formula"))
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise ExpressionSyntaxError(_problem(exc, text, file, line, col)) from None
    return _Build(line, col).transform(tree)


def _problem(exc: UnexpectedInput, text: str, file: str, line: int, col: int) -> Problem:
    at_line = getattr(exc, "line", 1) or 1
    at_col = getattr(exc, "column", 1) or 1
    if isinstance(exc, UnexpectedEOF) or (
            isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        at_line = text.count("\n") + 1
        at_col = len(text.rsplit("\n", 1)[-1]) + 1
        found = "the expression ends too early"
    elif isinstance(exc, UnexpectedCharacters):
        found = f"unexpected character {text[exc.pos_in_stream]!r}"
    else:
        found = f"unexpected {exc.token.value!r}"
    expected = sorted({_TOKEN_WORDS.get(t, t.lower()) for t in (exc.expected or ())})
    real_line = line + at_line - 1
    real_col = (col + at_col - 1) if at_line == 1 else at_col
    return Problem(file, real_line, real_col, f"cannot read the expression: {found}",
                   expected=" or ".join(expected[:6]) if expected else None)


@v_args(meta=True)
class _Build(Transformer):
    """Lark's parse tree → :mod:`aidrules.language.ast` nodes with file positions."""

    def __init__(self, line: int, col: int) -> None:
        super().__init__()
        self._line, self._col = line, col

    def _pos(self, meta) -> tuple[int, int]:
        if getattr(meta, "empty", True):
            return self._line, self._col
        # every line of a multi-line (block) scalar is indented like its first line
        return self._line + meta.line - 1, self._col + meta.column - 1

    def number(self, meta, children):
        return ast.Number(Decimal(str(children[0])), pos=self._pos(meta))

    def string(self, meta, children):
        return ast.Text(str(children[0])[1:-1], pos=self._pos(meta))

    def true(self, meta, _):
        return ast.Bool(True, pos=self._pos(meta))

    def false(self, meta, _):
        return ast.Bool(False, pos=self._pos(meta))

    def name(self, meta, children):
        return ast.Name(tuple(str(c) for c in children), pos=self._pos(meta))

    def list_(self, meta, children):
        return ast.ListOf(tuple(c for c in children if c is not None), pos=self._pos(meta))

    def neg(self, meta, children):
        return ast.Neg(children[0], pos=self._pos(meta))

    def arith(self, meta, children):
        left, op, right = children
        return ast.Arith(str(op), left, right, pos=self._pos(meta))

    def compare(self, meta, children):
        left, op, right = children
        return ast.Compare(str(op), left, right, pos=self._pos(meta))

    def in_(self, meta, children):
        return ast.Compare("in", children[0], children[1], pos=self._pos(meta))

    def not_in(self, meta, children):
        return ast.Compare("not in", children[0], children[1], pos=self._pos(meta))

    def not_(self, meta, children):
        return ast.Not(children[0], pos=self._pos(meta))

    def and_(self, meta, children):
        return ast.Logic("and", tuple(children), pos=self._pos(meta))

    def or_(self, meta, children):
        return ast.Logic("or", tuple(children), pos=self._pos(meta))

    def if_(self, meta, children):
        return ast.If(*children, pos=self._pos(meta))

    def arguments(self, meta, children):
        first, where, *rest = children
        return (first, where, tuple(rest))

    def call(self, meta, children):
        name, arguments = children
        pos = self._pos(meta)
        if arguments is None:
            return ast.Call(name.dotted, (), None, pos=pos)
        first, where, rest = arguments
        return ast.Call(name.dotted, (first, *rest), where, pos=pos)
