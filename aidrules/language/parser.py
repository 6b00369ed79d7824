"""Text → tree. Syntax errors come back as problems with file:line:col and what was expected."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources

from lark import Lark, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from aidrules.errors import AidrulesError, Problem
from aidrules.language import ast, hints

# How deeply an expression may nest (brackets, operators, calls): far beyond any rule a
# policy states, and well inside what checking, compiling and evaluating can walk.
MAX_DEPTH = 48

_TOKEN_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "STRING": "a quoted text", "COMPARE": "a comparison",
    "ADD_OP": "'+' or '-'", "MUL_OP": "'*' or '/'", "LPAR": "'('", "RPAR": "')'", "LSQB": "'['",
    "RSQB": "']'", "COMMA": "','", "MINUS": "'-'", "DOT": "'.'", "IF": "'if'", "THEN": "'then'",
    "ELSE": "'else'", "AND": "'and'", "OR": "'or'", "NOT": "'not'", "IN": "'in'",
    "_WHERE": "'where'", "TRUE": "'true'", "FALSE": "'false'", "$END": "the end of the expression",
}

_FIRST_WORDS = ("a name", "a number", "a quoted text", "a comparison", "'+' or '-'", "'*' or '/'",
                "')'", "'('")


def _word_order(word: str) -> tuple[int, str]:
    """Values and operators before brackets and keywords: the likeliest fixes come first."""
    return (_FIRST_WORDS.index(word) if word in _FIRST_WORDS else len(_FIRST_WORDS), word)


class ExpressionSyntaxError(AidrulesError, ValueError):
    """An expression that does not parse; ``problem`` says where and what was expected."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@cache
def _parser() -> Lark:
    grammar = resources.files("aidrules.language").joinpath("grammar.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True)


def parse(text: str, *, file: str = "<expression>", line: int = 1, col: int = 1,
          glossary: Mapping[str, str] | None = None) -> ast.Expr:
    """Parse ``text``; ``line``/``col`` say where it starts in its file, for messages.

    ``glossary`` maps the titles of facts (中文 and English) to their ids, so that a
    fact written by its Chinese name comes back with the id it most likely means."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionSyntaxError(Problem(file, line, col, "empty expression",
                                            expected="a condition or a formula"))
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise ExpressionSyntaxError(
            _problem(exc, text, _Place(file, line, col), glossary or {})) from None
    deepest = _deepest(tree)
    if deepest is not None:
        raise ExpressionSyntaxError(_too_deep(deepest, text, _Place(file, line, col)))
    return _Build(line, col).transform(tree)


class _Place:
    """Where an expression starts in its file; turns positions inside it into the file's."""

    def __init__(self, file: str, line: int, col: int) -> None:
        self.file, self.line, self.col = file, line, col

    def problem(self, at_line: int, at_col: int, message: str, expected: str | None = None,
                suggestion: str | None = None) -> Problem:
        real_col = (self.col + at_col - 1) if at_line == 1 else at_col
        return Problem(self.file, self.line + at_line - 1, real_col, message, expected,
                       suggestion)


def _problem(exc: UnexpectedInput, text: str, place: _Place,
             glossary: Mapping[str, str]) -> Problem:
    """One syntax error as a problem: where, what was found, what was expected, and a hint.

    Reads only what every lark release since 1.1 sets (positions, the token, and the
    expected or allowed terminals), so a new release cannot turn it into a crash."""
    at_line = getattr(exc, "line", None) or 1
    at_col = getattr(exc, "column", None) or 1
    terminals = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ()
    token = getattr(exc, "token", None)
    suggestion = None
    if isinstance(exc, UnexpectedEOF) or getattr(token, "type", None) == "$END":
        at_line, at_col = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
        found = "the expression ends too early"
    elif isinstance(exc, UnexpectedCharacters) or token is None:
        pos = _offset(text, at_line, at_col)
        found, suggestion = _unexpected_at(text, pos, glossary)
    else:
        found = f"unexpected {str(token.value)!r}"
    words = sorted({_TOKEN_WORDS.get(str(t), str(t).lower()) for t in terminals},
                   key=_word_order)
    return place.problem(at_line, at_col, f"cannot read the expression: {found}",
                         " or ".join(words[:6]) if words else None, suggestion)


def _offset(text: str, line: int, col: int) -> int:
    """The index in ``text`` of 1-based ``line``:``col``."""
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + col - 1


def _unexpected_at(text: str, pos: int, glossary: Mapping[str, str]) -> tuple[str, str | None]:
    """What stands at ``text[pos]`` where no token can start, and what to write instead."""
    word = hints.word_at(text, pos)
    if word:
        return (f"'{word}' is not a name the rules know (names are written in Latin letters, "
                "like per_capita_income)", hints.closest_name(word, glossary))
    char = text[pos: pos + 1]
    if char in "\"'":
        return "a text with no closing quote", None
    return f"unexpected character {char!r}", hints.operator_hint(text, pos)


def _deepest(tree: Tree) -> Tree | None:
    """The first subtree nested more than MAX_DEPTH deep, found without recursion."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return None


def _too_deep(node: Tree, text: str, place: _Place) -> Problem:
    meta = node.meta
    at_line, at_col = (1, 1) if getattr(meta, "empty", True) else (meta.line, meta.column)
    return place.problem(at_line, at_col, "the expression is too long or nested too deeply "
                         f"(more than {MAX_DEPTH} operations or calls inside one another)",
                         expected="shorter expressions: name a part as a derived fact "
                         "under 'facts:' and use its name")


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
